"""What `/healthz` reports: the database, the queue's Redis and its workers, each up or down.

No personal data and no settings (no URL, no host) are in the report: only
each part's state, how many workers beat and when the newest beat was.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.worker import QueueUnavailableError, RedisWork, background

from ..extensions import db

log = logging.getLogger("webapp.health")

UP, DOWN, NONE = "up", "down", "none"


def report() -> tuple[dict[str, Any], bool]:
    """The state of every part the board needs, and whether all configured parts are up.

    ``database``: a ``SELECT 1``. ``redis``: a PING of the queue's Redis, ``none``
    without a queue (`QUEUE_URL`). ``workers``: the queue's workers with a recent
    heartbeat (RQ's registry), their count and the newest beat; ``none`` without
    a queue; down when no worker beats. ``down`` lists the parts that are down.
    """
    parts: dict[str, Any] = {"database": _database()}
    work = background()
    if isinstance(work, RedisWork):
        parts.update(_queue(work))
    else:
        parts.update(redis=NONE, workers=NONE)
    down = [name for name, part in parts.items() if _state(part) == DOWN]
    healthy = not down
    return {"status": "ok" if healthy else "unavailable", **parts, "down": down}, healthy


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("health check: the database does not answer")
        return DOWN
    return UP


def _queue(work: RedisWork) -> dict[str, Any]:
    try:
        found = work.health()
    except QueueUnavailableError as error:
        log.warning("health check: the queue's Redis does not answer (%s)", error)
        return {"redis": DOWN, "workers": DOWN}
    count = found["workers"]
    return {
        "redis": UP,
        "workers": {
            "status": UP if count else DOWN,
            "count": count,
            "last_heartbeat": found["last_heartbeat"],
        },
    }


def _state(part: Any) -> str:
    return str(part["status"] if isinstance(part, dict) else part)
