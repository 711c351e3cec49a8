"""The queue's worker process: RQ's forking worker, with the board's application around each job.

Each job runs in a forked work horse (a timeout or a crash ends the horse,
never the worker) with an application context, Danish as its locale and
database connections of its own. When a job fails for good, its
`FailureHook` is called with the reason. Every `QUEUE_TICK_SECONDS`, while
idle, the worker runs the `periodic` tasks it was given (finding runs that
lost their job, the outbox); they run once at start too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask
from flask_babel import force_locale
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job
from rq.worker import Worker

from .hooks import FailureHook, FailureReason
from .redis_queue import QueueUnavailableError, RedisWork

log = logging.getLogger("webapp.worker")

Periodic = Callable[[], Any]


class AppWorker(Worker):
    """An RQ worker that knows the board's application."""

    def __init__(
        self, queues: Sequence[Queue], *, app: Flask, periodic: Sequence[Periodic], **kw: Any
    ):
        super().__init__(queues, **kw)
        self.app = app
        self.periodic = tuple(periodic)

    def perform_job(self, job: Job, queue: Queue) -> bool:
        """In the horse: connections of its own (the parent's pool is not shared over a fork)."""
        database = self.app.extensions["sqlalchemy"]
        with self.app.app_context(), force_locale("da"):
            database.engine.dispose(close=False)
            try:
                return bool(super().perform_job(job, queue))
            finally:
                database.session.remove()

    def handle_job_failure(
        self, job: Job, queue: Queue, started_job_registry: Any = None, exc_string: str = ""
    ) -> None:
        """The job's hook with the reason (in the horse or the parent), then RQ's bookkeeping.

        In this order: once Redis says the job failed, another worker's recovery
        may take up its run, which by then already says why it failed.
        """
        if hook := job.meta.get("on_failure"):
            with self.app.app_context(), force_locale("da"):
                try:
                    FailureHook.from_json(hook).call(_reason(exc_string))
                except Exception:
                    log.exception("job %s: its failure hook failed", job.id)
                finally:
                    self.app.extensions["sqlalchemy"].session.remove()
        super().handle_job_failure(job, queue, started_job_registry, exc_string)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        with self.app.app_context(), force_locale("da"):
            for task in self.periodic:
                try:
                    task()
                except Exception:
                    log.exception("periodic task %s failed", getattr(task, "__name__", task))
                finally:
                    self.app.extensions["sqlalchemy"].session.remove()


def _reason(exc_string: str) -> FailureReason:
    if "JobTimeoutException" in exc_string:
        return FailureReason.TIMEOUT
    if "terminated unexpectedly" in exc_string:
        return FailureReason.CRASHED
    return FailureReason.ERROR


def work(app: Flask, periodic: Sequence[Periodic], *, burst: bool = False) -> bool:
    """Run a worker on the application's queue until stopped (or, with `burst`, until it is empty).

    Returns:
        Whether any job was run.

    Raises:
        QueueUnavailableError: the queue's Redis does not answer at the start (once
            started, the worker waits for it and carries on).
    """
    backend = app.extensions["jobmatch_worker"]
    if not isinstance(backend, RedisWork):
        raise RuntimeError("QUEUE_URL is not set: there is no queue to work on")
    try:
        backend.redis.ping()  # RQ would fail its start-up with a traceback
    except RedisError as error:
        raise QueueUnavailableError(type(error).__name__) from error
    _step_back(int(app.config["WORKER_NICENESS"]))
    tick = int(app.config["QUEUE_TICK_SECONDS"])
    worker = AppWorker(
        [backend.queue],
        connection=backend.redis,
        app=app,
        periodic=periodic,
        job_monitoring_interval=backend.heartbeat_s,
        maintenance_interval=tick,
        worker_ttl=tick + 15,  # RQ waits worker_ttl - 15 s for a job before its maintenance
    )
    return bool(worker.work(burst=burst, logging_level="INFO"))


def _step_back(niceness: int) -> None:
    """Lower this process's priority by `niceness` (its jobs' processes inherit it): a
    matching run then takes the cores the web processes leave, never their requests'."""
    if niceness > 0:
        os.nice(niceness)
