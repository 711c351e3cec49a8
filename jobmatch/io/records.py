"""Reading one youth or one opening record of a jobmatch/1 problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from ..clock import age_on
from ..model import DEFAULT_ONBOARDING, WORKPLACES, Opening, Shift, Youth
from .values import MISSING, ValueReader

MAX_PRIORITY, MAX_JOBS, MAX_POSITIONS, MAX_AGE = 1000, 10, 10_000, 120
"""The spec's upper bounds of `priority`, `max_jobs` and `positions` (they keep the solver's
integer costs and capacities in range), and of any age."""

_YOUTH_KEYS = {
    "id",
    "age",
    "birth_date",
    "in_compulsory_school",
    "availability",
    "location",
    "max_travel_km",
    "interests",
    "languages",
    "certificates",
    "onboarding",
    "priority",
    "max_jobs",
    "exclude_employers",
    "preferences",
    "buddies",
}
_OPENING_KEYS = {
    "id",
    "employer",
    "title",
    "category",
    "kind",
    "positions",
    "min_age",
    "max_age",
    "light_work",
    "workplace",
    "alcohol",
    "shifts",
    "location",
    "requires",
    "onboarding_steps",
    "preferences",
}


def _non_overlapping(
    reader: ValueReader, indexed: tuple[tuple[int, Shift], ...], where: str, record: str
) -> None:
    ordered = sorted(indexed, key=lambda item: item[1])
    for (_, first), (j, second) in pairwise(ordered):
        if first.overlaps(second):
            reader.fail(
                f"{where}[{j}]",
                "overlap",
                f"overlaps the shift {first} of the same opening",
                record,
            )


def _whole(
    reader: ValueReader,
    obj: Mapping[str, Any],
    where: str,
    record: str | None,
    key: str,
    bounds: tuple[int, int],
    default: int | None,
) -> int | None:
    """The whole number at `key` within `bounds`, else `default` (and an issue)."""
    low, high = bounds
    value = obj.get(key, MISSING)
    return reader.integer(
        value, f"{where}.{key}", record, minimum=low, maximum=high, default=default
    )


def _header(
    reader: ValueReader, raw: Any, where: str, keys: set[str]
) -> tuple[Mapping[str, Any], str, str | None] | None:
    """A record's object, its id and the id to name it by (None when it has none)."""
    obj = reader.obj(raw, where)
    if obj is None:
        return None
    ident = reader.string(obj.get("id", MISSING), f"{where}.id", None, required=True)
    record = ident or None
    reader.check_keys(obj, keys, where, record)
    return obj, ident, record


def read_youth(
    reader: ValueReader, raw: Any, where: str, start_date: dt.date | None, has_start: bool
) -> Youth | None:
    header = _header(reader, raw, where, _YOUTH_KEYS)
    if header is None:
        return None
    obj, ident, record = header
    get = obj.get
    age = _whole(reader, obj, where, record, "age", (0, MAX_AGE), None)
    birth_date = None
    if "birth_date" in obj:
        birth_date = reader.date(obj["birth_date"], f"{where}.birth_date", record)
        if not has_start:
            reader.fail(
                f"{where}.birth_date",
                "birth_date",
                "needs the problem's start_date to compute an age",
                record,
            )
        elif birth_date and start_date:
            if birth_date > start_date:
                reader.fail(
                    f"{where}.birth_date",
                    "birth_date",
                    f"is after the start_date {start_date}",
                    record,
                )
            computed = age_on(birth_date, start_date)
            if age is not None and age != computed:
                reader.fail(
                    f"{where}.age",
                    "birth_date",
                    f"is {age} but birth_date gives {computed} on {start_date}",
                    record,
                )
            age = computed
    elif "age" not in obj:
        reader.fail(where, "required", "needs age or birth_date", record)
    in_school = reader.boolean(
        get("in_compulsory_school", MISSING),
        f"{where}.in_compulsory_school",
        record,
        (age or 0) < 16,
    )
    availability = None
    if "availability" in obj:
        availability, _ = reader.shifts(obj["availability"], f"{where}.availability", record)
    location = reader.location(get("location", MISSING), f"{where}.location", record)
    travel = None
    if "max_travel_km" in obj:
        travel = reader.number(
            obj["max_travel_km"], f"{where}.max_travel_km", record, minimum=0, maximum=40_075
        )
    lists = {
        key: reader.strings(get(key, MISSING), f"{where}.{key}", record)
        for key in (
            "interests",
            "languages",
            "certificates",
            "onboarding",
            "exclude_employers",
            "preferences",
            "buddies",
        )
    }
    priority = _whole(reader, obj, where, record, "priority", (1, MAX_PRIORITY), 1)
    max_jobs = _whole(reader, obj, where, record, "max_jobs", (0, MAX_JOBS), 1)
    if ident in lists["buddies"]:
        reader.fail(f"{where}.buddies", "self_buddy", "lists the youth itself", record)
    if not ident or age is None:
        return None
    return Youth(
        ident,
        age,
        in_school,
        availability,
        location,
        travel,
        priority=priority or 1,
        max_jobs=1 if max_jobs is None else max_jobs,
        birth_date=birth_date,
        **lists,
    )


def read_opening(reader: ValueReader, raw: Any, where: str) -> Opening | None:
    header = _header(reader, raw, where, _OPENING_KEYS)
    if header is None:
        return None
    obj, ident, record = header
    get = obj.get
    employer = reader.string(get("employer", MISSING), f"{where}.employer", record, required=True)
    title = reader.string(get("title", MISSING), f"{where}.title", record)
    category = reader.string(get("category", MISSING), f"{where}.category", record)
    kind = reader.choice(
        get("kind", MISSING),
        f"{where}.kind",
        record,
        ("fritidsjob", "lommepengejob"),
        "fritidsjob",
    )
    positions = _whole(reader, obj, where, record, "positions", (1, MAX_POSITIONS), 1)
    min_age = _whole(reader, obj, where, record, "min_age", (0, MAX_AGE), 13)
    max_age = _whole(reader, obj, where, record, "max_age", (0, MAX_AGE), None)
    if min_age is not None and max_age is not None and max_age < min_age:
        reader.fail(
            f"{where}.max_age",
            "out_of_range",
            f"must not be below min_age {min_age}, got {max_age}",
            record,
        )
    light = reader.boolean(get("light_work", MISSING), f"{where}.light_work", record, False)
    workplace = reader.choice(
        get("workplace", MISSING), f"{where}.workplace", record, WORKPLACES, "other"
    )
    alcohol = reader.choice(
        get("alcohol", MISSING), f"{where}.alcohol", record, ("none", "food", "bar"), "none"
    )
    if "shifts" not in obj:
        reader.fail(f"{where}.shifts", "required", "is required", record)
    shifts, indexed = reader.shifts(get("shifts", MISSING), f"{where}.shifts", record)
    if "shifts" in obj and isinstance(obj["shifts"], list) and not obj["shifts"]:
        reader.fail(f"{where}.shifts", "required", "must not be empty", record)
    _non_overlapping(reader, indexed, f"{where}.shifts", ident)
    location = reader.location(get("location", MISSING), f"{where}.location", record)
    languages: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    if (
        "requires" in obj
        and (requires := reader.obj(obj["requires"], f"{where}.requires", record)) is not None
    ):
        reader.check_keys(requires, {"languages", "certificates"}, f"{where}.requires", record)
        languages = reader.strings(
            requires.get("languages", MISSING), f"{where}.requires.languages", record
        )
        certificates = reader.strings(
            requires.get("certificates", MISSING), f"{where}.requires.certificates", record
        )
    steps = DEFAULT_ONBOARDING[kind]
    if "onboarding_steps" in obj:
        steps = reader.strings(obj["onboarding_steps"], f"{where}.onboarding_steps", record)
    preferences = reader.strings(get("preferences", MISSING), f"{where}.preferences", record)
    if not ident or not employer:
        return None
    return Opening(
        ident,
        employer,
        tuple(sorted(shifts)),
        title,
        category,
        kind,  # type: ignore[arg-type]
        positions or 1,
        13 if min_age is None else min_age,
        max_age,
        light,
        workplace,
        alcohol,  # type: ignore[arg-type]
        location,
        languages,
        certificates,
        steps,
        preferences,
    )
