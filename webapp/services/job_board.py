"""The public job board: open openings of approved employers with positions left, filtered
and cut into pages in SQL, newest first."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    DAYS,
    Area,
    Employer,
    EmployerStatus,
    Opening,
    OpeningStatus,
    Placement,
    Shift,
)
from .openings import taken_positions
from .paging import Page, paged

BOARD_PAGE = 24  # jobs a page of the board shows: full rows of two or three cards


@dataclass(frozen=True)
class BoardFilter:
    """Filters of the public board."""

    age: int | None = None
    category: str = ""
    kind: str = ""
    area: str = ""
    day: str = ""


def _positions_left() -> ColumnElement[int]:
    """An opening's positions less those its running placements take (as `taken_positions`)."""
    taken = (
        select(func.count())
        .where(Placement.opening_id == Opening.id, Placement.status.in_(ACTIVE_PLACEMENTS))
        .correlate(Opening)
        .scalar_subquery()
    )
    return Opening.positions - taken


def _conditions(f: BoardFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [
        Opening.status == OpeningStatus.OPEN,
        Employer.status == EmployerStatus.APPROVED,
        _positions_left() > 0,
    ]
    if f.age is not None:
        found += [
            Opening.min_age <= f.age,
            or_(Opening.max_age.is_(None), Opening.max_age >= f.age),
        ]
    if f.category:
        found.append(Opening.category == f.category)
    if f.kind:
        found.append(Opening.kind == f.kind)
    if f.area:
        found.append(or_(Opening.town == f.area, Opening.area.has(Area.name == f.area)))
    if f.day in DAYS:
        found.append(Opening.shifts.any(Shift.day_index == DAYS.index(f.day)))
    return found


def board(
    f: BoardFilter, *, page: int = 1, per_page: int = BOARD_PAGE
) -> Page[tuple[Opening, int]]:
    """A page of the board's openings matching `f`, newest first, each with its positions left;
    past the last page, the last."""
    query = (
        select(Opening)
        .join(Employer)
        .where(*_conditions(f))
        .options(
            selectinload(Opening.employer),
            selectinload(Opening.shifts),
            selectinload(Opening.area),
        )
        .order_by(Opening.created_at.desc(), Opening.id.desc())
    )
    found: Page[Opening] = paged(query, page=page, per_page=per_page)
    taken = taken_positions(found.items)
    return replace(found, items=[(o, o.positions - taken.get(o.id, 0)) for o in found.items])


def board_places() -> list[str]:
    """Area names and towns to filter the board by."""
    areas = list(db.session.scalars(select(Area.name).order_by(Area.name)))
    towns = db.session.scalars(
        select(Opening.town)
        .where(Opening.status == OpeningStatus.OPEN, Opening.town != "")
        .distinct()
    )
    return areas + sorted(set(towns) - set(areas))
