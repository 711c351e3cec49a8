"""The board served for real in a thread, and Debian's Chromium driven by Playwright.

The server runs the application as `make run` does: a fresh SQLite file,
migrated, CSRF on, production-like settings except the cheap password hash,
and mail really sent, to an SMTP server on 127.0.0.1 that keeps what it gets.
Chromium is the system's (`/usr/bin/chromium`): browsers cannot be downloaded
here, so `playwright install` is never used. Without it the tests fail and say
how to install it; CI (`.ci/run`) installs it first.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.browser.live import DANISH, SCREENSHOTS, USERS, DemoBoard, LiveBoard, Visitor
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    CounsellorFactory,
    EmployerFactory,
    EmployerStaffFactory,
)
from tests.smtp_sink import Sink
from webapp import create_app, demo
from webapp.extensions import db
from webapp.models import RunStatus, User
from webapp.services import onboarding, runs
from webapp.ui import board_day

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-sandbox",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system's Chromium headless, quiet on this closed network."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need it. "
            "Install it with `apt-get update && apt-get install -y chromium` "
            "(never `playwright install`); .ci/run does this on CI.",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


def _seed(app: Flask) -> None:
    """Minimal data: an area, an approved employer and one account of each role."""
    with app.app_context():
        upgrade()
        onboarding.ensure_standard_step_kinds()
        AreaFactory(name="Stadion Allé", department="afd. 11", lat=56.1331, lon=9.1496)
        employer = EmployerFactory(
            name="Ikast Cykler",
            town="Ikast",
            contact_email="cykler@browser.example",
            lat=56.138,
            lon=9.155,
        )
        CoordinatorFactory(email=USERS["coordinator"], name="Karin Koordinator")
        EmployerStaffFactory(
            email=USERS["employer"], name="Anders Arbejdsgiver", employer=employer
        )
        CounsellorFactory(email=USERS["counsellor"], name="Vera Vejleder")
        db.session.commit()


def _board_app(database: Path, **settings: Any) -> Flask:
    """The board as `make run` serves it on a fresh SQLite file, with a cheap password hash."""
    return create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 32,  # KiB, the least for Argon2's 4 lanes
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "MAIL_FILE_DIR": "",
            **settings,
        }
    )


@pytest.fixture(scope="session")
def live_board(database_dir: Path, smtp_sink: tuple[Sink, int]) -> Iterator[LiveBoard]:
    """The board on 127.0.0.1 at a free port, served from a thread, with a fresh database.

    Its outbox delivers to a real SMTP server on 127.0.0.1 (tests/smtp_sink.py).
    """
    sink, smtp_port = smtp_sink
    app = _board_app(
        database_dir / "board.sqlite",
        MAIL_SUPPRESS_SEND=False,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_port,
        MAIL_USE_TLS=False,
        OUTBOX_SMTP_TIMEOUT=5,
    )
    _seed(app)
    with _serving(app) as url:
        yield LiveBoard(url=url, app=app, mail=sink)


@contextmanager
def _serving(app: Flask) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 at a free port from a thread; its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-board", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def demo_board(database_dir: Path) -> Iterator[DemoBoard]:
    """The demo world (`flask seed-demo`) served like `live_board`, with one finished run.

    A database of its own, so that the pages a test walks here are full of
    realistic rows without touching the journeys' world.
    """
    database = database_dir / f"demo-{uuid.uuid4().hex[:8]}.sqlite"  # one per module using it
    app = _board_app(database, MATCH_RUNS_SYNC=True)
    with app.app_context():
        upgrade()
        demo.seed()
        with app.test_request_context():
            coordinator = db.session.scalar(
                select(User).where(User.email == demo.DEMO_ACCOUNTS[0][0])
            )
            assert coordinator is not None
            today = board_day.today()
            monday = today + dt.timedelta(days=7 - today.weekday())
            run = runs.create_run(coordinator, runs.RunParameters(monday, time_limit_s=10))
            assert run.status == RunStatus.DONE, run.error
        db.session.remove()
    with _serving(app) as url:
        yield DemoBoard(url=url, app=app)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/, emptied once a session: only this run's pages, none stale.

    Asked for by `visitors` alone, so that under pytest-xdist only the worker
    that runs the journey (`make test` keeps each file on one worker) empties it.
    """
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    return SCREENSHOTS


@pytest.fixture
def visitors(
    browser: Browser, live_board: LiveBoard, screenshots: Path
) -> Iterator[dict[str, Visitor]]:
    """A browser context per role, each recording console errors (a CSP violation is one)."""
    shots: list[Path] = []
    contexts: list[BrowserContext] = []
    people: dict[str, Visitor] = {}
    for role in USERS:
        context = browser.new_context(base_url=live_board.url, **DANISH)
        context.set_default_timeout(10_000)
        contexts.append(context)
        visitor = Visitor(page=context.new_page(), role=role, shots=shots)

        def record(message: ConsoleMessage, visitor: Visitor = visitor) -> None:
            if message.type == "error":
                visitor.problems.append(f"{visitor.page.url}: {message.text}")

        visitor.page.on("console", record)
        people[role] = visitor
    yield people
    for context in contexts:
        context.close()
