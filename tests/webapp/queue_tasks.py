"""Tasks the queue's tests hand to real workers: module-level, so that a worker imports them."""

from __future__ import annotations

import os
import signal
import time

from webapp.services import run_jobs


def explode(run_id: int, job_id: str) -> None:
    """A job that raises an exception of its own, a traceback the page must never show."""
    raise RuntimeError(f"Traceback-like failure of run {run_id}")


def die(run_id: int, job_id: str) -> None:
    """A job whose process is killed (as the kernel does when memory runs out)."""
    os.kill(os.getpid(), signal.SIGKILL)


def outlive_the_timeout(run_id: int, job_id: str) -> None:
    """A step of the run's job that takes longer than the job may (a solve that never ends)."""
    with run_jobs.failing_on_error(run_id, job_id):
        time.sleep(120)
