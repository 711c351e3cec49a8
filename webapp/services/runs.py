"""Matching runs: parameters in, a stored problem, a solve in the background, proposals out.

A run is created in the request (its parameters and the jobmatch/1 problem
built from the rows are stored at once) and solved by the worker
(`webapp.worker`), which stores the solution document and writes a `Proposal`
per new pair. Problem and solution together reproduce the run.

What a run keeps fixed: confirmed and started placements (see
`matching.build_problem`) and proposals sent to an employer and not yet
answered, as they hold a position (`Opening.filled`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import jobmatch
from jobmatch.check import distance_km

from ..extensions import db
from ..models import (
    Area,
    MatchRun,
    Opening,
    PairRule,
    Placement,
    Proposal,
    SchoolHoliday,
    User,
    Youth,
    utcnow,
)
from . import matching
from .errors import InvalidStateError, NotFoundError
from .explanations import (
    Sentence,
    YouthExplanation,
    explain_unplaced,
    rule_names,
    what_would_place,
)
from .lookup import by_public_id
from .openings import ACTIVE_PLACEMENT

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
    time_limit_s: float = matching.DEFAULT_TIME_LIMIT_S
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
            time_limit_s=float(data.get("time_limit_s", matching.DEFAULT_TIME_LIMIT_S)),
            method=data.get("method", "optimal"),
        )


# -- the school-holiday calendar ----------------------------------------------


def holidays() -> list[SchoolHoliday]:
    """Every school holiday, by municipality and first day."""
    return list(
        db.session.scalars(
            select(SchoolHoliday).order_by(SchoolHoliday.municipality, SchoolHoliday.first_day)
        )
    )


def add_holiday(municipality: str, name: str, first_day: dt.date, last_day: dt.date) -> None:
    """Add a school holiday to a municipality's calendar.

    Raises:
        InvalidStateError: the last day is before the first.
    """
    if last_day < first_day:
        raise InvalidStateError(_("The last day must not be before the first."), field="last_day")
    db.session.add(
        SchoolHoliday(
            municipality=municipality.strip(),
            name=name.strip(),
            first_day=first_day,
            last_day=last_day,
        )
    )
    db.session.commit()


def delete_holiday(holiday_id: int) -> None:
    """Remove a holiday from the calendar.

    Raises:
        NotFoundError: no such holiday.
    """
    holiday = db.session.get(SchoolHoliday, holiday_id)
    if holiday is None:
        raise NotFoundError("school_holiday")
    db.session.delete(holiday)
    db.session.commit()


def set_municipality(area_id: int, municipality: str) -> None:
    """Set the municipality whose holidays apply to an area.

    Raises:
        NotFoundError: no such area.
    """
    area = db.session.get(Area, area_id)
    if area is None:
        raise NotFoundError("area")
    area.municipality = municipality.strip()
    db.session.commit()


def holiday_on(day: dt.date, area_ids: list[int] | None) -> SchoolHoliday | None:
    """The school holiday of a chosen area's municipality that `day` falls in, if any."""
    areas = select(Area.municipality).where(Area.municipality != "")
    if area_ids is not None:
        areas = areas.where(Area.id.in_(area_ids))
    return db.session.scalar(
        select(SchoolHoliday)
        .where(
            SchoolHoliday.municipality.in_(areas),
            SchoolHoliday.first_day <= day,
            SchoolHoliday.last_day >= day,
        )
        .order_by(SchoolHoliday.first_day)
        .limit(1)
    )


def resolve_period(parameters: RunParameters) -> str:
    """``school`` or ``holiday`` for the run's start date."""
    if parameters.period != "auto":
        return parameters.period
    return "holiday" if holiday_on(parameters.start_date, parameters.area_ids) else "school"


# -- creating and solving ------------------------------------------------------


def create_run(actor: User, parameters: RunParameters) -> MatchRun:
    """Store a run with its problem and hand the solve to the worker.

    A problem that cannot be built (`matching.ProblemBuildError`) gives a run
    with status ``failed`` and the message, not an exception.

    Raises:
        InvalidStateError: a parameter out of range (method, period, time limit).
    """
    if parameters.method not in matching.METHODS:
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
        status="pending",
        start_date=parameters.start_date,
        period=period,
        parameters=parameters.to_json(),
        created_by_id=actor.id,
    )
    forbidden, pinned = matching.stored_pair_rules(db.session)
    try:
        document = matching.build_problem(
            db.session,
            start_date=parameters.start_date,
            period=period,  # type: ignore[arg-type]
            area_ids=parameters.area_ids,
            time_limit_s=parameters.time_limit_s,
            method=parameters.method,
            forbidden=forbidden,
            pinned=pinned,
        )
        document, set_aside = set_aside_broken(hold_sent_proposals(document))
        run.problem = document
        run.parameters = {**run.parameters, "set_aside": set_aside}
    except matching.ProblemBuildError as error:
        run.status = "failed"
        run.error = str(error)
        run.finished_at = utcnow()
    db.session.add(run)
    db.session.commit()
    if run.status == "pending":
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        app.extensions["jobmatch_worker"].submit(app, execute, run.id)
        db.session.expire(run)  # the worker writes in a session of its own
    return run


STALL_MARGIN = dt.timedelta(minutes=10)


def is_stalled(run: MatchRun, now: dt.datetime) -> bool:
    """Whether an unfinished run has outlived its time limit by far (its worker stopped)."""
    if run.status not in ("pending", "running"):
        return False
    created = run.created_at
    if created.tzinfo is None:  # SQLite gives naive UTC back
        created = created.replace(tzinfo=dt.UTC)
    limit = dt.timedelta(seconds=float(run.parameters.get("time_limit_s", 0)) * 4)
    return now - created > limit + STALL_MARGIN


def rerun(actor: User, run: MatchRun) -> MatchRun:
    """A new run with the same parameters, on today's rows and pair rules."""
    return create_run(actor, RunParameters.from_json(run.parameters))


def execute(run_id: int) -> None:
    """Solve a pending run and write its proposals (the worker's task).

    Every failure ends in status ``failed`` with a message for the coordinator.
    """
    run = db.session.get(MatchRun, run_id)
    if run is None or run.status != "pending":
        return
    run.status = "running"
    run.started_at = utcnow()
    db.session.commit()
    try:
        solution = matching.solve_problem(run.problem, session=db.session)
        run.solution = jobmatch.solution_to_dict(solution)
        _write_proposals(run, solution)
        run.status = "done"
    except matching.ProblemBuildError as error:
        db.session.rollback()
        run.status, run.error = "failed", str(error)
    except Exception:
        log.exception("matching run %s failed", run.public_id)
        db.session.rollback()
        run.status, run.error = "failed", _("The run failed unexpectedly. Try again.")
    run.finished_at = utcnow()
    db.session.commit()


def hold_sent_proposals(document: dict[str, Any]) -> dict[str, Any]:
    """Keep proposals sent to employers in the problem: they hold a position.

    A sent pair whose youth and opening are both in the problem becomes fixed;
    one whose youth is outside takes a position off its opening (an opening
    left with none leaves the problem); one whose opening is outside takes a
    job off its youth's `max_jobs`.
    """
    sent = db.session.execute(
        select(Youth.public_id, Opening.public_id)
        .join(Proposal, Proposal.youth_id == Youth.id)
        .join(Opening, Opening.id == Proposal.opening_id)
        .where(Proposal.status == "sent")
        .order_by(Proposal.id)
    ).all()
    if not sent:
        return document
    youths = {y["id"]: y for y in document["youths"]}
    openings = {o["id"]: o for o in document["openings"]}
    fixed = {(p["youth"], p["opening"]) for p in document["fixed"]}
    for youth, opening in sent:
        if youth in youths and opening in openings:
            if (youth, opening) not in fixed:
                document["fixed"].append({"youth": youth, "opening": opening})
                fixed.add((youth, opening))
        elif opening in openings:
            openings[opening]["positions"] -= 1
        elif youth in youths:
            youths[youth]["max_jobs"] = max(youths[youth]["max_jobs"] - 1, 0)
    return _without_full_openings(document)


def _held_pairs() -> set[tuple[str, str]]:
    """(youth, opening) public ids of running placements and proposals sent to employers."""
    placed = (
        select(Youth.public_id, Opening.public_id)
        .join(Placement, Placement.youth_id == Youth.id)
        .join(Opening, Opening.id == Placement.opening_id)
        .where(Placement.status.in_(ACTIVE_PLACEMENT))
    )
    sent = (
        select(Youth.public_id, Opening.public_id)
        .join(Proposal, Proposal.youth_id == Youth.id)
        .join(Opening, Opening.id == Proposal.opening_id)
        .where(Proposal.status == "sent")
    )
    return {(y, o) for y, o in db.session.execute(placed.union(sent))}


def set_aside_broken(document: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Keep jobs that no longer fit the rules out of the fixed pairs, their positions taken.

    A running placement or a sent proposal whose youth changed (availability,
    travel) may break a rule now; the library refuses such a fixed pair, which
    would stop every run. Such a pair leaves `fixed`, its opening keeps the
    position taken and its youth the job counted, and the run lists it for the
    coordinator. A pinned pair that breaks a rule still fails the run.

    Returns:
        The document, and each pair set aside with its reason codes.
    """
    if not document["fixed"]:
        return document, []
    try:
        problem = jobmatch.load({**document, "fixed": []})
    except jobmatch.ProblemError:
        return document, []  # the solve reports it with every issue
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    held = _held_pairs()
    kept, aside = [], []
    for pair in document["fixed"]:
        codes = jobmatch.reasons_for(problem, youths[pair["youth"]], openings[pair["opening"]])
        if codes and (pair["youth"], pair["opening"]) in held:
            aside.append({**pair, "codes": codes})
        else:
            kept.append(pair)
    if not aside:
        return document, []
    records = {y["id"]: y for y in document["youths"]}
    positions = {o["id"]: o for o in document["openings"]}
    for pair in aside:
        positions[pair["opening"]]["positions"] -= 1
        records[pair["youth"]]["max_jobs"] = max(records[pair["youth"]]["max_jobs"] - 1, 0)
    document["fixed"] = kept
    return _without_full_openings(document), aside


def _without_full_openings(document: dict[str, Any]) -> dict[str, Any]:
    """The document without openings left with no position, nor references to them."""
    gone = {o["id"] for o in document["openings"] if o["positions"] < 1}
    if gone:
        document["openings"] = [o for o in document["openings"] if o["id"] not in gone]
        document["forbidden"] = [p for p in document["forbidden"] if p["opening"] not in gone]
        for record in document["youths"]:
            record["preferences"] = [o for o in record["preferences"] if o not in gone]
    return document


def set_aside_pairs(run: MatchRun) -> list[tuple[str, str, str]]:
    """The jobs a run kept out as no longer fitting: (first name, job title, rules broken)."""
    aside = run.parameters.get("set_aside") or []
    if not aside:
        return []
    youths = _by_public_id(Youth, {p["youth"] for p in aside})
    openings = _by_public_id(Opening, {p["opening"] for p in aside})
    return [
        (
            youths[p["youth"]].first_name if p["youth"] in youths else "?",
            openings[p["opening"]].title if p["opening"] in openings else "?",
            rule_names(p["codes"]),
        )
        for p in aside
    ]


def _write_proposals(run: MatchRun, solution: jobmatch.Solution) -> None:
    """A proposal per assignment that no placement or sent proposal holds yet."""
    held = {(p["youth"], p["opening"]) for p in run.problem.get("fixed", [])}
    pinned = set(matching.stored_pair_rules(db.session)[1])
    new = [a for a in solution.assignments if (a.youth, a.opening) not in held - pinned]
    if not new:
        return
    youths = _by_public_id(Youth, {a.youth for a in new})
    openings = _by_public_id(Opening, {a.opening for a in new})
    problem = jobmatch.load(run.problem)
    for a in new:
        if a.youth not in youths or a.opening not in openings:
            continue  # erased or deleted while the run was solving
        run.proposals.append(
            Proposal(
                youth_id=youths[a.youth].id,
                opening_id=openings[a.opening].id,
                score=a.score,
                missing_onboarding=list(a.missing_onboarding),
                reasons=_fit(problem, a.youth, a.opening, pinned=(a.youth, a.opening) in pinned),
            )
        )


def _by_public_id(model: type[Any], ids: set[str]) -> dict[str, Any]:
    rows = db.session.scalars(select(model).where(model.public_id.in_(ids)))
    return {row.public_id: row for row in rows}


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
        fit["distance_km"] = round(distance_km(youth.location, opening.location), 1)
    if opening_id in youth.preferences:
        fit["youth_rank"] = youth.preferences.index(opening_id) + 1
    if youth_id in opening.preferences:
        fit["employer_rank"] = opening.preferences.index(youth_id) + 1
    return fit


# -- reading a run -------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A run's figures for the coordinator."""

    youths: int
    placed: int
    new_proposals: int
    by_priority: list[tuple[int, int, int]]  # (priority, placed, youths)
    by_area: list[tuple[str, int, int]]  # (area, placed, youths)
    seconds: float | None
    optimal: bool
    solver: str
    price_of_stability: dict[str, int] | None = None
    blocking_pairs: int | None = None


@dataclass
class RunResult:
    """Everything the run page shows."""

    run: MatchRun
    proposals: list[Proposal]
    unplaced: list[YouthExplanation]
    figures: Figures | None
    rules: dict[tuple[int, int], PairRule] = field(default_factory=dict)
    what_would: tuple[Youth, list[Sentence]] | None = None
    set_aside: list[tuple[str, str, str]] = field(default_factory=list)


def list_runs(limit: int = 50) -> list[MatchRun]:
    """The newest runs first."""
    return list(db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(limit)))


def get_run(public_id: str) -> MatchRun:
    """A run by its public id.

    Raises:
        NotFoundError: no such run.
    """
    return by_public_id(MatchRun, public_id)


def result(run: MatchRun, *, explain_youth: str | None = None) -> RunResult:
    """The proposals, unplaced youths with reasons and the figures of a finished run.

    Args:
        run: the run.
        explain_youth: an unplaced youth's public id: also try what would place them
            (a few more solves, so only on request).
    """
    if run.status != "done":
        return RunResult(run, [], [], None)
    proposals = list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.run_id == run.id)
            .options(
                selectinload(Proposal.youth),
                selectinload(Proposal.opening).selectinload(Opening.employer),
            )
            .order_by(Proposal.id)
        )
    )
    problem = jobmatch.load(run.problem)
    # A youth whose only job was set aside is not looking for another: not "unplaced".
    holding = {p["youth"] for p in run.parameters.get("set_aside") or []}
    full = {y.id for y in problem.youths if y.id in holding and y.max_jobs == 0}
    unplaced = [
        u for u in explain_unplaced(problem, run.solution) if u.youth.public_id not in full
    ]
    rules = {
        (r.youth_id, r.opening_id): r
        for r in db.session.scalars(
            select(PairRule).where(PairRule.youth_id.in_([p.youth_id for p in proposals]))
        )
    }
    what = None
    if explain_youth and any(u.youth.public_id == explain_youth for u in unplaced):
        youth = next(u.youth for u in unplaced if u.youth.public_id == explain_youth)
        what = (youth, what_would_place(problem, explain_youth))
    figures = _figures(run, problem, proposals)
    return RunResult(run, proposals, unplaced, figures, rules, what, set_aside_pairs(run))


def _figures(run: MatchRun, problem: jobmatch.Problem, proposals: list[Proposal]) -> Figures:
    solution = run.solution
    placed_ids = {a["youth"] for a in solution.get("assignments", [])}
    area_of = dict(
        db.session.execute(
            select(Youth.public_id, Area.name)
            .join(Area, Area.id == Youth.area_id)
            .where(Youth.public_id.in_([y.id for y in problem.youths]))
        ).all()
    )
    by_priority: dict[int, Counter[str]] = defaultdict(Counter)
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for y in problem.youths:
        for bucket in (by_priority[y.priority], by_area[area_of.get(y.id, "—")]):
            bucket["youths"] += 1
            bucket["placed"] += y.id in placed_ids
    stats = solution.get("stats", {})
    return Figures(
        youths=len(problem.youths),
        placed=len(placed_ids),
        new_proposals=len(proposals),
        by_priority=[
            (p, c["placed"], c["youths"]) for p, c in sorted(by_priority.items(), reverse=True)
        ],
        by_area=[(a, c["placed"], c["youths"]) for a, c in sorted(by_area.items())],
        seconds=stats.get("seconds"),
        optimal=solution.get("status") == "optimal",
        solver=str(stats.get("solver", "")),
        price_of_stability=stats.get("price_of_stability"),
        blocking_pairs=stats.get("blocking_pairs"),
    )


# -- pins and bans -------------------------------------------------------------


def set_pair_rule(actor: User, proposal: Proposal, rule: str, *, reason: str = "") -> None:
    """Pin or forbid the pair of a proposal for the next runs (replacing a rule it had)."""
    put_pair_rule(actor, proposal.youth_id, proposal.opening_id, rule, reason)
    db.session.commit()


def clear_pair_rule(proposal: Proposal) -> None:
    """Remove the pin or ban of a proposal's pair."""
    rule = db.session.scalar(
        select(PairRule).where(
            PairRule.youth_id == proposal.youth_id, PairRule.opening_id == proposal.opening_id
        )
    )
    if rule is not None:
        db.session.delete(rule)
        db.session.commit()


def put_pair_rule(
    actor: User | None, youth_id: int, opening_id: int, rule: str, reason: str
) -> None:
    """Set the rule of a pair (None as actor: the employer declined), without committing."""
    row = db.session.scalar(
        select(PairRule).where(PairRule.youth_id == youth_id, PairRule.opening_id == opening_id)
    )
    if row is None:
        row = PairRule(youth_id=youth_id, opening_id=opening_id)
        db.session.add(row)
    row.rule = rule
    row.reason = reason
    row.created_by_id = actor.id if actor is not None else None
    row.created_at = utcnow()
