"""A run's background job: claimed once, its problem built, solved (in parts), written once.

A run moves ``pending`` -> ``running`` -> ``done`` or ``failed``. Every step
is a compare-and-set on the run's row, keyed by `MatchRun.job_id`, the job
that holds the run now:

- `enqueue` hands the run to the back-end (`webapp.worker`) after the
  transaction that stored it has committed, and records the job; a queue that
  cannot be reached leaves the run pending with no job (the worker's
  `run_recovery.recover` enqueues it later);
- `execute` claims a pending run (``pending`` -> ``running``, any job may: a
  second delivery, or a duplicate, finds it taken and does nothing), builds
  and stores its problem, then solves it. On a queue a problem of several
  independent parts (`jobmatch.split`) goes to one job per part and a last job
  (`finish_parts`) that merges them, all acting for the run's job;
- `write` stores the solution and the proposals only while the run is still
  ``running`` under the writer's job, so a job that lost the run (its worker
  was given up, the run enqueued again) writes nothing that counts: at most a
  solution document on a run that is not done, which no page offers and the
  next job's replaces;
- every failure ends ``failed`` with a message for the coordinator, worded in
  Danish, naming the cause and never quoting a traceback.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

import jobmatch
from webapp.ui import board_day
from webapp.worker import FailureHook, FailureReason, TimedOut, background

from ..extensions import db
from ..models import UNFINISHED_RUNS, MatchRun, RunDocuments, RunStatus, utcnow
from . import run_outcome, run_proposals
from .matching import ProblemBuildError, load_problem, refuse_infeasible
from .problem import DEFAULT_TIME_LIMIT_S, build_run_problem

log = logging.getLogger("webapp.runs")

# A job may take this much longer than its run's time limit allows the solver
# (the flow, building the problem, explanations and the writing are outside the
# limit); four times the limit besides.
TIMEOUT_MARGIN_S = 600.0


def timeout_for(run: MatchRun) -> float:
    """The seconds a job of `run` may take before the queue stops it."""
    limit = float(run.parameters.get("time_limit_s", DEFAULT_TIME_LIMIT_S))
    return 4 * limit + float(
        current_app.config.get("RUN_TIMEOUT_MARGIN_SECONDS", TIMEOUT_MARGIN_S)
    )


def enqueue(run: MatchRun) -> bool:
    """Hand a pending run to the background (after its transaction committed).

    Returns:
        False when the queue cannot be reached: the run waits, with no job.
    """
    job_id = f"run-{run.public_id}-{secrets.token_hex(4)}"
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    handed = background(app).submit(
        app,
        execute,
        run.id,
        job_id,
        job_id=job_id,
        timeout_s=timeout_for(run),
        on_failure=FailureHook.of(job_failed, run.id, job_id),
    )
    if handed:  # the job may have claimed the run already: then its id is set
        _set(run.id, None, status=RunStatus.PENDING, values={"job_id": job_id})
    return handed


def execute(run_id: int, job_id: str) -> None:
    """The run's job: claim it, build and store its problem, solve it and write it."""
    if not _claim(run_id, job_id):
        return
    run = db.session.get(MatchRun, run_id)
    if run is None:  # deleted meanwhile
        return
    parts: list[jobmatch.Problem] = []
    with failing_on_error(run_id, job_id):
        parts = _solve_here_or_split(run, job_id)
    if not parts:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with failing_on_error(run_id, job_id):
        # The parts and the merge act for this job, which keeps the run. A queue down
        # now leaves the run with no live job: recovery enqueues it again.
        background(app).fan_out(
            app,
            solve_part,
            parts,
            finish_parts,
            (run_id, job_id),
            job_id=f"{job_id}-merge",
            timeout_s=timeout_for(run),
            on_failure=FailureHook.of(job_failed, run_id, job_id),
        )


def _solve_here_or_split(run: MatchRun, job_id: str) -> list[jobmatch.Problem]:
    """Solve and write the run in this job; or, on a queue, its parts when there are several."""
    document = run.problem or _build(run, job_id)
    if not document:
        return []
    problem = load_problem(document)
    parts = jobmatch.split(problem) if background().spreads else [problem]
    if len(parts) > 1:
        return parts
    write(run.id, job_id, problem, refuse_infeasible(document, jobmatch.solve(problem)))
    return []


def solve_part(part: jobmatch.Problem) -> jobmatch.Solution:
    """A part's job: the library alone (no database)."""
    return jobmatch.solve(part, explain=False)


def finish_parts(run_id: int, job_id: str, solutions: Sequence[jobmatch.Solution]) -> None:
    """The last job of a run in parts, for the run's job `job_id`: merge and write the whole."""
    run = db.session.get(MatchRun, run_id)
    if run is None or run.status != RunStatus.RUNNING or run.job_id != job_id:
        return
    with failing_on_error(run_id, job_id):
        document = run.problem
        problem = load_problem(document)
        merged = jobmatch.merge(problem, solutions)
        write(run_id, job_id, problem, refuse_infeasible(document, merged))


def write(
    run_id: int, job_id: str, problem: jobmatch.Problem, solution: jobmatch.Solution
) -> bool:
    """Store the solution, the proposals and what the run decided (`run_outcome`), once:
    only while `job_id` holds the running run.

    Returns:
        Whether this call wrote them.
    """
    run = db.session.get(MatchRun, run_id)
    if run is None:
        db.session.rollback()
        return False
    # Worked out before the first write: on SQLite a write takes the database's one write
    # lock, and every other writer (a page's audit entry) waits until the commit.
    proposals = run_proposals.new_proposals(run, problem, solution)
    refused = proposals.refused
    outcome = run_outcome.outcome_of(run, problem, solution, refused, proposals.proposed)
    parameters = dict(run.parameters)
    # Two short writes instead of one long one. The solution document first (megabytes,
    # serialised before its UPDATE takes the lock), while the run is still running under
    # this job: a run that is not done shows no solution, and a job that loses the run
    # after this has its document replaced by the next one's.
    if not _set_documents(run_id, job_id, solution=jobmatch.solution_to_dict(solution)):
        db.session.rollback()
        return False
    db.session.commit()
    # Then the rows, the claim and the proposals, the largest first: a statement's values
    # are serialised before it runs, so the first write's are outside the lock.
    run_outcome.insert_unplaced(run_id, outcome)
    values = {"status": RunStatus.DONE, "figures": outcome.figures, "finished_at": utcnow()}
    if refused:
        values["parameters"] = {**parameters, "refused": refused}
    if not _set(run_id, job_id, values=values, commit=False):
        db.session.rollback()
        return False
    run_proposals.insert_proposals(run_id, proposals)
    db.session.commit()
    return True


FAILURES = {
    FailureReason.TIMEOUT: lambda: _(
        "The run took longer than its time limit allows and was stopped. "
        "Run it again, with fewer areas or a shorter time limit."
    ),
    FailureReason.CRASHED: lambda: _(
        "The worker solving the run stopped (it may have run out of memory). Run it again."
    ),
    FailureReason.ERROR: lambda: _("The run failed unexpectedly. Try again."),
}


def job_failed(run_id: int, job_id: str, reason: str) -> None:
    """The queue's word that `job_id` failed for `reason` (a `FailureReason`)."""
    fail(run_id, job_id, str(FAILURES[FailureReason(reason)]()))


def fail(run_id: int, job_id: str | None, message: str) -> bool:
    """End an unfinished run as failed with `message`, if `job_id` still holds it (None: any)."""
    db.session.rollback()
    return _set(
        run_id,
        job_id,
        status=UNFINISHED_RUNS,
        values={"status": RunStatus.FAILED, "error": message, "finished_at": utcnow()},
    )


@contextmanager
def failing_on_error(run_id: int, job_id: str) -> Iterator[None]:
    """Every step of a run's job inside: a `ProblemBuildError` or any other exception fails
    the run with its message; the queue's timeout passes through, to fail it as a timeout."""
    try:
        yield
    except TimedOut:
        raise
    except ProblemBuildError as error:
        fail(run_id, job_id, str(error))
    except Exception:
        log.exception("matching run %s failed", run_id)
        fail(run_id, job_id, str(FAILURES[FailureReason.ERROR]()))


def reset(run_id: int, job_id: str) -> bool:
    """Take an unfinished run from its lost `job_id`: pending again, with no job."""
    return _set(
        run_id,
        job_id,
        status=UNFINISHED_RUNS,
        values={"status": RunStatus.PENDING, "job_id": ""},
    )


def _claim(run_id: int, job_id: str) -> bool:
    """``pending`` -> ``running`` under `job_id`; False when another job has the run."""
    return _set(
        run_id,
        None,
        status=(RunStatus.PENDING,),
        values={
            "status": RunStatus.RUNNING,
            "job_id": job_id,
            "attempts": MatchRun.attempts + 1,
            "started_at": utcnow(),
        },
    )


def _build(run: MatchRun, job_id: str) -> dict[str, Any]:
    """Build the run's problem from today's rows and store it (empty when the run was lost)."""
    parameters = run.parameters
    built = build_run_problem(
        db.session,
        start_date=run.start_date or board_day.today(),
        period=run.period,  # type: ignore[arg-type]
        area_ids=parameters.get("area_ids"),
        time_limit_s=float(parameters.get("time_limit_s", DEFAULT_TIME_LIMIT_S)),
        method=parameters.get("method", "optimal"),
        part_pairs=current_app.config.get("RUN_PART_PAIRS"),
    )
    values = {
        "parameters": {
            **parameters,
            "set_aside": built.set_aside,
            "distance_not_checked": built.distance_not_checked,
        }
    }
    stored = _set_documents(run.id, job_id, problem=built.document) and _set(
        run.id, job_id, values=values, commit=False
    )
    if stored:
        db.session.commit()
    else:
        db.session.rollback()
    db.session.expire(run)
    return built.document if stored else {}


def _set_documents(run_id: int, job_id: str, **documents: dict[str, Any]) -> bool:
    """UPDATE the run's documents while `job_id` holds it running; True if it does. Does
    not commit. One statement, whose values are serialised before it takes the write lock.

    The run's row is locked as the guard reads it (FOR UPDATE; SQLite has one writer
    anyway), as `_set`'s UPDATE locks it: a job claiming the run meanwhile waits for this
    commit, and a job that lost the run finds it claimed and writes nothing."""
    held = (
        select(MatchRun.id)
        .where(
            MatchRun.id == run_id, MatchRun.status == RunStatus.RUNNING, MatchRun.job_id == job_id
        )
        .with_for_update()
    )
    result = db.session.execute(
        update(RunDocuments)
        .where(RunDocuments.run_id == run_id, RunDocuments.run_id.in_(held))
        .values(**documents)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _set(
    run_id: int,
    job_id: str | None,
    *,
    values: dict[str, Any],
    status: RunStatus | Sequence[RunStatus] = (RunStatus.RUNNING,),
    commit: bool = True,
) -> bool:
    """UPDATE the run where it is in `status` under `job_id` (None: any job); True if it was."""
    statuses = (status,) if isinstance(status, RunStatus) else tuple(status)
    conditions = [MatchRun.id == run_id, MatchRun.status.in_(statuses)]
    if job_id is not None:
        conditions.append(MatchRun.job_id == job_id)
    result = db.session.execute(
        update(MatchRun)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if commit:
        db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
