"""An employer's change of an approved opening waits for the coordinator; the approved one is live.

Through HTTP, on the suite's database (SQLite, or PostgreSQL with
`TEST_DATABASE_URL`): the bartender case of issue 8 (the board, a matching run
and the guard keep the approved version; the coordinator sees the change and
the placements and proposals it would break, with the rules by name), harmless
edits at once, approving, rejecting, withdrawing, a stale approval, twenty
approvals at once, and hostile input that writes nothing.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import NEXT_WEEK, World, one, solved_run
from tests.webapp import test_races
from webapp.extensions import db
from webapp.models import Area, Opening, OutboxMessage, Shift
from webapp.services import geo

board = test_races.board  # the board served from a thread, for the parallel requests
EMPLOYER_EMAIL = "employer@test.example"
CONTACT_EMAIL = "kontakt@ikast-dagligvarer.example"
WAITS = "Din ændring venter på koordinatorens godkendelse"
# A new title, description and shift that still fit Amira's placement (Tuesday 15-19).
HARMLESS_TO_AMIRA = {
    "title": "Kassemedarbejder",
    "description": "Kasse og opfyldning",
    "shifts-0-start": "15:30",
    "shifts-0-end": "17:30",
}
BARTENDER = {"title": "Bartender i natklub", "alcohol": "bar", "min_age": "13", "light_work": ""}


@pytest.fixture
def opening_form(world: World, app: Flask) -> dict[str, str]:
    """The edit form of the world's approved Kasseassistent as it stands (a browser's POST).

    The opening is placed at its postcode's centre and its employer has a
    contact address, as an opening made through the form would be.
    """
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        place = geo.place_of(opening.address, "7430")
        opening.lat, opening.lon = place.lat, place.lon
        opening.employer.contact_email = CONTACT_EMAIL
        area = one(Area, Area.id == opening.area_id)
        db.session.commit()
        area_id = str(area.id)
    return {
        "title": "Kasseassistent",
        "description": "",
        "category": "retail",
        "kind": "fritidsjob",
        "positions": "2",
        "min_age": "13",
        "max_age": "",
        "light_work": "y",
        "workplace": "other",
        "alcohol": "none",
        "address": "",
        "postcode": "7430",
        "lat": "",
        "lon": "",
        "area_id": area_id,
        "hourly_wage_dkk": "",
        "shifts-0-day": "tue",
        "shifts-0-start": "16:00",
        "shifts-0-end": "18:00",
    }


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _edit(client: FlaskClient, world: World, form: dict[str, str], **changes: str) -> Any:
    data = {k: v for k, v in {**form, **changes}.items() if v != ""}
    return client.post(f"/employer/openings/{world.opening}/edit", data=data)


def _state(app: Flask, public_id: str) -> dict[str, Any]:
    """What the opening's row holds: live columns, shifts, the waiting change, the outbox."""
    with app.app_context():
        opening = one(Opening, Opening.public_id == public_id)
        state = {
            "title": opening.title,
            "alcohol": opening.alcohol,
            "min_age": opening.min_age,
            "light_work": opening.light_work,
            "positions": opening.positions,
            "wage": opening.hourly_wage_dkk,
            "description": opening.description,
            "shifts": [(s.day_index, s.start_min, s.end_min) for s in opening.shifts],
            "shift_rows": db.session.scalar(
                select(func.count()).select_from(Shift).where(Shift.opening_id == opening.id)
            ),
            "pending": opening.pending_changes,
            "version": opening.changes_version,
            "outbox": [
                (m.recipient, m.subject)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            ],
        }
        db.session.remove()
        return state


def _version(app: Flask, world: World) -> str:
    return str(_state(app, world.opening)["version"])


def _decide(client: FlaskClient, world: World, decision: str, version: str) -> Any:
    return client.post(
        f"/coordinator/openings/{world.opening}/change/{decision}", data={"version": version}
    )


def test_the_bartender_change_waits_and_the_approved_opening_stays_live(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    employer = world.client_for("employer")
    before = _state(app, world.opening)
    response = _edit(employer, world, opening_form, **BARTENDER)
    assert response.status_code == 302
    after = _state(app, world.opening)
    # The live opening is the approved one; the change is stored beside it.
    assert {k: after[k] for k in ("title", "alcohol", "light_work", "shifts")} == {
        k: before[k] for k in ("title", "alcohol", "light_work", "shifts")
    }
    assert after["pending"] == {
        "title": "Bartender i natklub",
        "alcohol": "bar",
        "light_work": False,
    }
    assert after["version"] == before["version"] + 1
    # The employer is told, and sees what waits.
    page = _page(employer.get(response.headers["Location"]))
    assert "venter på koordinatorens godkendelse" in page
    assert WAITS in page
    assert "Bartender i natklub" in page
    # The public board keeps the approved version.
    anonymous = world.client_for("anonymous")
    board_page = _page(anonymous.get("/jobs"))
    assert "Kasseassistent" in board_page
    assert "Bartender" not in board_page
    job = _page(anonymous.get(f"/jobs/{world.opening}"))
    assert "Kasseassistent" in job
    assert "Bartender" not in job
    # A matching run reads the approved version.
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        "/coordinator/runs",
        data={"start_date": NEXT_WEEK.isoformat(), "period": "auto", "time_limit_s": "5"},
    )
    assert response.status_code == 302, _page(response)[:2000]
    run = response.headers["Location"].rsplit("/", 1)[-1]
    problem = coordinator.get(f"/coordinator/runs/{run}/problem.json").get_json()
    record = next(o for o in problem["openings"] if o["id"] == world.opening)
    assert (record["title"], record["alcohol"], record["light_work"]) == (
        "Kasseassistent",
        "none",
        True,
    )
    # The coordinator sees the change waiting, side by side, and what it would break.
    listing = _page(coordinator.get("/coordinator/openings"))
    assert "1 ændring venter på din godkendelse" in listing
    page = _page(coordinator.get(f"/coordinator/openings/{world.opening}"))
    assert "En ændring venter på din godkendelse" in page
    assert "Kasseassistent" in page
    assert "Bartender i natklub" in page
    assert "Amira" in page  # 15 and in compulsory school: placed here, confirmed
    # The one guard's words, with the figures: the law where it is the law.
    assert "der serveres alkohol, hvilket loven ikke tillader en 15-årig" in page
    assert "opgaverne er ikke lettere arbejde, og loven tillader kun en 15-årig" in page
    assert "Hassan" not in page.split("En ændring venter")[1].split("</section>")[0]
    assert "Godkend ændringen" not in page  # no approve button while it breaks a placement
    # An approval sent anyway is refused, naming the youth; nothing changes.
    response = _decide(coordinator, world, "approve", str(after["version"]))
    assert response.status_code == 302
    refused = _page(coordinator.get(response.headers["Location"]))
    assert "Ændringen ville bryde med det, der kører nu (Amira)" in refused
    assert _state(app, world.opening) == after


def test_a_change_lists_the_sent_proposals_it_would_break(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    solved_run(world)  # Emil (14) is proposed to the employer for Kasseassistent
    employer = world.client_for("employer")
    assert _edit(employer, world, opening_form, min_age="15").status_code == 302
    page = _page(world.client_for("coordinator").get(f"/coordinator/openings/{world.opening}"))
    broken = page.split("Ændringen ville bryde med det, der kører nu")[1].split("</ul>")[0]
    assert "Emil" in broken
    assert "forslag sendt til arbejdsgiveren" in broken
    assert "den unge er 14 år; jobbet tager unge fra 15 år" in broken
    assert "Amira" not in broken  # 15: the new minimum age allows her


def test_positions_and_wage_apply_at_once_and_a_pending_opening_is_edited_directly(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    employer = world.client_for("employer")
    response = _edit(employer, world, opening_form, positions="3", hourly_wage_dkk="115")
    assert response.status_code == 302
    page = _page(employer.get(response.headers["Location"]))
    assert "Ændringerne er gemt" in page
    assert WAITS not in page
    state = _state(app, world.opening)
    assert (state["positions"], state["wage"], state["pending"]) == (3, 115, None)
    # Both kinds at once: the positions now, the title later.
    _edit(employer, world, opening_form, positions="4", title="Kassemedarbejder")
    state = _state(app, world.opening)
    assert (state["positions"], state["title"]) == (4, "Kasseassistent")
    assert state["pending"] == {"title": "Kassemedarbejder"}
    # An edit back to the live values withdraws the waiting change.
    _edit(employer, world, opening_form, positions="4")
    assert _state(app, world.opening)["pending"] is None
    # An opening never approved changes at once, whatever the field.
    form = {**opening_form, "title": "Lagerhjælp om natten", "alcohol": "bar", "area_id": ""}
    response = employer.post(f"/employer/openings/{world.pending_opening}/edit", data=form)
    assert response.status_code == 302
    pending = _state(app, world.pending_opening)
    assert (pending["title"], pending["alcohol"], pending["pending"]) == (
        "Lagerhjælp om natten",
        "bar",
        None,
    )


def test_the_edit_form_shows_the_waiting_change_and_the_employer_may_withdraw_it(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    employer = world.client_for("employer")
    _edit(employer, world, opening_form, title="Kasse og lager", description="Også varer")
    form = _page(employer.get(f"/employer/openings/{world.opening}/edit"))
    assert 'value="Kasse og lager"' in form
    assert "Du redigerer din ændring, der venter på koordinatorens godkendelse" in form
    # Edited again: the new change replaces the old one.
    _edit(employer, world, opening_form, title="Kasse og lager 2")
    assert _state(app, world.opening)["pending"] == {"title": "Kasse og lager 2"}
    withdraw = f"/employer/openings/{world.opening}/change/withdraw"
    response = employer.post(withdraw)
    assert response.status_code == 302
    assert "Din ændring er trukket tilbage" in _page(employer.get(response.headers["Location"]))
    state = _state(app, world.opening)
    assert (state["title"], state["pending"]) == ("Kasseassistent", None)
    # Twice: calmly, nothing waits.
    response = employer.post(withdraw)
    assert "Ingen ændring venter på godkendelse" in _page(
        employer.get(response.headers["Location"])
    )
    # Another employer's opening does not exist for them.
    other = world.client_for("other_employer")
    assert other.post(withdraw).status_code == 404
    assert other.get(f"/employer/openings/{world.opening}/edit").status_code == 404


def test_approval_applies_the_change_and_tells_the_employer(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    _edit(world.client_for("employer"), world, opening_form, **HARMLESS_TO_AMIRA)
    coordinator = world.client_for("coordinator")
    page = _page(coordinator.get(f"/coordinator/openings/{world.opening}"))
    assert "Ingen kørende placering eller sendt forslag bryder reglerne med ændringen" in page
    assert "Godkend ændringen" in page
    response = _decide(coordinator, world, "approve", _version(app, world))
    assert response.status_code == 302
    assert "Ændringen er godkendt" in _page(coordinator.get(response.headers["Location"]))
    state = _state(app, world.opening)
    assert (state["title"], state["description"], state["pending"]) == (
        "Kassemedarbejder",
        "Kasse og opfyldning",
        None,
    )
    assert (state["shifts"], state["shift_rows"]) == ([(1, 930, 1050)], 1)
    assert sorted(state["outbox"]) == [
        (EMPLOYER_EMAIL, "Din ændring af et job er godkendt"),
        (CONTACT_EMAIL, "Din ændring af et job er godkendt"),
    ]
    assert "Kassemedarbejder" in _page(world.client_for("anonymous").get("/jobs"))
    # The same approval again: calmly done, nothing more.
    response = _decide(coordinator, world, "approve", str(state["version"]))
    assert "Denne ændring er allerede afgjort" in _page(
        coordinator.get(response.headers["Location"])
    )
    assert _state(app, world.opening) == state


def test_rejection_keeps_the_approved_opening_and_tells_the_employer(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    _edit(world.client_for("employer"), world, opening_form, **BARTENDER)
    coordinator = world.client_for("coordinator")
    response = _decide(coordinator, world, "reject", _version(app, world))
    assert response.status_code == 302
    assert "Ændringen er afvist" in _page(coordinator.get(response.headers["Location"]))
    state = _state(app, world.opening)
    assert (state["title"], state["alcohol"], state["pending"]) == ("Kasseassistent", "none", None)
    assert sorted(state["outbox"]) == [
        (EMPLOYER_EMAIL, "Din ændring af et job er ikke godkendt"),
        (CONTACT_EMAIL, "Din ændring af et job er ikke godkendt"),
    ]
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body_text)).first() or ""
    assert "Kasseassistent" in body
    assert "Amira" not in body
    page = _page(world.client_for("employer").get(f"/employer/openings/{world.opening}"))
    assert WAITS not in page


def test_an_approval_of_a_change_the_employer_replaced_is_refused(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    employer = world.client_for("employer")
    _edit(employer, world, opening_form, title="Kassemedarbejder")
    seen = _version(app, world)  # the coordinator opens the page
    _edit(employer, world, opening_form, title="Kasse og lager")
    coordinator = world.client_for("coordinator")
    response = _decide(coordinator, world, "approve", seen)
    assert response.status_code == 302
    assert "Arbejdsgiveren har ændret eller trukket ændringen tilbage" in _page(
        coordinator.get(response.headers["Location"])
    )
    state = _state(app, world.opening)
    assert (state["title"], state["pending"]) == ("Kasseassistent", {"title": "Kasse og lager"})
    # Withdrawn meanwhile: the same.
    seen = _version(app, world)
    employer.post(f"/employer/openings/{world.opening}/change/withdraw")
    response = _decide(coordinator, world, "reject", seen)
    assert "Arbejdsgiveren har ændret eller trukket ændringen tilbage" in _page(
        coordinator.get(response.headers["Location"])
    )
    assert _state(app, world.opening)["outbox"] == []


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Bar\x00tender"},
        {"description": "Nat\x01klub"},
        {"min_age": "12"},
        {"min_age": "99999999999"},
        {"max_age": "13", "min_age": "16"},
        {"positions": "1"},  # one is taken: at least that many are needed... and two held
        {"shifts-0-end": "15:00"},
        {"alcohol": "absinthe"},
        {"lat": "nan"},
        {"area_id": "2147483648"},
    ],
    ids=lambda c: ",".join(c),
)
def test_hostile_input_in_the_edit_form_is_refused_beside_the_field_and_writes_nothing(
    world: World, app: Flask, opening_form: dict[str, str], changes: dict[str, str]
) -> None:
    employer = world.client_for("employer")
    _edit(employer, world, opening_form, title="Kassemedarbejder")  # a change waits already
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        opening.filled = 2  # both positions held
        db.session.commit()
    before = _state(app, world.opening)
    response = _edit(employer, world, opening_form, **changes)
    assert response.status_code == 422, _page(response)[:500]
    assert "invalid-feedback" in _page(response) or "alert-danger" in _page(response)
    assert _state(app, world.opening) == before


def test_a_coordinator_decision_with_a_bad_version_writes_nothing(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    _edit(world.client_for("employer"), world, opening_form, title="Kassemedarbejder")
    before = _state(app, world.opening)
    coordinator = world.client_for("coordinator")
    for version in ("", "x", "-1", "2147483648", "1\x00"):
        response = _decide(coordinator, world, "approve", version)
        assert response.status_code in (302, 422), version
        assert _state(app, world.opening) == before
    # Only the coordinator decides.
    employer = world.client_for("employer")
    assert _decide(employer, world, "approve", str(before["version"])).status_code == 403
    assert _state(app, world.opening) == before


@pytest.mark.parametrize("mixed", [False, True], ids=["approve", "approve and reject"])
def test_twenty_decisions_at_once_apply_the_change_once(
    world: World, app: Flask, opening_form: dict[str, str], board: str, mixed: bool
) -> None:
    _edit(world.client_for("employer"), world, opening_form, **HARMLESS_TO_AMIRA)
    version = _version(app, world)
    path = f"/coordinator/openings/{world.opening}/change/"
    requests = [
        ("coordinator", path + ("reject" if mixed and i % 2 else "approve"), {"version": version})
        for i in range(test_races.PARALLEL)
    ]
    answers = test_races.send_together(board, requests)
    assert answers == [302] * test_races.PARALLEL
    state = _state(app, world.opening)
    assert state["pending"] is None
    assert len(state["outbox"]) == 2  # one message to each of the employer's two addresses
    (subject,) = {s for _r, s in state["outbox"]}
    if subject == "Din ændring af et job er godkendt":
        assert (state["title"], state["shifts"]) == ("Kassemedarbejder", [(1, 930, 1050)])
    else:
        assert mixed
        assert (state["title"], state["shifts"]) == ("Kasseassistent", [(1, 960, 1080)])
    assert state["shift_rows"] == 1


def test_closing_an_opening_drops_its_waiting_change(
    world: World, app: Flask, opening_form: dict[str, str]
) -> None:
    employer = world.client_for("employer")
    _edit(employer, world, opening_form, title="Kassemedarbejder")
    version = _version(app, world)
    assert employer.post(f"/employer/openings/{world.opening}/close").status_code == 302
    state = _state(app, world.opening)
    assert (state["title"], state["pending"]) == ("Kasseassistent", None)
    response = _decide(world.client_for("coordinator"), world, "approve", version)
    assert response.status_code == 302
    assert _state(app, world.opening) == state


def test_an_approval_and_placements_at_once_never_leave_a_placement_the_change_breaks(
    world: World, app: Flask, opening_form: dict[str, str], board: str
) -> None:
    """Ten approvals of "from 15 years" and ten placements of Emil (14) by hand, together.

    The guard holds the opening's row as the approval does: either the change
    comes first and Emil is refused, or Emil's placement does and the approval
    is refused because it would break it. Never both.
    """
    _edit(world.client_for("employer"), world, opening_form, min_age="15")
    version = _version(app, world)
    approve = ("coordinator", f"/coordinator/openings/{world.opening}/change/approve")
    place = ("coordinator", f"/coordinator/youths/{world.other_youth}/placements")
    requests = [(*approve, {"version": version})] * (test_races.PARALLEL // 2) + [
        (*place, {"opening": world.opening, "start_date": test_races.next_tuesday()})
    ] * (test_races.PARALLEL // 2)
    answers = test_races.send_together(board, requests)
    # A placement after the change is refused beside the field (422), never a 5xx.
    assert all(code in (200, 302, 422) for code in answers), sorted(answers)
    state = _state(app, world.opening)
    emil = test_races.effects(app, world.other_youth, world.opening)
    if state["pending"] is None:
        assert (state["min_age"], emil.running) == (15, 0)
    else:
        assert (state["min_age"], emil.running) == (13, 1)
