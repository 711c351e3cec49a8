"""The youth's own page through HTTP: a one-time code, the proposals, what is missing,
contact and availability; the retention pass's purge of old codes and sessions.

Codes are read from the outbox as the youth would read the email. The world's Amira (15)
holds a confirmed job at Kasseassistent; Emil (14) is proposed for it by a solved run.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.factories import (
    OpeningFactory,
    PlacementFactory,
    ShiftFactory,
    World,
    YouthFactory,
    one,
    solved_run,
)
from tests.webapp.test_races import _NoRedirect
from tests.webapp.test_races import board as board  # the board served over real HTTP
from webapp.extensions import db
from webapp.family.youth_session import TICKET_COOKIE, YOUTH_COOKIE
from webapp.models import (
    AuditEntry,
    ContactRole,
    OnboardingStepKind,
    OutboxMessage,
    PairRule,
    Proposal,
    ProposalAnswer,
    TimelineEvent,
    Youth,
    YouthLoginCode,
    YouthSession,
)
from webapp.services import youth_page
from webapp.services.sms import contacts
from webapp.ui.locale import BESIDE

CODE = re.compile(r"\b([0-9]{6})\b")
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PARALLEL = 10


def _codes(app: Flask) -> list[str]:
    with app.app_context():
        bodies = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.template == "youth_code")
            .order_by(OutboxMessage.id)
        ).all()
    return [m.group(1) for body in bodies if (m := CODE.search(body))]


def _ask(client: FlaskClient, contact: str) -> None:
    response = client.post("/me/sign-in", data={"contact": contact})
    assert response.status_code == 302, response.data[:300]
    assert response.headers["Location"].endswith("/me/code")


def _sign_in(client: FlaskClient, app: Flask, contact: str) -> FlaskClient:
    _ask(client, contact)
    response = client.post("/me/code", data={"code": _codes(app)[-1]})
    assert response.status_code == 302, response.data[:300]
    assert response.headers["Location"].endswith("/me")
    return client


def _youth(app: Flask, public_id: str) -> Youth:
    return one(Youth, Youth.public_id == public_id)


def test_a_youth_signs_in_with_a_code_by_email_and_sees_the_own_page(
    world: World, app: Flask, client: FlaskClient
) -> None:
    _ask(client, "  Amira@Youth.example ")
    cookie = client.get_cookie(TICKET_COOKIE, path="/me")
    assert cookie is not None
    assert cookie.http_only
    with app.app_context():
        message = one(OutboxMessage, OutboxMessage.template == "youth_code")
        assert message.recipient == "amira@youth.example"
        assert not CODE.search(message.subject)
        row = one(YouthLoginCode)
        assert _codes(app)[0] not in (row.code_digest, row.ticket_digest)
    response = client.post("/me/code", data={"code": _codes(app)[0]})
    assert response.status_code == 302
    session = client.get_cookie(YOUTH_COOKIE, path="/me")
    assert session is not None
    assert session.http_only
    assert session.same_site == "Lax"
    page = client.get("/me")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Hej Amira" in text
    assert "Kasseassistent" in text
    # What is missing before the first day, with how to do it.
    assert "NemKonto" in text
    assert "skat.dk" in text
    assert "MitID" in text
    # Nothing of other youths, nor what the youth should not see.
    for hidden in ("Emil", "Omar", "Secret coordinator note", "Counsellor"):
        assert hidden not in text, hidden


def test_an_unknown_address_gets_the_same_answer_and_no_code(
    world: World, app: Flask, client: FlaskClient
) -> None:
    known = client.post("/me/sign-in", data={"contact": "amira@youth.example"})
    unknown = app.test_client().post("/me/sign-in", data={"contact": "nobody@youth.example"})
    phone = app.test_client().post("/me/sign-in", data={"contact": "99 99 99 99"})
    for response in (unknown, phone):
        assert (response.status_code, response.headers["Location"]) == (
            known.status_code,
            known.headers["Location"],
        )
        assert response.get_data() == known.get_data()
    assert len(_codes(app)) == 1
    stranger = app.test_client()
    stranger.post("/me/sign-in", data={"contact": "nobody@youth.example"})
    page = stranger.post("/me/code", data={"code": "123456"})
    assert page.status_code == 422
    assert "Koden er forkert eller for gammel" in page.get_data(as_text=True)


def test_a_phone_number_finds_the_youth_in_any_spelling(
    world: World, app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        _youth(app, world.youth).phone = "+4521212121"  # as the board stores it (E.164)
        db.session.commit()
    for spelling in ("21212121", "+45 21 21 21 21", "21 21 21 21", "0045 2121 2121"):
        _ask(app.test_client(), spelling)
    # Not opted in to SMS: the codes go to the youth's email address.
    assert len(_codes(app)) == 3  # and at most three in a quarter of an hour


def test_five_wrong_codes_and_the_right_one_no_longer_works(
    world: World, app: Flask, client: FlaskClient
) -> None:
    _ask(client, "amira@youth.example")
    right = _codes(app)[0]
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        assert client.post("/me/code", data={"code": wrong}).status_code == 422
    assert client.post("/me/code", data={"code": right}).status_code == 422
    assert client.get("/me").status_code == 302


def test_a_code_works_once_and_for_ten_minutes(
    world: World, app: Flask, client: FlaskClient
) -> None:
    _ask(client, "amira@youth.example")
    code = _codes(app)[0]
    ticket = client.get_cookie(TICKET_COOKIE, path="/me")
    assert ticket is not None
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)):
        assert client.post("/me/code", data={"code": code}).status_code == 422
    _sign_in(app.test_client(), app, "amira@youth.example")
    replay = app.test_client()
    replay.set_cookie(TICKET_COOKIE, ticket.value, path="/me")
    used = _codes(app)[-1]
    assert replay.post("/me/code", data={"code": used}).status_code == 422


def test_codes_to_one_youth_are_limited_and_the_form_is_throttled(
    world: World, make_app: Callable[..., Flask]
) -> None:
    app = make_app(LOGIN_RATE_LIMIT="5 per minute")
    answers = [
        app.test_client().post("/me/sign-in", data={"contact": "amira@youth.example"}).status_code
        for _ in range(6)
    ]
    assert answers == [302] * 5 + [429]
    assert len(_codes(app)) == 3  # at most three codes to one youth in 15 minutes


@pytest.mark.parametrize(
    "contact", ["a\x00b@youth.example", "x" * 300, "", "x\u202eevil", "２０２０２０２０"]
)
def test_hostile_sign_in_input_is_refused_calmly(
    world: World, app: Flask, client: FlaskClient, contact: str
) -> None:
    response = client.post("/me/sign-in", data={"contact": contact})
    assert response.status_code in (302, 400, 422)
    assert _codes(app) == []


@pytest.mark.parametrize("code", ["\x00" * 6, "1" * 50, "abcdef", "１２３４５６", "-12345"])
def test_hostile_codes_are_refused(
    world: World, app: Flask, client: FlaskClient, code: str
) -> None:
    _ask(client, "amira@youth.example")
    assert client.post("/me/code", data={"code": code}).status_code == 422
    assert client.get("/me").status_code == 302


def test_the_youths_session_is_apart_from_staff_sessions(world: World, app: Flask) -> None:
    staff = world.client_for("coordinator")
    response = staff.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/sign-in")
    youth = _sign_in(app.test_client(), app, "amira@youth.example")
    refused = youth.get("/coordinator/youths")
    assert refused.status_code == 302
    assert "/login" in refused.headers["Location"]


def test_the_session_ends_when_idle_and_on_sign_out(world: World, app: Flask) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)):
        assert client.get("/me").status_code == 302
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    cookie = client.get_cookie(YOUTH_COOKIE, path="/me")
    assert cookie is not None
    assert client.post("/me/sign-out").status_code == 302
    replay = app.test_client()
    replay.set_cookie(YOUTH_COOKIE, cookie.value, path="/me")
    assert replay.get("/me").status_code == 302


def test_a_youth_says_yes_once(world: World, app: Flask) -> None:
    with app.app_context():
        emil = _youth(app, world.other_youth)
        email = emil.email
    _run, proposal = solved_run(world)
    client = _sign_in(app.test_client(), app, email)
    page = client.get("/me").get_data(as_text=True)
    assert "Kasseassistent" in page
    assert "Vil du have dette job?" in page
    for _ in range(2):
        response = client.post(f"/me/proposals/{proposal}", data={"answer": "yes"})
        assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalAnswer)) == 1
        assert one(Proposal, Proposal.public_id == proposal).status == "sent"
        notes = db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.code == "proposal_answer")
        ).all()
        assert [n.data["answer"] for n in notes] == ["yes"]
    assert "Du sagde ja" in client.get("/me").get_data(as_text=True)


def test_a_youth_says_no_and_the_job_is_taken_back(world: World, app: Flask) -> None:
    with app.app_context():
        email = _youth(app, world.other_youth).email
    _run, proposal = solved_run(world)
    client = _sign_in(app.test_client(), app, email)
    assert client.post(f"/me/proposals/{proposal}", data={"answer": "no"}).status_code == 302
    with app.app_context():
        row = one(Proposal, Proposal.public_id == proposal)
        assert row.status == "withdrawn"
        assert row.decided_by_id is None  # the youth decided, not the coordinator who sent it
        rule = one(PairRule, PairRule.youth_id == row.youth_id)
        assert rule.rule == "forbid"
    again = client.post(f"/me/proposals/{proposal}", data={"answer": "yes"})
    assert again.status_code == 302
    with app.app_context():
        assert one(ProposalAnswer).answer == "no"


def test_yes_passes_the_law_check(world: World, app: Flask) -> None:
    with app.app_context():
        emil = _youth(app, world.other_youth)
        email = emil.email
    _run, proposal = solved_run(world)
    with app.app_context():
        emil = _youth(app, world.other_youth)
        # Another job at the same hours on the same day: the two cannot both be held.
        other = OpeningFactory(title="Avisbud", shifts=[ShiftFactory()])
        PlacementFactory(youth=emil, opening=other)
        db.session.commit()
    client = _sign_in(app.test_client(), app, email)
    response = client.post(
        f"/me/proposals/{proposal}", data={"answer": "yes"}, follow_redirects=True
    )
    assert "kan ikke tage dette job" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalAnswer)) == 0


def test_a_youth_cannot_answer_another_youths_proposal(world: World, app: Flask) -> None:
    _run, proposal = solved_run(world)  # Emil's
    amira = _sign_in(app.test_client(), app, "amira@youth.example")
    response = amira.post(
        f"/me/proposals/{proposal}", data={"answer": "no"}, follow_redirects=True
    )
    assert "venter ikke længere" in response.get_data(as_text=True)
    with app.app_context():
        assert one(Proposal, Proposal.public_id == proposal).status == "sent"
        assert db.session.scalar(select(func.count()).select_from(ProposalAnswer)) == 0
    for bad in ("maybe", "", "\x00"):
        amira.post(f"/me/proposals/{proposal}", data={"answer": bad})
    assert amira.post("/me/proposals/\x00x", data={"answer": "yes"}).status_code == 404


def test_a_youth_changes_email_and_phone_only(world: World, app: Flask) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    response = client.post(
        "/me/contact",
        data={
            "email": "amira.h@youth.example",
            "phone": "+45 40 40 40 40",
            "priority": "99",
            "notes": "changed",
            "parent_email": "evil@example.com",
            "counsellor_id": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        amira = _youth(app, world.youth)
        assert (amira.email, amira.phone) == ("amira.h@youth.example", "+4540404040")
        assert amira.priority == 1
        assert amira.notes == "Secret coordinator note"
        assert amira.parent_email == "parent-amira@youth.example"
        event = db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.kind == "updated")
        ).one()
        assert event.data == {"fields": ["email", "phone"], "by": "youth"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"email": "a\x00b@x.dk", "phone": ""}, "kontroltegn"),
        ({"email": "x" * 300 + "@x.dk", "phone": ""}, "Højst"),
        ({"email": "not an email", "phone": ""}, "e-mail"),
        ({"email": "", "phone": "12"}, "telefon"),
        ({"email": "", "phone": ""}, "Behold en e-mailadresse"),
    ],
)
def test_bad_contact_is_refused_by_field_and_changes_nothing(
    world: World, app: Flask, data: dict[str, str], problem: str
) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    response = client.post("/me/contact", data=data)
    assert response.status_code == 422
    assert problem in response.get_data(as_text=True)
    with app.app_context():
        assert _youth(app, world.youth).email == "amira@youth.example"


def _amira_in(app: Flask, world: World, language: str) -> FlaskClient:
    """Amira signed in, who reads `language`."""
    with app.app_context():
        _youth(app, world.youth).language = language
        db.session.commit()
    return _sign_in(app.test_client(), app, "amira@youth.example")


def test_the_page_speaks_the_youths_language(world: World, app: Flask) -> None:
    client = _amira_in(app, world, "en")
    page = client.get("/me").get_data(as_text=True)
    assert "Hi Amira" in page
    assert "Still to do before the first day" in page


def test_a_youth_without_a_job_sees_how_to_get_ready(world: World, app: Flask) -> None:
    with app.app_context():
        YouthFactory(first_name="Ny", email="ny@youth.example", phone="")
        db.session.commit()
    client = _sign_in(app.test_client(), app, "ny@youth.example")
    page = client.get("/me").get_data(as_text=True)
    assert "Gør dig klar til et job" in page
    assert "NemKonto" in page
    assert "Intet job venter på dit svar" in page


@pytest.mark.parametrize("language", ["ar", "tr", "so", "uk"])
def test_the_steps_are_named_in_danish_with_english_and_told_how_in_the_youths_language(
    world: World, app: Flask, language: str
) -> None:
    with app.app_context():
        YouthFactory(first_name="Ny", email="ny@youth.example", phone="", language=language)
        db.session.commit()
    client = _sign_in(app.test_client(), app, "ny@youth.example")
    page = html.unescape(client.get("/me").get_data(as_text=True))
    with app.test_request_context(), force_locale(language):
        how = str(youth_page.HOW_TO["bank_account"])
    with force_locale("en"), app.test_request_context():
        english = str(youth_page.HOW_TO["bank_account"])
    with app.app_context():
        kind = one(OnboardingStepKind, OnboardingStepKind.code == "bank_account")
        name = f"{kind.name_da}{BESIDE}{kind.name_en}"
    assert how != english  # the how-to is translated
    assert how in page
    assert name in page  # the board's own data, in the two languages it is written in


def test_a_youth_who_opted_in_gets_the_code_by_sms_held_at_night(
    world: World, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    sms_app = make_app(SMS_BACKEND="file", MAIL_FILE_DIR=str(tmp_path))
    with sms_app.app_context():
        amira = _youth(sms_app, world.youth)
        amira.phone = "+4521212121"
        contacts.set_opt_in(amira, ContactRole.YOUTH, opted_in=True)
        db.session.commit()
    night = dt.datetime(2026, 12, 2, 22, 30, tzinfo=COPENHAGEN)
    with time_machine.travel(night, tick=False):
        _ask(sms_app.test_client(), "21 21 21 21")
    with sms_app.app_context():
        sms = one(OutboxMessage, OutboxMessage.channel == "sms")
        assert sms.recipient == "+4521212121"
        assert CODE.search(sms.body_text)
        assert sms.next_attempt_at is not None
        assert sms.next_attempt_at.astimezone(COPENHAGEN).hour == 8  # not at night to a minor
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def _post_with_cookie(url: str, cookie: str, data: dict[str, str], barrier: Barrier) -> int:
    """POST a form with one cookie header, once every thread is ready; the status code."""
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(
        url, urllib.parse.urlencode(data).encode(), headers={"Cookie": cookie}
    )
    barrier.wait()
    try:
        with opener.open(request, timeout=120) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def _together(url: str, cookie: str, data: dict[str, str]) -> list[int]:
    barrier = Barrier(PARALLEL)
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(
            pool.map(lambda _: _post_with_cookie(url, cookie, data, barrier), range(PARALLEL))
        )


def test_one_code_sent_ten_times_at_once_signs_in_once(
    world: World, app: Flask, board: str
) -> None:
    client = app.test_client()
    _ask(client, "amira@youth.example")
    ticket = client.get_cookie(TICKET_COOKIE, path="/me")
    assert ticket is not None
    answers = _together(
        f"{board}/me/code", f"{TICKET_COOKIE}={ticket.value}", {"code": _codes(app)[0]}
    )
    assert sorted(answers) == [302] + [422] * (PARALLEL - 1), answers
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(YouthSession)) == 1


def test_one_answer_sent_ten_times_at_once_is_recorded_once(
    world: World, app: Flask, board: str
) -> None:
    _run, proposal = solved_run(world)
    client = _sign_in(app.test_client(), app, "emil@youth.example")
    session = client.get_cookie(YOUTH_COOKIE, path="/me")
    assert session is not None
    answers = _together(
        f"{board}/me/proposals/{proposal}", f"{YOUTH_COOKIE}={session.value}", {"answer": "no"}
    )
    assert all(code == 302 for code in answers), answers
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalAnswer)) == 1
        assert db.session.scalar(select(func.count()).select_from(PairRule)) == 1
        notes = db.session.scalar(
            select(func.count())
            .select_from(TimelineEvent)
            .where(TimelineEvent.code == "proposal_answer")
        )
        assert notes == 1
        assert one(Proposal, Proposal.public_id == proposal).status == "withdrawn"


def _windows(app: Flask, public_id: str) -> list[tuple[int, int, int]]:
    with app.app_context():
        youth = _youth(app, public_id)
        return [(w.day_index, w.start_min, w.end_min) for w in youth.availability]


def _changes(app: Flask) -> list[dict[str, object]]:
    """The data of the timeline's "updated" entries."""
    with app.app_context():
        return [
            e.data
            for e in db.session.scalars(
                select(TimelineEvent).where(TimelineEvent.kind == "updated")
            )
        ]


def _rows(*rows: tuple[str, str, str]) -> dict[str, str]:
    """The availability form's fields for `rows` of (day, from, to)."""
    data: dict[str, str] = {}
    for index, (day, start, end) in enumerate(rows):
        data |= {
            f"availability-{index}-day": day,
            f"availability-{index}-start": start,
            f"availability-{index}-end": end,
        }
    return data


def test_a_youth_changes_availability_only_and_it_is_the_youths_change(
    world: World, app: Flask
) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    assert _windows(app, world.youth) == [(1, 900, 1140)]  # Tuesday 15-19 (the factory's)
    form = client.get("/me/availability").get_data(as_text=True)
    assert 'value="15:00"' in form
    assert "Hvornår kan jeg arbejde" in form
    data = _rows(("mon", "15.30", "1800"), ("sat", "9", "13:00"), ("", "", ""))
    data |= {"priority": "99", "notes": "changed", "counsellor_id": "1", "email": "x@x.dk"}
    response = client.post("/me/availability", data=data)
    assert response.status_code == 302, response.data[:500]
    assert response.headers["Location"].endswith("/me")
    assert _windows(app, world.youth) == [(0, 930, 1080), (5, 540, 780)]
    with app.app_context():
        amira = _youth(app, world.youth)
        assert (amira.priority, amira.notes) == (1, "Secret coordinator note")
        assert amira.email == "amira@youth.example"
        event = db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.kind == "updated")
        ).one()
        assert (event.data, event.actor_id) == ({"fields": ["availability"], "by": "youth"}, None)
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "youth_changed")
        ).one()
        assert (entry.actor_role, entry.actor_public_id) == ("youth", None)
        assert entry.detail == {"event": "updated", "fields": "availability", "by": "youth"}
    page = client.get("/me").get_data(as_text=True)
    assert "Mandag" in page
    assert "15:30–18:00" in page
    log = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}/access-log")
    assert "Den unge" in log.get_data(as_text=True)


def test_the_same_availability_again_writes_nothing(world: World, app: Flask) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    response = client.post("/me/availability", data=_rows(("tue", "15:00", "19:00")))
    assert response.status_code == 302
    with app.app_context():
        assert _changes(app) == []
    assert client.post("/me/availability", data={}).status_code == 302  # all rows blank
    assert _windows(app, world.youth) == []  # no time given: offered no job


def test_the_availability_page_speaks_the_youths_language(world: World, app: Flask) -> None:
    client = _amira_in(app, world, "ar")
    page = client.get("/me/availability").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "When I can work" not in page
    overlap = client.post(
        "/me/availability", data=_rows(("mon", "15:00", "18:00"), ("mon", "17:00", "19:00"))
    )
    assert overlap.status_code == 422
    assert "Two time slots" not in overlap.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "ar", "tr", "so", "uk"])
def test_the_availability_errors_are_in_the_youths_language(
    world: World, app: Flask, language: str
) -> None:
    client = _amira_in(app, world, language)
    bad_rows = _rows(("", "15:00", "18:00"), ("mon", "25:99", "x"), ("tue", "18:00", "15:00"))
    overlap = _rows(("mon", "15:00", "18:00"), ("mon", "17:00", "19:00"))
    pages = [
        client.get("/me/availability"),
        *(client.post("/me/availability", data=data) for data in (bad_rows, overlap)),
    ]
    assert [p.status_code for p in pages] == [200, 422, 422]
    danish = ("Hvornår kan jeg", "Hver uge", "Vælg en dag", "Skriv et klokkeslæt", "Sluttids")
    for page in pages:
        text = page.get_data(as_text=True)
        assert f'<html lang="{language}"' in text
        assert [d for d in danish if d in text] == []
    assert pages[1].get_data(as_text=True).count('class="invalid-feedback"') == 4
    assert "To tidsrum" not in pages[2].get_data(as_text=True)
    assert 'id="availability-error"' in pages[2].get_data(as_text=True)


@pytest.mark.parametrize(
    ("rows", "field", "problem"),
    [
        ((("mon", "15:00", "18:00"), ("mon", "17:00", "19:00")), "availability", "overlapper"),
        ((("mon", "18:00", "15:00"),), "availability-0-end", "Sluttidspunktet skal ligge"),
        ((("", "15:00", "18:00"),), "availability-0-start", "Vælg en dag"),
        ((("mon", "25:99", "18:00"),), "availability-0-start", "00:00 til 23:59"),
        ((("mon", "15:00", "x" * 5000),), "availability-0-end", "00:00 til 24:00"),
        ((("mon", "-1", "18:00"),), "availability-0-start", "00:00 til 23:59"),
        ((("mon\x00", "15:00", "18:00"),), "availability-0-day", ""),
        ((("sun", "15:00\x00", "18:00"),), "availability-0-start", ""),
        ((("mon", "\u202e15:00", "18:00"),), "availability-0-start", ""),
        ((("funday", "15:00", "18:00"),), "availability-0-day", "gyldigt valg"),
    ],
)
def test_bad_availability_is_refused_by_field_and_changes_nothing(
    world: World,
    app: Flask,
    rows: tuple[tuple[str, str, str], ...],
    field: str,
    problem: str,
) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    response = client.post("/me/availability", data=_rows(*rows))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert problem in page
    assert _windows(app, world.youth) == [(1, 900, 1140)]
    with app.app_context():
        assert _changes(app) == []


def test_hostile_availability_forms_get_no_500(world: World, app: Flask) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    for data in (
        {"availability-99999999999999999999-day": "mon", "availability-x-day": "tue"},
        {"availability": "\x00", "availability-0": "mon"},
        _rows(*[("wed", f"{h:02d}:00", f"{h:02d}:30") for h in range(24)]),  # more than the form
    ):
        response = client.post("/me/availability", data=data)
        assert response.status_code in (302, 422), (data, response.status_code)
    assert len(_windows(app, world.youth)) <= 30
    anonymous = app.test_client().post("/me/availability", data=_rows(("mon", "9", "10")))
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].endswith("/me/sign-in")
    staff = world.client_for("coordinator").post(
        "/me/availability", data=_rows(("mon", "9", "10"))
    )
    assert staff.status_code == 302
    assert (0, 540, 600) not in _windows(app, world.youth)


def test_one_availability_sent_ten_times_at_once_is_saved_once(
    world: World, app: Flask, board: str
) -> None:
    client = _sign_in(app.test_client(), app, "amira@youth.example")
    session = client.get_cookie(YOUTH_COOKIE, path="/me")
    assert session is not None
    data = _rows(("mon", "15:00", "18:00"), ("thu", "16:00", "19:00"))
    answers = _together(f"{board}/me/availability", f"{YOUTH_COOKIE}={session.value}", data)
    assert all(code == 302 for code in answers), answers
    assert _windows(app, world.youth) == [(0, 900, 1080), (3, 960, 1140)]  # each row once
    assert _changes(app) == [{"fields": ["availability"], "by": "youth"}]


def test_the_retention_pass_deletes_old_codes_and_ended_sessions(world: World, app: Flask) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    with time_machine.travel(long_ago, tick=False):
        _sign_in(app.test_client(), app, "amira@youth.example")  # a used code, an idle session
        _ask(app.test_client(), "amira@youth.example")  # a code never typed
    signed_out = _sign_in(app.test_client(), app, "amira@youth.example")
    assert signed_out.post("/me/sign-out").status_code == 302
    _ask(app.test_client(), "amira@youth.example")
    still = _sign_in(app.test_client(), app, "emil@youth.example")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(YouthLoginCode)) == 5
        assert db.session.scalar(select(func.count()).select_from(YouthSession)) == 3
    result = app.test_cli_runner().invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        # Today's codes still count towards the three codes a youth may get in 15 minutes.
        assert db.session.scalar(select(func.count()).select_from(YouthLoginCode)) == 3
        assert db.session.scalar(select(func.count()).select_from(YouthSession)) == 1
    assert still.get("/me").status_code == 200
