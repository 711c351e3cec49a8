"""Danish a native speaker would write: verbs on buttons, one name for onboarding, one thanks."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.factories import World

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
