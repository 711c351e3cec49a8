"""The UTCDateTime column type: aware UTC back from the database, whatever went in."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.engine import Engine

from webapp.models import UTCDateTime

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
moments = Table(
    "utc_moment",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime),
)


def _urls() -> list[str]:
    """SQLite always; PostgreSQL too when the suite is given one (TEST_DATABASE_URL)."""
    urls = ["sqlite://"]
    if url := os.environ.get("TEST_DATABASE_URL"):
        urls.append(url.replace("postgresql://", "postgresql+psycopg://", 1))
    return urls


@pytest.fixture(params=_urls())
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    engine = create_engine(request.param)
    moments.create(engine)
    try:
        yield engine
    finally:
        moments.drop(engine)
        engine.dispose()


def _round_trip(engine: Engine, value: dt.datetime) -> dt.datetime:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # a session zone that is not UTC
            connection.execute(text("SET TIME ZONE 'America/New_York'"))
        connection.execute(insert(moments).values(at=value))
        stored: dt.datetime = connection.scalar(select(moments.c.at))
        return stored


def test_an_aware_time_comes_back_as_the_same_instant_in_utc(engine: Engine) -> None:
    summer_evening = dt.datetime(2026, 7, 1, 22, 30, tzinfo=COPENHAGEN)
    stored = _round_trip(engine, summer_evening)
    assert stored.tzinfo is dt.UTC
    assert stored == summer_evening
    assert (stored.hour, stored.minute) == (20, 30)


def test_a_naive_time_is_taken_as_utc(engine: Engine) -> None:
    stored = _round_trip(engine, dt.datetime(2026, 12, 31, 23, 30))
    assert stored == dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert stored.utcoffset() == dt.timedelta(0)


def test_none_stays_none(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(insert(moments).values(at=None))
        assert connection.scalar(select(moments.c.at)) is None
