"""Runs that lost their job, found from the database and handed to the queue again.

The database is the record of every run; the queue only carries work. A
worker calls `recover` when it starts and every `QUEUE_TICK_SECONDS` while
idle. An unfinished run is

- enqueued when it has no job (the queue was down when it was created, or
  its web process stopped before handing it over);
- enqueued again when its job is lost: gone from Redis, failed without a
  word, or running on a worker that stopped beating (killed, its machine
  restarted). Solving again is safe: the lost job, should it still finish,
  no longer holds the run and writes nothing (`run_jobs.write`). After
  `RUN_MAX_ATTEMPTS` workers (3) stopped on the same run it fails instead,
  with the reason.

A run younger than `RUN_HANDOVER_SECONDS` (30) is left to the request that
created it, which hands it over after its commit: taken up in between, it
would be enqueued twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.worker import QueueUnavailableError, background

from ..extensions import db
from ..models import UNFINISHED_RUNS, MatchRun, utcnow
from . import run_jobs

log = logging.getLogger("webapp.runs")

MAX_ATTEMPTS = 3
HANDOVER_S = 30.0


def recover() -> int:
    """Hand every unfinished run whose job is missing or lost to the queue again.

    Returns:
        How many runs were enqueued again or given up.
    """
    work = background()
    if not work.configured:
        return 0
    handover = float(current_app.config.get("RUN_HANDOVER_SECONDS", HANDOVER_S))
    created_before = utcnow() - dt.timedelta(seconds=handover)
    unfinished = db.session.scalars(
        select(MatchRun)
        .where(MatchRun.status.in_(UNFINISHED_RUNS), MatchRun.created_at < created_before)
        .order_by(MatchRun.id)
    ).all()
    handled = 0
    for run in unfinished:
        try:
            alive = bool(run.job_id) and work.is_alive(run.job_id)
        except QueueUnavailableError:
            return handled  # nothing can be enqueued either; the next tick tries again
        if not alive:
            handled += _hand_over_again(run)
    return handled


def _hand_over_again(run: MatchRun) -> int:
    lost = run.job_id
    limit = int(current_app.config.get("RUN_MAX_ATTEMPTS", MAX_ATTEMPTS))
    if run.attempts >= limit:
        message = _(
            "The run was started %(count)d times and its worker stopped each time "
            "(it may need more memory than a worker has). Run it with fewer areas.",
            count=run.attempts,
        )
        if run_jobs.fail(run.id, lost, str(message)):
            log.warning("matching run %s given up after %d attempts", run.public_id, run.attempts)
            return 1
        return 0
    if lost and not run_jobs.reset(run.id, lost):
        return 0  # its job finished or another worker recovered it meanwhile
    log.info("matching run %s enqueued again (job %s)", run.public_id, lost or "none")
    db.session.expire(run)
    run_jobs.enqueue(run)
    return 1
