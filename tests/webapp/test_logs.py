"""Nothing the board logs holds personal data: not the SQL's values, not a database error's detail.

The board is served in a thread (so that Werkzeug's request log is part of
it) and the main journeys are walked through HTTP while every log record of
the root logger, "webapp", "sqlalchemy" and "werkzeug" is captured at DEBUG:
a registration on the public interest form, a coordinator creating and
editing a youth, a matching run and its confirmed proposal, the employer's
accept, the outbox sent, and a forced database error. The log is then
searched for every name, email and phone number that was entered.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select
from werkzeug.serving import BaseWSGIServer, make_server

from tests.factories import EMAILS, PASSWORD, World, years_ago
from webapp.extensions import db
from webapp.models import Opening, Proposal, ProposalStatus, Youth
from webapp.ui import board_day

LOGGERS = ("webapp", "sqlalchemy", "werkzeug")
TUESDAY = 1

# Everything personal entered during the journeys (searched for in the log).
INTEREST = {
    "first_name": "Zofiaregistrant",
    "email": "zofia.registrant@example.org",
    "phone": "61626364",
    "parent_name": "Wojciechparent",
    "parent_email": "wojciech.parent@example.org",
    "parent_phone": "71727374",
}
CREATED = {
    "first_name": "Xaviercreated",
    "last_name": "Quennellsurname",
    "email": "xavier.created@example.org",
    "phone": "81828384",
    "address": "Yggdrasilvej 17",
    "parent_name": "Ursulaparent",
    "parent_email": "ursula.parent@example.org",
    "parent_phone": "91929394",
}
EDITED = {"first_name": "Xavieredited", "parent_name": "Ursulaedited", "phone": "42434445"}
FORCED = {"first_name": "Vivianeforced", "last_name": "Forcedsurname", "email": "viv@example.org"}


def _next_tuesday() -> dt.date:
    day = board_day.today() + dt.timedelta(days=1)
    return day + dt.timedelta(days=(TUESDAY - day.weekday()) % 7)


class Browser:
    """A user of the served board: cookies kept, redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect()
        )

    def request(self, path: str, data: dict[str, Any] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POST of `data`."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def login(self, email: str) -> None:
        status, _, _ = self.request("/login", {"email": email, "password": PASSWORD})
        assert status == 302


@pytest.fixture
def served(make_app: Callable[..., Flask], world: World) -> Iterator[str]:
    """The board (errors handled as in production) served on a free port in a thread."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Everything at DEBUG, also from loggers an earlier logging set-up quieted or disabled.

    (Alembic's `fileConfig` in the migration test sets `sqlalchemy.engine` to
    WARN and disables the loggers it does not name.)
    """
    caplog.set_level(logging.DEBUG)
    names = [
        name
        for name in [*LOGGERS, *logging.root.manager.loggerDict]
        if name.split(".")[0] in LOGGERS
    ]
    disabled = {name: logging.getLogger(name).disabled for name in names}
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
        logging.getLogger(name).disabled = False
    yield caplog
    for name, was in disabled.items():
        logging.getLogger(name).disabled = was


def _window(row: int, day: str, start: str, end: str) -> dict[str, str]:
    return {
        f"availability-{row}-{k}": v for k, v in (("day", day), ("start", start), ("end", end))
    }


def _youth_data(**fields: str) -> dict[str, Any]:
    return {
        "birth_date": years_ago(15).isoformat(),
        "postcode": "7430",
        "max_travel_km": "10",
        "priority": "1",
        "max_jobs": "1",
        "interests": "retail",
        **_window(0, "tue", "15:00", "19:00"),
        **fields,
    }


def _journeys(base: str, world: World) -> None:
    """Register, create and edit a youth, run the matching, confirm, accept, send the outbox."""
    public = Browser(base)
    status, _, _ = public.request(
        "/interest",
        {
            **INTEREST,
            "age": "15",
            "interests": "retail",
            "consent": "y",
            **_window(0, "tue", "15:00", "19:00"),
        },
    )
    assert status == 302
    coordinator = Browser(base)
    coordinator.login(EMAILS["coordinator"])
    status, location, _ = coordinator.request("/coordinator/youths/new", _youth_data(**CREATED))
    assert status == 302, "the youth is created"
    public_id = location.rstrip("/").rsplit("/", 1)[-1]
    status, _, _ = coordinator.request(
        f"/coordinator/youths/{public_id}/edit", _youth_data(**{**CREATED, **EDITED})
    )
    assert status == 302, "the youth is edited"
    start = (board_day.today() + dt.timedelta(days=7)).isoformat()
    status, location, _ = coordinator.request(
        "/coordinator/runs",
        {"start_date": start, "period": "auto", "time_limit_s": "10", "method": "optimal"},
    )
    assert status == 302, "the run is made"
    _, _, page = coordinator.request(urllib.parse.urlsplit(location).path)
    confirms = re.findall(r'action="(/coordinator/proposals/[^"/]+/confirm)"', page)
    assert confirms, f"the run proposes someone: {page[page.find('<main') :][:3000]}"
    for confirm in confirms:
        assert coordinator.request(confirm, {})[0] == 302
    with world.app.app_context():
        proposal = db.session.scalar(
            select(Proposal.public_id)
            .join(Opening)
            .where(Opening.public_id == world.opening, Proposal.status == ProposalStatus.SENT)
        )
    assert proposal, "a proposal is sent to the employer"
    employer = Browser(base)
    employer.login(EMAILS["employer"])
    status, _, _ = employer.request(
        f"/employer/proposals/{proposal}/accept",
        {"accept-start_date": _next_tuesday().isoformat()},
    )
    assert status == 302, "the employer accepts"


def _entered() -> list[str]:
    values = [*INTEREST.values(), *CREATED.values(), *EDITED.values(), *FORCED.values()]
    return [*values, *EMAILS.values()]


def _leaks(caplog: pytest.LogCaptureFixture) -> list[str]:
    text = caplog.text + "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    return [value for value in _entered() if value.lower() in text.lower()]


def test_the_journeys_log_no_personal_data(
    served: str, world: World, app: Flask, log: pytest.LogCaptureFixture
) -> None:
    _journeys(served, world)
    result = app.test_cli_runner().invoke(args=["send-outbox", "--limit", "100"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = set(db.session.scalars(select(Youth.first_name)))
    assert {"Zofiaregistrant", "Xavieredited"} <= names  # the journeys did write
    logged = log.text
    assert "POST /interest" in logged  # Werkzeug's request log is captured
    assert "INSERT INTO youth " in logged  # and the engine's statements
    assert "[SQL parameters hidden due to hide_parameters=True]" in logged
    assert _leaks(log) == []


def test_a_database_error_is_logged_without_its_values(
    served: str, world: World, log: pytest.LogCaptureFixture
) -> None:
    def break_the_youth(session: Any, _context: Any, _instances: Any) -> None:
        for row in session.new:
            if isinstance(row, Youth) and row.first_name == FORCED["first_name"]:
                row.birth_date = None  # NOT NULL: the database refuses the row

    event.listen(db.session, "before_flush", break_the_youth)
    try:
        coordinator = Browser(served)
        coordinator.login(EMAILS["coordinator"])
        status, _, page = coordinator.request("/coordinator/youths/new", _youth_data(**FORCED))
    finally:
        event.remove(db.session, "before_flush", break_the_youth)
    assert status == 500
    assert 'lang="da"' in page
    errors = [r for r in log.records if r.levelno >= logging.ERROR]
    assert errors, "the error is logged"
    logged = "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in errors)
    assert "IntegrityError" in logged
    assert "INSERT INTO youth " in logged  # the statement, without its values
    assert "[values not logged]" in logged
    assert _leaks(log) == []


def test_the_engine_hides_parameters(app: Flask) -> None:
    with app.app_context():
        assert db.engine.hide_parameters is True
        assert db.engine.pool._pre_ping is True  # type: ignore[attr-defined]
