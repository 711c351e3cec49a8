"""Reading and writing the jobmatch/1 interchange format (shared spec), with full validation.

`load` reads a problem and collects every issue before it gives up, so that a
coordinator fixing a spreadsheet export sees all of them at once.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, fields
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from .errors import Issue, ProblemError
from .model import (
    DAYS,
    DEFAULT_ONBOARDING,
    MINUTES_PER_DAY,
    WORKPLACES,
    Location,
    Opening,
    Options,
    Pair,
    Problem,
    Shift,
    Solution,
    Weights,
    Youth,
    format_time,
)

PROBLEM_FORMAT = "jobmatch/1"
SOLUTION_FORMAT = "jobmatch-solution/1"
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PROBLEM_KEYS = {
    "format",
    "start_date",
    "period",
    "youths",
    "openings",
    "fixed",
    "forbidden",
    "weights",
    "options",
}
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
T = TypeVar("T")
_MISSING = object()


class _Reader:
    """Reads values out of untrusted JSON, recording an issue instead of raising."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def fail(self, where: str, message: str, record: str | None = None) -> None:
        self.issues.append(Issue(where, message, record))

    def check_keys(
        self, obj: Mapping[str, Any], allowed: set[str], where: str, record: str | None
    ) -> None:
        for key in sorted(set(obj) - allowed):
            self.fail(
                f"{where}.{key}",
                f"unknown key; allowed keys: {', '.join(sorted(allowed))}",
                record,
            )

    def obj(self, value: Any, where: str, record: str | None = None) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.fail(where, f"must be an object, got {_kind(value)}", record)
        return None

    def items(self, value: Any, where: str, record: str | None = None) -> list[Any]:
        if value is _MISSING:
            return []
        if isinstance(value, list):
            return value
        self.fail(where, f"must be a list, got {_kind(value)}", record)
        return []

    def string(
        self,
        value: Any,
        where: str,
        record: str | None,
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        if value is _MISSING:
            if required:
                self.fail(where, "is required", record)
            return default
        if not isinstance(value, str):
            self.fail(where, f"must be a string, got {_kind(value)}", record)
            return default
        if required and not value.strip():
            self.fail(where, "must not be empty", record)
        return value

    def choice(
        self, value: Any, where: str, record: str | None, options: Iterable[str], default: str
    ) -> str:
        options = tuple(options)
        if value is _MISSING:
            return default
        if value not in options:
            self.fail(where, f"must be one of {', '.join(options)}; got {value!r}", record)
            return default
        return str(value)

    def integer(
        self,
        value: Any,
        where: str,
        record: str | None,
        *,
        minimum: int,
        maximum: int | None = None,
        default: int | None = None,
    ) -> int | None:
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be a whole number, got {_kind(value)} {value!r}", record)
            return default
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
            self.fail(where, f"must be {bounds}, got {value}", record)
            return default
        return value

    def number(
        self, value: Any, where: str, record: str | None, *, minimum: float, maximum: float
    ) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"must be a number, got {_kind(value)}", record)
            return None
        if not math.isfinite(value) or not minimum <= value <= maximum:
            self.fail(where, f"must be from {minimum:g} to {maximum:g}, got {value}", record)
            return None
        return float(value)

    def boolean(self, value: Any, where: str, record: str | None, default: bool) -> bool:
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(where, f"must be true or false, got {_kind(value)} {value!r}", record)
            return default
        return value

    def date(self, value: Any, where: str, record: str | None) -> dt.date | None:
        if isinstance(value, str) and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, f"must be a date YYYY-MM-DD, got {value!r}", record)
        return None

    def strings(self, value: Any, where: str, record: str | None) -> tuple[str, ...]:
        result: list[str] = []
        for i, item in enumerate(self.items(value, where, record)):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                self.fail(f"{where}[{i}]", f"must be a non-empty string, got {item!r}", record)
        for item, count in Counter(result).items():
            if count > 1:
                self.fail(where, f"lists {item!r} {count} times", record)
        return tuple(dict.fromkeys(result))

    def location(self, value: Any, where: str, record: str | None) -> Location | None:
        if value is _MISSING:
            return None
        obj = self.obj(value, where, record)
        if obj is None:
            return None
        self.check_keys(obj, {"lat", "lon"}, where, record)
        lat = self.number(obj.get("lat"), f"{where}.lat", record, minimum=-90, maximum=90)
        lon = self.number(obj.get("lon"), f"{where}.lon", record, minimum=-180, maximum=180)
        return None if lat is None or lon is None else Location(lat, lon)

    def time(self, value: Any, where: str, record: str | None, *, is_end: bool) -> int | None:
        match = _TIME.match(value) if isinstance(value, str) else None
        if match:
            hours, minutes = int(match[1]), int(match[2])
            total = hours * 60 + minutes
            if minutes < 60 and (total < MINUTES_PER_DAY or (is_end and total == MINUTES_PER_DAY)):
                return total
        allowed = "00:00 to 24:00" if is_end else "00:00 to 23:59 (24:00 only as an end)"
        self.fail(where, f"must be a time HH:MM from {allowed}, got {value!r}", record)
        return None

    def shifts(
        self, value: Any, where: str, record: str | None
    ) -> tuple[tuple[Shift, ...], tuple[tuple[int, Shift], ...]]:
        result: list[tuple[int, Shift]] = []
        for i, item in enumerate(self.items(value, where, record)):
            at = f"{where}[{i}]"
            obj = self.obj(item, at, record)
            if obj is None:
                continue
            self.check_keys(obj, {"day", "start", "end"}, at, record)
            day = obj.get("day", _MISSING)
            if day not in DAYS:
                self.fail(f"{at}.day", f"must be one of {', '.join(DAYS)}; got {day!r}", record)
            start = self.time(obj.get("start", _MISSING), f"{at}.start", record, is_end=False)
            end = self.time(obj.get("end", _MISSING), f"{at}.end", record, is_end=True)
            if day not in DAYS or start is None or end is None:
                continue
            if end <= start:
                self.fail(
                    f"{at}.end",
                    f"must be after the start {format_time(start)}, got {format_time(end)}",
                    record,
                )
                continue
            result.append((i, Shift(DAYS.index(day), start, end)))
        return tuple(shift for _, shift in result), tuple(result)


def _kind(value: Any) -> str:
    if value is _MISSING:
        return "nothing"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), "a value")


def _non_overlapping(
    reader: _Reader, indexed: tuple[tuple[int, Shift], ...], where: str, record: str
) -> None:
    ordered = sorted(indexed, key=lambda item: item[1])
    for (_, first), (j, second) in pairwise(ordered):
        if first.overlaps(second):
            reader.fail(f"{where}[{j}]", f"overlaps the shift {first} of the same opening", record)


def read_json(source: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the JSON object at a path (or the mapping itself); `ProblemError` if unreadable."""
    if isinstance(source, Mapping):
        return source
    try:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProblemError([Issue(str(source), "no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProblemError([Issue(str(source), f"cannot be read: {error}")]) from None
    except json.JSONDecodeError as error:
        raise ProblemError(
            [
                Issue(
                    str(source),
                    f"is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
                )
            ]
        ) from None
    if not isinstance(data, Mapping):
        raise ProblemError([Issue(str(source), f"must hold a JSON object, got {_kind(data)}")])
    return data


def load(source: str | Path | Mapping[str, Any]) -> Problem:
    """Read and validate a jobmatch/1 problem.

    Args:
        source: a path to a JSON file, or the already parsed document.

    Returns:
        The validated `Problem`.

    Raises:
        ProblemError: listing every issue found, each with its location and record id.
    """
    document = read_json(source)
    reader = _Reader()
    if document.get("format", _MISSING) != PROBLEM_FORMAT:
        reader.fail("format", f"must be {PROBLEM_FORMAT!r}, got {document.get('format')!r}")
    reader.check_keys(document, _PROBLEM_KEYS, "document", None)
    start_date = None
    if "start_date" in document:
        start_date = reader.date(document["start_date"], "start_date", None)
    period = reader.choice(
        document.get("period", _MISSING), "period", None, ("school", "holiday"), "school"
    )
    youths = tuple(
        youth
        for i, raw in enumerate(reader.items(document.get("youths", _MISSING), "youths"))
        if (youth := _youth(reader, raw, f"youths[{i}]", start_date, "start_date" in document))
        is not None
    )
    openings = tuple(
        opening
        for i, raw in enumerate(reader.items(document.get("openings", _MISSING), "openings"))
        if (opening := _opening(reader, raw, f"openings[{i}]")) is not None
    )
    _unique(reader, document.get("youths"), "youths")
    _unique(reader, document.get("openings"), "openings")
    _references(reader, youths, openings, document)
    fixed = _pairs(reader, document.get("fixed", _MISSING), "fixed", youths, openings)
    forbidden = _pairs(reader, document.get("forbidden", _MISSING), "forbidden", youths, openings)
    for pair in sorted(set(fixed) & set(forbidden)):
        reader.fail(
            "fixed",
            f"the pair {pair.youth}/{pair.opening} is both fixed and forbidden",
            pair.youth,
        )
    weights = _settings(reader, document.get("weights", _MISSING), "weights", Weights)
    options = _options(reader, document.get("options", _MISSING))
    if reader.issues:
        raise ProblemError(reader.issues)
    problem = Problem(
        youths,
        openings,
        start_date,
        period,  # type: ignore[arg-type]
        fixed,
        forbidden,
        weights,
        options,
    )
    _check_fixed_eligible(problem)
    return problem


def _unique(reader: _Reader, raw: Any, where: str) -> None:
    positions: dict[str, list[int]] = {}
    for i, ident in _ids(raw):
        positions.setdefault(ident, []).append(i)
    for ident, found in positions.items():
        if len(found) > 1:
            places = ", ".join(f"{where}[{i}]" for i in found)
            reader.fail(
                f"{where}[{found[1]}].id",
                f"repeats the id of {places.split(', ')[0]} "
                f"(used at {places}); ids must be unique",
                ident,
            )


def _record(
    reader: _Reader, raw: Any, where: str, keys: set[str]
) -> tuple[Mapping[str, Any], str, str | None] | None:
    """A record's object, its id and the id to name it by (None when it has none)."""
    obj = reader.obj(raw, where)
    if obj is None:
        return None
    ident = reader.string(obj.get("id", _MISSING), f"{where}.id", None, required=True)
    record = ident or None
    reader.check_keys(obj, keys, where, record)
    return obj, ident, record


def _youth(
    reader: _Reader, raw: Any, where: str, start_date: dt.date | None, has_start: bool
) -> Youth | None:
    header = _record(reader, raw, where, _YOUTH_KEYS)
    if header is None:
        return None
    obj, ident, record = header
    get = obj.get
    age = reader.integer(get("age", _MISSING), f"{where}.age", record, minimum=0, maximum=120)
    birth_date = None
    if "birth_date" in obj:
        birth_date = reader.date(obj["birth_date"], f"{where}.birth_date", record)
        if not has_start:
            reader.fail(
                f"{where}.birth_date", "needs the problem's start_date to compute an age", record
            )
        elif birth_date and start_date:
            if birth_date > start_date:
                reader.fail(f"{where}.birth_date", f"is after the start_date {start_date}", record)
            computed = age_on(birth_date, start_date)
            if age is not None and age != computed:
                reader.fail(
                    f"{where}.age",
                    f"is {age} but birth_date gives {computed} on {start_date}",
                    record,
                )
            age = computed
    elif "age" not in obj:
        reader.fail(where, "needs age or birth_date", record)
    in_school = reader.boolean(
        get("in_compulsory_school", _MISSING),
        f"{where}.in_compulsory_school",
        record,
        (age or 0) < 16,
    )
    availability = None
    if "availability" in obj:
        availability, _ = reader.shifts(obj["availability"], f"{where}.availability", record)
    location = reader.location(get("location", _MISSING), f"{where}.location", record)
    travel = None
    if "max_travel_km" in obj:
        travel = reader.number(
            obj["max_travel_km"], f"{where}.max_travel_km", record, minimum=0, maximum=40_075
        )
    lists = {
        key: reader.strings(get(key, _MISSING), f"{where}.{key}", record)
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
    priority = reader.integer(
        get("priority", _MISSING), f"{where}.priority", record, minimum=1, maximum=1000, default=1
    )
    max_jobs = reader.integer(
        get("max_jobs", _MISSING), f"{where}.max_jobs", record, minimum=0, default=1
    )
    if ident in lists["buddies"]:
        reader.fail(f"{where}.buddies", "lists the youth itself", record)
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


def _opening(reader: _Reader, raw: Any, where: str) -> Opening | None:
    header = _record(reader, raw, where, _OPENING_KEYS)
    if header is None:
        return None
    obj, ident, record = header
    get = obj.get
    employer = reader.string(get("employer", _MISSING), f"{where}.employer", record, required=True)
    title = reader.string(get("title", _MISSING), f"{where}.title", record)
    category = reader.string(get("category", _MISSING), f"{where}.category", record)
    kind = reader.choice(
        get("kind", _MISSING),
        f"{where}.kind",
        record,
        ("fritidsjob", "lommepengejob"),
        "fritidsjob",
    )
    positions = reader.integer(
        get("positions", _MISSING), f"{where}.positions", record, minimum=1, default=1
    )
    min_age = reader.integer(
        get("min_age", _MISSING), f"{where}.min_age", record, minimum=0, maximum=120, default=13
    )
    max_age = reader.integer(
        get("max_age", _MISSING), f"{where}.max_age", record, minimum=0, maximum=120
    )
    if min_age is not None and max_age is not None and max_age < min_age:
        reader.fail(
            f"{where}.max_age", f"must not be below min_age {min_age}, got {max_age}", record
        )
    light = reader.boolean(get("light_work", _MISSING), f"{where}.light_work", record, False)
    workplace = reader.choice(
        get("workplace", _MISSING), f"{where}.workplace", record, WORKPLACES, "other"
    )
    alcohol = reader.choice(
        get("alcohol", _MISSING), f"{where}.alcohol", record, ("none", "food", "bar"), "none"
    )
    if "shifts" not in obj:
        reader.fail(f"{where}.shifts", "is required", record)
    shifts, indexed = reader.shifts(get("shifts", _MISSING), f"{where}.shifts", record)
    if "shifts" in obj and isinstance(obj["shifts"], list) and not obj["shifts"]:
        reader.fail(f"{where}.shifts", "must not be empty", record)
    _non_overlapping(reader, indexed, f"{where}.shifts", ident)
    location = reader.location(get("location", _MISSING), f"{where}.location", record)
    languages: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    if (
        "requires" in obj
        and (requires := reader.obj(obj["requires"], f"{where}.requires", record)) is not None
    ):
        reader.check_keys(requires, {"languages", "certificates"}, f"{where}.requires", record)
        languages = reader.strings(
            requires.get("languages", _MISSING), f"{where}.requires.languages", record
        )
        certificates = reader.strings(
            requires.get("certificates", _MISSING), f"{where}.requires.certificates", record
        )
    steps = DEFAULT_ONBOARDING[kind]
    if "onboarding_steps" in obj:
        steps = reader.strings(obj["onboarding_steps"], f"{where}.onboarding_steps", record)
    preferences = reader.strings(get("preferences", _MISSING), f"{where}.preferences", record)
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


def _references(
    reader: _Reader,
    youths: tuple[Youth, ...],
    openings: tuple[Opening, ...],
    document: Mapping[str, Any],
) -> None:
    youth_ids = {y.id for y in youths}
    opening_ids = {o.id for o in openings}
    raw_youths = document.get("youths")
    raw_openings = document.get("openings")
    positions_y = {ident: i for i, ident in reversed(_ids(raw_youths))}
    positions_o = {ident: i for i, ident in reversed(_ids(raw_openings))}
    for youth in youths:
        where = f"youths[{positions_y.get(youth.id, '?')}]"
        for j, opening_id in enumerate(youth.preferences):
            if opening_id not in opening_ids:
                reader.fail(
                    f"{where}.preferences[{j}]", f"names unknown opening {opening_id!r}", youth.id
                )
        for j, buddy in enumerate(youth.buddies):
            if buddy not in youth_ids:
                reader.fail(f"{where}.buddies[{j}]", f"names unknown youth {buddy!r}", youth.id)
    for opening in openings:
        where = f"openings[{positions_o.get(opening.id, '?')}]"
        for j, youth_id in enumerate(opening.preferences):
            if youth_id not in youth_ids:
                reader.fail(
                    f"{where}.preferences[{j}]", f"names unknown youth {youth_id!r}", opening.id
                )


def _ids(raw: Any) -> list[tuple[int, str]]:
    """(position, id) of every record in a raw list that has a string id."""
    if not isinstance(raw, list):
        return []
    return [
        (i, item["id"])
        for i, item in enumerate(raw)
        if isinstance(item, Mapping) and isinstance(item.get("id"), str)
    ]


def _pairs(
    reader: _Reader,
    value: Any,
    where: str,
    youths: tuple[Youth, ...],
    openings: tuple[Opening, ...],
) -> tuple[Pair, ...]:
    youth_ids = {y.id for y in youths}
    opening_ids = {o.id for o in openings}
    result: list[Pair] = []
    for i, item in enumerate(reader.items(value, where)):
        at = f"{where}[{i}]"
        obj = reader.obj(item, at)
        if obj is None:
            continue
        youth = reader.string(obj.get("youth", _MISSING), f"{at}.youth", None, required=True)
        reader.check_keys(obj, {"youth", "opening"}, at, youth or None)
        opening = reader.string(
            obj.get("opening", _MISSING), f"{at}.opening", youth or None, required=True
        )
        if youth and youth not in youth_ids:
            reader.fail(f"{at}.youth", f"names unknown youth {youth!r}", youth)
        elif opening and opening not in opening_ids:
            reader.fail(f"{at}.opening", f"names unknown opening {opening!r}", youth)
        elif youth and opening:
            if Pair(youth, opening) in result:
                reader.fail(at, f"repeats the pair {youth}/{opening}", youth)
            result.append(Pair(youth, opening))
    return tuple(dict.fromkeys(result))


S = TypeVar("S", Weights, Options)


def _settings(
    reader: _Reader,
    value: Any,
    where: str,
    cls: type[S],
    check: Callable[[str, Any, str], Any] | None = None,
) -> S:
    if value is _MISSING:
        return cls()
    obj = reader.obj(value, where)
    if obj is None:
        return cls()
    names = {f.name for f in fields(cls)}
    reader.check_keys(obj, names, where, None)
    values: dict[str, Any] = {}
    for key in sorted(names & set(obj)):
        parsed = (check or _weight(reader))(key, obj[key], f"{where}.{key}")
        if parsed is not None:
            values[key] = parsed
    return cls(**values)


def _weight(reader: _Reader) -> Callable[[str, Any, str], Any]:
    def parse(_key: str, value: Any, where: str) -> int | None:
        return reader.integer(value, where, None, minimum=0, maximum=10_000)

    return parse


def _options(reader: _Reader, value: Any) -> Options:
    from .rules import rule_table_names

    def parse(key: str, raw: Any, where: str) -> Any:
        if key == "time_limit_s":
            return reader.number(raw, where, None, minimum=0.001, maximum=86_400)
        if key == "workers":
            return reader.integer(raw, where, None, minimum=1, maximum=64)
        if key == "method":
            return reader.choice(raw, where, None, ("optimal", "stable"), "optimal")
        return reader.choice(raw, where, None, rule_table_names(), "dk-2026")

    return _settings(reader, value, "options", Options, parse)


def _check_fixed_eligible(problem: Problem) -> None:
    from .eligibility import reasons_for

    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    issues = []
    for i, pair in enumerate(problem.fixed):
        codes = reasons_for(problem, youths[pair.youth], openings[pair.opening])
        if codes:
            issues.append(
                Issue(
                    f"fixed[{i}]",
                    f"the pair {pair.youth}/{pair.opening} is not "
                    f"eligible: breaks {', '.join(codes)}",
                    pair.youth,
                )
            )
    if issues:
        raise ProblemError(issues)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`; a birthday on `day` counts (29 Feb turns on 1 Mar)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The jobmatch-solution/1 document of a solution, ready for `json.dumps`."""
    document: dict[str, Any] = {
        "format": SOLUTION_FORMAT,
        "status": solution.status.value,
        "objective": asdict(solution.objective),
    }
    if solution.bound is not None:
        document["bound"] = asdict(solution.bound)
    document["assignments"] = [
        {
            "youth": a.youth,
            "opening": a.opening,
            "score": a.score,
            "missing_onboarding": list(a.missing_onboarding),
        }
        for a in solution.assignments
    ]
    document["unmatched"] = [
        {
            "youth": u.youth,
            "reasons": [
                {
                    "code": r.code,
                    **({"opening": r.opening} if r.opening else {}),
                    "detail": r.detail,
                }
                for r in u.reasons
            ],
        }
        for u in solution.unmatched
    ]
    document["stats"] = dict(solution.stats)
    return document


def dumps(solution: Solution) -> str:
    """The solution as deterministic, indented JSON text."""
    return json.dumps(solution_to_dict(solution), indent=1, ensure_ascii=False) + "\n"
