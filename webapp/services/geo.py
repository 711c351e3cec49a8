"""Where youths, employers and openings are: looked up when an address is saved, never silent.

`place_of` is called where an address is saved (a youth, an employer, an
opening): the geocoder's answer is cached in the `geocode` table by the
normalised query, in the caller's transaction, so a matching run only reads
the rows' coordinates and never calls out. When the geocoder does not answer,
the save goes on: the place has no coordinates, "not checked yet", and the
batch command (`geocode_batch`) asks again.

`location_of` says for a page how a row's coordinates came about: the
address itself (exact), a postcode's centre (approximate), entered by hand,
or none, and why: the address cannot be found, or it was not checked yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Employer, Opening, Youth, utcnow
from ..models.geocodes import Geocode, GeocodeOutcome
from . import geocoding
from .geocoding import Answer, GeocoderError, Query

log = logging.getLogger("webapp.geo")

Located = Youth | Employer | Opening
CHUNK = 500  # query hashes per IN (...) of a lookup
# When the geocoder gave no answer, saves in this process skip it for GEOCODER_PAUSE_S, so
# that an outage costs one timeout and not one per save (the batch command asks again).
_paused_until: dict[str, float] = {}  # GEOCODER_URL -> time.monotonic() the pause ends


@dataclass(frozen=True)
class Place:
    """The town and coordinates a row gets from its address (None: not located)."""

    town: str
    lat: float | None
    lon: float | None


UNLOCATED = Place("", None, None)


class LocationState(StrEnum):
    """How a row's coordinates came about, as its page says it."""

    EXACT = "exact"  # the address's own coordinates
    APPROXIMATE = "approximate"  # the postcode's centre
    ENTERED = "entered"  # entered by hand, or set before addresses were looked up
    NOT_FOUND = "not_found"  # the address cannot be found: distances are not checked
    NOT_CHECKED = "not_checked"  # the geocoder has not answered yet: distances are not checked
    NO_ADDRESS = "no_address"  # neither an address nor a postcode: distances are not checked


@dataclass(frozen=True)
class LocationStatus:
    """A row's location for its page: the state, and the lookup's answer when there is one."""

    state: LocationState
    outcome: GeocodeOutcome | None = None
    source: str = ""
    checked_at: dt.datetime | None = None

    @property
    def street_unknown(self) -> bool:
        """The street address was not found: the postcode's centre stands in for it."""
        return self.outcome == GeocodeOutcome.ADDRESS_UNKNOWN

    @property
    def from_postcode_table(self) -> bool:
        """The offline table's postcode centre (no address lookup set up)."""
        return self.source == "offline"

    @property
    def distance_checked(self) -> bool:
        """Whether the row has coordinates, so that travel distances are checked."""
        return self.state in (
            LocationState.EXACT,
            LocationState.APPROXIMATE,
            LocationState.ENTERED,
        )


def source() -> str:
    """The name of the geocoder in use (``dawa`` or ``offline``)."""
    return str(current_app.config.get("GEOCODER", "offline"))


def place_of(address: str, postcode: str) -> Place:
    """The town and coordinates of an address, from the cache or the geocoder.

    A new answer is added to the cache in the session's transaction (the
    caller commits). The geocoder is asked before anything is written, so no
    write lock is held while it answers. An address that is not usable
    (see `geocoding.Query.of`) is never sent anywhere.

    Returns:
        The place; no coordinates when not found, or when the geocoder gave no
        answer (logged without the address) or did not answer within the last
        `GEOCODER_PAUSE_S`.
    """
    query = Query.of(address, postcode)
    if query is None:
        return UNLOCATED
    # The caller's rows are half-changed (an opening not yet added): nothing is flushed here.
    with db.session.no_autoflush:
        entry = _entries(source(), [query.digest]).get(query.digest)
        if entry is not None and not _stale(entry, utcnow()):
            return Place(entry.town, entry.lat, entry.lon)
        url = str(current_app.config.get("GEOCODER_URL", ""))
        if time.monotonic() < _paused_until.get(url, 0.0):
            return UNLOCATED
        try:
            with closing(geocoding.from_config(current_app.config)) as geocoder:
                answer = geocoder.locate(query)
        except GeocoderError as error:
            pause = float(current_app.config.get("GEOCODER_PAUSE_S", 60))
            _paused_until[url] = time.monotonic() + pause
            log.warning("geocoding paused for %.0f s, places stay not checked: %s", pause, error)
            return UNLOCATED
        store(source(), query, answer)
    return Place(answer.town, answer.lat, answer.lon)


def store(name: str, query: Query, answer: Answer) -> None:
    """Add or replace the cached answer of `name`'s geocoder to `query` (not committed).

    Twice at once is safe: the second writer replaces the first's row.
    """
    values = {
        "source": name,
        "query_hash": query.digest,
        "outcome": answer.outcome.value,
        "lat": answer.lat,
        "lon": answer.lon,
        "town": answer.town,
        "checked_at": utcnow(),
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Geocode).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["source", "query_hash"],
            set_={
                k: statement.excluded[k] for k in ("outcome", "lat", "lon", "town", "checked_at")
            },
        )
    )


def location_of(row: Located) -> LocationStatus:
    """How the row's coordinates came about (one query)."""
    return locations_of([row])[0]


def locations_of(rows: Iterable[Located]) -> list[LocationStatus]:
    """`location_of` for many rows, in their order, in one query per `CHUNK` addresses."""
    rows = list(rows)
    queries = [Query.of(r.address, r.postcode) for r in rows]
    name = source()
    entries = _entries(name, [q.digest for q in queries if q is not None])
    return [
        _status(row, query, entries.get(query.digest) if query else None, name)
        for row, query in zip(rows, queries, strict=True)
    ]


def looked_up(row: Located) -> bool:
    """Whether the row's coordinates come from looking its address up (not entered by hand)."""
    return location_of(row).state in (LocationState.EXACT, LocationState.APPROXIMATE)


def needs_lookup(status: LocationStatus) -> bool:
    """Whether the batch command should ask the geocoder for the row again.

    Places not checked yet; coordinates from before the geocoder in use (no
    answer of its own cached); "not found" answers older than
    `GEOCODER_NOT_FOUND_DAYS`. Never coordinates entered by hand.
    """
    if status.state == LocationState.NOT_CHECKED:
        return True
    tried_long_ago = status.checked_at is None or status.checked_at < utcnow() - _not_found_age()
    if status.state in (LocationState.EXACT, LocationState.APPROXIMATE):
        return status.source != source() and tried_long_ago
    return (
        status.state == LocationState.NOT_FOUND
        and status.checked_at is not None
        and tried_long_ago
    )


def _status(row: Located, query: Query | None, entry: Geocode | None, name: str) -> LocationStatus:
    if row.lat is None or row.lon is None:
        if query is None:
            given = bool(row.address.strip() or row.postcode.strip())
            return LocationStatus(LocationState.NOT_FOUND if given else LocationState.NO_ADDRESS)
        if entry is not None and not entry.found:
            return LocationStatus(
                LocationState.NOT_FOUND, GeocodeOutcome.NOT_FOUND, name, entry.checked_at
            )
        return LocationStatus(LocationState.NOT_CHECKED)
    if entry is not None and entry.found and _same(row, entry.lat, entry.lon):
        outcome = GeocodeOutcome(entry.outcome)
        exact = outcome == GeocodeOutcome.ADDRESS
        state = LocationState.EXACT if exact else LocationState.APPROXIMATE
        return LocationStatus(state, outcome, name, entry.checked_at)
    centre = geocoding.postcode_centres().get(row.postcode.strip())
    if centre is not None and _same(row, centre.lat, centre.lon):
        # From the offline table; `checked_at` says when the geocoder in use last tried.
        checked = entry.checked_at if entry is not None else None
        return LocationStatus(
            LocationState.APPROXIMATE, GeocodeOutcome.POSTCODE, "offline", checked
        )
    return LocationStatus(LocationState.ENTERED)


def _same(row: Located, lat: float | None, lon: float | None) -> bool:
    if row.lat is None or row.lon is None or lat is None or lon is None:
        return False
    return math.isclose(row.lat, lat, abs_tol=1e-7) and math.isclose(row.lon, lon, abs_tol=1e-7)


def _entries(name: str, digests: list[str]) -> dict[str, Geocode]:
    """The cached answers of `name`'s geocoder to these query hashes."""
    found: dict[str, Geocode] = {}
    unique = sorted(set(digests))
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        rows = db.session.scalars(
            select(Geocode).where(Geocode.source == name, Geocode.query_hash.in_(chunk))
        )
        found |= {r.query_hash: r for r in rows}
    return found


def _not_found_age() -> dt.timedelta:
    return dt.timedelta(days=float(current_app.config.get("GEOCODER_NOT_FOUND_DAYS", 30)))


def _stale(entry: Geocode, now: dt.datetime) -> bool:
    """A "not found" older than `GEOCODER_NOT_FOUND_DAYS` is asked again; a place found is kept."""
    return not entry.found and entry.checked_at < now - _not_found_age()
