"""The one guard of every placement: the library says whether the youth may hold the job.

Every path that creates or starts a placement calls `check_placement` in its
transaction, after holding the youth's row (`claims.hold_youth`): a placement by
hand, the coordinator's confirm, the employer's accept and the first day. It
builds a small jobmatch/1 document of the youth, the job and every job the
youth holds now, and asks the library (`jobmatch.placement_refusals`): the
pair's eligibility and the youth's whole week over all those jobs (hours, rest,
days off, shifts at the same time). A refusal names each reason with its
figures in the user's language (`refusals.words`): the law where it is the law,
the youth's availability or travel where it is those. The law has no override.

A run's new proposals pass the same guard in one document for all youths who
hold a job now (`refused_pairs`), as a placement by hand may have come first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    OnboardingStep,
    Opening,
    Placement,
    Proposal,
    ProposalStatus,
    Youth,
    YouthPreference,
)
from .claims import hold_opening
from .errors import InvalidStateError
from .holidays import holiday_on
from .problem_records import opening_record, youth_record
from .problem_rows import step_codes
from .refusals import words


class RuleError(InvalidStateError):
    """The youth may not hold the job: each reason with its figures, as one sentence.

    `codes` are the library's reason codes, `refusals` the reasons with their facts.
    """

    def __init__(
        self,
        refusals: Sequence[jobmatch.Refusal],
        *,
        age: int,
        school_week: bool,
        field: str | None = "opening",
    ) -> None:
        super().__init__(
            _("The youth cannot take this job: %(reasons)s.")
            % {"reasons": words(refusals, age=age, school_week=school_week)},
            field=field,
        )
        self.refusals = list(refusals)
        self.codes = [r.code for r in refusals]


def check_placement(
    youth: Youth,
    opening: Opening,
    *,
    on: dt.date | None,
    besides: Placement | Proposal | None = None,
) -> None:
    """Refuse when the youth may not hold `opening` from `on` beside every job held now.

    Args:
        youth: the youth (its row held by the caller's transaction).
        opening: the job.
        on: the first day (today when not known yet); ages and school weeks are taken then.
        besides: the placement or proposal being moved on, not counted as another job.

    Raises:
        RuleError: with the rules the pair or the youth's week breaks.
        InvalidStateError: the records do not make a document the library reads.
    """
    hold_opening(opening)
    try:
        found = _refusals(youth, opening, on=on, besides=besides)
    except jobmatch.ProblemError as error:
        raise InvalidStateError(
            _("The youth's or the job's record is incomplete: the rules cannot be checked.")
        ) from error
    if found.refusals:
        raise RuleError(found.refusals, age=found.age, school_week=found.school_week)


def refusal_words(
    youth: Youth,
    opening: Opening,
    *,
    on: dt.date | None,
    besides: Placement | Proposal | None = None,
) -> str:
    """Why the youth may not hold `opening` from `on`, as `check_placement` words it ("": allowed).

    For a look ahead that changes nothing (an opening as an edit would make it).

    Raises:
        jobmatch.ProblemError: the records do not make a document the library reads.
    """
    found = _refusals(youth, opening, on=on, besides=besides)
    return words(found.refusals, age=found.age, school_week=found.school_week)


@dataclass(frozen=True)
class _Found:
    """What the library refuses, with the youth's age and week on the day judged."""

    refusals: list[jobmatch.Refusal]
    age: int
    school_week: bool


def _refusals(
    youth: Youth,
    opening: Opening,
    *,
    on: dt.date | None,
    besides: Placement | Proposal | None,
) -> _Found:
    problem, held = _problem(youth, opening, on=on, besides=besides)
    refusals = jobmatch.placement_refusals(problem, youth.public_id, opening.public_id, held=held)
    return _Found(list(refusals), problem.youths[0].age, problem.period == "school")


def placement_codes(
    youth: Youth,
    opening: Opening,
    *,
    on: dt.date | None,
    besides: Placement | Proposal | None = None,
) -> list[str]:
    """The library's reason codes against the placement, as `check_placement` (empty: allowed).

    Raises:
        jobmatch.ProblemError: the records do not make a document the library reads.
    """
    problem, held = _problem(youth, opening, on=on, besides=besides)
    return jobmatch.placement_reasons(problem, youth.public_id, opening.public_id, held=held)


def _problem(
    youth: Youth,
    opening: Opening,
    *,
    on: dt.date | None,
    besides: Placement | Proposal | None,
) -> tuple[jobmatch.Problem, list[str]]:
    """The guard's document of the youth, the job and the jobs held, and the held jobs' ids."""
    day = on or board_day.today()
    held = [o for o in _held_openings(youth, besides) if o.id != opening.id]
    openings = [opening, *held]
    period = "holiday" if holiday_on(day, [youth.area_id] if youth.area_id else None) else "school"
    in_problem = ({youth.public_id}, {o.public_id for o in openings})
    steps = step_codes(db.session)
    document = {
        "format": "jobmatch/1",
        "start_date": day.isoformat(),
        "period": period,
        "youths": [youth_record(youth, day, in_problem, set(), max(youth.max_jobs, 1))],
        "openings": [opening_record(o, max(o.positions, 1), steps) for o in openings],
    }
    return jobmatch.load(document), [o.public_id for o in held]


def _held_openings(youth: Youth, besides: Placement | Proposal | None) -> list[Opening]:
    """The openings of the youth's running placements and proposals waiting for an employer."""
    placed = select(Placement.opening_id).where(
        Placement.youth_id == youth.id, Placement.status.in_(ACTIVE_PLACEMENTS)
    )
    sent = select(Proposal.opening_id).where(
        Proposal.youth_id == youth.id, Proposal.status == ProposalStatus.SENT
    )
    if isinstance(besides, Placement):
        placed = placed.where(Placement.id != besides.id)
    elif isinstance(besides, Proposal):
        sent = sent.where(Proposal.id != besides.id)
    ids = set(db.session.scalars(placed)) | set(db.session.scalars(sent))
    return list(
        db.session.scalars(select(Opening).where(Opening.id.in_(ids)).order_by(Opening.id))
    )


PairIds = tuple[int, int]  # (youth id, opening id)
# What `youth_record` reads of a youth, loaded with the youths.
YOUTH_RECORD = (
    selectinload(Youth.availability),
    selectinload(Youth.steps).selectinload(OnboardingStep.kind),
    selectinload(Youth.buddies),
    selectinload(Youth.excluded_employers),
    selectinload(Youth.preferences).selectinload(YouthPreference.opening),
)
# Not codes of the library: the youth holds the very job already (placed by hand meanwhile),
# or as many jobs as the youth's `max_jobs`.
HELD, MAX_JOBS = "held", "max_jobs"


def refused_pairs(
    pairs: Sequence[tuple[Youth, Opening]], *, start_date: dt.date, period: str
) -> dict[PairIds, list[jobmatch.Refusal]]:
    """Of a run's new pairs, those the guard refuses against what each youth holds now.

    A run solved over the jobs held when it started, and kept the law over them;
    a placement by hand or a proposal sent while it was solving is checked here.
    Only a youth who holds a running placement or a sent proposal now can be
    refused, so only those youths are read, all in one document with the jobs
    proposed to them and the jobs they hold.

    Args:
        pairs: the new pairs (youth, opening).
        start_date: the run's start date (ages and school status are taken then).
        period: the run's week, ``school`` or ``holiday``.

    Returns:
        Per refused pair (youth id, opening id), its refusals; a youth who holds
        the very job already gets the code `HELD`, one who holds `max_jobs` jobs
        the code `MAX_JOBS` (no facts).

    Raises:
        jobmatch.ProblemError: the records do not make a document the library reads.
    """
    holding = _holdings({y.id for y, _ in pairs})
    checked = [(y, o) for y, o in pairs if y.id in holding]
    if not checked:
        return {}
    # Read once, with what the records need: no query per youth or job.
    opening_ids = {o.id for _, o in checked} | {o for ids in holding.values() for o in ids}
    openings = {
        o.id: o
        for o in db.session.scalars(
            select(Opening)
            .where(Opening.id.in_(opening_ids))
            .options(selectinload(Opening.shifts), selectinload(Opening.employer))
        )
    }
    youths = {
        y.id: y
        for y in db.session.scalars(
            select(Youth).where(Youth.id.in_({y.id for y, _ in checked})).options(*YOUTH_RECORD)
        )
    }
    in_problem = ({y.public_id for y in youths.values()}, {o.public_id for o in openings.values()})
    steps = step_codes(db.session)
    problem = jobmatch.load(
        {
            "format": "jobmatch/1",
            "start_date": start_date.isoformat(),
            "period": period,
            "youths": [
                youth_record(y, start_date, in_problem, set(), max(y.max_jobs, 1))
                for y in youths.values()
            ],
            "openings": [opening_record(o, max(o.positions, 1), steps) for o in openings.values()],
        }
    )
    refused: dict[PairIds, list[jobmatch.Refusal]] = {}
    for youth, opening in ((youths[y.id], openings[o.id]) for y, o in checked):
        if opening.id in holding[youth.id]:
            refused[(youth.id, opening.id)] = [jobmatch.Refusal(HELD, None)]
            continue
        if len(holding[youth.id]) >= youth.max_jobs:
            refused[(youth.id, opening.id)] = [jobmatch.Refusal(MAX_JOBS, None)]
            continue
        held = [openings[o].public_id for o in sorted(holding[youth.id])]
        found = jobmatch.placement_refusals(problem, youth.public_id, opening.public_id, held=held)
        if found:
            refused[(youth.id, opening.id)] = found
    return refused


def _holdings(youth_ids: set[int]) -> dict[int, set[int]]:
    """The openings each of these youths holds now: running placements and sent proposals."""
    placed = select(Placement.youth_id, Placement.opening_id).where(
        Placement.status.in_(ACTIVE_PLACEMENTS)
    )
    sent = select(Proposal.youth_id, Proposal.opening_id).where(
        Proposal.status == ProposalStatus.SENT
    )
    holding: dict[int, set[int]] = {}
    for query in (placed, sent):
        for youth_id, opening_id in db.session.execute(query):
            if youth_id in youth_ids:
                holding.setdefault(youth_id, set()).add(opening_id)
    return holding
