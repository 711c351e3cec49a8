"""Sending the outbox against a real SMTP sink: once each, retries with backoff, crash recovery."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from tests.smtp_sink import Sink
from webapp.extensions import db, mail
from webapp.models import OutboxMessage
from webapp.services import outbox

T0 = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def mail_app(app: Flask, make_app: Callable[..., Flask], smtp_port: int) -> Flask:
    """An application that really sends, to 127.0.0.1:`smtp_port`, on the test's database."""
    return make_app(
        MAIL_SUPPRESS_SEND=False,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_port,
        MAIL_USE_TLS=False,
        OUTBOX_SMTP_TIMEOUT=5,
        MAIL_FILE_DIR="",
        OUTBOX_MAX_ATTEMPTS=4,
        OUTBOX_BACKOFF_SECONDS=60,
        OUTBOX_BACKOFF_CAP_SECONDS=600,
    )


def _add(app: Flask, *recipients: str, **values: Any) -> list[int]:
    """Queue a message to each recipient, due at T0 unless `values` say otherwise."""
    values = {"created_at": T0, "next_attempt_at": T0, **values}
    with app.app_context():
        rows = [
            OutboxMessage(
                recipient=r,
                subject="Dit job er bekræftet",
                template="placement_youth",
                body_text=f"Hej {r.split('@')[0]}",
                body_html=f"<p>Hej {r.split('@')[0]}</p>",
                **values,
            )
            for r in recipients
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def _rows(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


def test_due_messages_arrive_once(mail_app: Flask, start_sink: Callable[..., Sink]) -> None:
    sink = start_sink()
    _add(mail_app, "a@example.org", "b@example.org", "c@example.org")

    with time_machine.travel(T0, tick=False):
        report = outbox.send_pending(mail_app)
        assert report == outbox.SendReport(sent=3)
        assert outbox.send_pending(mail_app) == outbox.SendReport()

    assert sink.recipients == ["a@example.org", "b@example.org", "c@example.org"]
    _, first = sink.received[0]
    assert first["Subject"] == "Dit job er bekræftet"
    assert first["From"] == "jobmatch@localhost"
    assert first.is_multipart()
    for row in _rows(mail_app):
        assert row.status == "sent"
        assert _aware(row.sent_at) == T0
        assert row.attempts == 1
        assert row.last_error == ""


def test_messages_not_yet_due_wait_and_the_limit_holds(
    mail_app: Flask, start_sink: Callable[..., Sink]
) -> None:
    sink = start_sink()
    _add(mail_app, "later@example.org", next_attempt_at=T0 + dt.timedelta(minutes=5))
    _add(mail_app, "a@example.org", "b@example.org")

    assert outbox.send_pending(mail_app, now=T0, limit=1).sent == 1
    assert outbox.send_pending(mail_app, now=T0).sent == 1
    assert sink.recipients == ["a@example.org", "b@example.org"]
    assert outbox.send_pending(mail_app, now=T0 + dt.timedelta(minutes=5)).sent == 1
    assert len(sink.received) == 3


def test_an_outage_loses_nothing_and_sends_nothing_twice(
    mail_app: Flask, start_sink: Callable[..., Sink]
) -> None:
    ids = _add(mail_app, "a@example.org", "b@example.org")

    with time_machine.travel(T0, tick=False):
        report = outbox.send_pending(mail_app)  # nothing listens on the port
    assert report == outbox.SendReport(retrying=2)
    for row in _rows(mail_app):
        assert row.status == "pending"
        assert row.attempts == 1
        assert _aware(row.next_attempt_at) == T0 + dt.timedelta(seconds=120)
        assert "ConnectionRefusedError" in row.last_error
        assert "Hej" not in row.last_error

    # Not due again before the backoff has passed.
    assert outbox.send_pending(mail_app, now=T0 + dt.timedelta(seconds=119)).attempted == 0
    with time_machine.travel(T0 + dt.timedelta(seconds=120), tick=False):
        assert outbox.send_pending(mail_app) == outbox.SendReport(retrying=2)
    assert {r.attempts for r in _rows(mail_app)} == {2}
    assert {_aware(r.next_attempt_at) for r in _rows(mail_app)} == {
        T0 + dt.timedelta(seconds=120 + 240)
    }

    sink = start_sink()  # the server comes back
    back = T0 + dt.timedelta(seconds=360)
    with time_machine.travel(back, tick=False):
        assert outbox.send_pending(mail_app) == outbox.SendReport(sent=2)
        assert outbox.send_pending(mail_app) == outbox.SendReport()
    assert sink.recipients == ["a@example.org", "b@example.org"]
    rows = _rows(mail_app)
    assert [r.id for r in rows] == ids
    assert {(r.status, r.attempts, r.last_error) for r in rows} == {("sent", 3, "")}


def test_a_message_fails_after_the_last_attempt(mail_app: Flask) -> None:
    _add(mail_app, "a@example.org")
    now = T0
    for attempt in range(1, 5):
        with time_machine.travel(now, tick=False):
            report = outbox.send_pending(mail_app)
        (row,) = _rows(mail_app)
        assert row.attempts == attempt
        if attempt < 4:
            assert report.retrying == 1
            now = _aware(row.next_attempt_at) or now
        else:
            assert report == outbox.SendReport(failed=1)
            assert row.status == "failed"
    # Backoff doubles and stops at the cap (600 s here).
    assert now - T0 == dt.timedelta(seconds=120 + 240 + 480)
    assert outbox.send_pending(mail_app, now=now + dt.timedelta(days=1)).attempted == 0


def test_backoff_doubles_up_to_the_cap() -> None:
    waits = [outbox.backoff(n, base=60, cap=3600).total_seconds() for n in range(1, 8)]
    assert waits == [120, 240, 480, 960, 1920, 3600, 3600]


def test_a_silent_server_times_out_and_is_retried(mail_app: Flask, smtp_port: int) -> None:
    mail_app.config["OUTBOX_SMTP_TIMEOUT"] = 0.3
    _add(mail_app, "a@example.org")
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", smtp_port))
        silent.listen()
        report = outbox.send_pending(mail_app, now=T0)
    assert report == outbox.SendReport(retrying=1)
    (row,) = _rows(mail_app)
    assert "timed out" in row.last_error
    assert socket.getdefaulttimeout() is None


class RefusingSink(Sink):
    """A server that knows no recipient."""

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return "550 no such user"


def test_a_refused_recipient_is_recorded_with_its_address_only(
    mail_app: Flask, start_sink: Callable[..., Sink]
) -> None:
    start_sink(RefusingSink())
    _add(mail_app, "nobody@example.org")
    report = outbox.send_pending(mail_app, now=T0)
    assert report.retrying == 1
    (row,) = _rows(mail_app)
    assert "SMTPRecipientsRefused" in row.last_error
    assert "nobody@example.org" in row.last_error
    assert "Hej" not in row.last_error


def test_a_crashed_sending_row_goes_back_to_pending_after_its_lease(
    mail_app: Flask, start_sink: Callable[..., Sink]
) -> None:
    sink = start_sink()
    lease = dt.timedelta(seconds=600)
    # A worker claimed it at T0 and died before marking it.
    _add(mail_app, "a@example.org", status="sending", next_attempt_at=T0 + lease)

    report = outbox.send_pending(mail_app, now=T0 + dt.timedelta(seconds=599))
    assert report == outbox.SendReport()
    assert sink.received == []
    report = outbox.send_pending(mail_app, now=T0 + lease)
    assert report == outbox.SendReport(sent=1, recovered=1)
    assert sink.recipients == ["a@example.org"]


def test_a_claimed_row_cannot_be_claimed_again(app: Flask) -> None:
    (message_id,) = _add(app, "a@example.org")
    lease = dt.timedelta(seconds=600)
    with app.app_context():
        assert outbox._claim(db.session, message_id, T0, lease)
        assert not outbox._claim(db.session, message_id, T0, lease)
        assert db.session.get_one(OutboxMessage, message_id).status == "sending"


def test_recorded_messages_carry_text_and_html(app: Flask) -> None:
    _add(app, "a@example.org")
    with app.app_context(), mail.record_messages() as sent:
        assert outbox.send_pending(now=T0 + dt.timedelta(seconds=1)).sent == 1
    (message,) = sent
    assert message.recipients == ["a@example.org"]
    assert message.subject == "Dit job er bekræftet"
    assert message.body == "Hej a"
    assert message.html == "<p>Hej a</p>"


def test_development_writes_eml_files(
    app: Flask, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    files_app = make_app(MAIL_FILE_DIR=str(tmp_path / "outbox"))
    (message_id,) = _add(files_app, "a@example.org")
    with files_app.app_context(), mail.record_messages() as sent:
        assert outbox.send_pending(now=T0 + dt.timedelta(seconds=1)).sent == 1
    assert sent == []  # written, not handed to Flask-Mail
    (path,) = (tmp_path / "outbox").iterdir()
    assert path.name == f"{message_id:06d}-placement_youth.eml"
    written = message_from_bytes(path.read_bytes(), policy=default)
    assert written["To"] == "a@example.org"
    assert written["Subject"] == "Dit job er bekræftet"


def test_development_default_is_a_file_in_the_instance_folder(
    make_app: Callable[..., Flask],
) -> None:
    assert make_app(TESTING=False).config["MAIL_FILE_DIR"].endswith("outbox")
    assert make_app().config["MAIL_FILE_DIR"] == ""


def test_send_outbox_command(app: Flask) -> None:
    _add(app, "a@example.org", "b@example.org")
    with mail.record_messages() as sent:
        result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0, result.output
    assert "Outbox: 2 sent, 0 to retry, 0 failed, 0 recovered." in result.output
    assert len(sent) == 2


def test_send_outbox_loop_sends_then_waits(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    class StopLoopError(Exception):
        pass

    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise StopLoopError

    monkeypatch.setattr("webapp.cli.time.sleep", sleep)
    _add(app, "a@example.org")
    with mail.record_messages() as sent:
        result = app.test_cli_runner().invoke(args=["send-outbox", "--loop", "--interval", "7"])
    assert isinstance(result.exception, StopLoopError)
    assert waits == [7, 7]
    assert len(sent) == 1
    assert result.output.count("Outbox:") == 1  # quiet while there is nothing to do
