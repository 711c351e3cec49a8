"""SMS through the outbox against a fake GatewayAPI over real HTTP: once each, retries, nights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from tests import fake_sms_gateway
from tests.factories import YouthFactory
from tests.fake_sms_gateway import FakeGateway
from tests.webapp.sms_support import at_once, gateway, sms_app
from webapp.extensions import db
from webapp.models import ContactRole, OutboxMessage
from webapp.services import outbox
from webapp.services.errors import InvalidStateError
from webapp.services.sms import contacts, queue_sms

# 10:00 in Copenhagen (winter: UTC+1), and 21:30 there.
DAY = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
NIGHT = dt.datetime(2026, 12, 2, 20, 30, tzinfo=dt.UTC)
MORNING = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)  # 08:00 in Copenhagen
NUMBER = "+4520123456"
__all__ = ["gateway", "sms_app"]  # the fixtures this module uses


def _queue(app: Flask, number: str = NUMBER, **options: Any) -> bool:
    with app.app_context():
        added = queue_sms(db.session, number, "reply_stop", **options)
        db.session.commit()
        return added


def _rows(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def test_an_sms_goes_to_the_gateway_once_in_its_shape(
    sms_app: Flask, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        assert _queue(sms_app, "20 12 34 56")
        first = outbox.send_pending(sms_app)
        again = outbox.send_pending(sms_app)
    assert (first.sent, again.attempted) == (1, 0)
    [row] = _rows(sms_app)
    [sent] = gateway.sent
    assert sent["recipients"] == [{"msisdn": 4520123456}]
    assert sent["sender"] == "Jobtavlen"
    assert sent["userref"] == str(row.id)
    assert sent["message"] == row.body_text
    assert "STOP" in row.body_text or "START" in row.body_text
    assert (row.channel, row.recipient, row.status) == ("sms", NUMBER, "sent")
    assert row.gateway_ref == str(sent["id"])


def test_an_outage_is_retried_with_backoff_then_sent(sms_app: Flask, gateway: FakeGateway) -> None:
    gateway.mode = "outage"
    with time_machine.travel(DAY, tick=False):
        _queue(sms_app)
        report = outbox.send_pending(sms_app)
    [row] = _rows(sms_app)
    assert (report.retrying, row.status, row.attempts) == (1, "pending", 1)
    assert row.last_error == "SmsError: the SMS gateway answered 503"
    assert row.next_attempt_at == DAY + dt.timedelta(seconds=120)
    gateway.mode = "ok"
    with time_machine.travel(DAY + dt.timedelta(seconds=121), tick=False):
        assert outbox.send_pending(sms_app).sent == 1
    assert len(gateway.sent) == 1
    assert _rows(sms_app)[0].status == "sent"


def test_a_gateway_that_hangs_is_an_error_within_the_timeout(
    make_app: Callable[..., Flask], app: Flask, gateway: FakeGateway
) -> None:
    gateway.mode = "hang"
    hanging = make_app(
        SMS_BACKEND="gatewayapi",
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN=fake_sms_gateway.TOKEN,
        SMS_TIMEOUT_S=0.3,
    )
    with time_machine.travel(DAY, tick=False):
        _queue(hanging)
    with time_machine.travel(DAY):
        assert outbox.send_pending(hanging).retrying == 1
    assert _rows(hanging)[0].last_error.startswith("SmsError: the SMS gateway did not answer")


def test_a_refused_number_fails_at_once(sms_app: Flask, gateway: FakeGateway) -> None:
    gateway.mode = "reject"
    with time_machine.travel(DAY, tick=False):
        _queue(sms_app)
        assert outbox.send_pending(sms_app).failed == 1
    [row] = _rows(sms_app)
    assert (row.status, row.attempts) == ("failed", 1)
    assert NUMBER not in row.last_error


def test_a_wrong_token_is_retried_and_given_up(
    make_app: Callable[..., Flask], app: Flask, gateway: FakeGateway
) -> None:
    wrong = make_app(
        SMS_BACKEND="gatewayapi",
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN="not-the-token",
        OUTBOX_MAX_ATTEMPTS=1,
    )
    with time_machine.travel(DAY, tick=False):
        _queue(wrong)
        assert outbox.send_pending(wrong).failed == 1
    assert gateway.sent == []
    assert _rows(wrong)[0].last_error == "SmsError: the SMS gateway answered 401"


def test_an_sms_to_a_minor_waits_for_eight_in_the_morning(
    sms_app: Flask, gateway: FakeGateway
) -> None:
    with time_machine.travel(NIGHT, tick=False):
        _queue(sms_app, quiet_at_night=True)
        assert outbox.send_pending(sms_app).attempted == 0
    assert _rows(sms_app)[0].next_attempt_at == MORNING
    with time_machine.travel(MORNING - dt.timedelta(minutes=1), tick=False):
        assert outbox.send_pending(sms_app).attempted == 0
    with time_machine.travel(MORNING, tick=False):
        assert outbox.send_pending(sms_app).sent == 1
    assert len(gateway.sent) == 1


def test_a_day_message_found_due_at_night_is_put_back_uncounted(
    sms_app: Flask, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _queue(sms_app, quiet_at_night=True)
    with time_machine.travel(NIGHT, tick=False):
        assert outbox.send_pending(sms_app).attempted == 0
    [row] = _rows(sms_app)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, MORNING)
    assert gateway.sent == []


def test_a_retry_that_would_fall_at_night_waits_for_the_morning(
    sms_app: Flask, gateway: FakeGateway
) -> None:
    gateway.mode = "outage"
    evening = dt.datetime(2026, 12, 2, 18, 59, tzinfo=dt.UTC)  # 19:59 in Copenhagen
    with time_machine.travel(evening, tick=False):
        _queue(sms_app, quiet_at_night=True)
        outbox.send_pending(sms_app)
    assert _rows(sms_app)[0].next_attempt_at == MORNING


def test_two_workers_at_once_send_an_sms_once(sms_app: Flask, gateway: FakeGateway) -> None:
    with time_machine.travel(DAY, tick=False):
        for n in range(5):
            _queue(sms_app, f"+45201234{n:02d}")

    def work() -> None:
        with time_machine.travel(DAY + dt.timedelta(seconds=1), tick=False):
            outbox.send_pending(sms_app)

    at_once(4, work)
    numbers = sorted(m["recipients"][0]["msisdn"] for m in gateway.sent)
    assert numbers == [4520123400 + n for n in range(5)]
    assert {r.status for r in _rows(sms_app)} == {"sent"}


def test_a_key_makes_an_sms_exist_once(sms_app: Flask) -> None:
    assert _queue(sms_app, once_per="check_in:1:2026-W49")
    assert not _queue(sms_app, "20123456", once_per="check_in:1:2026-W49")
    assert _queue(sms_app, once_per="check_in:1:2026-W50")
    assert len(_rows(sms_app)) == 2


@pytest.mark.parametrize("number", ["", "12345678", "abc", "+45 2012\x003456", "9" * 200])
def test_no_sms_to_a_number_that_is_none(sms_app: Flask, number: str) -> None:
    assert not _queue(sms_app, number)
    assert _rows(sms_app) == []


def test_no_sms_to_a_number_that_sent_stop(sms_app: Flask) -> None:
    with sms_app.app_context():
        YouthFactory(phone=NUMBER)
        contacts.stop(NUMBER)
        db.session.commit()
    assert not _queue(sms_app)
    assert _rows(sms_app) == []


def test_without_a_token_sms_is_off_and_nothing_queues(
    make_app: Callable[..., Flask], app: Flask
) -> None:
    off = make_app(SMS_BACKEND="gatewayapi", SMS_GATEWAY_TOKEN="", MAIL_FILE_DIR="")
    assert not _queue(off)


def test_make_run_writes_each_sms_beside_the_emails(
    make_app: Callable[..., Flask], app: Flask, tmp_path: Path
) -> None:
    files = make_app(MAIL_FILE_DIR=str(tmp_path))
    with time_machine.travel(DAY, tick=False):
        _queue(files)
        assert outbox.send_pending(files).sent == 1
    [row] = _rows(files)
    [written] = tmp_path.iterdir()
    assert written.name == f"{row.id:06d}-reply_stop.sms.txt"
    assert written.read_text(encoding="utf-8") == f"To: {NUMBER}\n\n{row.body_text}\n"


def test_opt_in_and_stop_per_contact(app: Flask) -> None:
    with app.app_context():
        youth = YouthFactory(phone="+4520123456", parent_phone="+4530303030")
        assert contacts.number_for(youth, ContactRole.YOUTH) is None  # not opted in
        contacts.set_opt_in(youth, ContactRole.YOUTH, opted_in=True)
        assert contacts.number_for(youth, ContactRole.YOUTH) == "+4520123456"
        assert contacts.number_for(youth, ContactRole.PARENT) is None
        assert contacts.stop("+4520123456") == 1
        assert contacts.number_for(youth, ContactRole.YOUTH) is None
        with pytest.raises(InvalidStateError, match="STOP"):
            contacts.set_opt_in(youth, ContactRole.YOUTH, opted_in=True)
        assert contacts.start("+4520123456") == 1
        assert contacts.number_for(youth, ContactRole.YOUTH) == "+4520123456"
