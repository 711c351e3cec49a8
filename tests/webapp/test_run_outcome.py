"""What a finished run decided is kept when it is written: its page reads no documents back.

The run page, the list of its unplaced youths and a youth's page word the reasons
kept in `run_unplaced` (with their facts); a run written before they were kept
gets them from its documents on its first view, once, however many views come
at once; erasing a youth takes its rows along. Through HTTP, on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, event, func, select

import jobmatch
from tests.factories import NEXT_WEEK, World, one
from webapp.extensions import db
from webapp.models import MatchRun, RunUnplaced
from webapp.services import facts_json, run_documents, run_outcome, runs

FARTHER = (
    "Ville få job hos Ikast Dagligvarer (Kasseassistent) ved at rejse 8,7 km i stedet for 1 km."
)
SUMMARY = "2 af 2 åbne job ligger længere end 1 km hjemmefra."
DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def far_run(far_world: World, app: Flask) -> str:
    """A finished run that leaves the world's free youth (Emil) unplaced: every job too far."""
    with app.test_request_context():
        run = runs.create_run(
            far_world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK)
        )
        assert run.status == "done", run.error
        return run.public_id


@pytest.fixture
def no_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a run's documents back fails the test."""

    def refuse(run: MatchRun) -> None:
        raise AssertionError(f"the documents of run {run.public_id} were read back")

    monkeypatch.setattr(run_documents, "loaded", refuse)


def _pages(world: World, run_id: str) -> list[str]:
    """The run page, its list of unplaced youths and Emil's page, as text."""
    client = world.client_for("coordinator")
    paths = [
        f"/coordinator/runs/{run_id}",
        f"/coordinator/runs/{run_id}/unplaced",
        f"/coordinator/runs/{run_id}/youths/{world.other_youth}",
    ]
    responses = [client.get(path) for path in paths]
    assert [r.status_code for r in responses] == [200, 200, 200]
    return [html.unescape(r.get_data(as_text=True)) for r in responses]


def test_a_written_run_keeps_its_figures_and_its_unplaced_youths(
    world: World, app: Flask, far_run: str
) -> None:
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == far_run)
        assert run.figures is not None
        assert (run.figures["youths"], run.figures["placed"]) == (2, 1)
        [row] = db.session.scalars(select(RunUnplaced).where(RunUnplaced.run_id == run.id))
        assert row.youth.public_id == world.other_youth
        assert row.code == "too_far"
        assert {r["code"] for r in row.reasons} == {"too_far"}
        assert all(r["facts"]["kind"] in facts_json.KINDS for r in row.reasons)


@pytest.mark.usefixtures("no_documents")
def test_the_run_pages_word_the_kept_reasons_without_reading_the_documents(
    world: World, far_run: str
) -> None:
    run_page, unplaced, youth_page = _pages(world, far_run)
    for page in (run_page, unplaced, youth_page):
        assert FARTHER in page
    assert SUMMARY in youth_page


def test_a_run_written_before_the_outcome_was_kept_gets_it_once_on_its_first_views(
    world: World, app: Flask, far_run: str
) -> None:
    expected = _pages(world, far_run)
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == far_run)
        kept = run.figures
        db.session.execute(delete(RunUnplaced).where(RunUnplaced.run_id == run.id))
        run.figures = None
        db.session.commit()
        run_id = run.id
    errors: list[BaseException] = []

    def view() -> None:
        try:
            with app.app_context():
                assert run_outcome.recorded(db.session.get(MatchRun, run_id)) == kept
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=view) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        kept_rows = db.session.scalar(
            select(func.count()).select_from(RunUnplaced).where(RunUnplaced.run_id == run_id)
        )
        assert kept_rows == 1
    assert [FARTHER in page for page in _pages(world, far_run)] == [True] * len(expected)


def test_an_older_run_whose_documents_no_longer_read_asks_for_a_rerun(
    world: World, app: Flask, far_run: str
) -> None:
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == far_run)
        db.session.execute(delete(RunUnplaced).where(RunUnplaced.run_id == run.id))
        run.figures = None
        run.solution = {**run.solution, "assignments": [{"youth": "x", "opening": "y"}]}
        db.session.commit()
    page = html.unescape(
        world.client_for("coordinator").get(f"/coordinator/runs/{far_run}").get_data(as_text=True)
    )
    assert "Kørslen blev lavet efter en tidligere udgave af reglerne" in page
    assert f"/coordinator/runs/{far_run}/rerun" in page


def test_erasing_a_youth_takes_its_kept_reasons_along(
    world: World, app: Flask, far_run: str
) -> None:
    client = world.client_for("coordinator")
    client.post(f"/coordinator/youths/{world.other_youth}/archive")
    assert client.post(f"/coordinator/youths/{world.other_youth}/erase").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RunUnplaced)) == 0
    page = client.get(f"/coordinator/runs/{far_run}").get_data(as_text=True)
    assert "Ville få job" not in html.unescape(page)


@pytest.mark.parametrize("name", ["sample-school.json", "sample-holiday.json"])
def test_every_reasons_facts_read_back_as_they_were(name: str) -> None:
    problem = jobmatch.load(DATA / name)
    solution = jobmatch.solve(problem)
    facts = [r.facts for u in solution.unmatched for r in u.reasons]
    assert facts, "the sample leaves nobody unplaced: nothing is checked"
    assert [facts_json.from_json(facts_json.to_json(f)) for f in facts] == facts


def test_facts_of_an_unknown_kind_or_shape_read_back_as_none() -> None:
    assert facts_json.from_json({"kind": "NoSuchFacts", "count": 1}) is None
    assert facts_json.from_json({"kind": "TooFar", "distance": 3}) is None
    assert facts_json.from_json(None) is None


@pytest.mark.parametrize(
    ("world_name", "written"),
    [
        ("world", [["UPDATE run_document"], ["UPDATE match_run", "INSERT proposal"]]),
        ("far_world", [["UPDATE run_document"], ["INSERT run_unplaced", "UPDATE match_run"]]),
    ],
)
def test_a_run_reads_all_it_needs_before_its_write_begins(
    world_name: str, written: list[list[str]], app: Flask, request: pytest.FixtureRequest
) -> None:
    """From the solution's UPDATE on, the run's write is two transactions of writes only,
    the solution document alone in the first: on SQLite a write takes the database's one
    write lock until its commit, and every page's audit entry waits for it. The world's run
    proposes a job to its free youth; the far world's leaves the youth out."""
    world: World = request.getfixturevalue(world_name)
    statements: list[str] = []

    def executed(*args: Any) -> None:
        statements.append(args[2])

    def committed(connection: Any) -> None:
        statements.append("COMMIT")

    with app.test_request_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", executed)
        event.listen(engine, "commit", committed)
        try:
            run = runs.create_run(
                world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK)
            )
            assert run.status == "done", run.error
        finally:
            event.remove(engine, "before_cursor_execute", executed)
            event.remove(engine, "commit", committed)
    first = next(
        i for i, s in enumerate(statements) if s.startswith("UPDATE run_document SET solution")
    )
    transactions: list[list[str]] = [[]]
    for statement in statements[first:]:
        if statement == "COMMIT":
            transactions.append([])
        else:
            transactions[-1].append(_what(statement))
    assert transactions[:2] == written, transactions


def _what(statement: str) -> str:
    """'UPDATE <table>', 'INSERT <table>', 'SELECT ...' of a statement."""
    words = statement.split()
    return f"{words[0]} {words[2] if words[0] == 'INSERT' else words[1]}"
