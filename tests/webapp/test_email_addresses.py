"""Email addresses are addresses: every email field reads them with email-validator, refuses
what no mail server delivers (the probe's `'><svg/onload=alert(1)>@evil.example` among them)
with the field's own message, and keeps a valid one normalised."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import EMAILS, World, one
from webapp.extensions import db
from webapp.models import Employer, OutboxMessage, User, Youth

MESSAGE = "Skriv en gyldig e-mailadresse."
CONTROL_CHARACTERS = "Fjern de usynlige kontroltegn fra teksten."
PROBE = "'><svg/onload=alert(1)>@evil.example"
REFUSED = [
    PROBE,
    "plain",
    "a@b",  # no dot in the domain
    "a@localhost",
    "a@evil.test",  # a special-use domain
    "two@@example.org",
    "a b@example.org",
    '"quoted"@example.org',
    "Name <name@example.org>",  # a display name
    "søren@example.org",  # not plain ASCII before the @ (SMTPUTF8 is not assumed)
    "a@[127.0.0.1]",
    "x" * 250 + "@example.org",
    "name@example.org\x00",
    "name@example.org\r\nBcc: all@example.org",
]


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="{re.escape(field)}-error"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def _interest(client: FlaskClient, **fields: str) -> tuple[int, str]:
    data = {
        "first_name": "Sara",
        "age": "14",
        "email": "sara@example.org",
        "parent_name": "Mor",
        "parent_email": "mor@example.org",
        "consent": "y",
        **fields,
    }
    response = client.post("/interest", data=data)
    return response.status_code, response.get_data(as_text=True)


def _coordinator(world: World) -> FlaskClient:
    """A coordinator signed in through the sign-in form."""
    return world.login(world.app.test_client(), EMAILS["coordinator"])


def _youths(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Youth)) or 0


@pytest.mark.parametrize("address", REFUSED)
def test_the_interest_form_refuses_what_is_no_address(
    world: World, app: Flask, address: str
) -> None:
    before = _youths(app)
    for field in ("email", "parent_email"):
        status, page = _interest(world.client_for("anonymous"), **{field: address})
        assert status == 422, page[:300]
        assert _error(page, field) in (MESSAGE, CONTROL_CHARACTERS, "Højst 254 tegn.")
        assert "<svg/onload" not in page  # shown back escaped, never as markup
    assert _youths(app) == before


def test_the_probe_is_refused_on_every_staff_form_naming_the_field(
    world: World, app: Flask
) -> None:
    coordinator = _coordinator(world)
    forms = {
        "/coordinator/users/invite": (
            {"name": "Ny", "role": "coordinator", "email": PROBE},
            "email",
        ),
        "/coordinator/youths/new": (
            {"first_name": "Yusuf", "priority": "1", "max_jobs": "1", "email": PROBE},
            "email",
        ),
        f"/coordinator/youths/{world.youth}/edit": (
            {"first_name": "Amira", "priority": "1", "max_jobs": "1", "parent_email": PROBE},
            "parent_email",
        ),
        f"/coordinator/employers/{world.employer}/edit": (
            {"name": "Ikast Dagligvarer", "postcode": "7430", "contact_email": PROBE},
            "contact_email",
        ),
    }
    for url, (data, field) in forms.items():
        response = coordinator.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (url, page[:300])
        assert _error(page, field) == MESSAGE, url
    employer = world.client_for("anonymous").post(
        "/employers/register",
        data={"name": "Cykler", "postcode": "7430", "contact_name": "Bo", "contact_email": PROBE},
    )
    assert employer.status_code == 422
    assert _error(employer.get_data(as_text=True), "contact_email") == MESSAGE
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email.contains("svg"))) is None
        assert db.session.scalar(select(Youth).where(Youth.email.contains("svg"))) is None
        assert (
            db.session.scalar(select(Employer).where(Employer.contact_email.contains("svg")))
            is None
        )
        assert (
            db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient.contains("'")))
            is None
        )


def test_a_valid_address_is_kept_normalised(world: World, app: Flask) -> None:
    status, page = _interest(
        world.client_for("anonymous"),
        first_name="Normal",
        email="  Sara.Hansen@Example.ORG ",
        parent_email="mor+board@ÆBLE.example",
    )
    assert status == 302, page[:500]
    with app.app_context():
        youth = one(Youth, Youth.first_name == "Normal")
        assert youth.email == "Sara.Hansen@example.org"  # the domain in lower case
        assert youth.parent_email == "mor+board@æble.example"
    response = _coordinator(world).post(
        "/coordinator/users/invite",
        data={"name": "Ny Ansat", "role": "coordinator", "email": "Ny.Ansat@Kommune.DK"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert one(User, User.name == "Ny Ansat").email == "ny.ansat@kommune.dk"


def test_signing_in_with_no_address_says_so_beside_the_email(world: World) -> None:
    response = world.client_for("anonymous").post(
        "/login", data={"email": PROBE, "password": "a long password"}
    )
    assert response.status_code == 422
    assert _error(response.get_data(as_text=True), "email") == MESSAGE
