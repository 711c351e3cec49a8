"""A run's problem and solution live in `run_document`, apart from the run's row (that the
pages which do not need them never read them is `test_run_columns`), and migration 0019
moves the documents stored before, both ways."""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from tests.factories import World, board_app
from tests.webapp.migration_rows import insert_row
from webapp.extensions import db
from webapp.models import RunDocuments
from webapp.services import runs

from .test_query_counts import NEXT_WEEK

BEFORE = "0018_session_flashes"
PROBLEM = {"format": "jobmatch/1", "youths": [{"id": "y1", "age": 15}], "openings": []}
SOLUTION = {"format": "jobmatch-solution/1", "assignments": []}


def test_a_run_is_made_with_its_documents_row(world: World, app: Flask) -> None:
    with app.test_request_context():
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK))
        stored = db.session.get(RunDocuments, run.id)
        assert stored is not None
        assert stored.problem["format"] == "jobmatch/1"
        assert stored.solution["format"] == "jobmatch-solution/1"
        assert run.problem == stored.problem
        assert run.solution == stored.solution


def test_the_documents_go_with_their_run(world: World, app: Flask) -> None:
    with app.test_request_context():
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK))
        run_id = run.id
        db.session.delete(run)
        db.session.commit()
        assert db.session.get(RunDocuments, run_id) is None


def test_migration_0019_moves_the_documents_and_back(fresh_database: Callable[[], str]) -> None:
    app = board_app(fresh_database())
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            insert_row(
                connection,
                "match_run",
                public_id="r1",
                status="done",
                period="school",
                parameters="{}",
                problem=json.dumps(PROBLEM),
                solution=json.dumps(SOLUTION),
            )
        upgrade()
        with db.engine.connect() as connection:
            moved = connection.execute(sa.text("SELECT problem, solution FROM run_document")).all()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("match_run")}
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            back = connection.execute(sa.text("SELECT problem, solution FROM match_run")).all()
            tables = sa.inspect(connection).get_table_names()
        db.engine.dispose()
    assert [tuple(_documents(r)) for r in moved] == [(PROBLEM, SOLUTION)]
    assert not {"problem", "solution"} & columns
    assert [tuple(_documents(r)) for r in back] == [(PROBLEM, SOLUTION)]
    assert "run_document" not in tables


def _documents(row: sa.Row[tuple[object, object]]) -> list[object]:
    """The row's JSON values as Python (text on SQLite, already decoded on PostgreSQL)."""
    return [json.loads(v) if isinstance(v, str) else v for v in row]
