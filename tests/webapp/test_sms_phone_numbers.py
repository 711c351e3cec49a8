"""Phone numbers through every form that has one: validated with phonenumbers (Danish numbering
without a country code), stored in E.164, refused beside the field with a Danish reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from tests.factories import World, one
from tests.webapp.test_interest_ages import send
from webapp.extensions import db
from webapp.models import Employer, Youth
from webapp.services.phones import PhoneNumberError, for_display, normalise

NOT_DANISH = "Det er ikke et dansk telefonnummer: 8 cifre, fx 20 12 34 56."
NOT_A_NUMBER = "Skriv et telefonnummer: 8 cifre, eller + og en landekode."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20 12 34 56", "+4520123456"),
        ("20-12-34-56", "+4520123456"),
        ("(20) 12.34.56", "+4520123456"),
        ("+45 20123456", "+4520123456"),
        ("0045 2012 3456", "+4520123456"),
        ("+46 70 123 45 67", "+46701234567"),
        ("+90 532 123 45 67", "+905321234567"),
        ("٢٠١٢٣٤٥٦", "+4520123456"),  # typed with Arabic-Indic digits
        ("２０１２３４５６", "+4520123456"),  # full-width digits
        ("", ""),
    ],
)
def test_numbers_are_stored_in_e164(typed: str, stored: str) -> None:
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12345678", NOT_DANISH),  # no Danish number starts with 1
        ("2012345", NOT_DANISH),
        ("201234567", NOT_DANISH),
        ("abc", NOT_A_NUMBER),
        ("20 12\x0034 56", NOT_A_NUMBER),
        ("2" * 31, NOT_A_NUMBER),
        ("+1 555", "Telefonnummeret findes ikke i sit land."),
    ],
)
def test_what_is_no_number_is_refused_with_its_reason(app: Flask, typed: str, reason: str) -> None:
    with app.test_request_context(), force_locale("da"):
        with pytest.raises(PhoneNumberError) as refused:
            normalise(typed)
        message = str(refused.value)
    assert message == reason


def test_numbers_are_shown_as_people_read_them() -> None:
    assert for_display("+4520123456") == "20 12 34 56"
    assert for_display("+46701234567") == "+46 70 123 45 67"


def _errors(response: Any) -> list[str]:
    return re.findall(r'class="invalid-feedback"[^>]*>([^<]*)<', response.get_data(as_text=True))


def test_the_interest_form_stores_both_phones_in_e164(app: Flask, client: FlaskClient) -> None:
    response = send(client, phone="20 12 34 56", parent_phone="0045 30 30 30 31")
    assert response.status_code == 302
    with app.app_context():
        youth = db.session.scalars(select(Youth).where(Youth.first_name == "Lille")).one()
        assert (youth.phone, youth.parent_phone) == ("+4520123456", "+4530303031")


@pytest.mark.parametrize("field", ["phone", "parent_phone"])
@pytest.mark.parametrize("typed", ["12345678", "20 12\x0034 56", "9" * 5_000, "+45 𝟙𝟚𝟛"])
def test_the_interest_form_refuses_a_bad_number_beside_its_field(
    app: Flask, client: FlaskClient, field: str, typed: str
) -> None:
    response = send(client, **{field: typed})
    assert response.status_code in (400, 422)
    assert _errors(response), response.get_data(as_text=True)[:300]
    with app.app_context():
        assert db.session.scalars(select(Youth).where(Youth.first_name == "Lille")).first() is None


def test_the_coordinators_youth_form_stores_e164(app: Flask, world: World) -> None:
    data = {
        "first_name": "Amira",
        "last_name": "Hassan",
        "birth_date": "2011-03-04",
        "priority": "1",
        "max_jobs": "1",
        "phone": "41 41 41 41",
        "parent_phone": "+45 51 51 51 51",
    }
    client = world.client_for("coordinator")
    response = client.post(f"/coordinator/youths/{world.youth}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        assert (amira.phone, amira.parent_phone) == ("+4541414141", "+4551515151")
    refused = client.post(
        f"/coordinator/youths/{world.youth}/edit", data={**data, "parent_phone": "12"}
    )
    assert refused.status_code in (400, 422)
    assert NOT_DANISH in _errors(refused)


def test_an_employers_contact_phone_is_stored_in_e164(app: Flask, world: World) -> None:
    data = {"name": "Brugsen Ikast", "postcode": "7430", "contact_phone": "97 15 10 20"}
    response = world.client_for("coordinator").post("/coordinator/employers/new", data=data)
    assert response.status_code == 302, _errors(response)
    with app.app_context():
        employer = one(Employer, Employer.name == "Brugsen Ikast")
        assert employer.contact_phone == "+4597151020"
