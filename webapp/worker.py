"""Background work of the embedded default: matching runs solved in a thread pool.

A run is solved outside the request that creates it. Each task gets an
application context of its own and Danish as its locale (translation needs a
locale outside a request). With `MATCH_RUNS_SYNC` set (the tests), the task
runs at once in the caller's thread instead. A deployment with a worker of its
own would replace `submit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Lock
from typing import Any

from flask import Flask
from flask_babel import force_locale

log = logging.getLogger("webapp.worker")


class RunWorker:
    """A small thread pool per application, created on first use."""

    def __init__(self) -> None:
        self._lock = Lock()

    def init_app(self, app: Flask) -> None:
        """Bind to `app`: `MATCH_WORKERS` threads (default 1); `MATCH_RUNS_SYNC` runs inline."""
        app.config.setdefault("MATCH_WORKERS", 1)
        app.config.setdefault("MATCH_RUNS_SYNC", False)
        app.extensions["jobmatch_worker"] = self

    def submit(self, app: Flask, task: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run `task(*args)` in an application context of `app`, in Danish.

        Returns:
            The future of the task (already done when synchronous).
        """
        if app.config["MATCH_RUNS_SYNC"]:
            future: Future[Any] = Future()
            try:
                future.set_result(_in_context(app, task, *args))
            except Exception as error:  # the task records its own failures
                future.set_exception(error)
            return future
        return self._executor(app).submit(_in_context, app, task, *args)

    def _executor(self, app: Flask) -> ThreadPoolExecutor:
        with self._lock:
            executor = app.extensions.get("jobmatch_executor")
            if executor is None:
                executor = ThreadPoolExecutor(
                    max_workers=app.config["MATCH_WORKERS"], thread_name_prefix="jobmatch-run"
                )
                app.extensions["jobmatch_executor"] = executor
            return executor

    def shutdown(self, app: Flask, *, wait: bool = True) -> None:
        """Stop `app`'s pool (after the tasks queued so far when `wait`)."""
        with self._lock:
            executor = app.extensions.pop("jobmatch_executor", None)
        if executor is not None:
            executor.shutdown(wait=wait)


def _in_context(app: Flask, task: Callable[..., Any], *args: Any) -> Any:
    with app.app_context(), force_locale("da"):
        try:
            return task(*args)
        except Exception:
            log.exception("background task %s failed", getattr(task, "__name__", task))
            raise
        finally:
            # The application's Flask-SQLAlchemy, found without importing `extensions`.
            app.extensions["sqlalchemy"].session.remove()
