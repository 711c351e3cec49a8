"""The right of access: everything held about a youth, as JSON and as a page to print."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from tests.factories import NEXT_WEEK, World, next_weekday, one, solved_run
from webapp.extensions import db
from webapp.models import OutboxMessage, SmsContact, Youth

PATHS = ("/coordinator/youths/{}/export", "/coordinator/youths/{}/access")


def _emil_placed(world: World, app: Flask) -> None:
    """Emil proposed by a run, taken by the employer, with an SMS contact and a message."""
    _, proposal = solved_run(world)
    first_day = next_weekday(on_or_after=NEXT_WEEK + dt.timedelta(days=1))
    response = world.client_for("employer").post(
        f"/employer/proposals/{proposal}/accept",
        data={"accept-start_date": first_day.isoformat()},
    )
    assert response.status_code == 302
    with app.app_context():
        emil = one(Youth, Youth.public_id == world.other_youth)
        db.session.add(SmsContact(youth_id=emil.id, role="parent", opted_in=True))
        db.session.commit()


def test_the_json_copy_holds_everything_stored(world: World, app: Flask) -> None:
    _emil_placed(world, app)
    coordinator = world.client_for("coordinator")
    coordinator.get(f"/coordinator/youths/{world.other_youth}")  # a view, for the access log
    response = coordinator.get(PATHS[0].format(world.other_youth))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert (data["first_name"], data["last_name"]) == ("Emil", "Jensen")
    assert data["parent"]["email"] == "parent-emil@youth.example"
    assert data["notes"] == "Secret coordinator note"
    assert [p["opening"] for p in data["placements"]] == ["Kasseassistent"]
    assert [(p["opening"], p["status"]) for p in data["proposals"]] == [
        ("Kasseassistent", "accepted")
    ]
    assert {m["channel"] for m in data["messages"]} == {"email"}
    sent_to = {m["to"] for m in data["messages"]}
    assert {"emil@youth.example", "parent-emil@youth.example"} <= sent_to
    assert any("Emil" in m["text"] for m in data["messages"])
    assert {e["kind"] for e in data["timeline"]} >= {"proposed", "placed"}
    assert data["stored"]["sms_contact"][0]["role"] == "parent"
    assert ("youth_viewed", "Set") in {(e["action"], e["what"]) for e in data["access_log"]}
    coordinator.get(PATHS[1].format(world.other_youth))
    again = coordinator.get(PATHS[0].format(world.other_youth)).get_json()
    copies = [e["detail"] for e in again["access_log"] if e["action"] == "youth_access_exported"]
    assert copies == [{"format": "json"}, {"format": "html"}]  # each copy made is recorded
    with app.app_context():
        # Every message the copy lists is in the outbox; the employer's names no youth.
        listed = {m["to"] for m in data["messages"]}
        employer_mail = {
            m.recipient
            for m in db.session.query(OutboxMessage)
            if m.template.startswith("proposal")
        }
        assert employer_mail
        assert not employer_mail & listed


def test_the_page_is_readable_and_printable(world: World, app: Flask) -> None:
    _emil_placed(world, app)
    response = world.client_for("coordinator").get(PATHS[1].format(world.other_youth))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Data gemt om Emil Jensen" in page
    for shown in ("parent-emil@youth.example", "Secret coordinator note", "Kasseassistent"):
        assert shown in page
    assert "Beskeder sendt eller på vej" in page
    assert "Emil" in page.split("Beskeder sendt")[1]
    assert "Placeret" in page  # codes worded: a timeline entry
    assert "Accepteret" in page  # and a proposal
    assert "Bekræftet" in page  # a job's status, as text
    assert "\\u00e6" not in page
    assert "<nav" not in page  # the copy alone, without the board's menu
    assert 'class="d-print-none' in page  # its buttons are left out of the print


def test_a_hostile_name_is_shown_as_text(world: World, app: Flask) -> None:
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        youth.notes = "<script>alert(1)</script>\u202e{{ 7*7 }}"
        db.session.commit()
    page = world.client_for("coordinator").get(PATHS[1].format(world.youth)).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page


@pytest.mark.parametrize("role", ["anonymous", "employer", "counsellor", "other_counsellor"])
@pytest.mark.parametrize("path", PATHS)
def test_only_coordinators_get_a_copy(world: World, role: str, path: str) -> None:
    response = world.client_for(role).get(path.format(world.youth))
    assert response.status_code in (302, 403, 404)
    assert b"Hassan" not in response.data


def test_an_unknown_or_erased_youth_has_no_copy(world: World) -> None:
    coordinator = world.client_for("coordinator")
    for path in PATHS:
        assert coordinator.get(path.format("no-such-youth")).status_code == 404
        assert coordinator.get(path.format("x" * 5000)).status_code == 404
    coordinator.post(f"/coordinator/youths/{world.youth}/archive")
    coordinator.post(f"/coordinator/youths/{world.youth}/erase")
    for path in PATHS:
        assert coordinator.get(path.format(world.youth)).status_code == 404


@pytest.mark.parametrize("public_id", ["a%00b", "%E2%80%AE" * 3, "' OR 1=1 --", "..%2F..%2Fetc"])
def test_a_hostile_id_finds_nothing(world: World, public_id: str) -> None:
    coordinator = world.client_for("coordinator")
    for path in PATHS:
        assert coordinator.get(path.format(public_id)).status_code == 404
    erase = coordinator.post(f"/coordinator/youths/{public_id}/erase")
    assert erase.status_code in (400, 404)
