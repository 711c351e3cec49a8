"""Fixtures of the board's tests: one application per session, a clean database per test.

The suite runs on SQLite by default. With `TEST_DATABASE_URL` set to a
PostgreSQL server (e.g. ``postgresql://postgres@127.0.0.1:5432/test``) it runs
there instead, in a database of its own created for the session and dropped
after it, so that it never touches anything else on the server.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event, make_url

from webapp import create_app
from webapp.extensions import db, limiter
from webapp.models import (
    Area,
    AvailabilityWindow,
    Employer,
    Opening,
    Placement,
    Shift,
    User,
    Youth,
)
from webapp.services import onboarding, timeline
from webapp.services.accounts import hash_password

PASSWORD = "correct horse battery"
TODAY = dt.date.today()

BASE_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "LOGIN_RATE_LIMIT": "10000 per minute",
    "INTEREST_RATE_LIMIT": "10000 per minute",
    # Matching runs solve in the request's thread (tests/webapp/test_runs.py tries the pool too).
    "MATCH_RUNS_SYNC": True,
}


def _postgres_database(base_url: str, name: str, *, create: bool) -> str:
    """Create (or drop) database `name` on the server of `base_url`; return its URL."""
    import psycopg

    url = make_url(base_url).set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], str]]:
    """A factory of empty databases of the kind under test, removed after the session."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    made: list[str] = []

    def make() -> str:
        name = f"jobmatch_test_{uuid.uuid4().hex[:12]}"
        if base.startswith("postgres"):
            made.append(name)
            return _postgres_database(base, name, create=True)
        path: Path = tmp_path_factory.mktemp("db") / f"{name}.sqlite"
        return f"sqlite:///{path}"

    yield make
    for name in made:
        _postgres_database(base, name, create=False)


@pytest.fixture(scope="session")
def database_url(fresh_database: Callable[[], str]) -> str:
    """The session's database."""
    return fresh_database()


def _build(database_url: str, **overrides: Any) -> Flask:
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})


@pytest.fixture
def make_app(database_url: str, session_app: Flask) -> Iterator[Callable[..., Flask]]:
    """Build another application on the session's database with extra settings.

    Its connections are closed after the test.
    """
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = _build(database_url, **overrides)
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
    app = _build(database_url)
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


@dataclass
class World:
    """Public ids of a small, known set of records: two of each kind where ownership matters."""

    app: Flask
    coordinator: str
    employer_user: str
    other_employer_user: str
    counsellor: str
    other_counsellor: str
    employer: str
    other_employer: str
    opening: str
    other_opening: str
    pending_opening: str
    youth: str
    other_youth: str
    pending_youth: str
    placement_id: int
    step_kind_id: int

    def login(self, client: FlaskClient, email: str) -> FlaskClient:
        """Sign in through the login form."""
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.data[:500]
        return client

    def client_for(self, role: str) -> FlaskClient:
        """A client signed in as `role` (one of ROLES below), or anonymous.

        The session is set directly (as the login form would) to keep the
        access matrix fast; the login form itself is tested on its own.
        """
        client = self.app.test_client()
        if role != "anonymous":
            public_id = getattr(self, USER_FIELDS[role])
            with client.session_transaction() as session:
                session["_user_id"] = f"{public_id}:1"
                session["_fresh"] = True
        return client


EMAILS = {
    "coordinator": "coordinator@test.example",
    "employer": "employer@test.example",
    "other_employer": "other-employer@test.example",
    "counsellor": "counsellor@test.example",
    "other_counsellor": "other-counsellor@test.example",
}
USER_FIELDS = {
    "coordinator": "coordinator",
    "employer": "employer_user",
    "other_employer": "other_employer_user",
    "counsellor": "counsellor",
    "other_counsellor": "other_counsellor",
}
ROLES = (
    "anonymous",
    "employer",
    "other_employer",
    "counsellor",
    "other_counsellor",
    "coordinator",
)


def _opening(employer: Employer, title: str, **kw: Any) -> Opening:
    values: dict[str, Any] = {
        "employer": employer,
        "title": title,
        "category": "retail",
        "kind": "fritidsjob",
        "positions": 2,
        "min_age": 13,
        "light_work": True,
        "postcode": "7430",
        "town": "Ikast",
        "status": "open",
        "shifts": [Shift(day_index=1, start_min=16 * 60, end_min=18 * 60)],
    }
    values.update(kw)
    return Opening(**values)


def _youth(first: str, last: str, age: int, **kw: Any) -> Youth:
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "birth_date": TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=40),
        "email": f"{first.lower()}@youth.example",
        "phone": "20202020",
        "address": "Stadion Allé 7",
        "postcode": "7430",
        "town": "Ikast",
        "parent_name": f"Parent of {first}",
        "parent_email": f"parent-{first.lower()}@youth.example",
        "parent_phone": "30303030",
        "languages": ["da", "ar"],
        "interests": ["retail"],
        "status": "active",
        "notes": "Secret coordinator note",
        "availability": [AvailabilityWindow(day_index=1, start_min=15 * 60, end_min=19 * 60)],
    }
    values.update(kw)
    return Youth(**values)


@pytest.fixture
def world(app: Flask) -> World:
    """Two employers, two counsellors, a coordinator, openings and youths."""
    with app.app_context():
        hashed = hash_password(PASSWORD)
        area = Area(name="Stadion Allé", department="afd. 11", town="Ikast", postcode="7430")
        employer = Employer(name="Ikast Dagligvarer", postcode="7430", status="approved")
        other_employer = Employer(name="Herning Bager", postcode="7400", status="approved")
        users = {
            role: User(
                email=email,
                name=role.replace("_", " ").title(),
                role=role.removeprefix("other_"),
                password_hash=hashed,
                employer=employer
                if role == "employer"
                else other_employer
                if role == "other_employer"
                else None,
            )
            for role, email in EMAILS.items()
        }
        # One of its two positions is held by the confirmed placement below.
        opening = _opening(employer, "Kasseassistent", area=area, filled=1)
        other_opening = _opening(other_employer, "Bagerjobber", category="bakery")
        pending_opening = _opening(employer, "Lagerhjælp", status="pending")
        youth = _youth("Amira", "Hassan", 15, counsellor=users["counsellor"], area=area)
        other_youth = _youth("Emil", "Jensen", 14, counsellor=users["other_counsellor"])
        pending_youth = _youth("Omar", "", 14, status="pending", source="public")
        db.session.add_all(
            [area, employer, other_employer, *users.values(), opening, other_opening]
        )
        db.session.add_all([pending_opening, youth, other_youth, pending_youth])
        placement = Placement(youth=youth, opening=opening, status="confirmed")
        db.session.add(placement)
        timeline.record(youth, "registered", actor=users["coordinator"])
        db.session.commit()
        return World(
            app=app,
            coordinator=users["coordinator"].public_id,
            employer_user=users["employer"].public_id,
            other_employer_user=users["other_employer"].public_id,
            counsellor=users["counsellor"].public_id,
            other_counsellor=users["other_counsellor"].public_id,
            employer=employer.public_id,
            other_employer=other_employer.public_id,
            opening=opening.public_id,
            other_opening=other_opening.public_id,
            pending_opening=pending_opening.public_id,
            youth=youth.public_id,
            other_youth=other_youth.public_id,
            pending_youth=pending_youth.public_id,
            placement_id=placement.id,
            step_kind_id=onboarding.step_kinds()[0].id,
        )


def count(model: type[Any]) -> int:
    """Rows of `model` (call inside an app context)."""
    return db.session.query(model).count()


@pytest.fixture
def count_queries(app: Flask) -> Iterator[Callable[[FlaskClient, str], int]]:
    """GET a page (it must answer 200) and return how many SQL statements it made."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)

    def count(client: FlaskClient, url: str) -> int:
        statements.clear()
        response = client.get(url)
        assert response.status_code == 200, response.data[:500]
        return len(statements)

    yield count
    event.remove(engine, "before_cursor_execute", record)
