"""Addresses looked up when they are saved, through the board's forms, never silently.

The board is set to geocode with DAWA, played by a local fake over real HTTP
(tests/fake_dawa.py). A youth or opening saved with a known address gets the
address's coordinates; an unknown one is said on its page; an outage never
blocks a save (the place is "not checked yet" until `flask geocode` runs);
what cannot be an address gets the form's error and never reaches DAWA.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World, one
from tests.fake_dawa import FakeDawa, serving
from tests.webapp.test_journeys import YOUTH_FORM
from webapp.extensions import db
from webapp.models import Geocode, Opening, Youth
from webapp.services import geo

EXACT = "Placering: selve adressen (præcis)."
NOT_FOUND = "Adressen kunne ikke findes: afstand tjekkes ikke."
NOT_CHECKED = "Adressen er ikke slået op endnu: afstand tjekkes ikke."
STREET_UNKNOWN = "Gadeadressen findes ikke i adresseregistret."
OFFLINE = "Placering: omtrentlig, midten af postnummer 7430 (tavlen slår kun postnumre op)."
OK_TIMEOUT_S = 10.0
OPENING_FORM = {
    "title": "Weekendhjælp",
    "category": "retail",
    "kind": "fritidsjob",
    "positions": "1",
    "min_age": "15",
    "workplace": "shop",
    "alcohol": "none",
    "address": "Stadion Allé 10",
    "postcode": "7430",
    "shifts-0-day": "sat",
    "shifts-0-start": "09:00",
    "shifts-0-end": "13:00",
}


@pytest.fixture(scope="module")
def dawa() -> Iterator[FakeDawa]:
    with serving() as fake:
        yield fake


@pytest.fixture
def board(app: Flask, dawa: FakeDawa, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDawa]:
    """The board geocoding with the fake DAWA, which answers and has been asked nothing."""
    monkeypatch.setitem(app.config, "GEOCODER", "dawa")
    monkeypatch.setitem(app.config, "GEOCODER_URL", dawa.url)
    # Generous, so that a loaded machine never times out by chance; `_hang` shortens it.
    monkeypatch.setitem(app.config, "GEOCODER_TIMEOUT_S", OK_TIMEOUT_S)
    monkeypatch.setitem(app.config, "GEOCODER_PAUSE_S", 0)  # each test's saves ask DAWA
    monkeypatch.setattr(geo, "_paused_until", {})
    dawa.mode = "ok"
    dawa.requests.clear()
    yield dawa
    dawa.mode = "ok"


def _hang(app: Flask, board: FakeDawa, hang: bool) -> None:
    """Make the fake stop answering (the board gives up after 0.3 s), or answer again."""
    board.mode = "hang" if hang else "ok"
    app.config["GEOCODER_TIMEOUT_S"] = 0.3 if hang else OK_TIMEOUT_S


def page_of(response: object) -> str:
    assert response.status_code == 200, response.data[:300]  # type: ignore[attr-defined]
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


def new_youth(client: FlaskClient, **fields: str) -> str:
    """Register a youth through the form; the youth's public id."""
    response = client.post("/coordinator/youths/new", data={**YOUTH_FORM, **fields})
    assert response.status_code == 302, response.data[:500]
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def _place(app: Flask, public_id: str) -> tuple[str, float | None, float | None]:
    with app.app_context():
        youth = one(Youth, Youth.public_id == public_id)
        return youth.town, youth.lat, youth.lon


def test_a_youth_with_a_known_address_gets_its_exact_place_once(
    world: World, app: Flask, board: FakeDawa
) -> None:
    coordinator = world.client_for("coordinator")
    youth = new_youth(coordinator, address="Stadion Allé 10")
    assert _place(app, youth) == ("Ikast", 56.1325, 9.1512)
    assert EXACT in page_of(coordinator.get(f"/coordinator/youths/{youth}"))
    asked = len(board.requests)
    # The same address again, spelt otherwise: from the cache, DAWA is not asked.
    other = new_youth(coordinator, first_name="Sara", address="stadion  allé 10")
    assert _place(app, other) == ("Ikast", 56.1325, 9.1512)
    assert len(board.requests) == asked
    with app.app_context():
        assert db.session.query(Geocode).count() == 1


def test_the_log_of_a_lookup_never_carries_the_address(
    world: World, app: Flask, board: FakeDawa, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    board.mode = "error"
    new_youth(world.client_for("coordinator"), address="Stadion Allé 10")
    board.mode = "ok"
    app.test_cli_runner().invoke(args=["geocode"])
    assert "/datavask/adresser" in caplog.text  # httpx logged the requests...
    assert "geocoding paused" in caplog.text  # ...and the board the outage
    assert "Stadion" not in caplog.text
    assert "betegnelse" not in caplog.text


def test_an_address_that_cannot_be_found_is_said_on_the_profile(
    world: World, app: Flask, board: FakeDawa
) -> None:
    coordinator = world.client_for("coordinator")
    lost = new_youth(coordinator, address="Ukendtvej 99", postcode="9999")
    assert _place(app, lost) == ("", None, None)
    assert NOT_FOUND in page_of(coordinator.get(f"/coordinator/youths/{lost}"))
    # A street DAWA does not know in a postcode it does: the postcode's centre, said so.
    near = new_youth(coordinator, first_name="Sara", address="Ukendtvej 99")
    assert _place(app, near) == ("Ikast", 56.1388, 9.1580)
    assert STREET_UNKNOWN in page_of(coordinator.get(f"/coordinator/youths/{near}"))


@pytest.mark.parametrize("mode", ["error", "hang", "garbage"])
def test_an_outage_never_blocks_a_save_and_the_batch_command_looks_it_up_later(
    world: World, app: Flask, board: FakeDawa, mode: str
) -> None:
    board.mode = mode
    if mode == "hang":
        _hang(app, board, True)
    coordinator = world.client_for("coordinator")
    youth = new_youth(coordinator, address="Stadion Allé 10")
    assert _place(app, youth) == ("", None, None)
    assert NOT_CHECKED in page_of(coordinator.get(f"/coordinator/youths/{youth}"))
    runner = app.test_cli_runner()
    still_down = runner.invoke(args=["geocode"])
    assert still_down.exit_code == 1
    assert "run it again later" in still_down.output
    _hang(app, board, False)
    result = runner.invoke(args=["geocode"])
    assert result.exit_code == 0, result.output
    # The world's rows placed before DAWA was set up are looked up too; nothing is left.
    assert result.output.endswith("0 left.\n")
    assert _place(app, youth) == ("Ikast", 56.1325, 9.1512)
    assert EXACT in page_of(coordinator.get(f"/coordinator/youths/{youth}"))
    assert "0 addresses looked up" in runner.invoke(args=["geocode"]).output


def test_after_no_answer_saves_skip_dawa_for_a_while_and_the_batch_catches_up(
    world: World, app: Flask, board: FakeDawa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "GEOCODER_PAUSE_S", 600)
    _hang(app, board, True)
    coordinator = world.client_for("coordinator")
    first = new_youth(coordinator, address="Stadion Allé 10")
    _hang(app, board, False)
    asked = len(board.requests)
    # DAWA answers again, but this process waits out the pause: one timeout, not one a save.
    second = new_youth(coordinator, first_name="Sara", address="Nørrebrogade 20", postcode="")
    assert len(board.requests) == asked
    assert NOT_CHECKED in page_of(coordinator.get(f"/coordinator/youths/{second}"))
    assert app.test_cli_runner().invoke(args=["geocode"]).exit_code == 0
    assert _place(app, first) == ("Ikast", 56.1325, 9.1512)
    assert _place(app, second) == ("København N", 55.6893, 12.5536)


def test_openings_say_on_both_sides_whether_their_place_was_found(
    world: World, app: Flask, board: FakeDawa
) -> None:
    employer = world.client_for("employer")
    coordinator = world.client_for("coordinator")
    found = employer.post("/employer/openings/new", data=OPENING_FORM)
    assert found.status_code == 302, found.data[:500]
    found_id = str(found.headers["Location"]).rsplit("/", 1)[-1]
    assert EXACT in page_of(employer.get(f"/employer/openings/{found_id}"))
    lost = employer.post(
        "/employer/openings/new", data={**OPENING_FORM, "address": "", "postcode": "9999"}
    )
    lost_id = str(lost.headers["Location"]).rsplit("/", 1)[-1]
    with app.app_context():
        assert one(Opening, Opening.public_id == lost_id).lat is None
    assert NOT_FOUND in page_of(employer.get(f"/employer/openings/{lost_id}"))
    assert NOT_FOUND in page_of(coordinator.get(f"/coordinator/openings/{lost_id}"))
    # The edit form keeps looked-up coordinates out of the fields, so they follow the address.
    edit = page_of(employer.get(f"/employer/openings/{found_id}/edit"))
    assert 'value="56.1325"' not in edit


HOSTILE = {
    "a NUL": ("Stadion\x00Allé 10", "7430"),
    "10 kB": ("Stadion Allé 10 " * 640, "7430"),
    "a right-to-left override": ("\u202eStadion Allé 10", "7430"),
    "another script": ("شارع الملعب 10", "7430"),
    "Arabic-Indic digits": ("Stadion Allé 10", "٧٤٣٠"),
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_what_cannot_be_an_address_gets_the_forms_error_and_never_reaches_dawa(
    world: World, app: Flask, board: FakeDawa, value: tuple[str, str]
) -> None:
    address, postcode = value
    youth = world.client_for("coordinator").post(
        "/coordinator/youths/new", data={**YOUTH_FORM, "address": address, "postcode": postcode}
    )
    opening = world.client_for("employer").post(
        "/employer/openings/new", data={**OPENING_FORM, "address": address, "postcode": postcode}
    )
    for response in (youth, opening):
        assert response.status_code == 422
        assert "is-invalid" in response.get_data(as_text=True)
    assert board.requests == []
    with app.app_context():
        assert db.session.query(Geocode).count() == 0


def test_two_saves_of_a_new_address_at_once_store_one_answer(
    world: World, app: Flask, board: FakeDawa
) -> None:
    clients = [world.client_for("coordinator") for _ in range(2)]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def save(client: FlaskClient, name: str) -> None:
        start.wait()
        data = {**YOUTH_FORM, "first_name": name, "address": "Nørrebrogade 20", "postcode": ""}
        statuses.append(client.post("/coordinator/youths/new", data=data).status_code)

    threads = [
        threading.Thread(target=save, args=(c, n)) for c, n in zip(clients, "AB", strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    with app.app_context():
        assert db.session.query(Geocode).count() == 1
        places = {
            (y.lat, y.lon)
            for y in db.session.query(Youth).filter(Youth.first_name.in_(["A", "B"]))
        }
    assert places == {(55.6893, 12.5536)}


def test_two_batches_at_once_locate_each_row_once_and_store_one_answer_an_address(
    world: World, app: Flask, board: FakeDawa
) -> None:
    board.mode = "error"
    coordinator = world.client_for("coordinator")
    youths = [new_youth(coordinator, first_name=n, address="Stadion Allé 10") for n in "AB"]
    board.mode = "ok"
    start = threading.Barrier(2)
    codes: list[int] = []

    def batch() -> None:
        start.wait()
        codes.append(app.test_cli_runner().invoke(args=["geocode"]).exit_code)

    threads = [threading.Thread(target=batch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [0, 0]
    assert {_place(app, y) for y in youths} == {("Ikast", 56.1325, 9.1512)}
    with app.app_context():
        hashes = [g.query_hash for g in db.session.query(Geocode)]
    assert len(hashes) == len(set(hashes))


def test_offline_the_place_is_the_postcodes_centre_and_says_so(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    youth = new_youth(coordinator, address="Stadion Allé 10")
    assert _place(app, youth) == ("Ikast", 56.1388, 9.1580)
    assert OFFLINE in page_of(coordinator.get(f"/coordinator/youths/{youth}"))


def test_production_asks_dawa_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from webapp import create_app

    monkeypatch.setenv("JOBMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-secret-for-this-test")
    monkeypatch.setenv("BOARD_URL", "https://fritidsjob.example.dk")
    config = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config
    assert (config["GEOCODER"], config["GEOCODER_URL"]) == (
        "dawa",
        "https://api.dataforsyningen.dk",
    )


def test_the_batch_asks_a_not_found_again_after_a_while_and_never_moves_entered_coordinates(
    world: World, app: Flask, board: FakeDawa
) -> None:
    coordinator = world.client_for("coordinator")
    lost = new_youth(coordinator, address="Ukendtvej 99", postcode="9999")
    entered = coordinator.post(
        f"/coordinator/employers/{world.employer}/openings/new",
        data={**OPENING_FORM, "postcode": "9999", "lat": "56.5", "lon": "9.5"},
    )
    entered_id = str(entered.headers["Location"]).rsplit("/", 1)[-1]
    runner = app.test_cli_runner()
    runner.invoke(args=["geocode"])  # the world's rows from before DAWA
    board.requests.clear()
    assert "0 addresses looked up" in runner.invoke(args=["geocode"]).output
    with app.app_context():
        for answer in db.session.query(Geocode).filter(Geocode.outcome == "not_found"):
            answer.checked_at -= dt.timedelta(days=31)
        db.session.commit()
    again = runner.invoke(args=["geocode"]).output
    assert "0 places located" in again
    assert "/postnumre/9999" in board.requests
    assert _place(app, lost) == ("", None, None)
    with app.app_context():
        opening = one(Opening, Opening.public_id == entered_id)
        assert (opening.lat, opening.lon) == (56.5, 9.5)
    page = page_of(coordinator.get(f"/coordinator/openings/{entered_id}"))
    assert "Placering: koordinater angivet direkte, ikke slået op fra adressen." in page
