"""The queue's tests: the real Redis on 127.0.0.1 (database 13), a queue per test module,
and real `flask --app webapp worker` processes started and stopped by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from redis.exceptions import RedisError

from tests.factories import World, one, signed_in
from webapp.extensions import db
from webapp.models import UNFINISHED_RUNS, MatchRun

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_URL = "redis://127.0.0.1:6379/13"  # these tests' own database number; never flushed
WAIT_S = 120.0  # a deadline against a hung test, never a measure of speed


def redis_or_skip() -> Redis:
    """The tests' Redis, or a skip naming what is missing."""
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        redis.ping()
    except RedisError:
        pytest.skip("no Redis answers on 127.0.0.1:6379 (the queue's tests need one)")
    return redis


def queue_settings(name: str) -> dict[str, Any]:
    """The board's settings for a queue of its own, beating every second."""
    return {
        "QUEUE_URL": REDIS_URL,
        "QUEUE_NAME": name,
        "QUEUE_HEARTBEAT_SECONDS": 1,
        "QUEUE_TICK_SECONDS": 1,
        "RUN_HANDOVER_SECONDS": 2,  # a test's run is handed over within 2 s, or recovered
        "RUN_PART_PAIRS": 1,  # every independent part of a run is a job of its own
    }


def new_queue_name() -> str:
    return f"jobmatch-test-{uuid.uuid4().hex[:12]}"


def forget_queue(redis: Redis, name: str) -> None:
    """Delete the queue's keys and its jobs' (this database number is the tests' own)."""
    jobs = {
        key.decode().removeprefix("rq:job:")
        for key in redis.scan_iter("rq:job:*")
        if redis.type(key) == b"hash" and redis.hget(key, "origin") == name.encode()
    }
    for key in redis.scan_iter("*"):
        text = key.decode()
        if name in text or any(job in text for job in jobs):
            redis.delete(key)
    redis.srem("rq:queues", f"rq:queue:{name}")


def worker_env(database_url: str, settings: dict[str, Any], folder: Path) -> dict[str, str]:
    """The environment of a worker process on the tests' database and queue."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTEST_"))}
    env.update(
        DATABASE_URL=database_url,
        QUEUE_URL=settings["QUEUE_URL"],
        SECRET_KEY="test-secret",
        JOBMATCH_ENV="development",
        FLASK_MAIL_FILE_DIR=str(folder / "outbox"),
    )
    env.pop("COVERAGE_PROCESS_START", None)
    for name in (
        "QUEUE_NAME",
        "QUEUE_HEARTBEAT_SECONDS",
        "QUEUE_TICK_SECONDS",
        "RUN_HANDOVER_SECONDS",
        "RUN_PART_PAIRS",
    ):
        env[f"FLASK_{name}"] = str(settings[name])
    return env


@contextmanager
def workers(
    env: dict[str, str], folder: Path, count: int = 1
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`count` worker processes, stopped (warm, then killed) when the block ends."""
    started = [start_worker(env, folder, index) for index in range(count)]
    try:
        yield started
    finally:
        for process in started:
            stop(process)


def start_worker(env: dict[str, str], folder: Path, index: int = 0) -> subprocess.Popen[bytes]:
    with (folder / f"worker-{index}-{uuid.uuid4().hex[:6]}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "webapp", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # RQ's warm shut-down: the current job ends first
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client_of(app: Flask, world: World) -> FlaskClient:
    """A client of `app` signed in as the world's coordinator."""
    return signed_in(app, world.coordinator)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll `condition` until it holds; fail naming `what` at the deadline."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.1)


def run_row(app: Flask, public_id: str) -> MatchRun:
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == public_id)
        db.session.expunge(run)
        return run


def finished(app: Flask, public_id: str) -> bool:
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == public_id)
        return run.status not in UNFINISHED_RUNS
