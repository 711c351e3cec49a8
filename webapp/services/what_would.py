"""What would place an unplaced youth of a run: asked for in a POST, worked out by the worker.

Each change is tried by solving the run's problem again (up to `ATTEMPTS`
solves), which takes seconds to minutes for a large run: never inside a
page's request. A coordinator's request stores a pending `WhatIf` (one per run
and youth: the unique pair makes a second request at the same time find the
first) and hands `compute` to the worker; the youth's page shows that it is
being worked out until the changes are stored, and words them when shown. The
worker claims the row (pending -> running) before it solves, so a task that
arrives twice solves once.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.worker import FailureHook, FailureReason, background

from ..extensions import db
from ..models import MatchRun, RunStatus, WhatIf, Youth, utcnow
from . import run_documents
from .errors import InvalidStateError
from .explanations import Sentence, change_sentences, what_would_changes

log = logging.getLogger("webapp.what_would")

ATTEMPTS = 6
TIME_LIMIT_S = 5.0
# A request unanswered this long lost its worker (a restart): it may be asked again.
STALL_AFTER = dt.timedelta(minutes=10)
TIMEOUT_S = 600.0  # the queue stops a task this long (each solve of a large run takes seconds)
UNFINISHED = (RunStatus.PENDING, RunStatus.RUNNING)
FAILURES = {
    FailureReason.TIMEOUT: _l("It took too long and was stopped. Try again later."),
    FailureReason.CRASHED: _l("The worker working it out stopped. Try again."),
    FailureReason.ERROR: _l("It failed unexpectedly. Try again."),
    "queue": _l("The queue that works it out cannot be reached just now. Try again in a while."),
}
NOT_UNPLACED = _l("The run did not leave the youth without a job: nothing to work out.")


def find(run: MatchRun, youth: Youth) -> WhatIf | None:
    """The stored request of what would place `youth` in `run`, if there is one."""
    return db.session.scalar(
        select(WhatIf).where(WhatIf.run_id == run.id, WhatIf.youth_id == youth.id)
    )


def sentences(found: WhatIf) -> list[Sentence]:
    """A finished request's changes as sentences, in the reader's language."""
    return change_sentences(found.changes)


def is_stalled(found: WhatIf, now: dt.datetime) -> bool:
    """Whether an unfinished request has waited so long that its worker must have stopped."""
    return found.status in UNFINISHED and now - found.created_at > STALL_AFTER


def request(run: MatchRun, youth: Youth) -> WhatIf:
    """Ask what would place `youth` in `run`: stored once and handed to the worker once.

    A request already pending, running or done is returned as it is; a failed or
    stalled one is asked again.

    Raises:
        InvalidStateError: the run is not done.
    """
    if run.status != RunStatus.DONE:
        raise InvalidStateError(_("The run is not finished: nothing to work out yet."))
    if not _left_unplaced(run, youth):
        raise InvalidStateError(str(NOT_UNPLACED))
    found = find(run, youth)
    if found is None:
        found = WhatIf(run_id=run.id, youth_id=youth.id, status=RunStatus.PENDING)
        db.session.add(found)
        try:
            db.session.commit()
        except IntegrityError:  # asked at the same moment: the other request's row stands
            db.session.rollback()
            return _existing(run, youth)
    elif not _ask_again(found):
        return found
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    handed = background(app).submit(
        app,
        compute,
        found.id,
        timeout_s=TIMEOUT_S,
        on_failure=FailureHook.of(task_failed, found.id),
    )
    if not handed:  # the queue cannot be reached: said now, and it may be asked again
        _fail(found.id, str(FAILURES["queue"]))
    db.session.expire(found)  # the worker writes in a session of its own
    return found


def _left_unplaced(run: MatchRun, youth: Youth) -> bool:
    """Whether the run's solution left the youth without a job."""
    documents = run_documents.loaded(run)
    return documents is not None and any(
        u.youth == youth.public_id for u in documents[1].unmatched
    )


def _existing(run: MatchRun, youth: Youth) -> WhatIf:
    found = find(run, youth)
    assert found is not None  # the unique pair was taken by the other request
    return found


def _ask_again(found: WhatIf) -> bool:
    """Set a failed or stalled request pending again; True when this request did (once)."""
    now = utcnow()
    if found.status != RunStatus.FAILED and not is_stalled(found, now):
        return False
    unchanged = [WhatIf.id == found.id, WhatIf.status == found.status]
    if found.status != RunStatus.FAILED:  # still stalled: no worker took it meanwhile
        unchanged.append(WhatIf.created_at <= now - STALL_AFTER)
    result = db.session.execute(
        update(WhatIf)
        .where(*unchanged)
        .values(status=RunStatus.PENDING, error="", changes=[], created_at=now, finished_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def task_failed(what_if_id: int, reason: str) -> None:
    """The queue's word that the task of `what_if_id` failed for `reason` (a `FailureReason`)."""
    _fail(what_if_id, str(FAILURES.get(reason, FAILURES[FailureReason.ERROR])))


def _fail(what_if_id: int, message: str) -> None:
    """End an unfinished request as failed with `message` (a finished one stays as it is)."""
    db.session.rollback()
    db.session.execute(
        update(WhatIf)
        .where(WhatIf.id == what_if_id, WhatIf.status.in_(UNFINISHED))
        .values(status=RunStatus.FAILED, error=message, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def compute(what_if_id: int) -> None:
    """Work out a pending request (the worker's task); a second delivery does nothing.

    Every failure ends in status ``failed`` with a message for the coordinator.
    """
    claimed = db.session.execute(
        update(WhatIf)
        .where(WhatIf.id == what_if_id, WhatIf.status == RunStatus.PENDING)
        .values(status=RunStatus.RUNNING)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    found = db.session.get(WhatIf, what_if_id)
    if found is None:  # the run or the youth was deleted meanwhile
        return
    try:
        found.changes = _changes(found)
        found.status = RunStatus.DONE
    except InvalidStateError as error:
        db.session.rollback()
        found.status, found.error = RunStatus.FAILED, str(error)
    except Exception:
        log.exception("what would place: request %s failed", what_if_id)
        db.session.rollback()
        found.status, found.error = RunStatus.FAILED, str(FAILURES[FailureReason.ERROR])
    found.finished_at = utcnow()
    db.session.commit()


def _changes(found: WhatIf) -> list[dict[str, object]]:
    """Solve the run's problem again with each single change to the youth's record."""
    run = db.session.get(MatchRun, found.run_id)
    youth = db.session.get(Youth, found.youth_id)
    if run is None or youth is None:
        raise InvalidStateError(_("The run or the youth is gone."))
    documents = run_documents.loaded(run)
    if documents is None:
        raise InvalidStateError(
            _("The run was solved under an earlier version of the rules. Run it again.")
        )
    if not _left_unplaced(run, youth):
        raise InvalidStateError(str(NOT_UNPLACED))
    problem = documents[0]
    return what_would_changes(
        problem, youth.public_id, attempts=ATTEMPTS, time_limit_s=TIME_LIMIT_S
    )
