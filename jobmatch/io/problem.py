"""Reading a jobmatch/1 problem (shared spec) with full validation: `load`.

`load` collects every issue before it gives up, so that a coordinator fixing a
spreadsheet export sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

from ..eligibility import reasons_for
from ..errors import Issue, ProblemError
from ..jsonkinds import shown
from ..model import Opening, Options, Pair, Problem, Weights, Youth
from ..rules import rule_table_names
from .jsontext import read_json
from .records import read_opening, read_youth
from .values import MISSING, ValueReader

PROBLEM_FORMAT = "jobmatch/1"
TIME_LIMIT_S = (0.001, 86_400.0)
"""The bounds of `options.time_limit_s` (and of the command line's `--time-limit`)."""
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
    reader = ValueReader()
    if document.get("format", MISSING) != PROBLEM_FORMAT:
        reader.fail(
            "format", "format", f"must be {PROBLEM_FORMAT!r}, got {shown(document.get('format'))}"
        )
    reader.check_keys(document, _PROBLEM_KEYS, "document", None)
    start_date = None
    if "start_date" in document:
        start_date = reader.date(document["start_date"], "start_date", None)
    period = reader.choice(
        document.get("period", MISSING), "period", None, ("school", "holiday"), "school"
    )
    youths = tuple(
        youth
        for i, raw in enumerate(reader.items(document.get("youths", MISSING), "youths"))
        if (youth := read_youth(reader, raw, f"youths[{i}]", start_date, "start_date" in document))
        is not None
    )
    openings = tuple(
        opening
        for i, raw in enumerate(reader.items(document.get("openings", MISSING), "openings"))
        if (opening := read_opening(reader, raw, f"openings[{i}]")) is not None
    )
    _unique(reader, document.get("youths"), "youths")
    _unique(reader, document.get("openings"), "openings")
    _references(reader, youths, openings, document)
    fixed = _pairs(reader, document.get("fixed", MISSING), "fixed", youths, openings)
    forbidden = _pairs(reader, document.get("forbidden", MISSING), "forbidden", youths, openings)
    for pair in sorted(set(fixed) & set(forbidden)):
        reader.fail(
            "fixed",
            "fixed_and_forbidden",
            f"the pair {pair.youth}/{pair.opening} is both fixed and forbidden",
            pair.youth,
        )
    weights = _settings(reader, document.get("weights", MISSING), "weights", Weights)
    options = _options(reader, document.get("options", MISSING))
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


def _unique(reader: ValueReader, raw: Any, where: str) -> None:
    positions: dict[str, list[int]] = {}
    for i, ident in _ids(raw):
        positions.setdefault(ident, []).append(i)
    for ident, found in positions.items():
        if len(found) > 1:
            places = ", ".join(f"{where}[{i}]" for i in found)
            reader.fail(
                f"{where}[{found[1]}].id",
                "duplicate",
                f"repeats the id of {places.split(', ')[0]} "
                f"(used at {places}); ids must be unique",
                ident,
            )


def _references(
    reader: ValueReader,
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
        _known(reader, f"{where}.preferences", youth.preferences, opening_ids, "opening", youth.id)
        _known(reader, f"{where}.buddies", youth.buddies, youth_ids, "youth", youth.id)
    for opening in openings:
        where = f"openings[{positions_o.get(opening.id, '?')}]"
        _known(reader, f"{where}.preferences", opening.preferences, youth_ids, "youth", opening.id)


def _known(
    reader: ValueReader,
    where: str,
    named: Iterable[str],
    known: set[str],
    kind: str,
    record_id: str,
) -> None:
    """Fail each id in the list at `where` that names no record of this `kind`."""
    for j, ident in enumerate(named):
        if ident not in known:
            reader.fail(
                f"{where}[{j}]", "unknown_reference", f"names unknown {kind} {ident!r}", record_id
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
    reader: ValueReader,
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
        youth = reader.string(obj.get("youth", MISSING), f"{at}.youth", None, required=True)
        reader.check_keys(obj, {"youth", "opening"}, at, youth or None)
        opening = reader.string(
            obj.get("opening", MISSING), f"{at}.opening", youth or None, required=True
        )
        if youth and youth not in youth_ids:
            reader.fail(
                f"{at}.youth", "unknown_reference", f"names unknown youth {youth!r}", youth
            )
        elif opening and opening not in opening_ids:
            reader.fail(
                f"{at}.opening", "unknown_reference", f"names unknown opening {opening!r}", youth
            )
        elif youth and opening:
            if Pair(youth, opening) in result:
                reader.fail(at, "duplicate", f"repeats the pair {youth}/{opening}", youth)
            result.append(Pair(youth, opening))
    return tuple(dict.fromkeys(result))


S = TypeVar("S", Weights, Options)


def _settings(
    reader: ValueReader,
    value: Any,
    where: str,
    cls: type[S],
    check: Callable[[str, Any, str], Any] | None = None,
) -> S:
    if value is MISSING:
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


def _weight(reader: ValueReader) -> Callable[[str, Any, str], Any]:
    def parse(_key: str, value: Any, where: str) -> int | None:
        return reader.integer(value, where, None, minimum=0, maximum=10_000)

    return parse


def _options(reader: ValueReader, value: Any) -> Options:
    def parse(key: str, raw: Any, where: str) -> Any:
        if key == "time_limit_s":
            return reader.number(
                raw, where, None, minimum=TIME_LIMIT_S[0], maximum=TIME_LIMIT_S[1]
            )
        if key in ("workers", "processes"):
            return reader.integer(raw, where, None, minimum=1, maximum=64)
        if key == "part_pairs":
            return reader.integer(raw, where, None, minimum=1, maximum=1_000_000_000)
        if key == "method":
            return reader.choice(raw, where, None, ("optimal", "stable"), "optimal")
        return reader.choice(raw, where, None, rule_table_names(), "dk-2026")

    return _settings(reader, value, "options", Options, parse)


def _check_fixed_eligible(problem: Problem) -> None:
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    issues = []
    for i, pair in enumerate(problem.fixed):
        codes = reasons_for(problem, youths[pair.youth], openings[pair.opening])
        if codes:
            issues.append(
                Issue(
                    f"fixed[{i}]",
                    pair.youth,
                    "fixed_not_eligible",
                    f"the pair {pair.youth}/{pair.opening} is not "
                    f"eligible: breaks {', '.join(codes)}",
                )
            )
    if issues:
        raise ProblemError(issues)
