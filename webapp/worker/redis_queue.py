"""The production back-end: background tasks as RQ jobs on Redis, run by `flask worker`.

`QUEUE_URL` (``redis://host:6379/1``) turns it on; `QUEUE_NAME` names the
queue (default ``jobmatch``). A task is a module-level function with JSON-able
arguments (ids, never rows or the application); the parts of a fan-out may be
any picklable value (a `jobmatch.Problem`). A job that fails outside the
task's own hands (over its timeout, its process killed, an exception it let
out) calls its `FailureHook` from the worker (`webapp.worker.process`).

A job is alive while it waits, while its worker keeps beating (RQ's job
heartbeat, every `QUEUE_HEARTBEAT_SECONDS`), after a fan-out while the job
that gathers its parts is, and, deferred, while none of the jobs it waits for
is lost; a job whose heartbeat is three beats old lost its worker.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Dependency, Job, JobStatus
from rq.results import Result
from rq.timeouts import JobTimeoutException
from rq.utils import now
from rq.worker import Worker

from .hooks import FailureHook, resolve, task_path

log = logging.getLogger("webapp.worker")

CONNECT_TIMEOUT_S = 2.0  # a POST never waits longer for a queue that is down
RESULT_TTL_S = 86_400  # a part's solution waits a day at most for its merge
FAILURE_TTL_S = 7 * 86_400
LOST_AFTER_BEATS = 3
MAX_DEPTH = 3  # a run's job -> its merge job -> the parts
WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED)


# What a job's own code sees when the queue stops it at its timeout: let it through.
TimedOut = JobTimeoutException


class QueueUnavailableError(RuntimeError):
    """Redis does not answer (down, unreachable or refusing)."""


class RedisWork:
    """Jobs on one RQ queue of one Redis."""

    spreads = True  # the parts of a run go to separate jobs, for as many workers as run
    configured = True

    def __init__(self, app: Flask) -> None:
        url = app.config["QUEUE_URL"]
        self.redis = Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=CONNECT_TIMEOUT_S
        )
        self.queue = Queue(app.config["QUEUE_NAME"], connection=self.redis)
        self.heartbeat_s = int(app.config["QUEUE_HEARTBEAT_SECONDS"])

    def submit(
        self,
        app: Flask,
        task: Callable[..., Any],
        *args: Any,
        job_id: str | None = None,
        timeout_s: float | None = None,
        on_failure: FailureHook | None = None,
    ) -> bool:
        """Enqueue `task(*args)`.

        Returns:
            False when Redis cannot be reached (logged): the caller's record
            stays waiting, and the worker's recovery enqueues it later.
        """
        try:
            self.queue.enqueue_call(
                task, args=args, **_options(task, job_id, timeout_s, on_failure)
            )
        except RedisError as error:
            log.warning(
                "the queue cannot be reached: %s (job %s waits)", type(error).__name__, job_id
            )
            return False
        return True

    def fan_out(
        self,
        app: Flask,
        part_task: Callable[[Any], Any],
        parts: Sequence[Any],
        then: Callable[..., Any],
        then_args: Sequence[Any],
        *,
        job_id: str,
        timeout_s: float,
        on_failure: FailureHook | None = None,
    ) -> bool:
        """One job per part, then `then(*then_args, results)` in a job `job_id` after them all.

        The last job runs also when a part failed (its hook was called); it then
        does not call `then`.
        """
        part_ids = [f"{job_id}-part{index}" for index in range(len(parts))]
        try:
            jobs = self.queue.enqueue_many(
                [
                    Queue.prepare_data(
                        part_task,
                        args=(part,),
                        result_ttl=RESULT_TTL_S,
                        **_options(part_task, part_id, timeout_s, on_failure),
                    )
                    for part_id, part in zip(part_ids, parts, strict=True)
                ]
            )
            self.queue.enqueue_call(
                gather,
                args=(task_path(then), list(then_args), part_ids),
                depends_on=Dependency(jobs=jobs, allow_failure=True),
                **_options(then, job_id, timeout_s, on_failure),
            )
            if (current := get_current_job()) is not None:
                current.meta["continued_by"] = job_id  # alive while its last job is
                current.save_meta()
        except RedisError as error:
            log.warning(
                "the queue cannot be reached: %s (job %s waits)", type(error).__name__, job_id
            )
            return False
        return True

    def is_alive(self, job_id: str) -> bool | None:
        """Whether the job waits, runs with a live worker, or waits for live jobs.

        Raises:
            QueueUnavailableError: Redis does not answer.
        """
        try:
            return self._alive(job_id, depth=0)
        except RedisError as error:
            raise QueueUnavailableError(type(error).__name__) from error

    def _alive(self, job_id: str, *, depth: int) -> bool:
        try:
            job = Job.fetch(job_id, connection=self.redis)
        except NoSuchJobError:
            return False
        status = job.get_status(refresh=False)
        if status in WAITING:
            return True
        if status == JobStatus.STARTED:
            beat = job.last_heartbeat
            return beat is not None and (now() - beat).total_seconds() < self._lost_after
        if depth >= MAX_DEPTH:
            return False
        if status == JobStatus.FINISHED and (then := job.meta.get("continued_by")):
            return self._alive(str(then), depth=depth + 1)  # a job that fanned out
        if status == JobStatus.DEFERRED:
            return not any(self._lost(part, depth=depth + 1) for part in job.dependency_ids)
        return False

    def _lost(self, job_id: str, *, depth: int) -> bool:
        try:
            status = Job.fetch(job_id, connection=self.redis).get_status(refresh=False)
        except NoSuchJobError:
            return True
        return status != JobStatus.FINISHED and not self._alive(job_id, depth=depth)

    @property
    def _lost_after(self) -> float:
        return float(LOST_AFTER_BEATS * self.heartbeat_s)

    def once_per(self, name: str, seconds: float) -> bool:
        """True for one caller per `seconds` over every worker (a ticket in Redis)."""
        key = f"jobmatch:{self.queue.name}:once:{name}"
        return bool(self.redis.set(key, "1", nx=True, ex=max(1, math.ceil(seconds))))

    def health(self) -> dict[str, Any]:
        """Redis's PING, the queue's registered workers and their newest heartbeat.

        RQ drops a worker from the registry when its heartbeat has been missing
        for its time to live, so every worker counted has beaten lately.

        Raises:
            QueueUnavailableError: Redis does not answer.
        """
        try:
            self.redis.ping()
            workers = Worker.all(queue=self.queue)
        except RedisError as error:
            raise QueueUnavailableError(type(error).__name__) from error
        last = max((w.last_heartbeat for w in workers if w.last_heartbeat), default=None)
        return {"workers": len(workers), "last_heartbeat": last.isoformat() if last else None}


def gather(then: str, then_args: Sequence[Any], part_ids: Sequence[str]) -> None:
    """The job after a fan-out: `then(*then_args, results)` when every part finished.

    The parts' jobs are deleted first: their problems (youths' ages, hours and
    whereabouts, by opaque ids) stay in Redis no longer than the work needs.
    """
    current = get_current_job()
    assert current is not None  # called by a worker only
    parts = [Job.fetch(part_id, connection=current.connection) for part_id in part_ids]
    unfinished = [p.id for p in parts if p.get_status(refresh=False) != JobStatus.FINISHED]
    if unfinished:
        log.warning("job %s: part %s did not finish, nothing merged", current.id, unfinished[0])
        return
    results = [part.return_value() for part in parts]
    for part in parts:  # the parts' problems and solutions leave Redis once merged
        Result.delete_all(part)
        part.delete()
    resolve(then)(*then_args, results)


def _options(
    task: Callable[..., Any],
    job_id: str | None,
    timeout_s: float | None,
    on_failure: FailureHook | None,
) -> dict[str, Any]:
    """Job settings; the description names the task and the job, never the arguments."""
    return {
        "job_id": job_id,
        "description": f"{task_path(task)} {job_id or ''}".strip(),
        "timeout": math.ceil(timeout_s) if timeout_s else None,
        "failure_ttl": FAILURE_TTL_S,
        "meta": {"on_failure": on_failure.to_json()} if on_failure else {},
    }
