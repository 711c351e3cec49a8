"""Security built in: headers, cookies, CSRF, sessions, throttling, hashing, redirects, logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from tests.factories import EMAILS, PASSWORD, World, one
from webapp.extensions import db
from webapp.models import OutboxMessage, User, Youth
from webapp.services import outbox

PAGES = ["/jobs", "/login", "/interest", "/privacy"]
STAFF_PAGES = {
    "coordinator": ["/coordinator/", "/coordinator/youths", "/coordinator/youths/new"],
    "employer": ["/employer/", "/employer/openings/new"],
    "counsellor": ["/counsellor/"],
}


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_security_headers_and_csp_with_nonce(world: World) -> None:
    response = world.client_for("anonymous").get("/jobs")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce
    assert f'nonce="{nonce.group(1)}"' in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "employer", "counsellor"])
def test_no_inline_script_or_style_and_no_cdn(world: World, role: str) -> None:
    client = world.client_for(role)
    pages = PAGES if role == "anonymous" else STAFF_PAGES[role]
    if role == "coordinator":
        pages = [*pages, f"/coordinator/youths/{world.youth}"]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page, url
        assert "<style" not in page, url
        assert not re.search(r'(src|href)="(https?:)?//', page), url


def test_session_cookie_flags(world: World) -> None:
    client = world.app.test_client()
    response = client.post("/login", data={"email": EMAILS["coordinator"], "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a production secret")
    monkeypatch.setenv("BOARD_URL", "https://fritidsjob.example.dk")
    app = make_app(TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


def test_passwords_are_hashed_with_argon2id(world: World, app: Flask) -> None:
    with app.app_context():
        hashes = [u.password_hash for u in db.session.scalars(select(User))]
    assert hashes
    assert all(h and h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in (h or "") for h in hashes)


def test_logout_is_post_only_and_ends_the_session(world: World) -> None:
    client = world.login(world.app.test_client(), EMAILS["coordinator"])
    assert client.get("/logout").status_code == 405
    cookie = client.get_cookie("session")
    assert cookie is not None
    old_session = cookie.value
    assert client.post("/logout").status_code == 302
    assert client.get("/coordinator/").status_code == 302
    # Replaying the cookie from before the logout does not sign anyone in.
    replay = world.app.test_client()
    replay.set_cookie("session", old_session)
    response = replay.get("/coordinator/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_redirects_only_to_local_pages(world: World) -> None:
    client = world.app.test_client()
    data = {"email": EMAILS["coordinator"], "password": PASSWORD}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/coordinator/"
    client = world.app.test_client()
    response = client.post("/login?next=/coordinator/users", data=data)
    assert response.headers["Location"] == "/coordinator/users"


@pytest.fixture
def csrf_client(make_app: Callable[..., Flask], world: World) -> FlaskClient:
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_csrf_is_required_on_login(csrf_client: FlaskClient) -> None:
    data = {"email": EMAILS["coordinator"], "password": PASSWORD}
    response = csrf_client.post("/login", data=data)
    assert response.status_code == 400
    assert "Formularen er udløbet" in response.get_data(as_text=True)
    token = _token(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post("/login", data={**data, "csrf_token": token})
    assert response.status_code == 302


def test_csrf_is_required_on_state_changes(csrf_client: FlaskClient, world: World) -> None:
    token = _token(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post(
        "/login",
        data={"email": EMAILS["coordinator"], "password": PASSWORD, "csrf_token": token},
    )
    archive = f"/coordinator/youths/{world.youth}/archive"
    assert csrf_client.post(archive).status_code == 400
    assert csrf_client.post(archive, data={"csrf_token": "forged"}).status_code == 400
    with world.app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        assert youth.status == "active"
    token = _token(csrf_client.get(f"/coordinator/youths/{world.youth}").get_data(as_text=True))
    assert csrf_client.post(archive, data={"csrf_token": token}).status_code == 302
    assert csrf_client.post("/logout").status_code == 400


def test_csrf_on_the_public_interest_form(csrf_client: FlaskClient, world: World) -> None:
    response = csrf_client.post("/interest", data={"first_name": "Sara"})
    assert response.status_code == 400
    with world.app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.first_name == "Sara")) is None


def test_login_attempts_are_throttled(make_app: Callable[..., Flask], world: World) -> None:
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [
        client.post(
            "/login", data={"email": EMAILS["coordinator"], "password": "wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    response = client.post("/login", data={"email": EMAILS["coordinator"], "password": PASSWORD})
    assert response.status_code == 429
    assert "For mange forsøg" in response.get_data(as_text=True)
    # Looking at the form is never throttled.
    assert client.get("/login").status_code == 200


def test_no_cpr_column_anywhere(app: Flask) -> None:
    with app.app_context():
        inspector = inspect(db.engine)
        tables = inspector.get_table_names()
        assert "youth" in tables
        for table in tables:
            for column in inspector.get_columns(table):
                assert "cpr" not in column["name"].lower(), (table, column["name"])


def test_no_personal_data_in_logs(
    world: World,
    make_app: Callable[..., Flask],
    smtp_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = world.app.test_client()
    client.post("/login", data={"email": "amira@youth.example", "password": "nope"})
    client.post(
        "/interest",
        data={"first_name": "Zainab", "birth_date": "2011-01-01", "phone": "20202020"},
    )
    world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}")
    # An email that cannot be delivered (nothing listens on the port) is logged.
    sending = make_app(
        MAIL_SUPPRESS_SEND=False,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_port,
        MAIL_USE_TLS=False,
        MAIL_FILE_DIR="",
    )
    with sending.app_context():
        db.session.add(
            OutboxMessage(
                recipient="amira@youth.example",
                subject="Dit job er bekræftet",
                template="placement_youth",
                body_text="Hej Amira Hassan, ring på 20202020",
            )
        )
        db.session.commit()
    assert outbox.send_pending(sending).retrying == 1
    text = caplog.text
    assert "outbox: message" in text
    for secret in ("amira@youth.example", "Zainab", "Hassan", "20202020"):
        assert secret not in text


def test_pages_have_unique_ids_and_labelled_fields(
    world: World, accessibility_problems: Callable[[str], list[str]]
) -> None:
    pages = {
        "anonymous": ["/jobs", "/interest", f"/jobs/{world.opening}/interest", "/login",
                      "/employers/register"],
        "coordinator": [f"/coordinator/youths/{world.youth}",
                        f"/coordinator/youths/{world.youth}/edit",
                        "/coordinator/youths", "/coordinator/users/invite",
                        f"/coordinator/openings/{world.opening}/edit",
                        "/coordinator/onboarding-steps"],
        "employer": ["/employer/openings/new", "/employer/company"],
        "counsellor": [f"/counsellor/youths/{world.youth}"],
    }  # fmt: skip
    for role, urls in pages.items():
        client = world.client_for(role)
        for url in urls:
            page = client.get(url).get_data(as_text=True)
            assert accessibility_problems(page) == [], url
