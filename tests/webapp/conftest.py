"""Fixtures of the board's tests: one application per session, a clean database per test.

The suite runs on SQLite by default. With `TEST_DATABASE_URL` set to a
PostgreSQL server (e.g. ``postgresql://postgres@127.0.0.1:5432/test``) it runs
there instead, in a database of its own created for the session (one per
pytest-xdist worker) and dropped after it, so that it never touches anything
else on the server.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event, make_url, select

from tests.factories import World, board_app, make_world
from webapp.extensions import db, limiter
from webapp.models import Opening, Youth
from webapp.services import onboarding


def _postgres_database(base_url: str, name: str, *, create: bool) -> str:
    """Create (or drop) database `name` on the server of `base_url`; return its URL."""
    import psycopg

    url = make_url(base_url).set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
            # A commit returns before its WAL record is on disk (this database only): a crash
            # could lose the last commits, which a test database never minds; what every
            # transaction sees, locks and isolation are as before.
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )


@pytest.fixture(scope="session")
def fresh_database(database_dir: Path) -> Iterator[Callable[[], str]]:
    """A factory of empty databases of the kind under test, removed after the session."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under pytest-xdist
    made: list[str] = []

    def make() -> str:
        name = f"jobmatch_test_{worker}_{uuid.uuid4().hex[:12]}"
        if base.startswith("postgres"):
            made.append(name)
            return _postgres_database(base, name, create=True)
        return f"sqlite:///{database_dir / name}.sqlite"

    yield make
    for name in made:
        _postgres_database(base, name, create=False)


@pytest.fixture(scope="session")
def database_url(fresh_database: Callable[[], str]) -> str:
    """The session's database."""
    return fresh_database()


@pytest.fixture
def make_app(database_url: str, session_app: Flask) -> Iterator[Callable[..., Flask]]:
    """Build another application on the session's database with extra settings.

    Its connections are closed after the test.
    """
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = board_app(database_url, **overrides)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    """The session's application, with its schema created once."""
    app = board_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # the database itself is a temporary file or dropped whole


def _clean(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
    limiter.reset()


@pytest.fixture
def app(session_app: Flask) -> Iterator[Flask]:
    """The application with an empty database and standard onboarding steps."""
    _clean(session_app)
    with session_app.app_context():
        onboarding.ensure_standard_step_kinds()
    yield session_app
    with session_app.app_context():
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def world(app: Flask) -> World:
    """Two employers, two counsellors, a coordinator, openings and youths (tests/factories.py)."""
    return make_world(app)


@pytest.fixture
def far_world(world: World, app: Flask) -> World:
    """The world with its free youth (Emil) in Ikast, travelling 1 km, every job 9 km away."""
    with app.app_context():
        emil = db.session.scalar(select(Youth).where(Youth.public_id == world.other_youth))
        assert emil is not None
        emil.max_travel_km = 1.0
        emil.lat, emil.lon = 56.14, 9.16  # Ikast
        for opening in db.session.scalars(select(Opening)):
            opening.lat, opening.lon = 56.14, 9.30  # about 9 km away
        db.session.commit()
    return world


@pytest.fixture
def page_statements(app: Flask) -> Iterator[Callable[[FlaskClient, str], list[str]]]:
    """GET a page (it must answer 200) and return the SQL statements it made, in order."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)

    def made(client: FlaskClient, url: str) -> list[str]:
        statements.clear()
        response = client.get(url)
        assert response.status_code == 200, response.data[:500]
        return list(statements)

    yield made
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(
    page_statements: Callable[[FlaskClient, str], list[str]],
) -> Callable[[FlaskClient, str], int]:
    """GET a page (it must answer 200) and return how many SQL statements it made."""
    return lambda client, url: len(page_statements(client, url))


def _accessibility_problems(page: str) -> list[str]:
    problems = []
    ids = re.findall(r'\sid="([^"]+)"', page)
    problems += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', page))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        if re.search(r'type="(hidden|submit)"', tag) or "aria-label=" in tag:
            continue
        field_id = re.search(r'\sid="([^"]+)"', tag)
        if not field_id or field_id.group(1) not in labelled:
            problems.append(f"unlabelled {tag[:80]}")
    return problems


@pytest.fixture
def accessibility_problems() -> Callable[[str], list[str]]:
    """What a page's HTML gets wrong: duplicate ids and form fields without a label."""
    return _accessibility_problems
