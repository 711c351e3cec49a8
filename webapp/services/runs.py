"""Matching runs: parameters in, a solve in the background, proposals out.

A coordinator's POST stores a pending run with its parameters and returns at
once; the run's job (`run_jobs`, in the web process's thread pool or on the
queue's workers: `webapp.worker`) builds the jobmatch/1 problem from the rows
(`problem.build_run_problem`), stores it, solves it and writes the solution
document and a `Proposal` per new pair. Problem and solution together
reproduce the run. The run page reads a run through `run_page`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.worker import background

from ..extensions import db
from ..models import UNFINISHED_RUNS, MatchRun, RunStatus, User
from . import run_jobs
from .errors import InvalidStateError, NotFoundError
from .holidays import holiday_on
from .lookup import by_public_id
from .problem import DEFAULT_TIME_LIMIT_S, METHODS

PERIODS = ("auto", "school", "holiday")
MAX_TIME_LIMIT_S = 600.0


@dataclass(frozen=True)
class RunParameters:
    """What a coordinator chooses for a run.

    `period` ``auto`` takes a holiday week when the start date falls in a
    school holiday of a chosen area's municipality, else a school week.
    `area_ids` None means every area.
    """

    start_date: dt.date
    period: str = "auto"
    area_ids: list[int] | None = None
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    method: str = "optimal"

    def to_json(self) -> dict[str, Any]:
        return {
            "start_date": self.start_date.isoformat(),
            "period": self.period,
            "area_ids": self.area_ids,
            "time_limit_s": self.time_limit_s,
            "method": self.method,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunParameters:
        return cls(
            start_date=dt.date.fromisoformat(data["start_date"]),
            period=data.get("period", "auto"),
            area_ids=data.get("area_ids"),
            time_limit_s=float(data.get("time_limit_s", DEFAULT_TIME_LIMIT_S)),
            method=data.get("method", "optimal"),
        )


def resolve_period(parameters: RunParameters) -> str:
    """``school`` or ``holiday`` for the run's start date."""
    if parameters.period != "auto":
        return parameters.period
    return "holiday" if holiday_on(parameters.start_date, parameters.area_ids) else "school"


def create_run(actor: User, parameters: RunParameters) -> MatchRun:
    """Store a pending run and hand it to the background once it is committed.

    The problem is built by the run's job: a problem that cannot be built
    (`matching.ProblemBuildError`) ends the run ``failed`` with the message.
    A queue that cannot be reached leaves the run pending: it is enqueued when
    the queue is back (`run_recovery`).

    Raises:
        InvalidStateError: a parameter out of range (method, period, time limit).
    """
    if parameters.method not in METHODS:
        raise InvalidStateError(_("Choose the optimal or the stable method."), field="method")
    if parameters.period not in PERIODS:
        raise InvalidStateError(_("Choose a school or a holiday week."), field="period")
    if not 0 < parameters.time_limit_s <= MAX_TIME_LIMIT_S:
        raise InvalidStateError(
            _("The time limit must be between 1 and %(max)d seconds.", max=MAX_TIME_LIMIT_S),
            field="time_limit_s",
        )
    run = MatchRun(
        status=RunStatus.PENDING,
        start_date=parameters.start_date,
        period=resolve_period(parameters),
        parameters=parameters.to_json(),
        created_by_id=actor.id,
    )
    db.session.add(run)
    db.session.commit()
    run_jobs.enqueue(run)
    db.session.expire(run)  # the job writes in a session of its own
    return run


STALL_MARGIN = dt.timedelta(minutes=10)


def is_stalled(run: MatchRun, now: dt.datetime) -> bool:
    """Whether an unfinished run of the embedded thread pool has outlived its time limit by far.

    The pool keeps nothing over a restart of its process. On a queue the
    workers know: a run whose job was lost is enqueued again or failed
    (`run_recovery`), never left stalled.
    """
    if run.status not in UNFINISHED_RUNS or background().configured:
        return False
    limit = dt.timedelta(seconds=float(run.parameters.get("time_limit_s", 0)) * 4)
    return now - run.created_at > limit + STALL_MARGIN


def waits_for_queue(run: MatchRun) -> bool:
    """Whether a pending run could not be handed to the queue yet (it was down)."""
    return run.status == RunStatus.PENDING and not run.job_id and background().configured


def rerun(actor: User, run: MatchRun) -> MatchRun:
    """A new run with the same parameters, on today's rows and pair rules."""
    return create_run(actor, RunParameters.from_json(run.parameters))


def list_runs(limit: int = 50) -> list[MatchRun]:
    """The newest runs first."""
    return list(db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(limit)))


def get_run(public_id: str) -> MatchRun:
    """A run by its public id.

    Raises:
        NotFoundError: no such run.
    """
    return by_public_id(MatchRun, public_id)


def finished_solution(public_id: str) -> dict[str, Any]:
    """The solution document of a finished run.

    Raises:
        NotFoundError: no such run, or it is not done (while a run solves, its document may
            be one that a job which lost the run wrote; `run_jobs.write`).
    """
    run = get_run(public_id)
    if run.status != RunStatus.DONE:
        raise NotFoundError(_("The run has no solution yet."))
    return run.solution
