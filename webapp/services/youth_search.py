"""Finding youths: the coordinator's filtered, paged list and the pending registrations."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from jobmatch import years_before

from ..models import Youth, YouthStatus
from .paging import Page, paged


@dataclass(frozen=True)
class YouthFilter:
    """Search and filters of the coordinator's youth list."""

    q: str = ""
    status: str = YouthStatus.ACTIVE
    area_id: int | None = None
    counsellor_id: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    interest: str = ""
    sort: str = "name"  # one of SORTS


# The orders the list offers; each ends on the id, so that a page never repeats a row.
SORTS = {
    "name": (Youth.sort_name, Youth.id),
    "youngest": (Youth.birth_date.desc(), Youth.id.desc()),
    "oldest": (Youth.birth_date, Youth.id),
}


def _birth_date_bounds(age: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """Birth dates of youths exactly `age` years old on `today` (inclusive)."""
    latest = years_before(today, age)
    earliest = years_before(today, age + 1) + dt.timedelta(days=1)
    return earliest, latest


def _filtered(query: Select[Any], f: YouthFilter, today: dt.date) -> Select[Any]:
    if f.status:
        query = query.where(Youth.status == f.status)
    if f.q:
        term = f.q.strip().lower()
        query = query.where(
            or_(
                Youth.sort_name.contains(term, autoescape=True),  # "amira has" finds Amira Hassan
                func.lower(Youth.email).contains(term, autoescape=True),
                func.lower(Youth.phone).contains(term, autoescape=True),
            )
        )
    if f.area_id:
        query = query.where(Youth.area_id == f.area_id)
    if f.counsellor_id:
        query = query.where(Youth.counsellor_id == f.counsellor_id)
    if f.min_age is not None:
        query = query.where(Youth.birth_date <= _birth_date_bounds(f.min_age, today)[1])
    if f.max_age is not None:
        query = query.where(Youth.birth_date >= _birth_date_bounds(f.max_age, today)[0])
    if f.interest:
        # The list is stored as JSON text: the code in quotes is one whole element of it.
        query = query.where(
            cast(Youth.interests, String).contains(json.dumps(f.interest), autoescape=True)
        )
    return query


def search(f: YouthFilter, *, page: int, per_page: int, today: dt.date) -> Page[Youth]:
    """A page of youths matching `f` in the order `f.sort` names (by default by first name,
    then surname); past the end, the last page."""
    query = (
        _filtered(select(Youth), f, today)
        .options(
            selectinload(Youth.area),
            selectinload(Youth.counsellor),
            selectinload(Youth.steps),
            selectinload(Youth.placements),
        )
        .order_by(*SORTS.get(f.sort, SORTS["name"]))
    )
    return paged(query, page=page, per_page=per_page)


def registrations_page(*, page: int, per_page: int) -> Page[Youth]:
    """A page of the registrations from the public board awaiting review, oldest first."""
    query = (
        select(Youth)
        .where(Youth.status == YouthStatus.PENDING)
        .options(selectinload(Youth.interested_opening), selectinload(Youth.events))
        .order_by(Youth.created_at, Youth.id)
    )
    return paged(query, page=page, per_page=per_page)
