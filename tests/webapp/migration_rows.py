"""Rows written with SQL as a table is at an older revision, for the tests of a migration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa


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


def insert_row(connection: sa.Connection, table: str, **values: Any) -> None:
    """INSERT a row of `values` into `table` as its columns are at this revision; each
    other NOT NULL column without a default gets a value of its type."""
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
