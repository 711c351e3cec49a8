"""What every model shares: the UTC datetime column type, public ids and value checks."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A `DateTime(timezone=True)` that always gives timezone-aware UTC back.

    PostgreSQL returns aware datetimes in the session's time zone and SQLite
    returns naive ones (it keeps no offset): both come back as UTC. Values are
    stored as UTC; a naive value is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        return None if value is None else _as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else _as_utc(value)


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def new_public_id() -> str:
    """An opaque identifier for URLs: no names, emails or row numbers in links."""
    return secrets.token_urlsafe(9)


def check_in(column: str, values: Iterable[str]) -> str:
    """The SQL of a check that `column` holds one of `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class PublicIdMixin:
    """A random public identifier used in URLs instead of the row id."""

    public_id: Mapped[str] = mapped_column(
        String(16), unique=True, index=True, default=new_public_id
    )
