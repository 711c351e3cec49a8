"""The retention periods: applied by `flask apply-retention` and the worker, figures kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import OpeningFactory, PlacementFactory, World, YouthFactory, one
from webapp.extensions import db
from webapp.models import AuditEntry, OutboxMessage, Youth, YouthStatus
from webapp.services import retention, statistics
from webapp.services.statistics import Period
from webapp.ui import board_day

TODAY = board_day.today()
LONG_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=4 * 365)


def _count(*conditions: object) -> int:
    return db.session.scalar(select(func.count()).select_from(Youth).where(*conditions)) or 0


def _figures(start: dt.date, end: dt.date) -> object:
    report = statistics.report(Period(start, end))
    return dataclasses.replace(report.total, open_positions=0), report.months


def test_the_periods_anonymise_delete_and_keep_the_figures(
    world: World, app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    with app.app_context():
        old = YouthFactory(first_name="Gammel", status="archived", archived_at=LONG_AGO)
        old.created_at = LONG_AGO - dt.timedelta(days=300)
        PlacementFactory(
            youth=old,
            opening=OpeningFactory(),
            status="ended",
            start_date=(LONG_AGO - dt.timedelta(days=200)).date(),
            end_date=(LONG_AGO - dt.timedelta(days=100)).date(),
        )
        idle = YouthFactory(first_name="Stille")
        idle.created_at = LONG_AGO
        stale = YouthFactory(first_name="Glemt", status="pending", source="public")
        stale.created_at = LONG_AGO
        sent = OutboxMessage(
            recipient="x@example.org",
            subject="Besked",
            template="stalled_onboarding",
            body_text="12 unge",
            status="sent",
            sent_at=LONG_AGO,
        )
        fresh = OutboxMessage(
            recipient="y@example.org",
            subject="Besked",
            template="x",
            body_text="ny",
            status="sent",
        )
        db.session.add_all([sent, fresh])
        db.session.commit()
        # Only the row itself was updated long ago (the factories set it now).
        db.session.execute(
            Youth.__table__.update()
            .where(Youth.id.in_([idle.id, stale.id, old.id]))
            .values(updated_at=LONG_AGO)
        )
        db.session.commit()
        (tmp_path / f"{sent.id:06d}-stalled_onboarding.eml").write_text("old")
        (tmp_path / f"{fresh.id:06d}-x.eml").write_text("new")
        before = _figures((LONG_AGO - dt.timedelta(days=400)).date(), TODAY - dt.timedelta(days=1))

    result = app.test_cli_runner().invoke(args=["apply-retention"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Retention: 2 youths anonymised, 1 registrations and 1 sent messages deleted."
    )
    with app.app_context():
        assert _count(Youth.first_name.in_(["Gammel", "Stille", "Glemt"])) == 0
        assert _count(Youth.status == YouthStatus.ANONYMISED) == 2
        trail = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "youth_anonymised")
        )
        assert sorted((e.actor_role, e.detail["reason"]) for e in trail) == [
            ("system", "retention"),
            ("system", "retention"),
        ]
        assert one(Youth, Youth.public_id == world.other_youth).first_name == "Emil"  # active now
        assert db.session.scalars(select(OutboxMessage.body_text)).all() == ["ny"]
        assert [p.name for p in tmp_path.iterdir()] == [f"{fresh.id:06d}-x.eml"]
        after = _figures((LONG_AGO - dt.timedelta(days=400)).date(), TODAY - dt.timedelta(days=1))
        assert after == before
    again = app.test_cli_runner().invoke(args=["apply-retention"])
    assert "0 youths anonymised, 0 registrations and 0 sent messages" in again.output


def test_a_youth_in_a_running_job_is_not_idle(world: World, app: Flask) -> None:
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)  # holds a confirmed placement
        db.session.execute(
            Youth.__table__.update().where(Youth.id == youth.id).values(updated_at=LONG_AGO)
        )
        db.session.commit()
        assert youth.id not in retention.expired_youths(dt.datetime.now(dt.UTC))


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5", "10\x00", True])
def test_a_bad_setting_is_named(
    app: Flask, monkeypatch: pytest.MonkeyPatch, value: object
) -> None:
    monkeypatch.setitem(app.config, "OUTBOX_RETENTION_DAYS", value)
    result = app.test_cli_runner().invoke(args=["apply-retention"])
    assert result.exit_code == 1
    assert "OUTBOX_RETENTION_DAYS must be a whole number of days" in result.output
    assert "Traceback" not in result.output


def test_two_passes_at_once_anonymise_each_youth_once(world: World, app: Flask) -> None:
    with app.app_context():
        for name in ("Ali", "Bo", "Cai"):
            YouthFactory(first_name=name, status="archived", archived_at=LONG_AGO)
        db.session.commit()
    reports: list[retention.RetentionReport] = []
    errors: list[BaseException] = []

    def apply() -> None:
        with app.app_context():
            try:
                reports.append(retention.apply())
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.anonymised for r in reports) == 3
    with app.app_context():
        assert _count(Youth.status == YouthStatus.ANONYMISED) == 3
        trail = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "youth_anonymised")
        )
        assert len(list(trail)) == 3
