"""A coordinator makes a counsellor a coordinator or back: sessions end, the trail records it,
an employer's account keeps its role, and twenty clicks at once change it once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, update

from tests.factories import EMAILS, World, make_world
from tests.webapp.test_races import board as board  # the board served over real HTTP
from tests.webapp.test_races import send_together
from webapp.extensions import db
from webapp.models import AuditAction, AuditEntry, Role, User, Youth


def _role(app: Flask, public_id: str) -> str:
    with app.app_context():
        role = db.session.scalar(select(User.role).where(User.public_id == public_id))
        db.session.remove()
    assert role is not None
    return role


def _role_entries(app: Flask, public_id: str) -> list[dict[str, str]]:
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action == AuditAction.ACCOUNT_ROLE_CHANGED,
                AuditEntry.user_public_id == public_id,
            )
            .order_by(AuditEntry.id)
        ).all()
        details = [entry.detail for entry in entries]
        db.session.remove()
    return details


def _follow_nobody(app: Flask) -> None:
    with app.app_context():
        db.session.execute(update(Youth).values(counsellor_id=None))
        db.session.commit()


def test_a_counsellor_made_coordinator_signs_in_again_and_sees_the_coordinators_pages(
    world: World,
) -> None:
    app = world.app
    _follow_nobody(app)
    counsellor = world.login(app.test_client(), EMAILS["counsellor"])
    assert counsellor.get("/counsellor/").status_code == 200
    coordinator = world.client_for("coordinator")
    users = coordinator.get("/coordinator/users").get_data(as_text=True)
    assert f'action="/coordinator/users/{world.counsellor}/role"' in users
    assert f"/coordinator/users/{world.employer_user}/role" not in users  # no button
    answer = coordinator.post(
        f"/coordinator/users/{world.counsellor}/role",
        data={"role": "coordinator"},
        follow_redirects=True,
    )
    assert "Rollen er ændret" in answer.get_data(as_text=True)
    assert _role(app, world.counsellor) == Role.COORDINATOR
    assert counsellor.get("/coordinator/").status_code == 302  # the old session ended
    again = world.login(app.test_client(), EMAILS["counsellor"])
    assert again.get("/coordinator/").status_code == 200
    assert _role_entries(app, world.counsellor) == [{"from": "counsellor", "to": "coordinator"}]


def test_a_coordinator_made_counsellor_loses_the_coordinators_pages(world: World) -> None:
    app = world.app
    _follow_nobody(app)
    coordinator = world.client_for("coordinator")
    for role in ("coordinator", "counsellor"):
        coordinator.post(f"/coordinator/users/{world.counsellor}/role", data={"role": role})
    assert _role(app, world.counsellor) == Role.COUNSELLOR
    demoted = world.login(app.test_client(), EMAILS["counsellor"])
    assert demoted.get("/coordinator/").status_code in (302, 403, 404)
    assert [entry["to"] for entry in _role_entries(app, world.counsellor)] == [
        "coordinator",
        "counsellor",
    ]


@pytest.mark.parametrize(
    ("who", "role", "says"),
    [
        ("employer_user", "coordinator", "En arbejdsgivers konto beholder sin rolle"),
        ("coordinator", "counsellor", "Du kan ikke ændre rollen for din egen konto"),
        ("other_counsellor", "employer", "kun gøres til koordinator eller vejleder"),
        ("other_counsellor", "admin", "kun gøres til koordinator eller vejleder"),
        ("other_counsellor", "coordinator\x00", "kun gøres til koordinator eller vejleder"),
        ("other_counsellor", "", "kun gøres til koordinator eller vejleder"),
        ("other_counsellor", "counsellor", "Kontoen har allerede denne rolle"),
        ("counsellor", "coordinator", "følger stadig 1 ung som vejleder"),
    ],
)
def test_a_change_that_cannot_be_is_refused_and_says_why(
    world: World, who: str, role: str, says: str
) -> None:
    public_id = getattr(world, who)
    before = _role(world.app, public_id)
    coordinator = world.client_for("coordinator")
    answer = coordinator.post(
        f"/coordinator/users/{public_id}/role", data={"role": role}, follow_redirects=True
    )
    assert answer.status_code == 200
    assert says in answer.get_data(as_text=True)
    assert _role(world.app, public_id) == before
    assert _role_entries(world.app, public_id) == []


@pytest.mark.parametrize("role", ["counsellor", "employer", "anonymous"])
def test_only_a_coordinator_changes_a_role(world: World, role: str) -> None:
    client = world.client_for(role)
    answer = client.post(
        f"/coordinator/users/{world.other_counsellor}/role", data={"role": "coordinator"}
    )
    assert answer.status_code in (302, 403, 404)
    assert _role(world.app, world.other_counsellor) == Role.COUNSELLOR


def test_an_unknown_account_is_a_404(world: World) -> None:
    answer = world.client_for("coordinator").post(
        "/coordinator/users/nosuchid/role", data={"role": "coordinator"}
    )
    assert answer.status_code == 404


def test_twenty_clicks_at_once_change_the_role_once(app: Flask, board: str) -> None:
    world = make_world(app)
    _follow_nobody(app)
    path = f"/coordinator/users/{world.other_counsellor}/role"
    answers = send_together(board, [("coordinator", path, {"role": "coordinator"})] * 20)
    assert all(code in (200, 302) for code in answers), sorted(answers)
    assert _role(app, world.other_counsellor) == Role.COORDINATOR
    assert len(_role_entries(app, world.other_counsellor)) == 1
