"""Matching runs on the queue (RQ on the real Redis) with real worker processes: a run in
parts spread over two workers equals the run solved in one process; a job that fails ends
its run failed with a named reason; a run enqueued twice is solved and written once; with
Redis down the POST still stores the run; a worker killed in the middle of a run leaves it to
the next worker, which solves it once; /healthz reports Redis and the workers."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from redis import Redis
from rq.job import Job
from sqlalchemy import select, text

import jobmatch
from jobmatch.check import check
from tests.factories import NEXT_WEEK, EmployerFactory, OpeningFactory, World, YouthFactory, one
from tests.webapp import queue_tasks
from tests.webapp.queue_support import (
    client_of,
    finished,
    forget_queue,
    new_queue_name,
    queue_settings,
    redis_or_skip,
    start_worker,
    stop,
    wait_for,
    worker_env,
    workers,
)
from webapp.extensions import db
from webapp.models import MatchRun, Opening, PairRule, Proposal, Youth
from webapp.services import run_jobs, run_recovery
from webapp.worker import FailureHook, background

IKAST, COPENHAGEN = (56.14, 9.16), (55.68, 12.57)  # 230 km apart


@pytest.fixture(scope="module")
def redis() -> Redis:
    """The tests' Redis (the module is skipped without one)."""
    return redis_or_skip()


@pytest.fixture(scope="module")
def settings(redis: Redis) -> Iterator[dict[str, Any]]:
    """Settings of a queue of the module's own, forgotten after the module."""
    name = new_queue_name()
    yield queue_settings(name)
    forget_queue(redis, name)


@pytest.fixture
def queued(make_app: Any, settings: dict[str, Any]) -> Flask:
    """The board on the module's queue, as a web process beside the workers."""
    app: Flask = make_app(MATCH_RUNS_SYNC=False, **settings)
    return app


@pytest.fixture(scope="module")
def two_workers(
    settings: dict[str, Any], database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Two worker processes on the module's queue for its whole run."""
    folder = tmp_path_factory.mktemp("workers")
    with workers(worker_env(database_url, settings, folder), folder, count=2):
        yield


def _two_towns(app: Flask) -> None:
    """Youths and openings in Ikast and in Copenhagen, none travelling 10 km: two parts."""
    with app.app_context():
        for youth in db.session.scalars(select(Youth)):
            youth.lat, youth.lon, youth.max_travel_km = *IKAST, 10.0
        for opening in db.session.scalars(select(Opening)):
            opening.lat, opening.lon = IKAST
        far = EmployerFactory(name="Nørrebro Kiosk", postcode="2200")
        OpeningFactory(employer=far, title="Kioskhjælp", lat=COPENHAGEN[0], lon=COPENHAGEN[1])
        for name in ("Sara", "Yusuf"):
            YouthFactory(first_name=name, lat=COPENHAGEN[0], lon=COPENHAGEN[1], max_travel_km=10.0)
        db.session.commit()


def _start(app: Flask, world: World, **form: str) -> str:
    response = client_of(app, world).post(
        "/coordinator/runs",
        data={"start_date": NEXT_WEEK.isoformat(), "period": "auto", "time_limit_s": "5", **form},
    )
    assert response.status_code == 302, response.data[:500]
    return response.headers["Location"].rsplit("/", 1)[1]


def _without_timings(solution: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in solution.items() if k != "stats"}, sort_keys=True)


# Without the module's workers first: their recovery would take up the runs these store.


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_with_redis_down_the_post_stores_the_run_and_the_page_says_it_waits(
    world: World, make_app: Any
) -> None:
    down = make_app(QUEUE_URL=f"redis://127.0.0.1:{_closed_port()}/0", QUEUE_NAME="none")
    run_id = _start(down, world)
    with down.app_context():
        run = one(MatchRun, MatchRun.public_id == run_id)
        assert (run.status, run.job_id, run.problem) == ("pending", "", {})
    page = client_of(down, world).get(f"/coordinator/runs/{run_id}")
    assert page.status_code == 200
    assert "venter på køen" in page.get_data(as_text=True)
    health = down.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["down"] == ["redis", "workers"]


def test_healthz_says_the_workers_are_down_when_none_beats(
    alone: tuple[Flask, dict[str, Any]],
) -> None:
    response = alone[0].test_client().get("/healthz")
    found = response.get_json()
    assert response.status_code == 503
    assert (found["status"], found["redis"], found["down"]) == ("unavailable", "up", ["workers"])
    assert found["workers"] == {"status": "down", "count": 0, "last_heartbeat": None}


def test_a_run_in_the_queue_says_it_waits_for_a_worker(
    world: World, alone: tuple[Flask, dict[str, Any]]
) -> None:
    run_id = _start(alone[0], world)
    page = client_of(alone[0], world).get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    assert "Kørslen venter på en ledig arbejder." in page
    assert 'http-equiv="refresh"' in page


def test_flask_worker_needs_a_queue(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "QUEUE_URL is not set" in result.output


def test_flask_worker_names_a_redis_that_does_not_answer(make_app: Any) -> None:
    down = make_app(QUEUE_URL=f"redis://127.0.0.1:{_closed_port()}/0", QUEUE_NAME="none")
    result = down.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "the queue's Redis does not answer (ConnectionError)" in result.output


def test_flask_match_beside_a_queue_solves_in_its_own_process(world: World, queued: Flask) -> None:
    result = queued.test_cli_runner().invoke(args=["match", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "placed 2, new proposals 1, unplaced 0" in result.output


def test_a_job_that_lost_its_run_writes_nothing(world: World, app: Flask) -> None:
    with app.app_context():
        run = MatchRun(
            status="running",
            start_date=NEXT_WEEK,
            parameters={"start_date": NEXT_WEEK.isoformat()},
            problem={"format": "jobmatch/1", "youths": [], "openings": []},
            job_id="the-new-job",
            attempts=2,
        )
        db.session.add(run)
        db.session.commit()
        problem = jobmatch.load(run.problem)
        empty = jobmatch.solve(problem)
        assert not run_jobs.write(run.id, "the-lost-job", problem, empty)
        assert run_jobs.write(run.id, "the-new-job", problem, empty)
        assert not run_jobs.write(run.id, "the-new-job", problem, empty)  # done: once only
        db.session.expire_all()
        assert one(MatchRun, MatchRun.id == run.id).status == "done"


def _postgres(app: Flask) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


@contextmanager
def _stopping_the_worker_inside(app: Flask, run_id: int) -> Iterator[str]:
    """Hold a lock the run's job waits for, inside the run: on PostgreSQL the youth table
    (the job has claimed the run and builds its problem), on SQLite the one writer (the
    job waits to claim it). Yields the state the run is in while the job waits."""
    with app.app_context(), db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(text("LOCK TABLE youth IN ACCESS EXCLUSIVE MODE"))
            yield "running"
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield "pending"
        connection.rollback()


def _kill_with_its_horse(process: Any) -> None:
    """SIGKILL a worker and the work horse it forked, as a machine's crash would."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)
    process.kill()
    process.wait()


def _status(app: Flask, public_id: str) -> tuple[str, str, int]:
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == public_id)
        return run.status, run.job_id, run.attempts


@pytest.fixture
def alone(make_app: Any, redis: Redis) -> Iterator[tuple[Flask, dict[str, Any]]]:
    """The board on a queue of its own, which no worker of the module serves."""
    settings = queue_settings(new_queue_name())
    yield make_app(MATCH_RUNS_SYNC=False, **settings), settings
    forget_queue(redis, settings["QUEUE_NAME"])


def test_recovery_leaves_a_young_run_to_the_request_that_hands_it_over(
    world: World, alone: tuple[Flask, dict[str, Any]]
) -> None:
    queued, settings = alone
    run_id, public_id = _pending_run(queued, world)  # no job yet: its request is handing it over
    with queued.app_context(), queued.test_request_context():
        assert run_recovery.recover() == 0
        assert one(MatchRun, MatchRun.public_id == public_id).job_id == ""
        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings["RUN_HANDOVER_SECONDS"])
        with time_machine.travel(later + dt.timedelta(seconds=1)):
            assert run_recovery.recover() == 1
        db.session.expire_all()
        assert one(MatchRun, MatchRun.id == run_id).job_id != ""


def test_a_run_whose_worker_was_killed_is_recovered_and_finishes_once(
    world: World,
    alone: tuple[Flask, dict[str, Any]],
    redis: Redis,
    database_url: str,
    tmp_path: Path,
) -> None:
    queued, settings = alone
    response = client_of(queued, world).post(
        "/coordinator/runs",
        data={"start_date": NEXT_WEEK.isoformat(), "period": "auto", "time_limit_s": "5"},
    )
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    _, job_id, _ = _status(queued, public_id)
    env = worker_env(database_url, settings, tmp_path)
    with queued.app_context():
        run_id = one(MatchRun, MatchRun.public_id == public_id).id
    with _stopping_the_worker_inside(queued, run_id) as waiting:
        doomed = start_worker(env, tmp_path, 0)
        try:
            wait_for(
                lambda: Job.fetch(job_id, connection=redis).get_status() == "started",
                "the worker to take the job",
            )
            if waiting == "running":
                wait_for(lambda: _status(queued, public_id)[0] == "running", "the claim")
            _kill_with_its_horse(doomed)
        finally:
            stop(doomed)
    assert _status(queued, public_id)[0] == waiting
    with workers(env, tmp_path):  # a new worker finds the run lost, and solves it
        wait_for(lambda: finished(queued, public_id), "the recovered run")
    status, now_held_by, attempts = _status(queued, public_id)
    assert status == "done"
    assert now_held_by != job_id
    assert attempts == (2 if _postgres(queued) else 1)  # the killed job claimed it on PG
    with queued.app_context():
        proposals = db.session.scalars(
            select(Proposal).join(MatchRun).where(MatchRun.public_id == public_id)
        ).all()
        assert [p.youth.public_id for p in proposals] == [world.other_youth]


# With the module's two workers from here on.


def test_a_run_in_parts_over_two_workers_equals_the_run_in_one_process(
    world: World, queued: Flask, two_workers: None, redis: Redis
) -> None:
    _two_towns(queued)
    run_id = _start(queued, world)
    wait_for(lambda: finished(queued, run_id), "the run in parts")
    with queued.app_context():
        run = one(MatchRun, MatchRun.public_id == run_id)
        assert run.status == "done", run.error
        merge = Job.fetch(f"{run.job_id}-merge", connection=redis)  # solved by parts, merged
        assert merge.get_status() == "finished"
        part = f"{run.job_id}-merge-part0"
        assert not redis.exists(f"rq:job:{part}", f"rq:results:{part}")  # gone once merged
        problem = jobmatch.load(run.problem)
        assert len(jobmatch.split(problem)) == 2
        assert run.solution["stats"]["parts"] == 2
        alone = jobmatch.solution_to_dict(jobmatch.solve(problem))
        assert _without_timings(run.solution) == _without_timings(alone)
        assert check(problem, run.solution) == []
        placed = {a["youth"] for a in run.solution["assignments"]}
        assert placed == {p.youth.public_id for p in run.proposals} | {world.youth}
        assert len(placed) == 4  # Amira keeps her job, Emil; Sara and Yusuf in Copenhagen
    page = client_of(queued, world).get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    assert "Kioskhjælp" in page


def test_a_problem_that_cannot_be_built_fails_the_run_with_its_reason(
    world: World, queued: Flask, two_workers: None
) -> None:
    with queued.app_context():
        youth = one(Youth, Youth.public_id == world.pending_youth)  # not active: not in the run
        opening = one(Opening, Opening.public_id == world.opening)
        db.session.add(PairRule(youth_id=youth.id, opening_id=opening.id, rule="pin"))
        db.session.commit()
    run_id = _start(queued, world)
    wait_for(lambda: finished(queued, run_id), "the failed run")
    page = client_of(queued, world).get(f"/coordinator/runs/{run_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Omar kan ikke låses til Kasseassistent" in text
    assert "Traceback" not in text


def _pending_run(app: Flask, world: World, job_id: str = "") -> tuple[int, str]:
    """A pending run stored by hand, held by `job_id`: its id and public id."""
    with app.app_context():
        run = MatchRun(
            status="pending",
            start_date=NEXT_WEEK,
            period="school",
            parameters={"start_date": NEXT_WEEK.isoformat(), "time_limit_s": 5.0},
            created_by_id=world.user("coordinator").id,
            job_id=job_id,
        )
        db.session.add(run)
        db.session.commit()
        return run.id, run.public_id


@pytest.mark.parametrize(
    ("task", "reason"),
    [
        (queue_tasks.explode, "Kørslen fejlede uventet. Prøv igen."),
        (queue_tasks.die, "Arbejderen, der løste kørslen, stoppede"),
        (queue_tasks.outlive_the_timeout, "Kørslen tog længere tid, end dens tidsgrænse tillader"),
    ],
)
def test_a_job_that_raises_dies_or_times_out_fails_its_run_with_a_named_reason(
    world: World, queued: Flask, two_workers: None, task: Any, reason: str
) -> None:
    job_id = f"by-hand-{uuid.uuid4().hex}"  # a job of the queue, so recovery leaves the run be
    run_id, public_id = _pending_run(queued, world, job_id)
    hook = FailureHook.of(run_jobs.job_failed, run_id, job_id)
    submitted = background(queued).submit(
        queued, task, run_id, job_id, job_id=job_id, timeout_s=1, on_failure=hook
    )
    assert submitted
    wait_for(lambda: finished(queued, public_id), "the failed job")
    page = client_of(queued, world).get(f"/coordinator/runs/{public_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert reason in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text


def test_a_run_enqueued_twice_at_once_is_solved_and_written_once(
    world: World, queued: Flask, two_workers: None
) -> None:
    run_id, public_id = _pending_run(queued, world)
    with queued.test_request_context():
        stored = db.session.get(MatchRun, run_id)
        assert stored is not None
        assert run_jobs.enqueue(stored)
        assert run_jobs.enqueue(stored)
    wait_for(lambda: finished(queued, public_id), "the run enqueued twice")
    with queued.app_context():
        stored = one(MatchRun, MatchRun.id == run_id)
        assert (stored.status, stored.attempts) == ("done", 1)
        proposals = db.session.scalars(select(Proposal).where(Proposal.run_id == run_id)).all()
        assert [p.youth.public_id for p in proposals] == [world.other_youth]


def test_healthz_reports_the_database_redis_and_the_workers(
    queued: Flask, two_workers: None
) -> None:
    response = queued.test_client().get("/healthz")
    found = response.get_json()
    assert response.status_code == 200, found
    assert (found["status"], found["database"], found["redis"]) == ("ok", "up", "up")
    assert found["workers"]["status"] == "up"
    assert found["workers"]["count"] == 2
    assert found["workers"]["last_heartbeat"]


@pytest.mark.parametrize(("setting", "step"), [(None, 10), ("0", 0)])
def test_a_worker_steps_back_from_the_web_processes_for_the_cores(
    settings: dict[str, Any], database_url: str, tmp_path: Path, setting: str | None, step: int
) -> None:
    env = worker_env(database_url, settings, tmp_path)
    if setting is not None:
        env["FLASK_WORKER_NICENESS"] = setting
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    wanted = min(ours + step, 19)
    with workers(env, tmp_path) as (worker,):
        wait_for(lambda: _logged_ready(tmp_path), "the worker to listen on its queue")
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == wanted


def _logged_ready(folder: Path) -> bool:
    """Whether the worker's log says it listens (by then its priority is set)."""
    return any("Listening on" in log.read_text() for log in folder.glob("worker-*.log"))
