"""What a run could not check, said with the run: travel distances without coordinates.

A youth with a travel radius but no coordinates, or an opening without
coordinates, is matched as if distance did not matter: the library checks a
radius only between two located places. The problem builder lists them
(`distance_not_checked`, stored with the run's parameters) and the run page
names them (`named`), so that the coordinator knows which pairs were not
checked for distance, instead of learning it from a youth sent too far.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Opening, Youth

SHOWN = 50  # names listed on the run page per kind; the rest are counted


def distance_not_checked(
    youths: Iterable[Youth], openings: Iterable[Opening]
) -> dict[str, list[str]]:
    """Public ids of the youths with a travel radius and no coordinates, and of the openings
    without coordinates (those only when some youth has a radius: else no distance counts)."""
    youths = list(youths)
    radius = [y for y in youths if y.max_travel_km is not None]
    return {
        "youths": [y.public_id for y in radius if y.lat is None or y.lon is None],
        "openings": [o.public_id for o in openings if o.lat is None or o.lon is None]
        if radius
        else [],
    }


@dataclass(frozen=True)
class DistanceWarnings:
    """The run page's list: the first `SHOWN` youths and openings by name, and how many."""

    youths: list[tuple[str, str]]  # (public id, first name)
    openings: list[tuple[str, str]]  # (public id, title)
    youth_count: int
    opening_count: int

    def __bool__(self) -> bool:
        return bool(self.youth_count or self.opening_count)


def named(parameters: Mapping[str, Any]) -> DistanceWarnings:
    """The run's distance warnings (from its parameters) with first names and titles.

    Rows erased since the run are left out of the names, not of the counts.
    """
    stored = parameters.get("distance_not_checked") or {}
    youth_ids, opening_ids = list(stored.get("youths", [])), list(stored.get("openings", []))
    if not youth_ids and not opening_ids:
        return DistanceWarnings([], [], 0, 0)
    youths: dict[str, str] = dict(
        db.session.execute(
            select(Youth.public_id, Youth.first_name).where(Youth.public_id.in_(youth_ids[:SHOWN]))
        ).all()
    )
    openings: dict[str, str] = dict(
        db.session.execute(
            select(Opening.public_id, Opening.title).where(
                Opening.public_id.in_(opening_ids[:SHOWN])
            )
        ).all()
    )
    return DistanceWarnings(
        youths=[(i, youths[i]) for i in youth_ids[:SHOWN] if i in youths],
        openings=[(i, openings[i]) for i in opening_ids[:SHOWN] if i in openings],
        youth_count=len(youth_ids),
        opening_count=len(opening_ids),
    )
