"""Danish a native speaker would write: verbs on buttons, one name for onboarding, one thanks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World, one
from tests.webapp.test_journeys import YOUTH_FORM
from webapp.extensions import db
from webapp.models import Youth
from webapp.ui.numbers import coordinate, one_decimal

CATALOGUE = Path(__file__).parents[2] / "webapp/translations/da/LC_MESSAGES/messages.po"
# The names onboarding had before it got one ("Forberedelse", a step "trin").
RETIRED = ("trin før jobstart", "klar til job", "onboarding", "fremskridt før jobstart")


def _danish_strings() -> list[str]:
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    found = []
    for message in catalogue:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found.extend(strings)
    return found


def test_onboarding_has_one_danish_name() -> None:
    offenders = [s for s in _danish_strings() if any(r in s.lower() for r in RETIRED)]
    assert offenders == []


def test_the_manual_placement_button_is_a_verb(world: World) -> None:
    coordinator = world.client_for("coordinator")
    page = coordinator.get(f"/coordinator/youths/{world.youth}").get_data(as_text=True)
    assert re.search(r"<button[^>]*>Placér</button>", page)
    assert "Forberedelse" in page


def test_the_run_form_asks_in_plain_words(world: World) -> None:
    page = world.client_for("coordinator").get("/coordinator/runs").get_data(as_text=True)
    assert "Hvor længe må beregningen tage? (sekunder)" in page
    assert "Tidsgrænse i sekunder" not in page


def test_the_thanks_page_thanks_once(client: FlaskClient) -> None:
    page = client.get("/interest/thanks").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("Tak") == 1
    assert "Vi har modtaget din tilmelding" in main


def test_decimals_are_written_the_danish_way(world: World, app: Flask) -> None:
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        youth.max_travel_km = 1.5
        db.session.commit()
    page = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}")
    assert "1,5 km" in page.get_data(as_text=True)
    with app.test_request_context():
        assert (coordinate(56.138131), one_decimal(30.0)) == ("56,13813", "30")


@pytest.mark.parametrize("typed", ["1,5", "1.5", " 1,5 "])
def test_a_decimal_is_typed_with_a_comma_or_a_point(world: World, app: Flask, typed: str) -> None:
    coordinator = world.client_for("coordinator")
    form = {**YOUTH_FORM, "max_travel_km": typed}
    response = coordinator.post("/coordinator/youths/new", data=form)
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        assert one(Youth, Youth.public_id == public_id).max_travel_km == 1.5
    edit = coordinator.get(f"/coordinator/youths/{public_id}/edit").get_data(as_text=True)
    assert re.search(r'name="max_travel_km"[^>]*value="1,5"', edit)
    assert 'inputmode="decimal"' in edit


@pytest.mark.parametrize("typed", ["1e5", "nan", "inf", "1,5,5", "1_0", "١٢", "0x10", "-"])
def test_what_is_no_decimal_is_refused_beside_the_field(world: World, typed: str) -> None:
    coordinator = world.client_for("coordinator")
    form = {**YOUTH_FORM, "first_name": "Kun et forsøg", "max_travel_km": typed}
    response = coordinator.post("/coordinator/youths/new", data=form)
    assert response.status_code == 422
    assert "Skriv et tal som 1,5." in response.get_data(as_text=True)
