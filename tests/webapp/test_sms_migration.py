"""Migration 0015 writes the phones stored before in E.164; what is no number stays as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask_migrate import upgrade

from tests.factories import board_app
from webapp.extensions import db

BEFORE = "0014_run_outcome"
YOUTH = {"status": "active", "source": "public", "priority": 1, "max_jobs": 1, "language": "da"}


def _filler(column: dict[str, Any]) -> Any:
    """A value of the column's type for a NOT NULL column without a default."""
    kind = column["type"]
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer | sa.Float | sa.Numeric):
        return 1
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    if isinstance(kind, sa.Date):
        return dt.date(2011, 1, 1)
    if isinstance(kind, sa.JSON):
        return "[]"
    return "x"


def _insert(connection: sa.Connection, table: str, **values: Any) -> None:
    columns = sa.inspect(connection).get_columns(table)
    row = {
        c["name"]: _filler(c)
        for c in columns
        if not c["nullable"] and c.get("default") is None and c["name"] != "id"
    }
    row.update(values)
    names = ", ".join(row)
    marks = ", ".join(f":{n}" for n in row)
    connection.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)


def test_phones_stored_before_are_written_in_e164(fresh_database: Callable[[], str]) -> None:
    app = board_app(fresh_database())
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert(
                connection,
                "employer",
                public_id="e1",
                status="approved",
                contact_phone="97 15 10 20",
            )
            _insert(
                connection,
                "youth",
                **YOUTH,
                public_id="y1",
                phone="20 12 34 56",
                parent_phone="0045 30303031",
            )
            _insert(
                connection, "youth", **YOUTH, public_id="y2", phone="not a phone", parent_phone=""
            )
        upgrade()
        with db.engine.connect() as connection:
            youths = connection.execute(
                sa.text("SELECT public_id, phone, parent_phone FROM youth ORDER BY public_id")
            ).all()
            employer = connection.execute(sa.text("SELECT contact_phone FROM employer")).scalar()
        db.engine.dispose()
    assert [tuple(r) for r in youths] == [
        ("y1", "+4520123456", "+4530303031"),
        ("y2", "not a phone", ""),
    ]
    assert employer == "+4597151020"
