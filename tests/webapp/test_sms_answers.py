"""Answers by SMS through the services that own them: a youth's JA/NEJ to a proposal, a parent's
JA/NEJ to a consent request; each on the timeline, the coordinators told, the sender thanked."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from tests.factories import World, make_world, one, solved_run
from tests.fake_sms_gateway import FakeGateway
from tests.webapp.sms_support import gateway, sms_app
from webapp.extensions import db
from webapp.models import (
    ConsentRequest,
    OutboxMessage,
    Placement,
    Proposal,
    ProposalAnswer,
    TimelineEvent,
    User,
    Youth,
)
from webapp.services import consent
from webapp.services.sms import contacts

DAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
EMIL_PHONE = "+4521212121"
PARENT_PHONE = "+4530303030"
__all__ = ["gateway", "sms_app"]  # the fixtures this module uses


@pytest.fixture
def world(sms_app: Flask) -> World:
    built = make_world(sms_app)
    with sms_app.app_context():
        emil = one(Youth, Youth.public_id == built.other_youth)
        emil.phone, emil.parent_phone = EMIL_PHONE, "+4531313131"
        amira = one(Youth, Youth.public_id == built.youth)
        amira.parent_phone = PARENT_PHONE
        contacts.save_choices(emil, youth_sms=True, parent_sms=False)
        contacts.save_choices(amira, youth_sms=False, parent_sms=True)
    return built


def _answer(app: Flask, gateway: FakeGateway, sender: str, text: str) -> str:
    event, headers = gateway.incoming(sender, text)
    with time_machine.travel(DAY + dt.timedelta(minutes=5), tick=False):
        response = app.test_client().post("/sms/gateway/incoming", json=event, headers=headers)
    assert response.status_code == 200
    outcome: str = response.json["outcome"]
    return outcome


def _proposal_sms(app: Flask, world: World) -> tuple[str, OutboxMessage]:
    with time_machine.travel(DAY, tick=False):
        _run, proposal_id = solved_run(world, send=True)
    with app.app_context():
        proposal = one(Proposal, Proposal.public_id == proposal_id)
        sms = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "proposal_youth")
        ).one()
        assert sms.topic == f"proposal:{proposal.id}"
        db.session.expunge(sms)
    return proposal_id, sms


def test_news_of_a_proposal_is_short_named_by_first_name_and_linkless(
    sms_app: Flask, world: World
) -> None:
    _proposal_id, sms = _proposal_sms(sms_app, world)
    assert sms.recipient == EMIL_PHONE
    assert sms.body_text.startswith("Hej Emil.")
    assert "Jensen" not in sms.body_text
    assert "http" not in sms.body_text
    assert "JA eller NEJ" in sms.body_text
    assert len(sms.body_text) <= 160


@pytest.mark.parametrize(("text", "said"), [("JA", "yes"), ("nej", "no")])
def test_a_youth_answers_a_proposal_by_sms(
    sms_app: Flask, world: World, gateway: FakeGateway, text: str, said: str
) -> None:
    proposal_id, _sms = _proposal_sms(sms_app, world)
    assert _answer(sms_app, gateway, EMIL_PHONE, text) == "answer"
    with sms_app.app_context():
        proposal = one(Proposal, Proposal.public_id == proposal_id)
        answer = db.session.scalars(
            select(ProposalAnswer).where(ProposalAnswer.proposal_id == proposal.id)
        ).one()
        assert (answer.answer, answer.channel) == (said, "sms")
        assert proposal.status == ("sent" if said == "yes" else "withdrawn")
        told = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "sms_received")
        ).all()
        assert len(told) == 1
    assert _answer(sms_app, gateway, EMIL_PHONE, text) == "answered_before"


def test_a_parent_answers_the_consent_request_by_sms(
    sms_app: Flask, world: World, gateway: FakeGateway
) -> None:
    with sms_app.test_request_context(), time_machine.travel(DAY, tick=False):
        coordinator = one(User, User.public_id == world.coordinator)
        placement = db.session.get_one(Placement, world.placement_id)
        assert consent.send_request(coordinator, placement) == "email+sms"
        request = db.session.scalars(select(ConsentRequest)).one()
        asked = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"consent:{request.id}")
        ).one()
        assert (asked.channel, asked.recipient) == ("sms", PARENT_PHONE)
        assert "JA eller NEJ" in asked.body_text
    assert _answer(sms_app, gateway, PARENT_PHONE, "Ja") == "answer"
    with sms_app.app_context():
        request = db.session.scalars(select(ConsentRequest)).one()
        assert (request.status, request.answer_channel) == ("consented", "sms")
        amira = one(Youth, Youth.public_id == world.youth)
        codes = db.session.scalars(
            select(TimelineEvent.code).where(TimelineEvent.youth_id == amira.id)
        ).all()
        assert "parental_consent" in codes
