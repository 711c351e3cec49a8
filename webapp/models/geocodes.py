"""The geocoder's answers, cached by query so that a matching run never calls out.

A row is one answer of one geocoder (`source`: ``dawa``, ``offline``) to one
normalised query (an address and a postcode). The query itself is not kept,
only its SHA-256 (`query_hash`): the cache holds no address in clear text and
names nobody. Found answers are kept; a "not found" is asked again by the batch
command after a while (`GEOCODER_NOT_FOUND_DAYS`), since new addresses appear.
An outage is never stored: the row is simply missing, "not checked yet".
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .columns import UTCDateTime, check_in, utcnow


class GeocodeOutcome(StrEnum):
    """What a geocoder answered for one query."""

    ADDRESS = "address"  # the address itself: an exact location
    # the postcode's centre: no street was given, or the geocoder knows no streets
    POSTCODE = "postcode"
    ADDRESS_UNKNOWN = "address_unknown"  # the street address is unknown: the postcode's centre
    NOT_FOUND = "not_found"  # neither the address nor the postcode is known


class Geocode(Base):
    """One geocoder's answer to one normalised address query."""

    __tablename__ = "geocode"
    __table_args__ = (
        UniqueConstraint("source", "query_hash"),
        CheckConstraint(check_in("outcome", GeocodeOutcome), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    query_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    town: Mapped[str] = mapped_column(String(80), default="")
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def found(self) -> bool:
        return self.outcome != GeocodeOutcome.NOT_FOUND
