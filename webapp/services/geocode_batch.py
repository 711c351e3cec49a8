"""The batch lookup of addresses: rows saved during an outage, before the geocoder, or long ago.

`flask --app webapp geocode` runs `geocode_pending`: every youth, employer and
opening whose place `geo.needs_lookup` (not checked yet; coordinates from
before the geocoder in use; a "not found" older than `GEOCODER_NOT_FOUND_DAYS`)
is looked up once per distinct address. Each answer is cached and copied to its
rows in a transaction of its own, so a batch stopped halfway keeps what it did.
A row whose address changed meanwhile is left alone (compare-and-set on the
address), and two batches at once write the same values. Coordinates entered
by hand are never touched, nor replaced by "not found".
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from typing import NamedTuple

from flask import current_app
from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import Employer, Opening, Youth
from . import geo, geocoding
from .geocoding import Answer, GeocoderError, Query

LOCATED = (Youth, Employer, Opening)


class Holder(NamedTuple):
    """A row with an address to look up, as it was read (not the ORM object: a commit would
    expire thousands of them)."""

    model: type[geo.Located]
    id: int
    address: str
    postcode: str


@dataclass
class BatchReport:
    """What a batch did: addresses asked, rows given coordinates, addresses not found."""

    asked: int = 0
    located: int = 0
    not_found: int = 0
    left: int = 0  # addresses still waiting (over the limit, or after a stop)
    stopped: str = ""  # why it stopped early: the geocoder did not answer


def pending_lookups() -> dict[str, tuple[Query, list[Holder]]]:
    """The addresses to look up (by query hash), each with the rows that have it."""
    pending: dict[str, tuple[Query, list[Holder]]] = {}
    for model in LOCATED:
        rows = list(
            db.session.scalars(
                select(model)
                .where(or_(model.postcode != "", model.address != ""))
                .order_by(model.id)
            )
        )
        for row, status in zip(rows, geo.locations_of(rows), strict=True):
            query = Query.of(row.address, row.postcode)
            if query is not None and geo.needs_lookup(status):
                holder = Holder(model, row.id, row.address, row.postcode)
                pending.setdefault(query.digest, (query, []))[1].append(holder)
    return pending


def geocode_pending(*, limit: int | None = None) -> BatchReport:
    """Look up the pending addresses, at most `limit`; stop when the geocoder gives no answer."""
    pending = list(pending_lookups().values())
    todo = pending if limit is None else pending[:limit]
    report = BatchReport(left=len(pending))
    with closing(geocoding.from_config(current_app.config)) as geocoder:
        for query, rows in todo:
            try:
                answer = geocoder.locate(query)
            except GeocoderError as error:
                report.stopped = str(error)
                break
            geo.store(geocoder.source, query, answer)
            report.asked += 1
            report.left -= 1
            if answer.found:
                report.located += _copy(rows, answer)
            else:
                report.not_found += 1
            db.session.commit()
    db.session.rollback()
    return report


def _copy(rows: list[Holder], answer: Answer) -> int:
    """Give the rows the answer's place, except those whose address changed since they were read.

    Returns:
        How many rows were changed.
    """
    groups: dict[tuple[type[geo.Located], str, str], list[int]] = {}
    for row in rows:
        groups.setdefault((row.model, row.address, row.postcode), []).append(row.id)
    changed = 0
    for (model, address, postcode), ids in groups.items():
        result = db.session.execute(
            update(model)
            .where(model.id.in_(ids), model.address == address, model.postcode == postcode)
            .values(lat=answer.lat, lon=answer.lon, town=answer.town)
            .execution_options(synchronize_session=False)
        )
        changed += result.rowcount
    return changed
