"""Background work: matching runs (and what else a request must not wait for) outside the request.

One interface, two back-ends, chosen by `QUEUE_URL`:

- unset (the embedded default, `make run`, the tests): a thread pool in the
  web process (`embedded.EmbeddedWork`); `MATCH_RUNS_SYNC` runs each task in
  the caller's thread;
- ``redis://...``: RQ jobs on Redis (`redis_queue.RedisWork`), run by
  `flask --app webapp worker` processes (`process.work`), as many as wanted.

Callers use `background()` (the current application's back-end):
``background().submit(app, task, *args, job_id=..., timeout_s=..., on_failure=...)``
with `task` a module-level function and `args` JSON-able (ids, never rows or
the application); `fan_out` solves parts in separate jobs where the back-end
`spreads` them. Settings: `QUEUE_URL`, `QUEUE_NAME` (``jobmatch``),
`QUEUE_HEARTBEAT_SECONDS` (30: how often a busy worker beats; a job three
beats silent lost its worker), `QUEUE_TICK_SECONDS` (30: how often an idle
worker runs its periodic tasks), `WORKER_NICENESS` (10: how far a worker process
steps back from the web processes for the cores, so that pages stay fast while it
solves), `MATCH_WORKERS` (1 thread, embedded only).
"""

from __future__ import annotations

import os

from flask import Flask, current_app

from .embedded import EmbeddedWork
from .hooks import FailureHook, FailureReason
from .redis_queue import QueueUnavailableError, RedisWork, TimedOut

__all__ = [
    "EmbeddedWork",
    "FailureHook",
    "FailureReason",
    "QueueUnavailableError",
    "RedisWork",
    "RunWorker",
    "TimedOut",
    "background",
]

Backend = EmbeddedWork | RedisWork


class RunWorker:
    """The extension object: binds each application to its back-end."""

    def init_app(self, app: Flask) -> None:
        """Settings' defaults (`QUEUE_URL` also from the environment), then the back-end."""
        app.config.setdefault("QUEUE_URL", os.environ.get("QUEUE_URL", ""))
        app.config.setdefault("QUEUE_NAME", "jobmatch")
        app.config.setdefault("QUEUE_HEARTBEAT_SECONDS", 30)
        app.config.setdefault("QUEUE_TICK_SECONDS", 30)
        app.config.setdefault("WORKER_NICENESS", 10)
        app.config.setdefault("MATCH_WORKERS", 1)
        app.config.setdefault("MATCH_RUNS_SYNC", False)
        backend: Backend = RedisWork(app) if app.config["QUEUE_URL"] else EmbeddedWork()
        app.extensions["jobmatch_worker"] = backend


def background(app: Flask | None = None) -> Backend:
    """The back-end of `app` (default: the current application)."""
    found: Backend = (app or current_app).extensions["jobmatch_worker"]
    return found
