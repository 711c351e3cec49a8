"""Likely duplicates on the review page, and merging a registration into the youth it repeats.

Registrations are sent through the public form, the review page is read and
the merge posted as a coordinator, all through HTTP; the rows are checked in
the database. The world's youths get contacts of their own first (the
factories give every youth the same phone numbers).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import World, YouthFactory, one, years_ago
from tests.webapp import test_races as races
from tests.webapp.test_interest_ages import send
from webapp.extensions import db
from webapp.models import EventKind, Opening, TimelineEvent, Youth, YouthPreference

board = races.board  # the board served from a thread, for the parallel merges

AMIRA_BIRTH = years_ago(15) - dt.timedelta(days=40)


@pytest.fixture
def known(world: World, app: Flask) -> World:
    """The world with distinct contacts: Amira (active) prefers the world's opening."""
    contacts = {
        world.youth: ("amira@youth.example", "21 11 11 11", "", "11 11 22 22"),
        world.other_youth: ("emil@youth.example", "22221111", "far@emil.example", "22222222"),
        world.pending_youth: ("omar@youth.example", "33331111", "mor@omar.example", "33332222"),
    }
    with app.app_context():
        for public_id, (email, phone, parent_email, parent_phone) in contacts.items():
            youth = one(Youth, Youth.public_id == public_id)
            youth.email, youth.phone = email, phone
            youth.parent_email, youth.parent_phone = parent_email, parent_phone
        amira = one(Youth, Youth.public_id == world.youth)
        amira.birth_date = AMIRA_BIRTH
        amira.address = ""
        opening = one(Opening, Opening.public_id == world.opening)
        amira.preferences = [YouthPreference(opening=opening, rank=1)]
        db.session.commit()
    return world


def register(client: FlaskClient, path: str = "/interest", **fields: Any) -> None:
    """Send the public form (as `test_interest_ages.send`) for a 15-year-old Sara by default."""
    sara = {"first_name": "Sara", "birth_date": years_ago(15).isoformat()}
    contact = {"email": "sara@example.org", "phone": "44 44 44 44"}
    response = send(client, path, **{**sara, **contact, **fields})
    assert response.status_code == 302, re.findall(
        r"(?:invalid-feedback|text-danger)[^>]*>([^<]*)", response.get_data(as_text=True)
    )


def flags(coordinator: FlaskClient) -> list[str]:
    """The duplicate notes on the review page, as text."""
    page = coordinator.get("/coordinator/registrations").get_data(as_text=True)
    notes = re.findall(r'<div class="alert alert-warning[^"]*duplicate">(.*?)</div>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", n).split()) for n in notes]


def registration(app: Flask, first_name: str) -> str:
    """The public id of the newest registration under `first_name`."""
    with app.app_context():
        return one(Youth, Youth.first_name == first_name, Youth.status == "pending").public_id


def test_the_same_email_twice_is_flagged_both_ways_and_merged_into_the_older(
    known: World, app: Flask, client: FlaskClient
) -> None:
    register(client, first_name="Sara", email="sara@example.org", phone="")
    register(client, first_name="Sarah", email="SARA@Example.org", phone="")
    coordinator = known.client_for("coordinator")
    notes = flags(coordinator)
    assert len(notes) == 2
    assert all("samme e-mail" in n for n in notes)
    # The newer registration offers the merge into the older one, not the other way round.
    assert sum("Flet ind i Sara" in n for n in notes) == 1
    assert not any("Flet ind i Sarah" in n for n in notes)
    page = coordinator.get("/coordinator/registrations").get_data(as_text=True)
    older, newer = registration(app, "Sara"), registration(app, "Sarah")
    forms = re.findall(
        r'action="/coordinator/registrations/([^/"]+)/merge".*?name="into" value="([^"]+)"',
        page,
        re.S,
    )
    assert forms == [(newer, older)]


def test_the_same_phone_written_otherwise_is_flagged(known: World, client: FlaskClient) -> None:
    register(client, first_name="Noor", email="", phone="+45 21 11 11 11")
    register(client, first_name="Ali", email="", phone="0045 22221111")
    notes = flags(known.client_for("coordinator"))
    assert any("Amira Hassan" in n and "samme telefon" in n for n in notes), notes
    assert any("Emil Jensen" in n and "samme telefon" in n for n in notes), notes
    # Active youths are offered as the youth to keep.
    assert any("Flet ind i Amira" in n for n in notes)


def test_a_parents_contact_is_flagged_by_name(known: World, client: FlaskClient) -> None:
    register(
        client,
        first_name="Ida",
        email="ida@example.org",
        phone="",
        parent_phone="",
        parent_email="FAR@emil.example",
    )
    notes = flags(known.client_for("coordinator"))
    assert notes == [
        "Sandsynligvis den samme unge som Emil Jensen (Aktiv): samme e-mail hos forælderen."
        " Flet ind i Emil"
    ]


def test_the_same_name_and_birth_date_is_flagged(known: World, client: FlaskClient) -> None:
    register(client, first_name="  amira   HASSAN ", birth_date=AMIRA_BIRTH.isoformat())
    register(
        client,
        first_name="Amira",
        email="a2@example.org",
        phone="66666666",
        parent_phone="77777777",
        birth_date=AMIRA_BIRTH.isoformat(),
    )
    notes = flags(known.client_for("coordinator"))
    about_amira = [n for n in notes if "som Amira Hassan" in n]
    assert len(about_amira) == 2
    assert all("samme navn og fødselsdato" in n for n in about_amira)


def test_different_people_are_not_flagged(known: World, client: FlaskClient) -> None:
    # Same first name as Amira, another birth date; contacts of their own.
    register(client, first_name="Amira", birth_date=years_ago(14).isoformat())
    register(
        client, first_name="Bo", email="bo@example.org", phone="88888888", parent_phone="99999999"
    )
    assert flags(known.client_for("coordinator")) == []


def test_merge_fills_the_kept_youth_and_deletes_the_registration(
    known: World, app: Flask, client: FlaskClient
) -> None:
    register(
        client,
        f"/jobs/{known.other_opening}/interest",
        first_name="Amira",
        birth_date=AMIRA_BIRTH.isoformat(),
        email="AMIRA@youth.example",
        phone="",
        parent_email="mor@amira.example",
        languages=["da", "so"],
        interests=["bakery", "retail"],
        jobs=[known.opening, known.other_opening],
    )
    new = registration(app, "Amira")
    coordinator = known.client_for("coordinator")
    assert any("Flet ind i Amira" in n for n in flags(coordinator))
    response = coordinator.post(
        f"/coordinator/registrations/{new}/merge", data={"into": known.youth}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/coordinator/youths/{known.youth}")
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tilmeldingen er flettet ind i Amira." in page
    with app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.public_id == new)) is None
        amira = one(Youth, Youth.public_id == known.youth)
        assert amira.status == "active"
        assert amira.email == "amira@youth.example"  # kept, not overwritten
        assert amira.parent_email == "mor@amira.example"  # was empty: filled
        assert amira.parent_phone == "11 11 22 22"  # kept
        assert amira.languages == ["da", "ar", "so"]
        assert amira.interests == ["retail", "bakery"]
        assert [(p.opening.public_id, p.rank) for p in amira.preferences] == [
            (known.opening, 1),
            (known.other_opening, 2),
        ]
        merged = [e for e in amira.events if e.kind == EventKind.UPDATED]
        assert len(merged) == 1
        assert merged[0].data["merged_registration"] == new
        assert merged[0].data["openings"] == [known.other_opening]
        assert {"parent_email", "languages", "interests", "preferences"} <= set(
            merged[0].data["fields"]
        )
        assert "mor@amira.example" not in str(merged[0].data)  # names of fields, no values
    # The same POST again: done already, said calmly.
    again = coordinator.post(f"/coordinator/registrations/{new}/merge", data={"into": known.youth})
    assert again.status_code == 302
    page = coordinator.get(again.headers["Location"]).get_data(as_text=True)
    assert "Tilmeldingen er allerede flettet ind." in page
    assert "alert-info" in page


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "En tilmelding kan ikke flettes ind i sig selv."),
        ("gone", "Den unge, der skulle flettes ind i, findes ikke længere."),
        ("active", "Kun en ny tilmelding kan flettes ind i en anden ung."),
        ("unknown", "Denne tilmelding er allerede behandlet."),
    ],
)
def test_merge_is_refused_calmly(known: World, app: Flask, case: str, message: str) -> None:
    coordinator = known.client_for("coordinator")
    source, target = {
        "itself": (known.pending_youth, known.pending_youth),
        "gone": (known.pending_youth, "no-such-youth"),
        "active": (known.other_youth, known.youth),
        "unknown": ("no-such-registration", known.youth),
    }[case]
    before = _counts(app)
    response = coordinator.post(
        f"/coordinator/registrations/{source}/merge", data={"into": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/coordinator/registrations")
    page = coordinator.get("/coordinator/registrations").get_data(as_text=True)
    assert message in page
    assert _counts(app) == before


def test_merge_is_a_coordinators_action(known: World) -> None:
    path = f"/coordinator/registrations/{known.pending_youth}/merge"
    for role in ("anonymous", "counsellor", "employer"):
        response = known.client_for(role).post(path, data={"into": known.youth})
        assert response.status_code in (302, 403, 404)
        assert "/coordinator/youths" not in response.headers.get("Location", "")


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        youths = db.session.scalar(select(func.count()).select_from(Youth)) or 0
        events = db.session.scalar(select(func.count()).select_from(TimelineEvent)) or 0
        return youths, events


def test_twenty_merges_at_once_merge_once(known: World, app: Flask, board: str) -> None:
    register(
        app.test_client(),
        first_name="Amira",
        birth_date=AMIRA_BIRTH.isoformat(),
        email="amira@youth.example",
        jobs=[known.opening, known.other_opening],
    )
    new = registration(app, "Amira")
    path = f"/coordinator/registrations/{new}/merge"
    statuses = races.send_together(
        board, [("coordinator", path, {"into": known.youth})] * races.PARALLEL
    )
    assert statuses == [302] * races.PARALLEL
    with app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.public_id == new)) is None
        amira = one(Youth, Youth.public_id == known.youth)
        assert [(p.opening.public_id, p.rank) for p in amira.preferences] == [
            (known.opening, 1),
            (known.other_opening, 2),
        ]
        merged = [e for e in amira.events if e.data.get("merged_registration") == new]
        assert len(merged) == 1


def test_the_review_page_asks_as_often_with_many_youths_behind_it(
    known: World, app: Flask, client: FlaskClient, count_queries: Any
) -> None:
    """Finding duplicates takes as many queries with three youths as with a hundred more."""
    register(client, first_name="Noor", email="", phone="+45 21 11 11 11")
    coordinator = known.client_for("coordinator")
    few = count_queries(coordinator, "/coordinator/registrations")
    with app.app_context():
        for n in range(100):
            YouthFactory(
                first_name=f"Anden{n}",
                email=f"a{n}@x.example",
                phone=f"{40000000 + n}",
                parent_email="",
                parent_phone=f"{50000000 + n}",
            )
        db.session.commit()
    assert count_queries(coordinator, "/coordinator/registrations") == few
    assert any("Amira Hassan" in n for n in flags(coordinator))
