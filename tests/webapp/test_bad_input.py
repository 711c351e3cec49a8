"""Bad input on every form: a Danish message beside the field, the data kept, nothing written.

Each case posts what a hurried or careless user might send and checks that
the page comes back with status 422, the Danish message in the element tied
to the field (``<id>-error``), the submitted values still in the form, and
no row added or changed. A property test at the end throws random text at
the forms and checks that nothing ever answers with a 500.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.factories import PASSWORD, World
from webapp.extensions import db
from webapp.models import (
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    TimelineEvent,
    User,
    Youth,
)
from webapp.ui import board_day

TOMORROW = (board_day.today() + dt.timedelta(days=1)).isoformat()
WATCHED = (Youth, Employer, Opening, Placement, TimelineEvent, OnboardingStep, User)
WATCHED_KINDS = OnboardingStepKind


@dataclass
class Case:
    """One refused submission."""

    role: str
    url: Callable[[World], str]
    data: dict[str, str]
    errors: dict[str, str]  # field id -> Danish message expected beside it
    kept: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def _snapshot(app: Flask) -> dict[str, Any]:
    """Row counts and last-change stamps of everything a form could write."""
    with app.app_context():
        snap: dict[str, Any] = {}
        for model in (*WATCHED, WATCHED_KINDS):
            snap[model.__name__] = db.session.scalar(select(func.count()).select_from(model))
        snap["youth_updated"] = db.session.scalar(select(func.max(Youth.updated_at)))
        snap["opening_updated"] = db.session.scalar(select(func.max(Opening.updated_at)))
        snap["employers"] = sorted(
            (e.name, e.postcode, e.cvr) for e in db.session.scalars(select(Employer))
        )
        snap["hashes"] = sorted(u.password_hash or "" for u in db.session.scalars(select(User)))
        return snap


def _window(prefix: str, row: int, day: str, start: str, end: str) -> dict[str, str]:
    return {
        f"{prefix}-{row}-day": day,
        f"{prefix}-{row}-start": start,
        f"{prefix}-{row}-end": end,
    }


YOUTH_BAD = {
    "first_name": "",
    "birth_date": "31-02-2010",
    "postcode": "74",
    "email": "amira@",
    "max_travel_km": "far",
    "priority": "0",
    "max_jobs": "1",
    **_window("availability", 0, "mon", "25:00", "26:00"),
}
YOUTH_ERRORS = {
    "first_name": "Udfyld venligst dette felt.",
    "birth_date": "Ikke en gyldig dato.",
    "postcode": "Et postnummer har fire cifre.",
    "email": "Skriv en gyldig e-mailadresse.",
    "max_travel_km": "Skriv et tal som 1,5.",
    "priority": "Mellem 1 og 10.",
    "availability-0-start": "Skriv et klokkeslæt fra 00:00 til 23:59, f.eks. 15:30 eller 1530.",
}
OPENING_BAD = {
    "title": "",
    "category": "retail",
    "kind": "fritidsjob",
    "positions": "0",
    "min_age": "12",
    "workplace": "shop",
    "alcohol": "none",
    "postcode": "Ikast",
    "lat": "north",
    **_window("shifts", 0, "tue", "16:00", "15:00"),
}
OPENING_ERRORS = {
    "title": "Udfyld venligst dette felt.",
    "positions": "Mellem 1 og 50.",
    "min_age": "Mellem 13 og 17.",
    "postcode": "Et postnummer har fire cifre.",
    "lat": "Skriv et tal som 1,5.",
    "shifts-0-end": "Sluttidspunktet skal ligge efter starttidspunktet.",
}


def _opening_valid(**changes: str) -> dict[str, str]:
    data = {
        "title": "Kasseassistent weekend",
        "category": "retail",
        "kind": "fritidsjob",
        "positions": "2",
        "min_age": "13",
        "workplace": "shop",
        "alcohol": "none",
        "postcode": "7430",
        **_window("shifts", 0, "sat", "09:00", "12:00"),
    }
    data.update(changes)
    return data


EMPLOYER_BAD = {
    "name": "",
    "postcode": "abc",
    "cvr": "12",
    "contact_email": "nope",
    "contact_phone": "12",
}
EMPLOYER_ERRORS = {
    "name": "Udfyld venligst dette felt.",
    "postcode": "Et postnummer har fire cifre.",
    "cvr": "Et CVR-nummer har otte cifre.",
    "contact_email": "Skriv en gyldig e-mailadresse.",
    "contact_phone": "Det er ikke et dansk telefonnummer: 8 cifre, fx 20 12 34 56.",
}

CASES = [
    Case(
        "anonymous",
        lambda w: "/login",
        {"email": "not-an-email", "password": ""},
        {"email": "Skriv en gyldig e-mailadresse.", "password": "Udfyld venligst dette felt."},
        kept=("not-an-email",),
    ),
    Case(
        "anonymous",
        lambda w: "/login",
        {"email": "coordinator@test.example", "password": "wrong password"},
        {"password": "E-mail eller adgangskode er forkert."},
        kept=("coordinator@test.example",),
    ),
    Case(
        "anonymous",
        lambda w: "/interest",
        {
            "first_name": "Ali",
            "birth_date": (board_day.today() - dt.timedelta(days=365 * 10)).isoformat(),
            "languages": "ar",
            **_window("availability", 0, "tue", "18:00", "17:00"),
        },
        {
            "birth_date": "Du skal være mindst 13 år.",
            "phone": "Skriv en e-mail eller et telefonnummer, så vi kan kontakte dig.",
            "parent_name": "Skriv din forælders navn.",
            "parent_phone": "Skriv din forælders e-mail eller telefonnummer.",
            "availability-0-end": "Sluttidspunktet skal ligge efter starttidspunktet.",
            "consent": "Bekræft venligst for at sende formularen.",
        },
        kept=("Ali", '<input checked class="form-check-input" id="languages-3"'),
    ),
    Case(
        "anonymous",
        lambda w: f"/jobs/{w.opening}/interest",
        {
            "first_name": "Sara",
            "birth_date": "2011-13-45",
            "email": "sara@example.org",
            "parent_name": "Mor",
            "parent_email": "mor@example",
            "consent": "y",
        },
        {
            "birth_date": "Ikke en gyldig dato.",
            "parent_email": "Skriv en gyldig e-mailadresse.",
        },
        kept=("Sara", "sara@example.org", "2011-13-45"),
    ),
    Case(
        "anonymous",
        lambda w: "/interest",
        {"first_name": "Sara", "age": "19", "phone": "20202020", "consent": "y"},
        {"age": "Mellem 13 og 17."},
        kept=("Sara", 'value="19"'),
    ),
    Case(
        "anonymous",
        lambda w: "/interest",
        {"first_name": "Sara", "phone": "20202020", "consent": "y"},
        {"birth_date": "Skriv din fødselsdato eller din alder."},
        kept=("Sara",),
    ),
    Case(
        "anonymous",
        lambda w: "/interest",
        {
            "first_name": "Sara",
            "birth_date": "2011-05-05",
            "email": "sara@example.org",
            "parent_name": "Mor",
            "parent_phone": "30303030",
            "consent": "y",
            **_window("availability", 0, "tue", "15:00", "18:00"),
            **_window("availability", 1, "tue", "17:00", "19:00"),
        },
        {"availability": "To tidsrum samme dag overlapper."},
        kept=("Sara", "17:00"),
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/youths/new",
        YOUTH_BAD,
        YOUTH_ERRORS,
        kept=('value="far"', 'value="74"', "amira@"),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/edit",
        {**YOUTH_BAD, "first_name": "Amira Changed", "finished_9th_grade_on": "1990-01-01"},
        {k: v for k, v in YOUTH_ERRORS.items() if k != "first_name"},
        kept=("Amira Changed", 'value="far"'),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/edit",
        {
            "first_name": "Amira",
            "birth_date": "2011-05-05",
            "finished_9th_grade_on": "2000-06-20",
            "priority": "1",
            "max_jobs": "1",
        },
        {"finished_9th_grade_on": "Datoen skal ligge efter fødselsdatoen."},
        kept=("2000-06-20",),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/steps/{w.step_kind_id}",
        {"{step}-status": "done", "{step}-done_on": TOMORROW, "{step}-note": "Banken ringer"},
        {"{step}-done_on": "Datoen kan ikke ligge i fremtiden."},
        kept=("Banken ringer", TOMORROW),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/steps/{w.step_kind_id}",
        {"{step}-status": "finished", "{step}-note": "x" * 501},
        {"{step}-status": "Ikke et gyldigt valg.", "{step}-note": "Højst 500 tegn."},
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/notes",
        {"note-text": ""},
        {"note-text": "Udfyld venligst dette felt."},
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/milestones",
        {"milestone-code": "bogus", "milestone-on": "", "milestone-text": "Samtale om EUD"},
        {
            "milestone-code": "Ikke et gyldigt valg.",
            "milestone-on": "Udfyld venligst dette felt.",
        },
        kept=("Samtale om EUD",),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/placements",
        {"opening": "no-such-opening", "start_date": "soon"},
        {"opening": "Ikke et gyldigt valg.", "start_date": "Ikke en gyldig dato."},
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/placements/{w.placement_id}/start",
        {"start{placement}-on": "yesterday"},
        {"start{placement}-on": "Ikke en gyldig dato."},
        kept=("yesterday",),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/placements/{w.placement_id}/end",
        {
            "end{placement}-on": "",
            "end{placement}-reason": "fired",
            "end{placement}-note": "Flyttede",
        },
        {
            "end{placement}-on": "Udfyld venligst dette felt.",
            "end{placement}-reason": "Ikke et gyldigt valg.",
        },
        kept=("Flyttede",),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/youths/{w.youth}/buddies",
        {"buddies": "not-a-youth"},
        {"buddies": "'not-a-youth' er ikke et gyldigt valg i dette felt."},
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/employers/new",
        EMPLOYER_BAD,
        EMPLOYER_ERRORS,
        kept=("abc", "nope"),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/employers/{w.employer}/edit",
        EMPLOYER_BAD,
        EMPLOYER_ERRORS,
        kept=("abc", "nope"),
    ),
    Case(
        "anonymous",
        lambda w: "/employers/register",
        EMPLOYER_BAD,
        EMPLOYER_ERRORS,
        kept=("abc", "nope"),
    ),
    Case(
        "employer",
        lambda w: "/employer/company",
        EMPLOYER_BAD,
        EMPLOYER_ERRORS,
        kept=("abc", "nope"),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/employers/{w.employer}/openings/new",
        OPENING_BAD,
        OPENING_ERRORS,
        kept=("north", 'value="Ikast"'),
    ),
    Case(
        "coordinator",
        lambda w: f"/coordinator/openings/{w.opening}/edit",
        OPENING_BAD,
        OPENING_ERRORS,
        kept=("north", 'value="Ikast"'),
    ),
    Case(
        "employer",
        lambda w: "/employer/openings/new",
        OPENING_BAD,
        OPENING_ERRORS,
        kept=("north", 'value="Ikast"'),
    ),
    Case(
        "employer",
        lambda w: f"/employer/openings/{w.opening}/edit",
        OPENING_BAD,
        OPENING_ERRORS,
        kept=("north", 'value="Ikast"'),
    ),
    Case(
        "employer",
        lambda w: "/employer/openings/new",
        _opening_valid(**_window("shifts", 1, "sat", "11:00", "14:00")),
        {"shifts": "To vagter samme dag overlapper."},
        kept=("Kasseassistent weekend", "11:00"),
    ),
    Case(
        "employer",
        lambda w: f"/employer/openings/{w.opening}/edit",
        _opening_valid(min_age="15", max_age="14"),
        {"max_age": "Maksimumsalderen må ikke være under minimumsalderen."},
        kept=("Kasseassistent weekend",),
    ),
    Case(
        "employer",
        lambda w: "/employer/openings/new",
        {key: value for key, value in _opening_valid().items() if not key.startswith("shifts")},
        {"shifts": "Tilføj mindst én vagt."},
        kept=("Kasseassistent weekend",),
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/users/invite",
        {"name": "", "email": "bad", "role": "admin"},
        {
            "name": "Udfyld venligst dette felt.",
            "email": "Skriv en gyldig e-mailadresse.",
            "role": "Ikke et gyldigt valg.",
        },
        kept=("bad",),
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/users/invite",
        {"name": "Ny Vejleder", "email": "counsellor@test.example", "role": "counsellor"},
        {"email": "Der findes allerede en konto med denne e-mail."},
        kept=("Ny Vejleder",),
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/users/invite",
        {"name": "Ny Ansat", "email": "ny@example.org", "role": "employer", "employer": ""},
        {"employer": "Vælg den arbejdsgiver, personen arbejder for."},
        kept=("Ny Ansat", "ny@example.org"),
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/onboarding-steps",
        {"code": "Bad Code", "name_da": ""},
        {
            "code": "Kun små bogstaver, tal og _, og første tegn skal være et bogstav.",
            "name_da": "Udfyld venligst dette felt.",
        },
        kept=("Bad Code",),
    ),
    Case(
        "coordinator",
        lambda w: "/coordinator/onboarding-steps",
        {"code": "mitid", "name_da": "MitID igen"},
        {"code": "Der findes allerede et trin med denne kode."},
        kept=("MitID igen",),
    ),
    Case(
        "counsellor",
        lambda w: f"/counsellor/youths/{w.youth}/notes",
        {"note-text": "   "},
        {"note-text": "Udfyld venligst dette felt."},
    ),
    Case(
        "counsellor",
        lambda w: f"/counsellor/youths/{w.youth}/milestones",
        {"milestone-code": "upv", "milestone-on": "2026-02-30", "milestone-text": "Parat"},
        {"milestone-on": "Ikke en gyldig dato."},
        kept=("Parat",),
    ),
    Case(
        "coordinator",
        lambda w: "/account/password",
        {"current_password": "wrong", "password": "short", "confirm": "other"},
        {
            "password": "Brug mellem 12 og 200 tegn.",
            "confirm": "Adgangskoderne er ikke ens.",
        },
    ),
    Case(
        "coordinator",
        lambda w: "/account/password",
        {
            "current_password": "wrong",
            "password": "a new long password",
            "confirm": "a new long password",
        },
        {"current_password": "Den nuværende adgangskode er forkert."},
    ),
]


def _fill(text: str, world: World) -> str:
    return (
        text.replace("{step}", f"step{world.step_kind_id}")
        .replace("{opening}", world.opening)
        .replace("{placement}", str(world.placement_id))
    )


def _error_text(page: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no error element for {field_id}"
    return html.unescape(match.group(1))


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[f"{i:02d}-{c.role}-{c.url.__code__.co_consts[-1]!s:.0}" for i, c in enumerate(CASES)],
)
def test_bad_input_is_refused_in_danish(world: World, app: Flask, case: Case) -> None:
    client = world.client_for(case.role)
    data = {_fill(k, world): _fill(v, world) for k, v in case.data.items()}
    before = _snapshot(app)
    response = client.post(case.url(world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:2000]
    assert 'lang="da"' in page
    described = {
        token
        for value in re.findall(r'aria-describedby="([^"]*)"', page)
        for token in value.split()
    }
    for field_id, message in case.errors.items():
        assert message in _error_text(page, _fill(field_id, world)), field_id
        assert f"{_fill(field_id, world)}-error" in described, f"{field_id} not described by it"
    for value in case.kept:
        assert html.escape(value, quote=False) in page or value in page, value
    assert _snapshot(app) == before


def test_bad_input_in_english(world: World) -> None:
    client = world.client_for("coordinator")
    client.set_cookie("lang", "en")
    response = client.post("/coordinator/youths/new", data=YOUTH_BAD)
    assert response.status_code == 422
    assert "Please fill in this field." in _error_text(
        response.get_data(as_text=True), "first_name"
    )


def test_login_page_keeps_the_email_but_never_the_password(world: World) -> None:
    response = world.client_for("anonymous").post(
        "/login", data={"email": "coordinator@test.example", "password": PASSWORD + "x"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert PASSWORD not in page


FORM_URLS: list[tuple[str, Callable[[World], str]]] = [
    ("anonymous", lambda w: "/interest"),
    ("anonymous", lambda w: "/login"),
    ("coordinator", lambda w: "/coordinator/youths/new"),
    ("coordinator", lambda w: f"/coordinator/youths/{w.youth}/edit"),
    ("employer", lambda w: "/employer/openings/new"),
    ("coordinator", lambda w: "/coordinator/employers/new"),
]
FIELD_NAMES = [
    "first_name",
    "birth_date",
    "email",
    "phone",
    "parent_name",
    "postcode",
    "positions",
    "min_age",
    "max_age",
    "lat",
    "max_travel_km",
    "priority",
    "title",
    "name",
    "category",
    "kind",
    "availability-0-day",
    "availability-0-start",
    "availability-0-end",
    "shifts-0-day",
    "shifts-0-start",
    "shifts-0-end",
    "shifts-99-start",
    "languages",
]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    which=st.integers(min_value=0, max_value=len(FORM_URLS) - 1),
    data=st.dictionaries(
        st.sampled_from(FIELD_NAMES),
        st.text(max_size=40) | st.sampled_from(["", "0", "-1", "24:00", "99999999999999999999"]),
        max_size=8,
    ),
)
def test_random_input_never_breaks_a_form(world: World, which: int, data: dict[str, str]) -> None:
    role, url = FORM_URLS[which]
    response = world.client_for(role).post(url(world), data=data)
    assert response.status_code in (200, 302, 422), response.status_code


def test_invitation_form_refuses_a_weak_or_mismatched_password(world: World, app: Flask) -> None:
    response = world.client_for("coordinator").post(
        "/coordinator/users/invite",
        data={"name": "Ny Vejleder", "email": "ny@uu.example", "role": "counsellor"},
        follow_redirects=True,
    )
    link = re.search(
        r"http://127\.0\.0\.1:5000(/invitation/[\w.\-]+)", response.get_data(as_text=True)
    )
    assert link
    before = _snapshot(app)
    response = world.client_for("anonymous").post(
        link.group(1), data={"password": "short", "confirm": "different"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Brug mellem 12 og 200 tegn." in _error_text(page, "password")
    assert "Adgangskoderne er ikke ens." in _error_text(page, "confirm")
    assert "short" not in page  # passwords are never sent back
    assert _snapshot(app) == before
