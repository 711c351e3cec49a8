"""Tiny jobmatch/1 documents for tests: one youth, one opening, overridable field by field."""

from __future__ import annotations

from typing import Any


def shift(day: str, start: str, end: str) -> dict[str, str]:
    """A shift or availability window."""
    return {"day": day, "start": start, "end": end}


def youth(ident: str = "y1", **fields: Any) -> dict[str, Any]:
    """A 16-year-old who has left compulsory school, available any time."""
    return {"id": ident, "age": 16, "in_compulsory_school": False, **fields}


def opening(ident: str = "o1", **fields: Any) -> dict[str, Any]:
    """A light, alcohol-free job at a shop: Saturday 10-14."""
    return {
        "id": ident,
        "employer": fields.pop("employer", "e1"),
        "light_work": True,
        "workplace": "shop",
        "shifts": [shift("sat", "10:00", "14:00")],
        **fields,
    }


def document(
    youths: list[dict[str, Any]] | None = None,
    openings: list[dict[str, Any]] | None = None,
    **top: Any,
) -> dict[str, Any]:
    """A problem with the given records (default: one youth and one opening)."""
    return {
        "format": "jobmatch/1",
        "youths": [youth()] if youths is None else youths,
        "openings": [opening()] if openings is None else openings,
        **top,
    }
