"""Tasks the queue's tests hand to real workers: module-level, so that a worker imports them."""

from __future__ import annotations

import os
import signal


def explode(run_id: int) -> None:
    """A job that raises an exception of its own, a traceback the page must never show."""
    raise RuntimeError(f"Traceback-like failure of run {run_id}")


def die(run_id: int) -> None:
    """A job whose process is killed (as the kernel does when memory runs out)."""
    os.kill(os.getpid(), signal.SIGKILL)
