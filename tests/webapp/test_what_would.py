"""What would place a youth: asked for in a POST, worked out once by the worker, never in a GET.

The solver's what-if (`jobmatch.what_would_place`) is counted: a GET never calls
it, a question asked four times at once calls it once, and a task delivered
twice solves once. Through HTTP (the served board for the requests at once), on
SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select

import jobmatch
from tests.factories import NEXT_WEEK, World, one
from tests.webapp.test_races import Session, board  # noqa: F401 (the served board)
from webapp.extensions import db
from webapp.models import Opening, RunStatus, WhatIf, Youth
from webapp.services import runs
from webapp.worker import FailureReason

COORDINATOR = "coordinator@test.example"
Solves = list[str]


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> Solves:
    """The youths the solver's what-if was asked about, in order (the answer is the real one)."""
    asked: Solves = []
    real = jobmatch.what_would_place

    def counted(problem: jobmatch.Problem, youth_id: str, **options: Any) -> Any:
        asked.append(youth_id)
        return real(problem, youth_id, **options)

    monkeypatch.setattr(jobmatch, "what_would_place", counted)
    return asked


def _unplaced_run(world: World, app: Flask) -> tuple[str, str]:
    """A run in which Emil is not placed (he travels 1 km, the jobs are 9 km away): the run's
    public id and the URL of Emil's page in it."""
    with app.test_request_context():
        emil = one(Youth, Youth.public_id == world.other_youth)
        emil.max_travel_km = 1.0
        emil.lat, emil.lon = 56.14, 9.16
        for opening in db.session.scalars(select(Opening)):
            opening.lat, opening.lon = 56.14, 9.30
        db.session.commit()
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK))
        assert run.status == RunStatus.DONE, run.error
        return run.public_id, f"/coordinator/runs/{run.public_id}/youths/{world.other_youth}"


def _questions(app: Flask) -> list[WhatIf]:
    with app.app_context():
        db.session.remove()
        return list(db.session.scalars(select(WhatIf)))


def test_a_get_never_solves_and_the_post_asks_once(
    world: World, app: Flask, solves: Solves
) -> None:
    _run_id, page = _unplaced_run(world, app)
    client = world.client_for("coordinator")
    for _ in range(3):
        assert client.get(page).status_code == 200
    assert solves == []
    assert _questions(app) == []
    assert client.post(f"{page}/what-would").status_code == 302
    assert client.post(f"{page}/what-would").status_code == 302  # answered: not again
    assert solves == [world.other_youth]
    [asked] = _questions(app)
    assert asked.status == RunStatus.DONE
    assert [c["code"] for c in asked.changes] == ["too_far"]
    answer = client.get(page).get_data(as_text=True)
    assert "Ville få job hos Ikast Dagligvarer (Kasseassistent)" in answer
    assert solves == [world.other_youth]


def test_asked_four_times_at_once_it_is_worked_out_once(
    world: World,
    app: Flask,
    board: str,  # noqa: F811 (the fixture imported above)
    solves: Solves,
) -> None:
    _run_id, page = _unplaced_run(world, app)
    together = 4
    sessions = [Session(board, COORDINATOR) for _ in range(together)]
    barrier = Barrier(together)

    def ask(session: Session) -> int:
        barrier.wait()
        return session.post(f"{page}/what-would", {})

    with ThreadPoolExecutor(max_workers=together) as pool:
        answers = list(pool.map(ask, sessions))
    assert answers == [302] * together
    assert solves == [world.other_youth]
    [asked] = _questions(app)
    assert asked.status == RunStatus.DONE


class Queue:
    """A worker that keeps its tasks (the question stays pending), or that cannot be reached."""

    def __init__(self, *, reachable: bool = True) -> None:
        self.reachable = reachable
        self.tasks: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []

    def submit(self, _app: Flask, task: Callable[..., Any], *args: Any, **options: Any) -> bool:
        if self.reachable:
            self.tasks.append((task, args, options))
        return self.reachable


def _queued_board(world: World, make_app: Callable[..., Flask], queue: Queue) -> FlaskClient:
    """A coordinator's client of a board whose background work goes to `queue`."""
    queued = make_app(MATCH_RUNS_SYNC=False)
    queued.extensions["jobmatch_worker"] = queue
    return world.login(queued.test_client(), COORDINATOR)


def test_while_it_is_worked_out_the_page_says_so_and_refreshes(
    world: World, app: Flask, make_app: Callable[..., Flask], solves: Solves
) -> None:
    _run_id, page = _unplaced_run(world, app)
    queue = Queue()
    client = _queued_board(world, make_app, queue)
    assert client.post(f"{page}/what-would").status_code == 302
    waiting = client.get(page).get_data(as_text=True)
    assert "Beregner" in waiting
    assert '<meta http-equiv="refresh"' in waiting
    # To the page's path: with the #what-would of the address Chromium would never reload.
    assert re.search(r'content="\d+; url=/coordinator/runs/[\w-]+/youths/[\w-]+">', waiting)
    assert client.post(f"{page}/what-would").status_code == 302  # pending: not queued again
    assert [(task.__name__, len(args)) for task, args, _options in queue.tasks] == [("compute", 1)]
    assert solves == []
    task, (question,), options = queue.tasks[0]
    assert options["timeout_s"] > 0
    with app.app_context(), force_locale("da"):  # as the worker runs its tasks
        task(question)
        task(question)  # delivered twice: solved once
        options["on_failure"].call(FailureReason.TIMEOUT)  # too late: the answer stays
    assert solves == [world.other_youth]
    done = client.get(page).get_data(as_text=True)
    assert '<meta http-equiv="refresh"' not in done
    assert "Ville få job hos Ikast Dagligvarer (Kasseassistent)" in done


def test_a_task_the_queue_stops_or_cannot_take_fails_with_its_reason(
    world: World, app: Flask, make_app: Callable[..., Flask], solves: Solves
) -> None:
    _run_id, page = _unplaced_run(world, app)
    queue = Queue()
    client = _queued_board(world, make_app, queue)
    assert client.post(f"{page}/what-would").status_code == 302
    _task, _args, options = queue.tasks[0]
    with app.app_context(), force_locale("da"):
        options["on_failure"].call(FailureReason.TIMEOUT)  # the worker ran over its time
    stopped = client.get(page).get_data(as_text=True)
    assert "Det tog for lang tid og blev stoppet." in stopped
    assert '<meta http-equiv="refresh"' not in stopped
    down = _queued_board(world, make_app, Queue(reachable=False))
    assert down.post(f"{page}/what-would").status_code == 302  # failed: asked again
    assert "Køen, der regner det ud, kan ikke nås lige nu." in down.get(page).get_data(True)
    assert solves == []
    assert [q.status for q in _questions(app)] == [RunStatus.FAILED]


def test_a_failed_question_says_why_and_may_be_asked_again(
    world: World, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_id, page = _unplaced_run(world, app)

    def broken(*_args: Any, **_options: Any) -> Any:
        raise RuntimeError("the solver broke")

    monkeypatch.setattr(jobmatch, "what_would_place", broken)
    client = world.client_for("coordinator")
    assert client.post(f"{page}/what-would").status_code == 302
    failed = client.get(page).get_data(as_text=True)
    assert "Det gik uventet galt. Prøv igen." in failed
    assert "the solver broke" not in failed
    monkeypatch.undo()
    assert client.post(f"{page}/what-would").status_code == 302
    assert "Ville få job hos" in client.get(page).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WhatIf)) == 1


def test_hostile_questions_are_calm(world: World, app: Flask, solves: Solves) -> None:
    run_id, page = _unplaced_run(world, app)
    client = world.client_for("coordinator")
    for path in (
        f"/coordinator/runs/{run_id}/youths/nosuchyouth/what-would",
        f"/coordinator/runs/nosuchrun/youths/{world.other_youth}/what-would",
        f"/coordinator/runs/{run_id}/youths/{'x' * 600}/what-would",
    ):
        assert client.post(path).status_code == 404, path
    assert client.get(f"{page}/what-would").status_code == 405
    for role in ("employer", "counsellor", "anonymous"):
        assert world.client_for(role).post(f"{page}/what-would").status_code in (302, 403)
    assert solves == []
    assert _questions(app) == []
