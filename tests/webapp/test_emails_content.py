"""Confirmation and first-day emails say what to do: when, where, whom to ask for, what is missing.

The coordinator places Emil by hand (through HTTP) in a job whose employer
registered a contact; the outbox then holds the youth's, the parent's and the
counsellor's emails. The youth and the parent read the first day with its
weekday in Danish, the shift's hours, the address, the contact's name and
phone, and each onboarding step still missing with how to do it; the
counsellor reads the first day and the missing steps, never the contact's
phone; nobody reads the coordinator's notes or the youth's own address. The
reminder the day before (the `queue-reminders` command) says the same.
"""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from flask import Flask
from sqlalchemy import select

from tests.factories import EMAILS, TUESDAY, World, next_weekday, one
from webapp.extensions import db
from webapp.models import (
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    OutboxMessage,
    Placement,
    Youth,
)

CONTACT, PHONE = "Jens Madsen", "97 15 12 34"
ADDRESS = "Strøget 3, 7430 Ikast"
EMIL, PARENT = "emil@youth.example", "parent-emil@youth.example"
BANK = "Bankkonto / NemKonto"
BANK_HOW = "Forældrene opretter kontoen for en mindreårig; løn og feriepenge går hertil."
# What Emil's emails never carry: his surname, phone, address, his parent's name, the notes.
PRIVATE = ("Jensen", "20202020", "30303030", "Stadion Allé 7", "Parent of", "Secret")


@pytest.fixture
def contact(world: World, app: Flask) -> World:
    """The world's employer registered a contact; the job has a street address."""
    with app.app_context():
        employer = one(Employer, Employer.name == "Ikast Dagligvarer")
        employer.contact_name, employer.contact_phone = CONTACT, PHONE
        for opening in employer.openings:
            opening.address = "Strøget 3"
        db.session.commit()
    return world


def _place(world: World, start: dt.date | None) -> None:
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{world.other_youth}/placements",
        data={"opening": world.opening, "start_date": start.isoformat() if start else ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _mitid_done(world: World, app: Flask) -> None:
    with app.app_context():
        kind = one(OnboardingStepKind, OnboardingStepKind.code == "mitid")
        data = {f"step{kind.id}-status": "done", f"step{kind.id}-note": ""}
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{world.other_youth}/steps", data=data
    )
    assert response.status_code == 302


def _outbox(app: Flask) -> dict[tuple[str, str], OutboxMessage]:
    with app.app_context():
        messages = {
            (m.recipient, m.template): m
            for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        }
        db.session.expunge_all()
        db.session.remove()
        return messages


def _danish_day(day: dt.date) -> str:
    return format_date(day, "EEEE d. MMMM y", locale="da")


def _assert_says_what_to_do(body: str, first_day: dt.date) -> None:
    assert f"Første arbejdsdag: {_danish_day(first_day)}" in body
    assert "Tidspunkt: kl. 16:00–18:00" in body
    assert f"Sted: {ADDRESS} (Ikast Dagligvarer)" in body
    assert f"Spørg efter: {CONTACT}, tlf. {PHONE}" in body
    assert "Det mangler stadig før første arbejdsdag:" in body
    assert BANK in body
    assert BANK_HOW in body
    assert "Skattekort / frikort" in body
    assert "- MitID:" not in body  # done already
    assert "<strong>MitID</strong>" not in body
    for private in PRIVATE:
        assert private not in body, private


def test_the_confirmation_says_when_where_whom_and_what_is_missing(
    contact: World, app: Flask
) -> None:
    first_day = next_weekday(TUESDAY)
    _mitid_done(contact, app)
    _place(contact, first_day)
    outbox = _outbox(app)
    for key in ((EMIL, "placement_youth"), (PARENT, "placement_parent")):
        message = outbox[key]
        _assert_says_what_to_do(message.body_text, first_day)
        _assert_says_what_to_do(message.body_html, first_day)
        assert "Emil" not in message.subject
    counsellor = outbox[(EMAILS["other_counsellor"], "placement_counsellor")].body_text
    assert f"Første arbejdsdag: {_danish_day(first_day)}" in counsellor
    assert BANK in counsellor
    assert PHONE not in counsellor
    assert BANK_HOW not in counsellor
    for private in PRIVATE:
        assert private not in counsellor


def test_without_a_first_day_the_email_says_so_and_gives_the_shifts(
    contact: World, app: Flask
) -> None:
    _place(contact, None)
    body = _outbox(app)[(EMIL, "placement_youth")].body_text
    assert "Den første arbejdsdag er ikke fastlagt endnu; koordinatoren giver besked." in body
    assert "Vagter: tirsdag 16:00–18:00" in body
    assert f"Spørg efter: {CONTACT}, tlf. {PHONE}" in body
    assert "Første arbejdsdag:" not in body


def test_an_employer_without_a_contact_and_nothing_missing(world: World, app: Flask) -> None:
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.other_youth)
        codes = ["bank_account", "mitid", "tax_card", "parental_consent", "contract"]
        for kind in db.session.scalars(
            select(OnboardingStepKind).where(OnboardingStepKind.code.in_(codes))
        ):
            db.session.add(OnboardingStep(youth=youth, kind=kind, status="done"))
        db.session.commit()
    _place(world, next_weekday(TUESDAY))
    body = _outbox(app)[(EMIL, "placement_youth")].body_text
    assert "Der mangler ikke noget før første arbejdsdag." in body
    assert "Spørg efter" not in body
    assert "Sted: 7430 Ikast (Ikast Dagligvarer)" in body


def test_the_reminder_the_day_before_says_the_same(contact: World, app: Flask) -> None:
    first_day = next_weekday(TUESDAY)
    _mitid_done(contact, app)
    _place(contact, first_day)
    with app.app_context():
        placement = db.session.scalars(
            select(Placement).join(Placement.youth).where(Youth.public_id == contact.other_youth)
        ).one()
        assert placement.start_date == first_day
        db.session.remove()
    day_before = (first_day - dt.timedelta(days=1)).isoformat()
    result = app.test_cli_runner().invoke(args=["queue-reminders", "--date", day_before])
    assert result.exit_code == 0, result.output
    outbox = _outbox(app)
    for key in ((EMIL, "first_day_youth"), (PARENT, "first_day_parent")):
        _assert_says_what_to_do(outbox[key].body_text, first_day)
        _assert_says_what_to_do(outbox[key].body_html, first_day)


def test_markup_in_the_contact_is_escaped_in_html(contact: World, app: Flask) -> None:
    with app.app_context():
        one(Employer, Employer.name == "Ikast Dagligvarer").contact_name = "<b>Jens</b>"
        db.session.commit()
    _place(contact, next_weekday(TUESDAY))
    message = _outbox(app)[(EMIL, "placement_youth")]
    assert "&lt;b&gt;Jens&lt;/b&gt;" in message.body_html
    assert "<b>Jens</b>" not in message.body_html
