"""A parent's consent from a phone, through HTTP: the coordinator's list, the link, the answer.

The world's Amira (15) holds a confirmed placement and her parent has not consented:
the coordinator sends a link, the parent's email carries it, the page shows the job and
the rules, and the answer sets the parental-consent step with its time and channel on
the timeline, once, however often it is sent (twenty at once over real HTTP too).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import (
    OpeningFactory,
    PlacementFactory,
    World,
    YouthFactory,
    one,
    years_ago,
)
from tests.webapp.test_races import _NoRedirect
from tests.webapp.test_races import board as board  # the board served over real HTTP
from webapp.extensions import db
from webapp.models import (
    ConsentRequest,
    ConsentStatus,
    ContactRole,
    OnboardingStep,
    OnboardingStepKind,
    OutboxMessage,
    Placement,
    TimelineEvent,
    Youth,
)
from webapp.services import consent
from webapp.services.sms import contacts

LINK = re.compile(r"https?://[^\s\"<>]+/consent/[^\s\"<>]+")
PARALLEL = 20


def _send(world: World, *, placement_id: int | None = None) -> FlaskClient:
    client = world.client_for("coordinator")
    response = client.post(f"/coordinator/consents/{placement_id or world.placement_id}/send")
    assert response.status_code == 302, response.data[:300]
    return client


def _link(app: Flask, *, nth: int = -1) -> str:
    """The path of the consent link in the parent's newest (or `nth`) email."""
    with app.app_context():
        bodies = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.template == "consent_request")
            .order_by(OutboxMessage.id)
        ).all()
    found = LINK.search(bodies[nth])
    assert found is not None, bodies[nth]
    return urlsplit(found.group(0)).path


def _consent_events(app: Flask, youth: str) -> list[TimelineEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(TimelineEvent)
                .join(Youth)
                .where(Youth.public_id == youth, TimelineEvent.code == "parental_consent")
                .order_by(TimelineEvent.id)
            )
        )


def _step(app: Flask, youth: str) -> tuple[str, str] | None:
    with app.app_context():
        row = db.session.execute(
            select(OnboardingStep.status, OnboardingStep.note)
            .join(OnboardingStepKind)
            .join(Youth, Youth.id == OnboardingStep.youth_id)
            .where(Youth.public_id == youth, OnboardingStepKind.code == "parental_consent")
        ).first()
        return None if row is None else (row[0], row[1])


def test_the_coordinator_sees_the_pending_consent_and_sends_a_link(
    world: World, app: Flask
) -> None:
    client = world.client_for("coordinator")
    page = client.get("/coordinator/consents").get_data(as_text=True)
    assert "Amira" in page
    assert "Kasseassistent" in page
    assert "Emil" not in page  # no job: nothing to consent to
    _send(world)
    with app.app_context():
        message = one(OutboxMessage, OutboxMessage.template == "consent_request")
        assert message.recipient == "parent-amira@youth.example"
        assert "Amira" not in message.subject
        assert "Hassan" not in message.subject
        assert "Amira" in message.body_text
    page = client.get("/coordinator/consents").get_data(as_text=True)
    assert "email" in page
    events = _consent_events(app, world.youth)
    assert len(events) == 1
    assert events[0].data["sent_by"] == "email"


def test_the_link_shows_the_job_and_the_rules_that_protect_the_child(
    world: World, app: Flask, client: FlaskClient
) -> None:
    _send(world)
    response = client.get(_link(app))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    for text in ("Kasseassistent", "Ikast Dagligvarer", "16:00", "18:00", "12 kg"):
        assert text in page, text
    # Amira is 15 and in compulsory school: 2 hours on a school day, 12 in a school week.
    assert "2 timer på en skoledag" in page
    assert "Hassan" not in page
    assert "Secret coordinator note" not in page
    assert 'name="consent"' in page
    assert 'name="refuse"' in page


def test_consent_is_recorded_once_with_its_time_and_channel(
    world: World, app: Flask, client: FlaskClient
) -> None:
    _send(world)
    link = _link(app)
    response = client.post(link, data={"consent": "yes", "note": "Fint med os"})
    assert response.status_code == 302
    assert _step(app, world.youth) == ("done", "Fint med os")
    answered = _consent_events(app, world.youth)[-1]
    assert answered.data["answer"] == "consented"
    assert answered.data["channel"] == "web"
    assert dt.datetime.fromisoformat(answered.data["answered_at"]).tzinfo is not None
    assert "på samtykkesiden" in answered.text
    again = client.post(link, data={"consent": "yes"})
    assert again.status_code == 200  # the link thanks, nothing more
    assert "Tak" in again.get_data(as_text=True)
    assert len(_consent_events(app, world.youth)) == 2  # the request and one answer
    listed = world.client_for("coordinator").get("/coordinator/consents").get_data(as_text=True)
    assert "Kasseassistent" not in listed


def test_a_no_with_a_note_keeps_the_consent_waiting(
    world: World, app: Flask, client: FlaskClient
) -> None:
    _send(world)
    response = client.post(_link(app), data={"refuse": "no", "note": "Vi vil tale om det"})
    assert response.status_code == 302
    assert _step(app, world.youth) == ("todo", "Vi vil tale om det")
    event = _consent_events(app, world.youth)[-1]
    assert event.data["answer"] == "refused"
    listed = world.client_for("coordinator").get("/coordinator/consents").get_data(as_text=True)
    assert "Vi vil tale om det" in listed


def test_sending_again_stops_the_old_link(world: World, app: Flask, client: FlaskClient) -> None:
    _send(world)
    old = _link(app)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        _send(world)
        new = _link(app)
        assert new != old
        assert client.get(old).status_code == 410
        assert client.post(old, data={"consent": "yes"}).status_code == 410
        assert _step(app, world.youth) is None
        assert client.post(new, data={"consent": "yes"}).status_code == 302
    assert _step(app, world.youth) == ("done", "Forælderen giver samtykke")


def test_a_second_click_on_send_sends_one_link(world: World, app: Flask) -> None:
    client = _send(world)
    response = client.post(f"/coordinator/consents/{world.placement_id}/send")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsentRequest)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_link_expires_after_14_days(world: World, app: Flask, client: FlaskClient) -> None:
    _send(world)
    link = _link(app)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=13, hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=14, minutes=1)):
        assert client.get(link).status_code == 410
        assert client.post(link, data={"consent": "yes"}).status_code == 410
    assert _step(app, world.youth) is None


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJhIjoxfQ.abc.def", "x" * 400, "%C3%A6%C3%B8", "..", "a.b"],
)
def test_a_link_the_board_never_signed_is_not_found(client: FlaskClient, token: str) -> None:
    assert client.get(f"/consent/{token}").status_code == 404
    assert client.post(f"/consent/{token}", data={"consent": "yes"}).status_code == 404


def test_a_tampered_link_is_not_found(world: World, app: Flask, client: FlaskClient) -> None:
    _send(world)
    link = _link(app)
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 404


@pytest.mark.parametrize(
    ("data", "field_text"),
    [
        ({"consent": "yes", "note": "a\x00b"}, "kontroltegn"),
        ({"consent": "yes", "note": "x" * 1001}, "1000"),
        ({"note": "neither button"}, "en af de to knapper"),
        ({"consent": "yes", "refuse": "no"}, "en af de to knapper"),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(
    world: World, app: Flask, client: FlaskClient, data: dict[str, str], field_text: str
) -> None:
    _send(world)
    response = client.post(_link(app), data=data)
    assert response.status_code == 422
    assert field_text in response.get_data(as_text=True)
    assert _step(app, world.youth) is None
    with app.app_context():
        assert one(ConsentRequest).status == ConsentStatus.PENDING


def test_no_link_for_an_adult_or_a_youth_without_a_parents_contact(
    world: World, app: Flask
) -> None:
    with app.app_context():
        adult = YouthFactory(first_name="Voksen", birth_date=years_ago(18))
        silent = YouthFactory(first_name="Tavs", parent_email="", parent_phone="")
        opening = OpeningFactory(positions=3)
        ids = [PlacementFactory(youth=y, opening=opening).id for y in (adult, silent)]
        db.session.commit()
    client = world.client_for("coordinator")
    page = client.get("/coordinator/consents").get_data(as_text=True)
    assert "Tavs" in page
    assert "Voksen" not in page
    for placement_id in ids:
        response = client.post(f"/coordinator/consents/{placement_id}/send")
        assert response.status_code == 302
    flashed = client.get("/coordinator/consents").get_data(as_text=True)
    assert "18 år" in flashed
    assert "forælderens e-mail" in flashed
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsentRequest)) == 0
    assert client.post("/coordinator/consents/999999/send").status_code == 404


def test_the_list_makes_as_many_queries_with_more_rows(
    world: World, app: Flask, count_queries: Callable[[FlaskClient, str], int]
) -> None:
    client = world.client_for("coordinator")
    _send(world)
    few = count_queries(client, "/coordinator/consents")
    with app.test_request_context():
        opening = OpeningFactory(positions=40)
        placements = [
            PlacementFactory(youth=YouthFactory(first_name=f"Flere{n:02d}"), opening=opening)
            for n in range(20)
        ]
        db.session.commit()
        for placement in placements[:10]:  # half of them with a link sent
            consent.send_request(world.user("coordinator"), placement)
    assert count_queries(client, "/coordinator/consents") == few


def test_the_list_comes_a_page_at_a_time(world: World, app: Flask) -> None:
    with app.app_context():
        opening = OpeningFactory(positions=40)
        for n in range(27):
            PlacementFactory(youth=YouthFactory(first_name=f"Side{n:02d}"), opening=opening)
        db.session.commit()
    client = world.client_for("coordinator")
    first = client.get("/coordinator/consents").get_data(as_text=True)
    second = client.get("/coordinator/consents?page=2").get_data(as_text=True)
    assert "28 samtykker venter" in first
    assert first.count("/send") == 25
    assert second.count("/send") == 3


def test_the_answer_by_sms_is_the_same_answer(world: World, app: Flask) -> None:
    _send(world)
    with app.test_request_context():
        request = one(ConsentRequest)
        consent.answer_by_reference(f"consent:{request.id}", consent=True)
    answered = _consent_events(app, world.youth)[-1]
    assert answered.data["channel"] == "sms"
    assert _step(app, world.youth) is not None


def _post(url: str, data: dict[str, str], barrier: threading.Barrier) -> int:
    opener = urllib.request.build_opener(_NoRedirect())
    barrier.wait()
    try:
        with opener.open(url, urllib.parse.urlencode(data).encode(), timeout=120) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_twenty_answers_at_once_record_one(world: World, app: Flask, board: str) -> None:
    _send(world)
    url = board + _link(app)
    barrier = threading.Barrier(PARALLEL)
    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = list(
            pool.map(
                lambda n: _post(url, {"consent" if n % 2 else "refuse": "x"}, barrier),
                range(PARALLEL),
            )
        )
    assert all(code < 500 for code in answers), answers
    events = _consent_events(app, world.youth)
    assert len(events) == 2, [e.data for e in events]  # the request, and one answer
    with app.app_context():
        request = one(ConsentRequest)
        assert request.status in (ConsentStatus.CONSENTED, ConsentStatus.REFUSED)
        placement = db.session.get(Placement, world.placement_id)
        assert placement is not None


def test_a_parent_who_opted_in_to_sms_is_asked_by_sms_too(
    world: World, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    sms_app = make_app(SMS_BACKEND="file", MAIL_FILE_DIR=str(tmp_path))
    with sms_app.test_request_context():
        amira = one(Youth, Youth.public_id == world.youth)
        contacts.set_opt_in(amira, ContactRole.PARENT, opted_in=True)
        db.session.commit()
        placement = db.session.get(Placement, world.placement_id)
        assert placement is not None
        assert consent.send_request(world.user("coordinator"), placement) == "email+sms"
        request = one(ConsentRequest)
        sms = one(OutboxMessage, OutboxMessage.channel == "sms")
        assert sms.recipient == "+4530303030"
        assert sms.topic == f"consent:{request.id}"
        assert "JA eller NEJ" in sms.body_text
        assert "http" not in sms.body_text  # no link in an SMS
        assert "Hassan" not in sms.body_text
