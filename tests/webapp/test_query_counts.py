"""Every kind of page makes as many queries with many rows behind it as with one.

Each test adds one row of what a page shows (a placement, a youth, an
opening, a proposal, ...), counts the page's SQL statements, adds rows up to
`MANY` and counts again: the two counts must be equal, so a template that
walks a relation lazily per row (an N+1) fails here. The youth list is also
counted at page 1 and page 50, and must fetch only its page's youths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, insert, select

from tests.factories import (
    NEXT_WEEK,
    AreaFactory,
    CounsellorFactory,
    EmployerFactory,
    EmployerStaffFactory,
    OpeningFactory,
    PlacementFactory,
    World,
    YouthFactory,
    one,
    solved_run,
)
from webapp.extensions import db
from webapp.models import (
    AvailabilityWindow,
    Employer,
    EventKind,
    MatchRun,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Proposal,
    Shift,
    User,
    Youth,
    utcnow,
)
from webapp.services import runs, timeline
from webapp.ui import board_day

MANY = 20

Count = Callable[[FlaskClient, str], int]
Row = TypeVar("Row", Employer, MatchRun, Opening, Proposal, User, Youth)


@pytest.fixture
def loaded_youths() -> Iterator[list[int]]:
    """Ids of the `Youth` rows the ORM loads from the database while the test runs."""
    loaded: list[int] = []

    def record(target: Youth, _context: object) -> None:
        loaded.append(target.id)

    event.listen(Youth, "load", record)
    yield loaded
    event.remove(Youth, "load", record)


def _get(model: type[Row], public_id: str) -> Row:
    return one(model, model.public_id == public_id)


def _openings(count: int, **kw: object) -> list[Opening]:
    """`count` openings with room, each at an employer and in an area of its own."""
    return [OpeningFactory(area=AreaFactory(), positions=3 * MANY, **kw) for _ in range(count)]


def _placements(youth: Youth, count: int) -> None:
    """Place `youth` in `count` openings of different employers, in every status."""
    for n, opening in enumerate(_openings(count)):
        status = ("confirmed", "started", "ended")[n % 3]
        PlacementFactory(youth=youth, opening=opening, status=status)
        timeline.record(youth, "placed", actor=CounsellorFactory(), data={"n": n})


def _steps(youth: Youth, count: int) -> None:
    """Mark up to `count` more onboarding steps done, each helped by someone else."""
    done = {s.kind_id for s in youth.steps}
    kinds = [k for k in db.session.scalars(select(OnboardingStepKind)) if k.id not in done]
    for kind in kinds[:count]:
        helper = CounsellorFactory()
        db.session.add(OnboardingStep(youth=youth, kind=kind, status="done", helped_by=helper))


def _sent_proposals(world: World, count: int, opening: Opening | None = None) -> None:
    """`count` proposals sent to the world's employer (to `opening`, else to new openings)."""
    employer = _get(Employer, world.employer)
    run = MatchRun(status="done", start_date=NEXT_WEEK)
    for _ in range(count):
        target = opening or OpeningFactory(employer=employer)
        db.session.add(
            Proposal(
                run=run, youth=YouthFactory(), opening=target, status="sent", sent_at=utcnow()
            )
        )


def _flat(
    count: Count, client: FlaskClient, url: str, app: Flask, add: Callable[[int], None]
) -> int:
    """Assert `url` makes as many queries with `add(1)` rows as with `MANY`; return the count."""

    def counted(rows: int) -> int:
        with app.app_context():
            add(rows)
            db.session.commit()
        return count(client, url)

    few = counted(1)
    many = counted(MANY - 1)
    assert many == few, f"{url}: {few} queries with one row, {many} with {MANY}"
    return many


# -- coordinator -----------------------------------------------------------------


def test_youth_profile(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 placements at different employers, steps, friends and timeline events."""

    def add(rows: int) -> None:
        youth = _get(Youth, world.other_youth)
        _placements(youth, rows)
        _steps(youth, rows)
        youth.buddies = [*youth.buddies, *YouthFactory.create_batch(rows)]
        youth.excluded_employers = [*youth.excluded_employers, *EmployerFactory.create_batch(rows)]

    client = world.client_for("coordinator")
    _flat(count_queries, client, f"/coordinator/youths/{world.other_youth}", app, add)


def test_youth_profile_reads_the_timeline_once(
    world: World, app: Flask, page_statements: Callable[[FlaskClient, str], list[str]]
) -> None:
    """The timeline and whether the birth date is an estimate come from one read of the events,
    with their actors joined (it was three: the events, their actors, the events again)."""
    with app.app_context():
        youth = _get(Youth, world.other_youth)
        for n in range(3):
            timeline.record(youth, EventKind.NOTE, actor=CounsellorFactory(), text=f"note {n}")
        db.session.commit()
    client = world.client_for("coordinator")
    statements = page_statements(client, f"/coordinator/youths/{world.other_youth}")
    reads = [s for s in statements if "FROM timeline_event" in s]
    assert len(reads) == 1, reads
    assert "JOIN user" in reads[0].replace('"', ""), reads[0]


def test_youth_list_page_1_and_page_50(
    world: World, app: Flask, count_queries: Count, loaded_youths: list[int]
) -> None:
    """1 vs 20 youths on one page; then page 1 and page 50 of over fifty pages."""
    per_page = app.config["PAGE_SIZE"]

    def add(rows: int) -> None:
        for _ in range(rows):
            youth = YouthFactory(area=AreaFactory(), counsellor=CounsellorFactory())
            PlacementFactory(youth=youth)

    client = world.client_for("coordinator")
    _flat(count_queries, client, "/coordinator/youths", app, add)
    with app.app_context():
        like = YouthFactory(area=AreaFactory(), counsellor=CounsellorFactory())
        fields = ("first_name", "birth_date", "status", "area_id", "counsellor_id")
        row = {name: getattr(like, name) for name in fields}
        db.session.execute(insert(Youth), [row] * (50 * per_page - MANY))  # in bulk: it is fast
        db.session.commit()
    first = count_queries(client, "/coordinator/youths?page=1")
    loaded_youths.clear()
    assert count_queries(client, "/coordinator/youths?page=50") == first
    # The page is cut in SQL: only its own youths come out of the database.
    assert 0 < len(set(loaded_youths)) <= per_page


def test_youth_list_beyond_the_last_page_shows_the_last_page(world: World, app: Flask) -> None:
    with app.app_context():
        YouthFactory.create_batch(app.config["PAGE_SIZE"])
        db.session.commit()
    page = world.client_for("coordinator").get("/coordinator/youths?page=99")
    assert page.status_code == 200
    assert 'aria-current="page">2</a>' in page.get_data(as_text=True)
    none = world.client_for("coordinator").get("/coordinator/youths?status=archived&page=9")
    assert none.status_code == 200
    assert "0 unge" in none.get_data(as_text=True)


def test_youth_list_filters_by_interest(world: World, app: Flask) -> None:
    with app.app_context():
        YouthFactory(first_name="Bagerelev", interests=["bakery", "retail"])
        YouthFactory(first_name="Lagerelev", interests=["warehouse"])
        db.session.commit()
    page = world.client_for("coordinator").get("/coordinator/youths?interest=bakery")
    text = page.get_data(as_text=True)
    assert "Bagerelev" in text
    assert "Lagerelev" not in text
    assert "Amira" not in text  # retail only
    assert "1 ung" in text


def test_registrations(world: World, app: Flask, count_queries: Count) -> None:
    def add(rows: int) -> None:
        for opening in _openings(rows):
            youth = YouthFactory(status="pending", source="public", interested_opening=opening)
            timeline.record(youth, "registered", actor=None, data={"source": "public"})

    client = world.client_for("coordinator")
    _flat(count_queries, client, "/coordinator/registrations", app, add)


def test_coordinator_index(world: World, app: Flask, count_queries: Count) -> None:
    """Pending registrations, openings and employers."""

    def add(rows: int) -> None:
        for opening in _openings(rows, status="pending"):
            opening.employer.status = "pending"
            YouthFactory(status="pending", interested_opening=opening)

    _flat(count_queries, world.client_for("coordinator"), "/coordinator/", app, add)


def test_employer_list(world: World, app: Flask, count_queries: Count) -> None:
    _flat(count_queries, world.client_for("coordinator"), "/coordinator/employers", app, _openings)


def test_employer_page(world: World, app: Flask, count_queries: Count) -> None:
    def add(rows: int) -> None:
        OpeningFactory.create_batch(rows, employer=_get(Employer, world.employer))

    client = world.client_for("coordinator")
    _flat(count_queries, client, f"/coordinator/employers/{world.employer}", app, add)


def test_opening_list(world: World, app: Flask, count_queries: Count) -> None:
    _flat(count_queries, world.client_for("coordinator"), "/coordinator/openings", app, _openings)


def test_opening_page(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 youths in the job."""

    def add(rows: int) -> None:
        opening = _get(Opening, world.other_opening)
        opening.positions = 3 * MANY
        PlacementFactory.create_batch(rows, opening=opening)

    client = world.client_for("coordinator")
    _flat(count_queries, client, f"/coordinator/openings/{world.other_opening}", app, add)


def test_user_list(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 employer accounts, each at an employer of its own."""

    def add(rows: int) -> None:
        EmployerStaffFactory.create_batch(rows)

    _flat(count_queries, world.client_for("coordinator"), "/coordinator/users", app, add)


def test_run_page(world: World, app: Flask, count_queries: Count) -> None:
    """A run with 1 vs 20 proposals and unplaced youths, one of them explained."""
    client = world.client_for("coordinator")
    with app.test_request_context():  # each run below is compared with the one before it
        runs.create_run(world.user("coordinator"), runs.RunParameters(NEXT_WEEK))
    counts = []
    for rows in (1, MANY - 1):
        with app.test_request_context():
            _openings(rows)
            YouthFactory.create_batch(rows)
            # Never free when a job is: unplaced, with the reasons on the page.
            explained = YouthFactory.create_batch(rows, availability=[])[0].public_id
            run = runs.create_run(world.user("coordinator"), runs.RunParameters(NEXT_WEEK))
            assert run.status == "done", run.error
            assert len(run.proposals) > rows
            url = f"/coordinator/runs/{run.public_id}"
        count_queries(client, url)  # a run's documents are read once per process, then kept
        counts.append(
            (count_queries(client, url), count_queries(client, f"{url}/youths/{explained}"))
        )
    assert counts[0] == counts[1]


def test_run_page_counts_its_proposals_once(
    world: World, app: Flask, page_statements: Callable[[FlaskClient, str], list[str]]
) -> None:
    """The pager's total is the sum of the counts by status: no second count of the proposals."""
    run, _proposal = solved_run(world)
    client = world.client_for("coordinator")
    for url in (f"/coordinator/runs/{run}", f"/coordinator/runs/{run}?status=sent"):
        statements = page_statements(client, url)
        counts = [s for s in statements if "count(" in s and "FROM proposal" in s]
        assert len(counts) == 1, counts
        assert "GROUP BY proposal.status" in counts[0]


def test_run_list(world: World, app: Flask, count_queries: Count) -> None:
    def add(rows: int) -> None:
        for _ in range(rows):
            db.session.add(MatchRun(status="done", start_date=NEXT_WEEK, created_by_id=None))

    _flat(count_queries, world.client_for("coordinator"), "/coordinator/runs", app, add)


def test_placements_starting_soon(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 confirmed placements at different employers, onboarding not done."""

    def add(rows: int) -> None:
        for opening in _openings(rows):
            PlacementFactory(opening=opening, start_date=NEXT_WEEK)

    _flat(count_queries, world.client_for("coordinator"), "/coordinator/placements", app, add)


def test_public_job_board(world: World, app: Flask, count_queries: Count) -> None:
    _flat(count_queries, world.client_for("anonymous"), "/jobs", app, _openings)


def test_dashboard(world: World, app: Flask, count_queries: Count) -> None:
    def add(rows: int) -> None:
        for opening in _openings(rows):
            youth = YouthFactory(area=opening.area)
            PlacementFactory(youth=youth, opening=opening, status="started")
            timeline.record(youth, "registered", actor=None)
            timeline.record(youth, "milestone", actor=None, code="upv")

    _flat(count_queries, world.client_for("coordinator"), "/coordinator/dashboard", app, add)


# -- employer ---------------------------------------------------------------------


def test_employer_index(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 openings, each with a proposal waiting for an answer."""

    def add(rows: int) -> None:
        _sent_proposals(world, rows)

    _flat(count_queries, world.client_for("employer"), "/employer/", app, add)


def test_employer_opening_with_candidates(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 youths in the job, and as many candidates waiting for an answer."""

    def add(rows: int) -> None:
        opening = _get(Opening, world.opening)
        opening.positions = 3 * MANY
        start = board_day.today() - dt.timedelta(days=40)
        PlacementFactory.create_batch(rows, opening=opening, status="started", start_date=start)
        _sent_proposals(world, rows, opening)

    client = world.client_for("employer")
    _flat(count_queries, client, f"/employer/openings/{world.opening}", app, add)


def test_employer_proposal(world: World, app: Flask, count_queries: Count) -> None:
    """A candidate with 1 vs 20 availability windows on the job's days, and other proposals."""
    with app.app_context():
        _sent_proposals(world, 1, _get(Opening, world.opening))
        db.session.commit()
        proposal = db.session.scalar(select(Proposal))
        assert proposal is not None
        public_id = proposal.public_id

    def add(rows: int) -> None:
        found = _get(Proposal, public_id)
        found.opening.shifts = [Shift(day_index=d, start_min=600, end_min=660) for d in range(7)]
        windows = [(d, h) for h in range(6, 21) for d in range(7)]
        found.youth.availability = [
            AvailabilityWindow(day_index=d, start_min=h * 60, end_min=h * 60 + 30)
            for d, h in windows[: len(found.youth.availability) + rows]
        ]
        _sent_proposals(world, rows, found.opening)

    _flat(
        count_queries, world.client_for("employer"), f"/employer/proposals/{public_id}", app, add
    )


# -- counsellor -------------------------------------------------------------------


def test_counsellor_index(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 youths, each with a job and onboarding steps."""

    def add(rows: int) -> None:
        for youth in YouthFactory.create_batch(rows, counsellor=world.user("counsellor")):
            _placements(youth, 1)
            _steps(youth, 2)

    _flat(count_queries, world.client_for("counsellor"), "/counsellor/", app, add)


def test_counsellor_youth(world: World, app: Flask, count_queries: Count) -> None:
    """1 vs 20 placements at different employers, steps and timeline events."""

    def add(rows: int) -> None:
        youth = _get(Youth, world.other_youth)
        _placements(youth, rows)
        _steps(youth, rows)

    client = world.client_for("other_counsellor")
    _flat(count_queries, client, f"/counsellor/youths/{world.other_youth}", app, add)
