"""Time fields take a time as people type it; email and phone fields bring the right keyboard.

Through HTTP on the coordinator's youth form and the public interest form:
"15:00", "15.00", "1500", "930" and "9" are understood (shown again as
"HH:MM"); "25:00", "1575", "24:00" as a start or another script's digits are
refused beside the field and nothing is written; hostile text is a 422. The
inputs carry a full keyboard (``inputmode="text"``, since the iOS number pad
has no colon) and a pattern; email and phone inputs are ``type=email`` and
``type=tel``.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World, one
from tests.webapp.test_first_day import field_error, field_value
from webapp.extensions import db
from webapp.models import Youth

START_RULE = "Skriv et klokkeslæt fra 00:00 til 23:59, f.eks. 15:30 eller 1530."
END_RULE = "Skriv et klokkeslæt fra 00:00 til 24:00, f.eks. 18:00 eller 1800."
AFTER = "Sluttidspunktet skal ligge efter starttidspunktet."


def _edit(client: FlaskClient, world: World, start: str, end: str) -> tuple[int, str]:
    data = {
        "first_name": "Amira",
        "age": "15",
        "priority": "1",
        "max_jobs": "1",
        "availability-0-day": "wed",
        "availability-0-start": start,
        "availability-0-end": end,
    }
    response = client.post(f"/coordinator/youths/{world.youth}/edit", data=data)
    return response.status_code, response.get_data(as_text=True)


def _windows(app: Flask, world: World) -> list[tuple[int, int, int]]:
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        found = [(w.day_index, w.start_min, w.end_min) for w in youth.availability]
        db.session.remove()
        return found


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        ("1500", "1800", (900, 1080)),
        ("15:00", "18:00", (900, 1080)),
        ("15.00", "18.30", (900, 1110)),
        (" 9 ", "12", (540, 720)),
        ("930", "2400", (570, 1440)),
        ("0915", "24:00", (555, 1440)),
    ],
)
def test_typed_times_are_understood(
    world: World, app: Flask, start: str, end: str, minutes: tuple[int, int]
) -> None:
    client = world.client_for("coordinator")
    status, page = _edit(client, world, start, end)
    assert status == 302, page[:2000]
    assert _windows(app, world) == [(2, *minutes)]
    form = client.get(f"/coordinator/youths/{world.youth}/edit").text
    shown = (field_value(form, "availability-0-start"), field_value(form, "availability-0-end"))
    assert shown == tuple(f"{m // 60:02d}:{m % 60:02d}" for m in minutes)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("25:00", "26:00", "availability-0-start", START_RULE),
        ("1575", "1800", "availability-0-start", START_RULE),
        ("24:00", "24:00", "availability-0-start", START_RULE),
        ("15:00", "2401", "availability-0-end", END_RULE),
        ("15:00:00", "18:00", "availability-0-start", START_RULE),
        ("١٥٠٠", "18:00", "availability-0-start", START_RULE),
        ("kl. 15", "18:00", "availability-0-start", START_RULE),
        (
            "18:00",
            "1500",
            "availability-0-end",
            "Sluttidspunktet skal ligge efter starttidspunktet.",
        ),
        ("15\x00", "18:00", "availability-0-start", "Fjern de usynlige kontroltegn fra teksten."),
        ("1" * 20_000, "18:00", "availability-0-start", "Højst 10000 tegn."),
    ],
)
def test_wrong_times_are_refused_beside_the_field(
    world: World, app: Flask, start: str, end: str, field: str, message: str
) -> None:
    before = _windows(app, world)
    status, page = _edit(world.client_for("coordinator"), world, start, end)
    assert status == 422
    assert field_error(page, field) == message
    assert _windows(app, world) == before


def _input(page: str, field_id: str) -> str:
    tag = re.search(rf'<input[^>]*\sid="{re.escape(field_id)}"[^>]*>', page)
    assert tag is not None, field_id
    return tag.group(0)


@pytest.mark.parametrize("url", ["/coordinator/youths/new", "/interest"])
def test_inputs_bring_the_right_keyboard(world: World, url: str) -> None:
    client = world.client_for("coordinator") if url.startswith("/coordinator") else None
    page = (client or world.app.test_client()).get(url).text
    for time_field in ("availability-0-start", "availability-0-end"):
        tag = _input(page, time_field)
        assert 'inputmode="text"' in tag
        assert "numeric" not in tag
        assert 'pattern="' in tag
    for email in ("email", "parent_email"):
        assert 'type="email"' in _input(page, email)
    for phone in ("phone", "parent_phone"):
        assert 'type="tel"' in _input(page, phone)


def test_the_public_form_takes_1500_too(app: Flask) -> None:
    response = app.test_client().post(
        "/interest",
        data={
            "first_name": "Sara",
            "age": "14",
            "phone": "20202020",
            "parent_name": "Mor",
            "parent_phone": "30303030",
            "consent": "y",
            "availability-0-day": "thu",
            "availability-0-start": "1500",
            "availability-0-end": "1730",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        youth = one(Youth, Youth.first_name == "Sara")
        assert [(w.day_index, w.start_min, w.end_min) for w in youth.availability] == [
            (3, 900, 1050)
        ]
        db.session.remove()


def test_the_job_filter_waits_behind_a_button_and_lands_on_the_results(world: World) -> None:
    page = world.app.test_client().get("/jobs?category=retail").text
    button = re.search(r'<button[^>]*data-bs-target="#job-filter"[^>]*>(.*?)</button>', page, re.S)
    assert button is not None
    assert 'data-bs-toggle="collapse"' in button.group(0)
    assert "d-md-none" in button.group(0)  # a phone only: from md up the filter is shown
    assert "Filtrér" in button.group(1)
    assert "1 filter valgt" in button.group(1)
    form = re.search(r'<form[^>]*id="job-filter"[^>]*>', page)
    assert form is not None
    assert "collapse d-md-block" in form.group(0)
    assert 'action="/jobs#results"' in form.group(0)
    assert re.search(r'<p[^>]*id="results"', page)
    assert "<script>" not in page  # no inline script: Bootstrap's collapse does it
