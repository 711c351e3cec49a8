"""One source of links: every link in an email or on a page names `BOARD_URL`, never the
request's Host header; production starts only with a `BOARD_URL` of its own."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.factories import World, next_weekday
from webapp import ConfigurationError, create_app
from webapp.extensions import db
from webapp.models import OutboxMessage

BOARD = "https://fritidsjob.example.dk/board"
EVIL = "evil.example"  # where an attacker would have the board's links point


@pytest.fixture
def board_url(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session's board served at `BOARD` for one test."""
    monkeypatch.setitem(app.config, "BOARD_URL", BOARD)
    return BOARD


def _at_evil_host(world: World, role: str) -> FlaskClient:
    """A client signed in as `role` whose requests say they are for the attacker's host."""
    client = world.client_for(role)
    client.get("/")  # the session cookie is made on the first request
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value, domain=EVIL)
    return client


def _post(client: FlaskClient, url: str, data: dict[str, str] | None = None) -> TestResponse:
    """POST with the Host (and a proxy's X-Forwarded-Host) of the attacker, redirects followed."""
    return client.post(
        url,
        data=data,
        base_url=f"http://{EVIL}",
        headers={"X-Forwarded-Host": EVIL},
        follow_redirects=True,
    )


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def _outbox(app: Flask) -> dict[str, str]:
    with app.app_context():
        return {m.template: m.body_text for m in db.session.scalars(select(OutboxMessage))}


def test_invitation_and_reset_links_ignore_a_forged_host(
    world: World, app: Flask, board_url: str
) -> None:
    coordinator = _at_evil_host(world, "coordinator")
    invitation = {"name": "Ny Ansat", "email": "ny@example.org", "role": "employer"}
    invited = _post(
        coordinator, "/coordinator/users/invite", invitation | {"employer": world.employer}
    )
    reset = _post(coordinator, f"/coordinator/users/{world.employer_user}/reset")
    assert invited.request.host == reset.request.host == EVIL
    shown = [link for page in (invited, reset) for link in _links(page.get_data(as_text=True))]
    invitations = [link for link in shown if "/invitation/" in link]
    assert len(invitations) == 1, shown  # a reset link is emailed to the owner, never shown
    assert [link for link in invitations if not link.startswith(f"{board_url}/invitation/")] == []
    with app.app_context():
        queued = select(OutboxMessage).order_by(OutboxMessage.id)  # the invitation first
        bodies = [m.body_text for m in db.session.scalars(queued)]
    sent = [link for body in bodies for link in _links(body)]
    assert sent[0] == invitations[0]
    assert sent[1].startswith(f"{board_url}/password/reset/")
    # The link works on the board (its path under the board's own path).
    path = sent[1].removeprefix(board_url)
    assert "Vælg en ny adgangskode" in world.client_for("anonymous").get(path).get_data(True)


def test_a_notice_from_a_request_with_a_forged_host_links_to_the_board(
    world: World, app: Flask, board_url: str
) -> None:
    response = _post(
        _at_evil_host(world, "coordinator"),
        f"/coordinator/youths/{world.other_youth}/placements",
        {"opening": world.other_opening, "start_date": next_weekday().isoformat()},
    )
    assert response.request.path == f"/coordinator/youths/{world.other_youth}"
    body = _outbox(app)["placement_youth"]
    assert f"{board_url}/jobs/{world.other_opening}" in body
    assert EVIL not in body


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A production environment with a secret key and nothing else of its own."""
    monkeypatch.setenv("JOBMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a production secret")
    for name in ("BOARD_URL", "FLASK_BOARD_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_board_url(production: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert str(refused.value) == (
        "production needs BOARD_URL (the board's public address, e.g. "
        "https://fritidsjob.kommune.dk): see docs/deploy.md"
    )


def test_production_names_everything_it_misses_at_once(production: pytest.MonkeyPatch) -> None:
    production.delenv("SECRET_KEY")
    with pytest.raises(ConfigurationError, match=r"needs SECRET_KEY \(.*\) and BOARD_URL \("):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_takes_its_board_url_from_the_environment(
    production: pytest.MonkeyPatch,
) -> None:
    production.setenv("BOARD_URL", BOARD)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["BOARD_URL"] == BOARD


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://fritidsjob.kommune.dk", "must be an https:// address"),
        ("fritidsjob.kommune.dk", "must be an https:// address"),
        ("https://fritidsjob.kommune.dk/?a=1", "must not carry a query"),
        ("https://[fritidsjob", "must be an https:// address"),
        ("https://anne:secret@fritidsjob.kommune.dk", "must not carry a user name"),
    ],
)
def test_production_refuses_a_board_url_that_is_no_https_address(
    production: pytest.MonkeyPatch, url: str, why: str
) -> None:
    production.setenv("BOARD_URL", url)
    with pytest.raises(ConfigurationError, match=re.escape(f"BOARD_URL {why}")):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_development_links_follow_the_port_flask_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBMATCH_ENV", raising=False)
    monkeypatch.delenv("BOARD_URL", raising=False)
    monkeypatch.setenv("FLASK_RUN_PORT", "5001")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert app.config["BOARD_URL"] == "http://127.0.0.1:5001"
    monkeypatch.delenv("FLASK_RUN_PORT")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert app.config["BOARD_URL"] == "http://127.0.0.1:5000"


def test_production_warns_when_the_sign_in_throttle_counts_per_process(
    production: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    production.setenv("BOARD_URL", BOARD)
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})  # the default storage, memory://
    # (A production app on Redis is not made here: the limiter is one object for every
    # application of the session, and would count the other tests' sign-ins on Redis.)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert [w for w in warnings if "counts in each process apart" in w] != []
    caplog.clear()
    production.delenv("JOBMATCH_ENV")
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not [r for r in caplog.records if "counts in each process apart" in r.getMessage()]
