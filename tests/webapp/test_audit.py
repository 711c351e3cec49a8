"""The audit trail: every path writes the entry expected, nothing personal in a row, the
retention purge, and entries that are never changed or deleted otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.factories import World, board_app
from webapp.extensions import db
from webapp.models import AuditAction, AuditEntry, Youth
from webapp.models.audit import AuditTrailChangedError
from webapp.services import audit


def _entries(app: Flask) -> list[AuditEntry]:
    with app.app_context():
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        db.session.expunge_all()
        return entries


def _youth(public_id: str) -> Youth:
    youth = db.session.scalar(select(Youth).where(Youth.public_id == public_id))
    assert youth is not None
    return youth


def test_an_entry_names_its_actor_and_subject_by_public_id(app: Flask, world: World) -> None:
    with app.app_context():
        audit.record(
            AuditAction.YOUTH_CHANGED,
            actor=world.user("coordinator"),
            youth=_youth(world.youth),
            detail={"fields": "phone"},
        )
        db.session.commit()
    (entry,) = _entries(app)
    assert entry.action == "youth_changed"
    assert (entry.actor_public_id, entry.actor_role) == (world.coordinator, "coordinator")
    assert (entry.youth_public_id, entry.user_public_id) == (world.youth, None)
    assert entry.detail == {"fields": "phone"}
    assert entry.at.tzinfo is not None


def test_an_entry_without_an_actor_is_the_systems(app: Flask, world: World) -> None:
    with app.app_context():
        audit.record(AuditAction.ACCOUNT_DEACTIVATED, actor=None, user=world.user("employer"))
        db.session.commit()
    (entry,) = _entries(app)
    assert (entry.actor_public_id, entry.actor_role) == (None, "system")
    assert entry.user_public_id == world.employer_user


@pytest.mark.parametrize(
    "detail",
    [{"fields": 3}, {7: "x"}, {"fields": "x" * 501}, {"k" * 41: "x"}],
)
def test_a_detail_is_short_strings(app: Flask, world: World, detail: dict[object, object]) -> None:
    with app.app_context(), pytest.raises(ValueError, match="audit detail"):
        audit.record(AuditAction.YOUTH_VIEWED, actor=None, detail=detail)  # type: ignore[arg-type]


def test_an_action_is_one_of_the_trails(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError, match="not an audit action"):
        audit.record("youth_viewed", actor=None)  # type: ignore[arg-type]


def test_the_session_refuses_to_change_or_delete_an_entry(app: Flask, world: World) -> None:
    with app.app_context():
        audit.record(AuditAction.YOUTH_VIEWED, actor=None, youth=_youth(world.youth))
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry)).one()
        entry.action = "youth_erased"
        with pytest.raises(AuditTrailChangedError, match="never changed"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(AuditEntry)).one())
        with pytest.raises(AuditTrailChangedError, match="only purged"):
            db.session.flush()
        db.session.rollback()
    assert len(_entries(app)) == 1


def _aged(app: Flask, days: int, action: AuditAction = AuditAction.YOUTH_VIEWED) -> None:
    with app.app_context():
        entry = audit.record(action, actor=None)
        entry.at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        db.session.commit()


def test_the_purge_deletes_only_entries_older_than_the_retention(app: Flask) -> None:
    for days in (0, 10, 400, 800):
        _aged(app, days)
    with app.app_context():
        purged = audit.purge(older_than=dt.datetime.now(dt.UTC) - dt.timedelta(days=365))
    assert purged == 2
    ages = sorted((dt.datetime.now(dt.UTC) - e.at).days for e in _entries(app))
    assert ages == [0, 10]


def test_a_migrated_database_refuses_to_change_an_entry_and_deletes_only_by_the_purge(
    fresh_database: Callable[[], str],
) -> None:
    app = board_app(fresh_database())
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    with app.app_context():
        upgrade()
        for days in (1, 500):
            _aged(app, days)
        with pytest.raises(DBAPIError, match="append-only: UPDATE refused"):
            db.session.execute(text("UPDATE audit_entry SET action = 'youth_erased'"))
        db.session.rollback()
        if postgres:
            for statement in ("DELETE FROM audit_entry", "TRUNCATE audit_entry"):
                with pytest.raises(DBAPIError, match=r"append-only: (DELETE|TRUNCATE) refused"):
                    db.session.execute(text(statement))
                db.session.rollback()
            # The purge's permission lasts for its own transaction only.
            assert audit.purge(older_than=dt.datetime.now(dt.UTC) - dt.timedelta(days=30)) == 1
            with pytest.raises(DBAPIError, match="append-only: DELETE refused"):
                db.session.execute(text("DELETE FROM audit_entry"))
            db.session.rollback()
        else:
            assert audit.purge(older_than=dt.datetime.now(dt.UTC) - dt.timedelta(days=30)) == 1
        assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["youth_viewed"]
        db.session.remove()
        db.engine.dispose()
