"""Rows for the tests: factory_boy factories of the board's models, and the small world they share.

Every factory adds its row to Flask-SQLAlchemy's session and flushes, so ids
and public ids are set; call them inside an application context and commit
when the rows should be seen by a request. Defaults give a valid, matchable
row in Ikast (postcode 7430): an open retail opening with a Tuesday shift
16:00-18:00, an active youth of 15 free on Tuesdays 15:00-19:00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import ColumnElement, select

import jobmatch
from webapp import create_app
from webapp.auth.sessions import SESSION_KEY
from webapp.extensions import db
from webapp.models import (
    ACTIVE_PLACEMENTS,
    Area,
    AvailabilityWindow,
    Employer,
    Opening,
    Placement,
    Proposal,
    SchoolHoliday,
    Shift,
    User,
    Youth,
)
from webapp.services import onboarding, proposals, runs, seats, staff_sessions, timeline
from webapp.services.accounts import hash_password
from webapp.ui import board_day

PASSWORD = "correct horse battery"
NEXT_WEEK = board_day.today() + dt.timedelta(days=7)
TUESDAY = 1  # the weekday (0 is Monday) of the factories' shift
T = TypeVar("T")

# The board as the tests run it: cheap password hashes, no CSRF, runs solved in the request.
TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 32,  # KiB, the least for Argon2's 4 lanes: 1 ms a hash, not 10
    "LOGIN_RATE_LIMIT": "10000 per minute",
    "INTEREST_RATE_LIMIT": "10000 per minute",
    # Matching runs solve in the request's thread (tests/webapp/test_runs.py tries the pool too),
    # also when the shell has a QUEUE_URL (tests/webapp/test_queue.py sets one of its own).
    "MATCH_RUNS_SYNC": True,
    "QUEUE_URL": "",
    # Every view works the dashboard's figures out (test_dashboard_cache.py keeps them).
    "DASHBOARD_FRESH_SECONDS": 0,
    "RUN_PAGE_FRESH_SECONDS": 0,  # and the run page's unplaced youths (test_run_page_cache.py)
}


def board_app(database_url: str, **overrides: Any) -> Flask:
    """The board configured for tests on `database_url`, with extra settings."""
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})


def one(model: type[T], *conditions: ColumnElement[bool]) -> T:
    """The row of `model` that meets `conditions`, which must exist (inside an app context)."""
    row = db.session.scalar(select(model).where(*conditions))
    assert row is not None, f"no {model.__name__} row where {conditions}"
    return row


def years_ago(years: int, today: dt.date | None = None) -> dt.date:
    """The birth date of someone turning `years` on `today` (default: today)."""
    return jobmatch.years_before(today or board_day.today(), years)


def next_weekday(weekday: int = TUESDAY, *, on_or_after: dt.date | None = None) -> dt.date:
    """The first `weekday` (0 is Monday) on or after `on_or_after` (default: today).

    A first day must be today or later on one of the job's shift days.
    """
    day = on_or_after or board_day.today()
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


class _RowFactory(SQLAlchemyModelFactory):
    """Adds to the application's scoped session and flushes."""

    class Meta:
        abstract = True
        sqlalchemy_session = db.session
        sqlalchemy_session_persistence = "flush"


class AreaFactory(_RowFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Område {n}")
    town = "Ikast"
    postcode = "7430"


class EmployerFactory(_RowFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Arbejdsgiver {n}")
    postcode = "7430"
    status = "approved"


class UserFactory(_RowFactory):
    """A staff account that signs in with `PASSWORD`; a coordinator unless a subclass says."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user-{n}@test.example")
    name = factory.Sequence(lambda n: f"User {n}")
    role = "coordinator"
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))


class CoordinatorFactory(UserFactory):
    role = "coordinator"


class EmployerStaffFactory(UserFactory):
    role = "employer"
    employer = factory.SubFactory(EmployerFactory)


class CounsellorFactory(UserFactory):
    role = "counsellor"


class ShiftFactory(factory.Factory):
    """An opening's weekly shift (built only: the opening's cascade saves it)."""

    class Meta:
        model = Shift

    day_index = 1
    start_min = 16 * 60
    end_min = 18 * 60


class AvailabilityFactory(factory.Factory):
    """A youth's weekly window (built only: the youth's cascade saves it)."""

    class Meta:
        model = AvailabilityWindow

    day_index = 1
    start_min = 15 * 60
    end_min = 19 * 60


class OpeningFactory(_RowFactory):
    class Meta:
        model = Opening

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Job {n}")
    category = "retail"
    kind = "fritidsjob"
    positions = 2
    min_age = 13
    light_work = True
    postcode = "7430"
    town = "Ikast"
    status = "open"
    shifts = factory.List([factory.SubFactory(ShiftFactory)])


class YouthFactory(_RowFactory):
    """An active youth: `age` (default 15) years and 40 days old on `as_of` (default today)."""

    class Meta:
        model = Youth

    class Params:
        age = 15
        as_of = None

    first_name = factory.Sequence(lambda n: f"Ung{n}")
    last_name = "Hansen"
    birth_date = factory.LazyAttribute(lambda y: years_ago(y.age, y.as_of) - dt.timedelta(days=40))
    email = factory.LazyAttribute(lambda y: f"{y.first_name.lower()}@youth.example")
    phone = "20202020"
    address = "Stadion Allé 7"
    postcode = "7430"
    town = "Ikast"
    parent_name = factory.LazyAttribute(lambda y: f"Parent of {y.first_name}")
    parent_email = factory.LazyAttribute(lambda y: f"parent-{y.first_name.lower()}@youth.example")
    parent_phone = "30303030"
    languages = factory.LazyFunction(lambda: ["da", "ar"])
    interests = factory.LazyFunction(lambda: ["retail"])
    status = "active"
    notes = "Secret coordinator note"
    availability = factory.List([factory.SubFactory(AvailabilityFactory)])


class PlacementFactory(_RowFactory):
    """A placement; a confirmed or started one holds a position of its opening, as on the board."""

    class Meta:
        model = Placement

    youth = factory.SubFactory(YouthFactory)
    opening = factory.SubFactory(OpeningFactory)
    status = "confirmed"

    @factory.post_generation
    def seat(placement: Placement, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and placement.status in ACTIVE_PLACEMENTS:
            seats.take(placement.opening)


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
            signed_in(self.app, getattr(self, USER_FIELDS[role]), client)
        return client

    def user(self, role: str) -> User:
        """The account of `role` (inside an application context)."""
        return one(User, User.public_id == getattr(self, USER_FIELDS[role]))


def signed_in(app: Flask, public_id: str, client: FlaskClient | None = None) -> FlaskClient:
    """A client signed in as the account `public_id`: a server session and its cookie.

    As the login form would make them, without the form (fast for many clients).
    """
    client = client or app.test_client()
    with app.app_context():
        user = one(User, User.public_id == public_id)
        token, _record = staff_sessions.start(user)
        user_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
        session[SESSION_KEY] = token
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


def make_world(app: Flask) -> World:
    """Two employers, two counsellors, a coordinator, openings and youths, committed."""
    with app.app_context():
        area = AreaFactory(name="Stadion Allé", department="afd. 11")
        employer = EmployerFactory(name="Ikast Dagligvarer")
        other_employer = EmployerFactory(name="Herning Bager", postcode="7400")
        users = {
            "coordinator": CoordinatorFactory(email=EMAILS["coordinator"], name="Coordinator"),
            "employer": EmployerStaffFactory(
                email=EMAILS["employer"], name="Employer", employer=employer
            ),
            "other_employer": EmployerStaffFactory(
                email=EMAILS["other_employer"], name="Other Employer", employer=other_employer
            ),
            "counsellor": CounsellorFactory(email=EMAILS["counsellor"], name="Counsellor"),
            "other_counsellor": CounsellorFactory(
                email=EMAILS["other_counsellor"], name="Other Counsellor"
            ),
        }
        opening = OpeningFactory(employer=employer, title="Kasseassistent", area=area)
        other_opening = OpeningFactory(
            employer=other_employer, title="Bagerjobber", category="bakery"
        )
        pending_opening = OpeningFactory(employer=employer, title="Lagerhjælp", status="pending")
        youth = YouthFactory(
            first_name="Amira", last_name="Hassan", counsellor=users["counsellor"], area=area
        )
        other_youth = YouthFactory(
            first_name="Emil", last_name="Jensen", age=14, counsellor=users["other_counsellor"]
        )
        pending_youth = YouthFactory(
            first_name="Omar", last_name="", age=14, status="pending", source="public"
        )
        # One of the opening's two positions is held by this placement.
        placement = PlacementFactory(youth=youth, opening=opening)
        timeline.record(youth, "registered", actor=users["coordinator"])
        db.session.commit()
        return World(
            app=app,
            **{field: users[role].public_id for role, field in USER_FIELDS.items()},
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


@dataclass(frozen=True)
class MatchingRecords:
    """A solved run of the world, its sent proposal and a school holiday."""

    run: str
    proposal: str
    holiday_id: int


def solved_run(world: World, *, send: bool = True) -> tuple[str, str]:
    """A solved run over every area: (run public id, the proposal's public id).

    The world's free youth (Emil, 14, into retail) is proposed for the
    employer's Kasseassistent; with `send` the coordinator has confirmed it.
    """
    with world.app.test_request_context():
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK))
        assert run.status == "done", run.error
        proposal = db.session.scalar(select(Proposal).where(Proposal.run_id == run.id))
        assert proposal is not None
        assert proposal.opening.public_id == world.opening
        if send:
            proposals.confirm(world.user("coordinator"), proposal)
        return run.public_id, proposal.public_id


def matching_records(world: World) -> MatchingRecords:
    """A solved run with a sent proposal, and a school holiday from next week."""
    run, proposal = solved_run(world)
    with world.app.app_context():
        holiday = SchoolHoliday(
            municipality="Ikast-Brande",
            name="Efterårsferie",
            first_day=NEXT_WEEK,
            last_day=NEXT_WEEK + dt.timedelta(days=6),
        )
        db.session.add(holiday)
        db.session.commit()
        return MatchingRecords(run, proposal, holiday.id)
