"""A board of many rows written in bulk: youths, employers with staff, openings, placements.

For the tests that check a page stays bounded however many rows lie behind
it. Rows go in with one multi-row INSERT per table (ORM bulk insert), so a
few hundred youths take a fraction of a second; `seed` returns how many it
wrote of each. Call it inside an application context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from webapp.extensions import db
from webapp.models import (
    Area,
    AvailabilityWindow,
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    Shift,
    User,
    Youth,
    youth_buddy,
)
from webapp.ui import board_day

TOWNS = ("Ikast", "Herning", "Brande", "Silkeborg")
CATEGORIES = ("retail", "bakery", "warehouse", "cleaning")


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to write."""

    youths: int = 300
    employers: int = 20
    openings: int = 100
    placements: int = 120
    areas: int = 4


def _ids(model: type[Any]) -> list[int]:
    return list(db.session.scalars(select(model.id).order_by(model.id)))


def _insert(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into `model`'s table; the ids of every row of the table."""
    if rows:
        db.session.execute(insert(model), rows)
    return _ids(model) if hasattr(model, "id") else []


def seed(sizes: Sizes, *, prefix: str = "Bulk") -> Sizes:
    """Write `sizes` rows (names starting with `prefix`) and commit; return the sizes."""
    today = board_day.today()
    areas = _insert(
        Area,
        [
            {"name": f"{prefix} område {n}", "town": TOWNS[n % len(TOWNS)], "postcode": "7430"}
            for n in range(sizes.areas)
        ],
    )[-sizes.areas :]
    employers = _insert(
        Employer,
        [
            {"name": f"{prefix} firma {n}", "postcode": "7430", "status": "approved"}
            for n in range(sizes.employers)
        ],
    )[-sizes.employers :]
    _insert(
        User,
        [
            {
                "email": f"{prefix.lower()}-staff-{n}@bulk.example",
                "name": f"{prefix} staff {n}",
                "role": "employer",
                "employer_id": employer,
            }
            for n, employer in enumerate(employers)
        ],
    )
    openings = _insert(
        Opening,
        [
            {
                "employer_id": employers[n % len(employers)],
                "area_id": areas[n % len(areas)] if n % 3 else None,
                "title": f"{prefix} job {n}",
                "category": CATEGORIES[n % len(CATEGORIES)],
                "positions": 3,
                "min_age": 13 + n % 3,
                "town": TOWNS[n % len(TOWNS)],
                "postcode": "7430",
                "light_work": True,
                "status": ("open", "open", "open", "pending", "closed")[n % 5],
            }
            for n in range(sizes.openings)
        ],
    )[-sizes.openings :]
    _insert(
        Shift,
        [
            {"opening_id": o, "day_index": n % 7, "start_min": 960, "end_min": 1080}
            for n, o in enumerate(openings)
        ],
    )
    youths = _insert(
        Youth,
        [
            {
                "first_name": f"{prefix}{n:05d}",
                "last_name": "Hansen",
                "birth_date": today - dt.timedelta(days=365 * (13 + n % 5) + 40),
                "email": f"{prefix.lower()}{n}@youth.example",
                "status": {0: "archived", 5: "pending"}.get(n % 10, "active"),
                "area_id": areas[n % len(areas)],
                "interests": [CATEGORIES[n % len(CATEGORIES)]],
                "languages": ["da"],
            }
            for n in range(sizes.youths)
        ],
    )[-sizes.youths :]
    _insert(
        AvailabilityWindow,
        [
            {"youth_id": y, "day_index": n % 7, "start_min": 900, "end_min": 1140}
            for n, y in enumerate(youths)
        ],
    )
    kinds = _ids(OnboardingStepKind)
    _insert(
        OnboardingStep,
        [
            {"youth_id": y, "kind_id": kinds[n % len(kinds)], "status": "done"}
            for n, y in enumerate(youths)
        ]
        if kinds
        else [],
    )
    db.session.execute(
        insert(youth_buddy),
        [{"youth_id": y, "buddy_id": youths[(n + 1) % len(youths)]} for n, y in enumerate(youths)],
    )
    _insert(
        Placement,
        [
            {
                "youth_id": youths[n % len(youths)],
                "opening_id": openings[n % len(openings)],
                "status": ("confirmed", "started", "ended")[n % 3],
            }
            for n in range(sizes.placements)
        ],
    )
    db.session.commit()
    return sizes
