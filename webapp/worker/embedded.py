"""The embedded default: background tasks in a thread pool of the web process.

Each task gets an application context of its own and Danish as its locale
(translation needs a locale outside a request). With `MATCH_RUNS_SYNC` set
(the tests, `flask match`), a task runs at once in the caller's thread
instead. Nothing survives a restart of the process and there is no timeout:
`webapp.services.runs.run_state` calls a run that outlived its time limit by
far stalled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import Any

from flask import Flask
from flask_babel import force_locale

from .hooks import FailureHook, FailureReason

log = logging.getLogger("webapp.worker")


class EmbeddedWork:
    """A small thread pool per application, created on first use."""

    spreads = False  # the parts of a run are solved one after the other, in one task
    configured = False

    def __init__(self) -> None:
        self._lock = Lock()
        self._executor: ThreadPoolExecutor | None = None

    def submit(
        self,
        app: Flask,
        task: Callable[..., Any],
        *args: Any,
        job_id: str | None = None,
        timeout_s: float | None = None,
        on_failure: FailureHook | None = None,
    ) -> bool:
        """Run `task(*args)` in an application context of `app`, in Danish.

        `job_id` and `timeout_s` are the queue's; here a task has no timeout.
        An exception that escapes the task calls `on_failure` with ``error``.

        Returns:
            True: the task runs (or has run, when synchronous).
        """
        if app.config["MATCH_RUNS_SYNC"]:
            _in_context(app, task, args, on_failure)
        else:
            self._pool(app).submit(_in_context, app, task, args, on_failure)
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
        """`then(*then_args, [part_task(p) for p in parts])`, in this thread, in order."""
        then(*then_args, [part_task(part) for part in parts])
        return True

    def is_alive(self, job_id: str) -> bool | None:
        """None: a thread pool keeps no record of its tasks."""
        return None

    def _pool(self, app: Flask) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=app.config["MATCH_WORKERS"], thread_name_prefix="jobmatch-run"
                )
            return self._executor

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop the pool (after the tasks queued so far when `wait`)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait)


def _in_context(
    app: Flask, task: Callable[..., Any], args: Sequence[Any], on_failure: FailureHook | None
) -> None:
    with app.app_context(), force_locale("da"):
        try:
            task(*args)
        except Exception:
            log.exception("background task %s failed", getattr(task, "__name__", task))
            if on_failure is not None:
                on_failure.call(FailureReason.ERROR)
        finally:
            # The application's Flask-SQLAlchemy, found without importing `extensions`.
            app.extensions["sqlalchemy"].session.remove()
