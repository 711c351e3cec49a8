"""The gateway's webhooks over HTTP: signed delivery reports and incoming SMS (JA, NEJ, STOP)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import fake_sms_gateway
from tests.factories import World, make_world, one
from tests.fake_sms_gateway import FakeGateway
from tests.webapp.sms_support import at_once, gateway, sms_app
from webapp.extensions import db
from webapp.models import (
    ContactRole,
    IncomingSms,
    OutboxMessage,
    Placement,
    SmsContact,
    TimelineEvent,
    Youth,
)
from webapp.services import outbox, youth_rights
from webapp.services.sms import contacts, messages
from webapp.services.sms import queue as sms_queue

DAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # 11:00 in Copenhagen
YOUTH_PHONE = "+4520202020"  # the world's youths' phone (tests/factories.py)
PARENT_PHONE = "+4530303030"
__all__ = ["gateway", "sms_app"]  # the fixtures this module uses


@pytest.fixture
def world(sms_app: Flask) -> World:
    """The usual world, with Amira (15) and her parent opted in to SMS, phones in E.164."""
    built = make_world(sms_app)
    with sms_app.app_context():
        for youth in db.session.scalars(select(Youth)):
            youth.phone, youth.parent_phone = YOUTH_PHONE, PARENT_PHONE
        amira = one(Youth, Youth.public_id == built.youth)
        contacts.save_choices(amira, youth_sms=True, parent_sms=True)
    return built


def _post(client: FlaskClient, path: str, event: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/sms/gateway/{path}", json=event, headers=headers)


def _sms(app: Flask, number: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.channel == "sms")
        if number:
            query = query.where(OutboxMessage.recipient == number)
        rows = list(db.session.scalars(query.order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def _emails_to_coordinators(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.channel == "email", OutboxMessage.template == "sms_received"
                )
            )
        )
        db.session.expunge_all()
        return rows


def _notes(app: Flask, public_id: str) -> list[str]:
    with app.app_context():
        youth = one(Youth, Youth.public_id == public_id)
        return list(
            db.session.scalars(
                select(TimelineEvent.text)
                .where(TimelineEvent.youth_id == youth.id, TimelineEvent.code == "sms_in")
                .order_by(TimelineEvent.id)
            )
        )


def _remind_first_day(app: Flask, world: World) -> None:
    """Amira's placement starts tomorrow; the day-before SMS is queued and sent."""
    with app.app_context():
        placement = db.session.get_one(Placement, world.placement_id)
        placement.start_date = DAY.date() + dt.timedelta(days=1)
        assert messages.queue_first_day_sms(db.session, DAY.date()) == 1
        db.session.commit()
    assert outbox.send_pending(app).sent == 1


# Delivery reports


def test_a_delivery_report_marks_the_sms_delivered(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _remind_first_day(sms_app, world)
    event, headers = gateway.delivery_report(gateway.sent[0])
    response = _post(sms_app.test_client(), "reports", event, headers)
    assert (response.status_code, response.json) == (200, {"outcome": "delivered"})
    [row] = _sms(sms_app)
    assert (row.status, row.delivery) == ("sent", "delivered")
    assert row.delivered_at is not None


def test_a_failed_delivery_report_marks_the_sms_failed(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    gateway.failed_reports = True
    with time_machine.travel(DAY, tick=False):
        _remind_first_day(sms_app, world)
    event, headers = gateway.delivery_report(gateway.sent[0])
    assert _post(sms_app.test_client(), "reports", event, headers).json == {"outcome": "failed"}
    [row] = _sms(sms_app)
    assert (row.status, row.delivery) == ("failed", "failed")
    assert row.last_error == "delivery report: UNDELIVERABLE 0x1001"


def test_a_report_twice_at_once_marks_once(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _remind_first_day(sms_app, world)
    event, headers = gateway.delivery_report(gateway.sent[0])

    def post() -> str:
        return str(_post(sms_app.test_client(), "reports", event, headers).json["outcome"])

    outcomes = at_once(4, post)
    assert sorted(outcomes) == ["delivered", "unknown", "unknown", "unknown"]


def test_a_report_naming_another_gateway_id_changes_nothing(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _remind_first_day(sms_app, world)
    event, _headers = gateway.delivery_report(gateway.sent[0])
    forged = {**event, "id": 1}
    response = _post(sms_app.test_client(), "reports", forged, fake_sms_gateway.signed(forged))
    assert response.json == {"outcome": "unknown"}
    assert _sms(sms_app)[0].delivery == ""


# Authentication and bad events


def _token_none(event: dict[str, Any]) -> dict[str, str]:
    return {fake_sms_gateway.SIGNATURE_HEADER: jwt.encode(event, None, algorithm="none")}


@pytest.mark.parametrize("path", ["reports", "incoming"])
@pytest.mark.parametrize(
    "sign",
    [
        lambda event: {},
        lambda event: fake_sms_gateway.signed(event, "another-secret-of-at-least-32-bytes"),
        _token_none,
        lambda event: {fake_sms_gateway.SIGNATURE_HEADER: "not.a.jwt"},
        lambda event: {fake_sms_gateway.SIGNATURE_HEADER: "x" * 70_000},
    ],
    ids=["unsigned", "other-secret", "alg-none", "garbage", "huge"],
)
def test_an_unsigned_webhook_is_refused(
    sms_app: Flask, world: World, path: str, sign: Callable[[dict[str, Any]], dict[str, str]]
) -> None:
    event = {"id": 1, "msisdn": 4520202020, "message": "STOP", "status": "DELIVERED", "userref": 1}
    response = _post(sms_app.test_client(), path, event, sign(event))
    assert response.status_code == 401
    assert "X-Gwapi-Signature" in response.json["error"]
    with sms_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IncomingSms)) == 0
        assert contacts.number_for(one(Youth, Youth.public_id == world.youth), ContactRole.YOUTH)


def test_without_a_secret_every_webhook_is_refused(
    make_app: Callable[..., Flask], app: Flask
) -> None:
    open_app = make_app(SMS_WEBHOOK_SECRET="")
    event = {"id": 1, "msisdn": 4520202020, "message": "STOP"}
    response = _post(open_app.test_client(), "incoming", event, fake_sms_gateway.signed(event))
    assert response.status_code == 401
    assert "SMS_WEBHOOK_SECRET" in response.json["error"]


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"msisdn": 4520202020, "message": "JA"}, "id"),
        ({"id": [1], "msisdn": 4520202020, "message": "JA"}, "id"),
        ({"id": True, "msisdn": 4520202020, "message": "JA"}, "id"),
        ({"id": "1" * 21, "msisdn": 4520202020, "message": "JA"}, "id"),
        ({"id": 1, "msisdn": "45 20 20", "message": "JA"}, "msisdn"),
        ({"id": 1, "msisdn": "４５２０", "message": "JA"}, "msisdn"),
        ({"id": 1, "msisdn": 4520202020, "message": {"text": "JA"}}, "message"),
    ],
)
def test_a_signed_event_without_its_fields_is_refused_naming_the_field(
    sms_app: Flask, world: World, event: dict[str, Any], field: str
) -> None:
    response = _post(sms_app.test_client(), "incoming", event, fake_sms_gateway.signed(event))
    assert response.status_code == 400
    assert response.json["error"].startswith(f"{field}:")


# Incoming SMS


def test_stop_stops_every_contact_with_the_number_and_says_so(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    event, headers = gateway.incoming(YOUTH_PHONE, " Stop! ")
    with time_machine.travel(DAY, tick=False):
        assert _post(sms_app.test_client(), "incoming", event, headers).json == {"outcome": "stop"}
    with sms_app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        assert contacts.number_for(amira, ContactRole.YOUTH) is None
        assert contacts.number_for(amira, ContactRole.PARENT) == PARENT_PHONE
        assert messages.queue_first_day_sms(db.session, DAY.date()) == 0
    [reply] = _sms(sms_app, YOUTH_PHONE)
    assert reply.template == "reply_stop"
    assert "START" in reply.body_text


def test_start_opts_the_number_in_again(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    client = sms_app.test_client()
    with time_machine.travel(DAY, tick=False):
        _post(client, "incoming", *gateway.incoming(YOUTH_PHONE, "STOP"))
        assert _post(client, "incoming", *gateway.incoming(YOUTH_PHONE, "start")).json == {
            "outcome": "start"
        }
    with sms_app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        assert contacts.number_for(amira, ContactRole.YOUTH) == YOUTH_PHONE


def test_ja_to_the_first_day_reminder_is_on_the_timeline_and_told(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _remind_first_day(sms_app, world)
        event, headers = gateway.incoming(YOUTH_PHONE, "Ja.")
        response = _post(sms_app.test_client(), "incoming", event, headers)
    assert response.json == {"outcome": "answer"}
    [note] = _notes(sms_app, world.youth)
    assert "JA" in note
    [email] = _emails_to_coordinators(sms_app)
    assert email.recipient == "coordinator@test.example"
    assert "/coordinator/sms/inbox" in email.body_text
    assert "Amira" not in email.subject + email.body_text
    replies = [r for r in _sms(sms_app, YOUTH_PHONE) if r.template == "reply_answer"]
    assert len(replies) == 1


def test_nej_in_another_language_is_understood(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _remind_first_day(sms_app, world)
        response = _post(
            sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, "HAYIR")
        )
    assert response.json == {"outcome": "answer"}
    assert "NEJ" in _notes(sms_app, world.youth)[0]


def test_anything_else_reaches_the_coordinator_and_gets_a_friendly_reply(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    text = "Hej, jeg kan først komme kl. 17 på fredag 🙂"
    with time_machine.travel(DAY, tick=False):
        response = _post(sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, text))
    assert response.json == {"outcome": "other"}
    assert _notes(sms_app, world.youth) == [f"SMS fra den unge: {text}"]
    assert len(_emails_to_coordinators(sms_app)) == 1
    [reply] = _sms(sms_app, YOUTH_PHONE)
    assert reply.template == "reply_other"
    page = world.client_for("coordinator").get("/coordinator/sms/inbox")
    assert page.status_code == 200
    assert text in page.get_data(as_text=True)


@pytest.mark.parametrize(("number", "role"), [(YOUTH_PHONE, "youth"), (PARENT_PHONE, "parent")])
def test_a_reply_is_in_the_language_of_the_one_who_wrote(
    sms_app: Flask, world: World, gateway: FakeGateway, number: str, role: str
) -> None:
    with sms_app.app_context():
        for youth in db.session.scalars(select(Youth)):
            youth.language, youth.parent_language = "ar", "so"
        db.session.commit()
        with sms_app.test_request_context():
            expected = sms_queue.render("reply_other", locale="ar" if role == "youth" else "so")
            danish = sms_queue.render("reply_other", locale="da")
    with time_machine.travel(DAY, tick=False):
        _post(sms_app.test_client(), "incoming", *gateway.incoming(number, "hvornår?"))
    [reply] = _sms(sms_app, number)
    assert reply.body_text == expected != danish


def test_a_number_shared_by_people_of_different_languages_is_answered_in_danish(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with sms_app.app_context():
        for language, youth in zip(("ar", "tr"), db.session.scalars(select(Youth)), strict=False):
            youth.language = language
        db.session.commit()
        with sms_app.test_request_context():
            danish = sms_queue.render("reply_other", locale="da")
    with time_machine.travel(DAY, tick=False):
        _post(sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, "?"))
    [reply] = _sms(sms_app, YOUTH_PHONE)
    assert reply.body_text == danish


def test_ja_with_nothing_asked_is_for_a_person(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        response = _post(sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, "JA"))
    assert response.json == {"outcome": "other"}


def test_an_unknown_number_gets_a_reply_and_reaches_the_coordinator(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        response = _post(sms_app.test_client(), "incoming", *gateway.incoming("+4571717171", "JA"))
    assert response.json == {"outcome": "other"}
    with sms_app.app_context():
        row = db.session.scalars(select(IncomingSms)).one()
        assert (row.sender, row.youth_id) == ("+4571717171", None)
    assert [r.template for r in _sms(sms_app, "+4571717171")] == ["reply_other"]
    assert len(_emails_to_coordinators(sms_app)) == 1


def test_the_same_sms_twice_at_once_is_handled_once(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    event, headers = gateway.incoming(YOUTH_PHONE, "Hvornår starter jeg?")

    def post() -> str:
        with time_machine.travel(DAY, tick=False):
            return str(_post(sms_app.test_client(), "incoming", event, headers).json["outcome"])

    outcomes = at_once(4, post)
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "other"]
    assert len(_notes(sms_app, world.youth)) == 1
    assert len(_emails_to_coordinators(sms_app)) == 1


def test_a_reply_to_a_minor_at_night_waits_for_the_morning(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    night = dt.datetime(2026, 12, 2, 22, 0, tzinfo=dt.UTC)  # 23:00 in Copenhagen
    with time_machine.travel(night, tick=False):
        _post(sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, "Hej"))
    [reply] = _sms(sms_app, YOUTH_PHONE)
    assert reply.quiet_at_night
    assert reply.next_attempt_at == dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)


def test_hostile_text_is_stored_as_text_and_shown_escaped(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    text = "<script>alert(1)</script>\x00" + "æ" * 5_000
    with time_machine.travel(DAY, tick=False):
        response = _post(sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, text))
    assert response.json == {"outcome": "other"}
    with sms_app.app_context():
        body = db.session.scalars(select(IncomingSms.body)).one()
    assert "\x00" not in body
    assert len(body) == 1_600
    page = world.client_for("coordinator").get("/coordinator/sms/inbox").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_an_sms_that_came_in_is_deleted_after_the_outbox_retention(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _post(sms_app.test_client(), "incoming", *gateway.incoming("+4571717171", "Hej"))
    result = sms_app.test_cli_runner()
    with time_machine.travel(DAY + dt.timedelta(days=89), tick=False):
        assert result.invoke(args=["apply-retention"]).exit_code == 0
    with sms_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IncomingSms)) == 1
    with time_machine.travel(DAY + dt.timedelta(days=91), tick=False):
        assert result.invoke(args=["apply-retention"]).exit_code == 0
    with sms_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IncomingSms)) == 0


def test_an_erased_youth_keeps_no_sms_nor_sms_contact(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with time_machine.travel(DAY, tick=False):
        _post(sms_app.test_client(), "incoming", *gateway.incoming(YOUTH_PHONE, "Hej"))
    with sms_app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        youth_rights.anonymise(amira, allowed=("active",))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(IncomingSms)) == 0
        assert db.session.scalar(select(func.count()).select_from(SmsContact)) == 0
