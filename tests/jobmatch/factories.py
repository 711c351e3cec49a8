"""Tiny jobmatch/1 documents for tests: one youth, one opening, overridable field by field;
and consistent solution documents for chosen pairs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jobmatch.model import Problem


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


def solution_document(
    problem: Problem,
    pairs: Iterable[tuple[str, str]],
    scores: Mapping[tuple[str, str], int] | None = None,
) -> dict[str, Any]:
    """A consistent solution document for these pairs (scores default to 0)."""
    pairs = list(pairs)
    scores = scores or {}
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    placed = {y for y, _ in pairs}
    assignments = [
        {
            "youth": y,
            "opening": o,
            "score": scores.get((y, o), 0),
            "missing_onboarding": [
                s for s in openings[o].onboarding_steps if s not in youths[y].onboarding
            ],
        }
        for y, o in pairs
    ]
    return {
        "format": "jobmatch-solution/1",
        "status": "optimal",
        "objective": {
            "priority_matched": sum(youths[y].priority for y in placed),
            "matched": len(placed),
            "score": sum(a["score"] for a in assignments),
        },
        "assignments": assignments,
        "unmatched": [
            {"youth": y.id, "reasons": [{"code": "positions_taken", "detail": "-"}]}
            for y in problem.youths
            if y.id not in placed
        ],
        "stats": {},
    }
