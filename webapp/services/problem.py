"""The whole jobmatch/1 document of a run, built from the board's rows in this one place.

`build_problem` reads the database and writes a plain jobmatch/1 document that
names youths, openings and employers by their opaque public ids only: no names,
contact details, notes or school status beyond the format's
`in_compulsory_school` ever go into it (it is stored with the run). What goes in:

- **Youths**: every `active` youth of the chosen areas (all areas when
  `area_ids` is None). A youth with no availability windows gets an empty
  list, which means "never available" (the format reads a missing list as "no
  limit"; the board never assumes that a minor can work at any time).
  Onboarding counts a step as done when its status is `done` or `not_needed`.
  **Priority** is the youth's own priority (which a coordinator can raise)
  plus `NEVER_PLACED_BONUS` when the youth never had a job: no placement of
  any status and no external job on the timeline.
- **Openings**: `open` openings of approved employers that serve the chosen
  areas (their area or none) and have shifts and a position left. Positions
  left are the positions minus the confirmed and started placements.
- **Fixed**: every confirmed or started placement of a youth in the problem.
  Its opening is then in the problem too, whatever its status or area, so
  that the youth's hours and jobs are counted; it offers nobody else a
  position unless it is open with a position left. Such a placement's
  position is counted *inside* the document's `positions` (the solver places
  fixed pairs first), so `positions = fixed + free`, never `free` alone.
- **Forbidden** and **pinned** pairs come from the caller (see
  `stored_pair_rules`); pinned pairs join `fixed`.
- **Held jobs** (`build_run_problem`): proposals sent to an employer and not
  yet answered hold a position, like placements; running placements and sent
  proposals that no longer fit the rules are set aside (kept out of `fixed`,
  their position and job still counted) and listed for the coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, scoped_session, selectinload

import jobmatch

from ..models import (
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    Proposal,
    TimelineEvent,
    Youth,
    YouthPreference,
)
from .matching import ProblemBuildError, names_of
from .onboarding import needed_for
from .openings import ACTIVE_PLACEMENT
from .pair_rules import PairIds, stored_pair_rules
from .problem_records import opening_record, youth_record

METHODS = ("optimal", "stable")
DEFAULT_TIME_LIMIT_S = 30.0

AnySession = Session | scoped_session[Any]
Document = dict[str, Any]


@dataclass(frozen=True)
class RunProblem:
    """A run's document, and the held jobs set aside from it (each with its reason codes)."""

    document: Document
    set_aside: list[dict[str, Any]] = field(default_factory=list)


def build_problem(
    session: AnySession,
    *,
    start_date: dt.date,
    period: Literal["school", "holiday"],
    area_ids: Iterable[int] | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    method: str = "optimal",
    forbidden: Iterable[PairIds] = (),
    pinned: Iterable[PairIds] = (),
) -> Document:
    """The jobmatch/1 document of the youths and openings in the database.

    Args:
        session: the SQLAlchemy session to read with.
        start_date: the day placements start (ages and school status are taken then).
        period: ``"school"`` or ``"holiday"`` week.
        area_ids: the areas whose youths are matched; None for every youth.
        time_limit_s: the solver's time limit, into ``options``.
        method: ``"optimal"`` or ``"stable"``, into ``options``.
        forbidden: (youth, opening) public id pairs the coordinator ruled out;
            pairs outside the problem are left out, as they cannot happen anyway.
        pinned: (youth, opening) public id pairs that must be placed.

    Returns:
        The document, ready for `jobmatch.load` and for storing as JSON.

    Raises:
        ValueError: an unknown method or period.
        ProblemBuildError: a pinned pair whose youth or opening is not in the problem.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if period not in ("school", "holiday"):
        raise ValueError(f"period must be 'school' or 'holiday', got {period!r}")
    areas = None if area_ids is None else sorted(set(area_ids))
    youths = _youths(session, areas)
    youth_ids = {y.id for y in youths}
    held = _active_placements(session)
    fixed = [(y, o) for y, o in held if y in youth_ids]
    taken = Counter(o for _, o in held)
    fixed_at = Counter(o for _, o in fixed)
    openings = _openings(session, areas, {o for _, o in fixed})
    positions = {
        o.id: fixed_at[o.id] + max(o.positions - taken[o.id], 0) * _offered(o, areas)
        for o in openings
    }
    openings = [o for o in openings if positions[o.id] > 0 and o.shifts]
    opening_of = {o.id: o for o in openings}
    youth_of = {y.id: y for y in youths}
    pairs = [
        {"youth": youth_of[y].public_id, "opening": opening_of[o].public_id}
        for y, o in fixed
        if o in opening_of
    ]
    in_problem = (
        {y.public_id for y in youths},
        {o.public_id for o in openings},
    )
    pairs += _pinned(session, pinned, pairs, in_problem)
    had_job = _had_job(session, youth_ids)
    steps = _step_codes(session)
    document: Document = {
        "format": "jobmatch/1",
        "start_date": start_date.isoformat(),
        "period": period,
        "youths": [youth_record(y, start_date, in_problem, had_job) for y in youths],
        "openings": [opening_record(o, positions[o.id], steps) for o in openings],
        "fixed": pairs,
        "forbidden": [
            {"youth": y, "opening": o}
            for y, o in dict.fromkeys(forbidden)
            if y in in_problem[0] and o in in_problem[1]
        ],
        "options": {"time_limit_s": float(time_limit_s), "method": method},
    }
    return document


def build_run_problem(
    session: AnySession,
    *,
    start_date: dt.date,
    period: Literal["school", "holiday"],
    area_ids: Iterable[int] | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    method: str = "optimal",
) -> RunProblem:
    """The document of a run: `build_problem` with the stored pair rules and the held jobs.

    Raises:
        ValueError: an unknown method or period.
        ProblemBuildError: a pinned pair whose youth or opening is not in the problem.
    """
    forbidden, pinned = stored_pair_rules(session)
    document = build_problem(
        session,
        start_date=start_date,
        period=period,
        area_ids=area_ids,
        time_limit_s=time_limit_s,
        method=method,
        forbidden=forbidden,
        pinned=pinned,
    )
    document, set_aside = _set_aside_broken(session, _hold_sent_proposals(session, document))
    return RunProblem(document, set_aside)


# -- reading rows --------------------------------------------------------------


def _youths(session: AnySession, areas: list[int] | None) -> list[Youth]:
    query = (
        select(Youth)
        .where(Youth.status == "active")
        .options(
            selectinload(Youth.availability),
            selectinload(Youth.steps).selectinload(OnboardingStep.kind),
            selectinload(Youth.buddies),
            selectinload(Youth.excluded_employers),
            selectinload(Youth.preferences).selectinload(YouthPreference.opening),
        )
        .order_by(Youth.id)
    )
    if areas is not None:
        query = query.where(Youth.area_id.in_(areas))
    return list(session.scalars(query))


def _active_placements(session: AnySession) -> list[tuple[int, int]]:
    """(youth id, opening id) of every confirmed or started placement, oldest first."""
    rows = session.execute(
        select(Placement.youth_id, Placement.opening_id)
        .where(Placement.status.in_(ACTIVE_PLACEMENT))
        .order_by(Placement.id)
    )
    return list(dict.fromkeys((y, o) for y, o in rows))


def _openings(session: AnySession, areas: list[int] | None, held: set[int]) -> list[Opening]:
    """Open openings of approved employers in the areas, and every opening in `held`."""
    offered = _offered_clause(areas)
    return list(
        session.scalars(
            select(Opening)
            .join(Employer, Employer.id == Opening.employer_id)
            .where(or_(offered, Opening.id.in_(held)))
            .options(selectinload(Opening.shifts), selectinload(Opening.employer))
            .order_by(Opening.id)
        )
    )


def _offered_clause(areas: list[int] | None) -> ColumnElement[bool]:
    clause = and_(Opening.status == "open", Employer.status == "approved")
    if areas is not None:
        clause = and_(clause, or_(Opening.area_id.is_(None), Opening.area_id.in_(areas)))
    return clause


def _offered(opening: Opening, areas: list[int] | None) -> bool:
    """Whether the opening takes new youths in this run (mirrors `_offered_clause`)."""
    return (
        opening.status == "open"
        and opening.employer.status == "approved"
        and (areas is None or opening.area_id is None or opening.area_id in areas)
    )


def _had_job(session: AnySession, youth_ids: set[int]) -> set[int]:
    """The youths who ever held a placement or an external job."""
    placed = select(Placement.youth_id).where(Placement.youth_id.in_(youth_ids))
    external = select(TimelineEvent.youth_id).where(
        TimelineEvent.youth_id.in_(youth_ids), TimelineEvent.kind == "external_job"
    )
    return set(session.scalars(placed.union(external)))


def _step_codes(session: AnySession) -> dict[str, list[str]]:
    """The step codes each kind of job needs by default, in checklist order."""
    kinds = session.scalars(
        select(OnboardingStepKind).order_by(OnboardingStepKind.position, OnboardingStepKind.id)
    ).all()
    return {
        job: [k.code for k in kinds if needed_for(k, job)]
        for job in ("fritidsjob", "lommepengejob")
    }


def _pinned(
    session: AnySession,
    pinned: Iterable[PairIds],
    fixed: list[dict[str, str]],
    in_problem: tuple[set[str], set[str]],
) -> list[dict[str, str]]:
    """Pinned pairs as fixed pairs; one outside the problem is an error."""
    known = {(p["youth"], p["opening"]) for p in fixed}
    extra = [pair for pair in dict.fromkeys(pinned) if pair not in known]
    outside = [(y, o) for y, o in extra if y not in in_problem[0] or o not in in_problem[1]]
    if outside:
        names = names_of(session, {y for y, _ in outside}, {o for _, o in outside})
        raise ProblemBuildError(
            _(
                "%(youth)s cannot be pinned to %(opening)s: the youth is not active in the "
                "chosen areas, or the job has no free position.",
                youth=names.get(outside[0][0], "?"),
                opening=names.get(outside[0][1], "?"),
            )
        )
    return [{"youth": y, "opening": o} for y, o in extra]


# -- held jobs -------------------------------------------------------------------


def _hold_sent_proposals(session: AnySession, document: Document) -> Document:
    """Keep proposals sent to employers in the problem: they hold a position.

    A sent pair whose youth and opening are both in the problem becomes fixed;
    one whose youth is outside takes a position off its opening (an opening
    left with none leaves the problem); one whose opening is outside takes a
    job off its youth's `max_jobs`.
    """
    sent = session.execute(
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


def _held_pairs(session: AnySession) -> set[PairIds]:
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
    return {(y, o) for y, o in session.execute(placed.union(sent))}


def _set_aside_broken(
    session: AnySession, document: Document
) -> tuple[Document, list[dict[str, Any]]]:
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
    held = _held_pairs(session)
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


def _without_full_openings(document: Document) -> Document:
    """The document without openings left with no position, nor references to them."""
    gone = {o["id"] for o in document["openings"] if o["positions"] < 1}
    if gone:
        document["openings"] = [o for o in document["openings"] if o["id"] not in gone]
        document["forbidden"] = [p for p in document["forbidden"] if p["opening"] not in gone]
        for record in document["youths"]:
            record["preferences"] = [o for o in record["preferences"] if o not in gone]
    return document
