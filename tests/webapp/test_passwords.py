"""Which passwords an account may choose, on every page that sets one: 12 characters or more,
not a common one or a pattern (zxcvbn's lists), not the account's email or its local part."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import EMAILS, PASSWORD, World
from webapp.extensions import db
from webapp.models import User
from webapp.services.passwords import MAX_LENGTH, password_problem

LENGTH = "Brug mellem 12 og 200 tegn."
GUESSABLE = "Denne adgangskode er for let at gætte"
OWN_EMAIL = "Adgangskoden må ikke være din e-mailadresse eller delen før @."
EMAIL = EMAILS["other_counsellor"]  # other-counsellor@test.example: a long local part
REFUSED = [
    ("aaaaaaaaaa", LENGTH),  # the probe's three
    ("1234567890", LENGTH),
    (EMAIL, OWN_EMAIL),
    ("Other-Counsellor@TEST.example ", OWN_EMAIL),
    ("other-counsellor", OWN_EMAIL),
    ("aaaaaaaaaaaa", GUESSABLE),
    ("123456789012", GUESSABLE),
    ("passwordpassword", GUESSABLE),
    ("qwertyuiopasdf", GUESSABLE),
    ("abcdefghijklmn", GUESSABLE),
    ("othercounsellor1", GUESSABLE),  # the account's own name, run together
    ("Kaffe-Other-Counsellor-19", GUESSABLE),
    ("x" * (MAX_LENGTH + 1), LENGTH),
]
LONG = "Min cykel er blå og står altid ved siden af bageren på hjørnet af Stadion Allé nr. 11"
ACCEPTED = ["Solsikke-Bord-71", "correct horse battery", "Blåbær-Tårn-Sø", LONG]


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def _change(client: FlaskClient, password: str) -> tuple[int, str]:
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": password, "confirm": password},
    )
    return response.status_code, response.get_data(as_text=True)


def _signs_in(app: Flask, password: str) -> bool:
    response = app.test_client().post("/login", data={"email": EMAIL, "password": password})
    return response.status_code == 302


@pytest.mark.parametrize(("password", "message"), REFUSED, ids=range(len(REFUSED)))
def test_a_weak_password_is_refused_beside_the_field_and_nothing_changes(
    world: World, app: Flask, password: str, message: str
) -> None:
    client = world.login(app.test_client(), EMAIL)
    status, page = _change(client, password)
    assert status == 422
    assert _error(page, "password").startswith(message)
    assert password.strip() not in page or password == EMAIL  # never sent back
    assert _signs_in(app, PASSWORD)


def test_a_strong_password_is_accepted(world: World, app: Flask) -> None:
    for number, password in enumerate(ACCEPTED):
        current = PASSWORD if number == 0 else ACCEPTED[number - 1]
        client = app.test_client()
        assert client.post("/login", data={"email": EMAIL, "password": current}).status_code == 302
        response = client.post(
            "/account/password",
            data={"current_password": current, "password": password, "confirm": password},
        )
        assert response.status_code == 302, _error(response.get_data(as_text=True), "password")
    assert _signs_in(app, ACCEPTED[-1])


def test_the_invitation_refuses_a_common_password_too(world: World, app: Flask) -> None:
    coordinator = world.login(app.test_client(), EMAILS["coordinator"])
    response = coordinator.post(
        "/coordinator/users/invite",
        data={"name": "Ny Vejleder", "email": "ny.vejleder@uu.example", "role": "counsellor"},
        follow_redirects=True,
    )
    link = re.search(r"https?://[^/\s]+(/invitation/[\w.\-]+)", response.get_data(as_text=True))
    assert link
    client = app.test_client()
    for password, message in [("ny.vejleder", LENGTH), ("ny.vejleder@uu.example", OWN_EMAIL)]:
        refused = client.post(link.group(1), data={"password": password, "confirm": password})
        assert refused.status_code == 422
        assert _error(refused.get_data(as_text=True), "password") == message
    weak = client.post(link.group(1), data={"password": "1q2w3e4r5t6y", "confirm": "1q2w3e4r5t6y"})
    assert GUESSABLE in _error(weak.get_data(as_text=True), "password")
    good = client.post(link.group(1), data={"password": ACCEPTED[0], "confirm": ACCEPTED[0]})
    assert good.status_code == 302


def test_the_rule_reads_any_text(app: Flask) -> None:
    email = "amira@example.org"
    with app.test_request_context():
        assert password_problem("amira@example.org", email=email) == OWN_EMAIL
        assert password_problem("\u202e\u0000" * 7, email=email) is not None  # no crash
        assert password_problem("Æ" * 300, email=email) == LENGTH
        assert password_problem("Solsikke-Bord-71", email="", name="") is None
        assert password_problem("Amira Hassan 2011", email=email, name="Amira Hassan")


def test_the_first_coordinator_from_the_command_line_keeps_the_same_rules(app: Flask) -> None:
    runner = app.test_cli_runner()

    def create(email: str, password: str) -> str:
        command = ["create-coordinator", email, "Anne Jensen"]
        return runner.invoke(args=command, input=f"{password}\n{password}\n").output

    assert GUESSABLE in create("anne@kommune.dk", "123456789012")
    assert OWN_EMAIL in create("anne.jensen.ikast@kommune.dk", "anne.jensen.ikast")
    assert "email: Skriv en gyldig e-mailadresse." in create(
        "'><svg/onload=alert(1)>@evil.example", "Solsikke-Bord-71"
    )
    assert "Coordinator created." in create(" Anne@Kommune.DK", "Solsikke-Bord-71")
    assert "email: Der findes allerede en konto med denne e-mail." in create(
        "anne@kommune.dk", "Regnbue-Cykel-42"
    )
    with app.app_context():
        assert [u.email for u in db.session.scalars(select(User))] == ["anne@kommune.dk"]
