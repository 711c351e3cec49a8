"""The jobmatch/1 records of one youth and one opening, from their rows.

Only opaque public ids name youths, openings and employers; no names, contact
details or notes go into a record (see `problem`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from jobmatch import format_time

from ..models import DAYS, FINISHED_STEPS, Opening, Youth

NEVER_PLACED_BONUS = 1  # added to the priority of a youth who never had a job
MAX_PRIORITY = 1000  # the format's upper bound


def _shifts(windows: Iterable[Any]) -> list[dict[str, str]]:
    return [
        {
            "day": DAYS[w.day_index],
            "start": format_time(w.start_min),
            "end": format_time(w.end_min),
        }
        for w in windows
    ]


def _location(row: Youth | Opening) -> dict[str, float] | None:
    if row.lat is None or row.lon is None:
        return None
    return {"lat": row.lat, "lon": row.lon}


def _distinct(values: Iterable[str]) -> list[str]:
    """Non-empty values once each, in order (the format rejects repeats)."""
    return list(dict.fromkeys(v for v in values if v and v.strip()))


def youth_record(
    youth: Youth,
    start_date: dt.date,
    in_problem: tuple[set[str], set[str]],
    had_job: set[int],
    max_jobs: int,
) -> dict[str, Any]:
    """A youth's record; `max_jobs` is what the run leaves them (jobs held count)."""
    youths, openings = in_problem
    bonus = 0 if youth.id in had_job else NEVER_PLACED_BONUS
    record: dict[str, Any] = {
        "id": youth.public_id,
        "birth_date": youth.birth_date.isoformat(),
        "in_compulsory_school": youth.in_compulsory_school(start_date),
        "availability": _shifts(youth.availability),
    }
    if (location := _location(youth)) is not None:
        record["location"] = location
    if youth.max_travel_km is not None:
        record["max_travel_km"] = youth.max_travel_km
    record |= {
        "interests": _distinct(youth.interests or []),
        "languages": _distinct(youth.languages or []),
        "certificates": _distinct(youth.certificates or []),
        "onboarding": _distinct(s.kind.code for s in youth.steps if s.status in FINISHED_STEPS),
        "priority": min(youth.priority + bonus, MAX_PRIORITY),
        "max_jobs": max_jobs,
        "exclude_employers": _distinct(e.public_id for e in youth.excluded_employers),
        "preferences": _distinct(
            p.opening.public_id for p in youth.preferences if p.opening.public_id in openings
        ),
        "buddies": _distinct(
            b.public_id for b in youth.buddies if b.public_id in youths and b.id != youth.id
        ),
    }
    return record


def opening_record(
    opening: Opening, positions: int, steps: dict[str, list[str]]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": opening.public_id,
        "employer": opening.employer.public_id,
        "title": opening.title,
        "category": opening.category,
        "kind": opening.kind,
        "positions": positions,
        "min_age": opening.min_age,
        "light_work": opening.light_work,
        "workplace": opening.workplace,
        "alcohol": opening.alcohol,
        "shifts": _shifts(opening.shifts),
    }
    if opening.max_age is not None:
        record["max_age"] = opening.max_age
    if (location := _location(opening)) is not None:
        record["location"] = location
    languages = _distinct(opening.required_languages or [])
    certificates = _distinct(opening.required_certificates or [])
    if languages or certificates:
        record["requires"] = {"languages": languages, "certificates": certificates}
    record["onboarding_steps"] = _distinct(opening.onboarding_steps or steps[opening.kind])
    return record
