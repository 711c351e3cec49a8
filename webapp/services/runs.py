"""Matching runs: parameters in, a stored problem, a solve in the background, proposals out.

A run is created in the request (its parameters and the jobmatch/1 problem
built from the rows by `problem.build_run_problem` are stored at once) and
solved by the worker (`webapp.worker`), which stores the solution document and
writes a `Proposal` per new pair. Problem and solution together reproduce the
run. The run page reads a run through `run_page`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import UNFINISHED_RUNS, MatchRun, Opening, Proposal, RunStatus, User, Youth, utcnow
from . import refusals
from .errors import InvalidStateError
from .holidays import holiday_on
from .lookup import by_public_id, by_public_ids
from .matching import ProblemBuildError, solve_problem
from .pair_rules import stored_pair_rules
from .placement_guard import refused_pairs
from .problem import DEFAULT_TIME_LIMIT_S, METHODS, build_run_problem

log = logging.getLogger("webapp.runs")

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
    """Store a run with its problem and hand the solve to the worker.

    A problem that cannot be built (`matching.ProblemBuildError`) gives a run
    with status ``failed`` and the message, not an exception.

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
    period = resolve_period(parameters)
    run = MatchRun(
        status=RunStatus.PENDING,
        start_date=parameters.start_date,
        period=period,
        parameters=parameters.to_json(),
        created_by_id=actor.id,
    )
    try:
        built = build_run_problem(
            db.session,
            start_date=parameters.start_date,
            period=period,  # type: ignore[arg-type]
            area_ids=parameters.area_ids,
            time_limit_s=parameters.time_limit_s,
            method=parameters.method,
        )
        run.problem = built.document
        run.parameters = {**run.parameters, "set_aside": built.set_aside}
    except ProblemBuildError as error:
        run.status = RunStatus.FAILED
        run.error = str(error)
        run.finished_at = utcnow()
    db.session.add(run)
    db.session.commit()
    if run.status == RunStatus.PENDING:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        app.extensions["jobmatch_worker"].submit(app, execute, run.id)
        db.session.expire(run)  # the worker writes in a session of its own
    return run


STALL_MARGIN = dt.timedelta(minutes=10)


def is_stalled(run: MatchRun, now: dt.datetime) -> bool:
    """Whether an unfinished run has outlived its time limit by far (its worker stopped)."""
    if run.status not in UNFINISHED_RUNS:
        return False
    limit = dt.timedelta(seconds=float(run.parameters.get("time_limit_s", 0)) * 4)
    return now - run.created_at > limit + STALL_MARGIN


def rerun(actor: User, run: MatchRun) -> MatchRun:
    """A new run with the same parameters, on today's rows and pair rules."""
    return create_run(actor, RunParameters.from_json(run.parameters))


def execute(run_id: int) -> None:
    """Solve a pending run and write its proposals (the worker's task).

    Every failure ends in status ``failed`` with a message for the coordinator.
    """
    run = db.session.get(MatchRun, run_id)
    if run is None or run.status != RunStatus.PENDING:
        return
    run.status = RunStatus.RUNNING
    run.started_at = utcnow()
    db.session.commit()
    try:
        solution = solve_problem(run.problem, session=db.session)
        run.solution = jobmatch.solution_to_dict(solution)
        _write_proposals(run, solution)
        run.status = RunStatus.DONE
    except ProblemBuildError as error:
        db.session.rollback()
        run.status, run.error = RunStatus.FAILED, str(error)
    except Exception:
        log.exception("matching run %s failed", run.public_id)
        db.session.rollback()
        run.status, run.error = RunStatus.FAILED, _("The run failed unexpectedly. Try again.")
    run.finished_at = utcnow()
    db.session.commit()


def _write_proposals(run: MatchRun, solution: jobmatch.Solution) -> None:
    """A proposal per assignment that no placement or sent proposal holds yet.

    Each new pair passes the guard against what its youth holds now
    (`placement_guard.refused_pairs`): one the guard refuses, e.g. beside a job
    placed by hand while the run was solving, is not proposed; it is kept in the
    run's parameters (``refused``, with its reasons and their figures) and the run
    page shows its youth as not placed, with the reasons.
    """
    held = {(p["youth"], p["opening"]) for p in run.problem.get("fixed", [])}
    pinned = set(stored_pair_rules(db.session)[1])
    new = [a for a in solution.assignments if (a.youth, a.opening) not in held - pinned]
    if not new:
        return
    youths = by_public_ids(Youth, {a.youth for a in new})
    openings = by_public_ids(Opening, {a.opening for a in new})
    # Erased or deleted while the run was solving: left out.
    new = [a for a in new if a.youth in youths and a.opening in openings]
    refused = refused_pairs(
        [(youths[a.youth], openings[a.opening]) for a in new],
        start_date=run.start_date or board_day.today(),
        period=run.period,
    )
    loaded = jobmatch.load(run.problem)
    not_proposed = []
    for a in new:
        ids = (youths[a.youth].id, openings[a.opening].id)
        if ids in refused:
            reasons = [refusals.to_json(r) for r in refused[ids]]
            not_proposed.append({"youth": a.youth, "opening": a.opening, "refusals": reasons})
            continue
        run.proposals.append(
            Proposal(
                youth_id=ids[0],
                opening_id=ids[1],
                score=a.score,
                missing_onboarding=list(a.missing_onboarding),
                reasons=_fit(loaded, a.youth, a.opening, pinned=(a.youth, a.opening) in pinned),
            )
        )
    if not_proposed:
        run.parameters = {**run.parameters, "refused": not_proposed}


def _fit(
    problem: jobmatch.Problem, youth_id: str, opening_id: str, *, pinned: bool
) -> dict[str, Any]:
    """Why a pair fits: shared interests, distance, ranks on both sides."""
    youth = next(y for y in problem.youths if y.id == youth_id)
    opening = next(o for o in problem.openings if o.id == opening_id)
    fit: dict[str, Any] = {
        "interest": opening.category in youth.interests,
        "pinned": pinned,
    }
    if youth.location is not None and opening.location is not None:
        fit["distance_km"] = round(jobmatch.distance_km(youth.location, opening.location), 1)
    if opening_id in youth.preferences:
        fit["youth_rank"] = youth.preferences.index(opening_id) + 1
    if youth_id in opening.preferences:
        fit["employer_rank"] = opening.preferences.index(youth_id) + 1
    return fit


def list_runs(limit: int = 50) -> list[MatchRun]:
    """The newest runs first."""
    return list(db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(limit)))


def get_run(public_id: str) -> MatchRun:
    """A run by its public id.

    Raises:
        NotFoundError: no such run.
    """
    return by_public_id(MatchRun, public_id)
