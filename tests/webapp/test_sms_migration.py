"""Migration 0015 writes the phones stored before in E.164; what is no number stays as it was."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask_migrate import upgrade

from tests.factories import board_app
from tests.webapp.migration_rows import insert_row
from webapp.extensions import db

BEFORE = "0014_run_outcome"
YOUTH = {"status": "active", "source": "public", "priority": 1, "max_jobs": 1, "language": "da"}


def test_phones_stored_before_are_written_in_e164(fresh_database: Callable[[], str]) -> None:
    app = board_app(fresh_database())
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            insert_row(
                connection,
                "employer",
                public_id="e1",
                status="approved",
                contact_phone="97 15 10 20",
            )
            insert_row(
                connection,
                "youth",
                **YOUTH,
                public_id="y1",
                phone="20 12 34 56",
                parent_phone="0045 30303031",
            )
            insert_row(
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
