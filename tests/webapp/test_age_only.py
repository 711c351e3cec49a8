"""A youth registered with an age only is shown as an age, never as an invented birth date.

Through HTTP: a registration from the public board with only an age, and a
coordinator's with only an age, show "13 år (alder oplyst)" on the
coordinator's and the counsellor's page; the edit form leaves the birth date
empty and keeps the age, and saving it again keeps the estimate; a real birth
date given later replaces it. Neither a date nor an age, or a hostile age, is
refused beside the field.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World, one
from tests.webapp.test_first_day import field_error, field_value
from webapp.extensions import db
from webapp.models import User, Youth

AGE_GIVEN = re.compile(r"(\d+) år \(alder oplyst\)")


def _age_shown(page: str) -> str:
    """The text of the profile's "Alder" line."""
    found = re.search(r"<dt[^>]*>Alder</dt><dd[^>]*>(.*?)</dd>", page, re.S)
    assert found is not None, page[:500]
    return found.group(1).strip()


def _youth(app: Flask, first_name: str) -> tuple[str, dt.date]:
    with app.app_context():
        youth = one(Youth, Youth.first_name == first_name)
        found = youth.public_id, youth.birth_date
        db.session.remove()
        return found


def _register_from_the_board(client: FlaskClient, age: str) -> None:
    response = client.post(
        "/interest",
        data={
            "first_name": "Sara",
            "age": age,
            "phone": "20202020",
            "parent_name": "Mor",
            "parent_phone": "30303030",
            "consent": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _edit(client: FlaskClient, public_id: str, **fields: str) -> tuple[int, str]:
    data = {"first_name": "Sara", "priority": "1", "max_jobs": "1", **fields}
    response = client.post(f"/coordinator/youths/{public_id}/edit", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_an_age_from_the_board_is_shown_as_an_age_and_kept(world: World, app: Flask) -> None:
    _register_from_the_board(app.test_client(), "13")
    public_id, estimate = _youth(app, "Sara")
    coordinator = world.client_for("coordinator")

    shown = _age_shown(coordinator.get(f"/coordinator/youths/{public_id}").text)
    assert shown == "13 år (alder oplyst)"
    assert str(estimate.year) not in shown

    form = coordinator.get(f"/coordinator/youths/{public_id}/edit").text
    assert field_value(form, "birth_date") == ""
    assert field_value(form, "age") == "13"

    # Saved again with the age: the estimate stays where it was.
    status, _ = _edit(coordinator, public_id, age="13")
    assert status == 302
    assert _youth(app, "Sara")[1] == estimate
    assert AGE_GIVEN.search(coordinator.get(f"/coordinator/youths/{public_id}").text)

    # A real birth date replaces the estimate, and the page shows it.
    born = dt.date(estimate.year, 3, 4)
    status, _ = _edit(coordinator, public_id, birth_date=born.isoformat())
    assert status == 302
    assert _youth(app, "Sara")[1] == born
    shown = _age_shown(coordinator.get(f"/coordinator/youths/{public_id}").text)
    assert "alder oplyst" not in shown
    assert str(born.year) in shown
    form = coordinator.get(f"/coordinator/youths/{public_id}/edit").text
    assert field_value(form, "birth_date") == born.isoformat()
    assert field_value(form, "age") == ""


def test_another_age_makes_a_new_estimate(world: World, app: Flask) -> None:
    _register_from_the_board(app.test_client(), "13")
    public_id, _ = _youth(app, "Sara")
    coordinator = world.client_for("coordinator")
    status, _ = _edit(coordinator, public_id, age="14")
    assert status == 302
    shown = _age_shown(coordinator.get(f"/coordinator/youths/{public_id}").text)
    assert shown == "14 år (alder oplyst)"


def test_a_coordinator_may_register_with_an_age_only(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    with app.app_context():
        counsellor_id = one(User, User.public_id == world.counsellor).id
        db.session.remove()
    response = coordinator.post(
        "/coordinator/youths/new",
        data={
            "first_name": "Sara",
            "age": "15",
            "priority": "1",
            "max_jobs": "1",
            "counsellor_id": str(counsellor_id),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    public_id, _ = _youth(app, "Sara")
    page = coordinator.get(f"/coordinator/youths/{public_id}").text
    assert _age_shown(page) == "15 år (alder oplyst)"
    page = world.client_for("counsellor").get(f"/counsellor/youths/{public_id}").text
    assert _age_shown(page) == "15 år (alder oplyst)"


def test_a_youth_with_a_birth_date_shows_it(world: World) -> None:
    page = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}").text
    assert re.fullmatch(r"15 \(.+\d{4}\)", _age_shown(page))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "birth_date", "Skriv fødselsdatoen, eller alderen hvis fødselsdatoen ikke kendes."),
        ({"age": "11"}, "age", "Mellem 12 og 25."),
        ({"age": "tretten"}, "age", "Ikke et gyldigt heltal."),
        ({"age": "99999999999"}, "age", "Mellem 12 og 25."),
        ({"age": "13\x00"}, "age", "Ikke et gyldigt heltal."),
        ({"birth_date": "2013-02-30", "age": "13"}, "birth_date", "Ikke en gyldig dato."),
    ],
)
def test_no_date_nor_age_or_a_hostile_age_is_refused_beside_the_field(
    world: World, app: Flask, fields: dict[str, str], field: str, message: str
) -> None:
    status, page = _edit(world.client_for("coordinator"), world.youth, **fields)
    assert status == 422
    assert field_error(page, field) == message
    with app.app_context():
        assert one(Youth, Youth.public_id == world.youth).first_name == "Amira"
        db.session.remove()
