"""The library's typed facts (`jobmatch.facts`) as plain JSON, and back.

A run keeps its unplaced youths' reasons, and its refused pairs, with their
figures: each facts object is stored as its kind's name and its fields, shifts
as ``[day, start, end]`` and holders as objects. Facts of a kind this version
of the library no longer has, or whose fields changed, read back as None: the
reason is then worded by its rule's name alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import jobmatch
from jobmatch import facts as library_facts

# Every facts class by name, read from the library's own module.
KINDS: dict[str, type] = {
    name: kind
    for name, kind in vars(library_facts).items()
    if isinstance(kind, type)
    and dataclasses.is_dataclass(kind)
    and kind.__module__ == library_facts.__name__
    and kind is not jobmatch.Holder
}


def to_json(facts: jobmatch.Facts | None) -> dict[str, Any] | None:
    """Facts as plain JSON: ``{"kind": <class name>, <field>: <value>, ...}``."""
    if facts is None:
        return None
    fields = {f.name: _plain(getattr(facts, f.name)) for f in dataclasses.fields(facts)}
    return {"kind": type(facts).__name__, **fields}


def from_json(stored: Mapping[str, Any] | None) -> Any:
    """The facts `to_json` wrote, or None for a kind or shape this library does not know."""
    data = dict(stored or {})
    kind = KINDS.get(str(data.pop("kind", "")))
    if kind is None:
        return None
    if "shifts" in data:
        data["shifts"] = tuple(jobmatch.Shift(*s) for s in data["shifts"])
    if "holders" in data:
        data["holders"] = tuple(jobmatch.Holder(**h) for h in data["holders"])
    if "missing" in data:
        data["missing"] = tuple(data["missing"])
    try:
        return kind(**data)
    except TypeError:
        return None


def _plain(value: Any) -> Any:
    """A field's value as JSON: tuples of shifts, holders or names become lists."""
    if not isinstance(value, tuple):
        return value
    return [
        [item.day, item.start, item.end]
        if isinstance(item, jobmatch.Shift)
        else dataclasses.asdict(item)
        if isinstance(item, jobmatch.Holder)
        else item
        for item in value
    ]
