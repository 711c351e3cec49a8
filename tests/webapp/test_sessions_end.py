"""Sessions that end: an idle timeout, an absolute lifetime, revocation on the server
(sign-out, password change, deactivation, role change), a new session at sign-in, no
personal data in the cookie and no page with personal data kept by a cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.factories import EMAILS, PASSWORD, World, YouthFactory
from webapp.auth.sessions import SESSION_KEY
from webapp.extensions import db
from webapp.models import User
from webapp.models.staff_sessions import StaffSession

NOW = dt.datetime(2026, 12, 2, 9, 0, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
NEW_PASSWORD = "Grøn-hest-batteri-4711"


def _cookie(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """What the session cookie holds (it is signed, not encrypted: anyone can read it)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    contents: dict[str, Any] = serializer.loads(cookie.value)
    return contents


def _signed_in(app: Flask, role: str = "coordinator") -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": EMAILS[role], "password": PASSWORD})
    assert response.status_code == 302
    return client


def _in(client: FlaskClient, url: str = "/coordinator/") -> bool:
    """Whether `client` is still signed in (the page answers instead of the sign-in)."""
    response = client.get(url)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def _replay(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser with a copy of `client`'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    return copy


def _end_reasons(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(StaffSession.end_reason).order_by(StaffSession.id)))


def test_thirty_idle_minutes_end_a_session(world: World) -> None:
    app = world.app
    with time_machine.travel(NOW, tick=False) as clock:
        client = _signed_in(app)
        for _ in range(3):  # active every 29 minutes: still signed in after 87
            clock.shift(29 * MINUTE)
            assert _in(client)
        clock.shift(31 * MINUTE)
        assert not _in(client)
        assert not _in(_replay(app, client))
    assert _end_reasons(app) == ["idle"]


def test_a_session_ends_after_its_lifetime_however_active(
    make_app: Callable[..., Flask], world: World
) -> None:
    app = make_app(SESSION_LIFETIME_HOURS=1)
    with time_machine.travel(NOW, tick=False) as clock:
        client = _signed_in(app)
        for _ in range(3):
            clock.shift(20 * MINUTE)
            assert _in(client)
        clock.shift(MINUTE)
        assert not _in(client)
    assert _end_reasons(app) == ["lifetime"]


def test_a_cookie_replayed_after_sign_out_is_refused(world: World) -> None:
    client = _signed_in(world.app)
    copy = _replay(world.app, client)
    assert _in(copy)
    assert client.post("/logout").status_code == 302
    assert not _in(copy)
    assert _end_reasons(world.app) == ["logout"]


def test_a_password_change_ends_the_other_sessions_not_this_one(world: World) -> None:
    app = world.app
    client, other = _signed_in(app), _signed_in(app)
    stolen = _replay(app, client)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _in(client)
    assert not _in(other)
    assert not _in(stolen)  # the copy of the old cookie of this very browser too


def test_deactivation_ends_every_session_of_the_account(world: World) -> None:
    counsellor = _signed_in(world.app, "counsellor")
    assert _in(counsellor, "/counsellor/")
    coordinator = world.client_for("coordinator")
    response = coordinator.post(f"/coordinator/users/{world.counsellor}/deactivate")
    assert response.status_code == 302
    assert not _in(counsellor, "/counsellor/")
    assert not _in(_replay(world.app, counsellor), "/counsellor/")


def test_a_role_change_ends_the_session(world: World) -> None:
    client = _signed_in(world.app, "counsellor")
    assert _in(client, "/counsellor/")
    with world.app.app_context():
        db.session.execute(
            update(User).where(User.public_id == world.counsellor).values(role="coordinator")
        )
        db.session.commit()
    assert not _in(client)
    assert _end_reasons(world.app) == ["role"]


def test_a_sign_in_starts_a_new_session(world: World) -> None:
    app = world.app
    client = app.test_client()
    # A visitor's cookie planted before the sign-in (fixation) is not the session after it.
    with client.session_transaction() as session:
        session[SESSION_KEY] = "planted-by-someone-else"
        session["leftover"] = "from before"
    client.post("/login", data={"email": EMAILS["coordinator"], "password": PASSWORD})
    first = _cookie(app, client)
    assert first[SESSION_KEY] != "planted-by-someone-else"
    assert "leftover" not in first
    again = world.login(app.test_client(), EMAILS["coordinator"])
    assert _cookie(app, again)[SESSION_KEY] != first[SESSION_KEY]
    # A new sign-in in the same browser (here: after a password change) ends the one it had.
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert _cookie(app, client)[SESSION_KEY] != first[SESSION_KEY]
    assert "replaced" in _end_reasons(app)


def test_the_youth_search_term_stays_on_the_server(world: World) -> None:
    app = world.app
    with app.app_context():
        YouthFactory(first_name="Zeynep", last_name="Østergaard")
        db.session.commit()
    client = _signed_in(app)
    response = client.post("/coordinator/youths", data={"q": "Zeynep Østergaard"})
    assert response.status_code == 302
    assert "Zeynep" not in response.headers["Location"]
    page = client.get("/coordinator/youths").get_data(as_text=True)
    assert 'value="Zeynep Østergaard"' in page
    contents = _cookie(app, client)
    assert "Zeynep" not in repr(contents)
    assert "rgaard" not in repr(contents)
    assert set(contents) <= {"_user_id", "_fresh", "_id", SESSION_KEY, "csrf_token", "_flashes"}
    client.post("/logout")
    with app.app_context():
        assert db.session.scalars(select(StaffSession.youth_search)).all() == [""]


def test_messages_for_the_next_page_wait_on_the_server(world: World) -> None:
    """A message after a POST may name a youth: it waits with the session, not in the cookie."""
    app = world.app
    client = _signed_in(app)
    response = client.post(f"/coordinator/users/{world.counsellor}/deactivate")
    assert response.status_code == 302
    assert "_flashes" not in _cookie(app, client)
    with app.app_context():
        waiting = db.session.scalars(select(StaffSession.flashes)).one()
        assert [category for category, _text in waiting] == ["success"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="alert alert-success"' in page
    assert 'class="alert alert-success"' not in client.get("/coordinator/users").get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalars(select(StaffSession.flashes)).one() == []


def test_pages_are_kept_by_no_cache(world: World) -> None:
    client = world.client_for("coordinator")
    for url in ("/coordinator/", "/coordinator/youths", f"/coordinator/youths/{world.youth}"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", url
    counsellor = world.client_for("counsellor")
    assert counsellor.get("/counsellor/").headers["Cache-Control"] == "no-store"
    anonymous = world.client_for("anonymous")
    assert anonymous.get("/login").headers["Cache-Control"] == "no-store"
    with anonymous.get("/static/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_a_request_reads_its_account_and_session_in_one_query(
    world: World, page_statements: Callable[[FlaskClient, str], list[str]]
) -> None:
    """Every signed-in page pays this read: the account and its session together, not two reads."""
    client = world.client_for("coordinator")
    statements = page_statements(client, "/coordinator/holidays")
    reads = [s for s in statements if "staff_session" in s or 'FROM "user"' in s]
    assert len(reads) == 1, reads
    assert "JOIN staff_session" in reads[0], reads[0]
