"""The one guard of every placement: the library says whether the youth may hold the job.

Every path that creates or starts a placement calls `check_placement` in its
transaction, after holding the youth's row (`claims.hold_youth`): a placement by
hand, the coordinator's confirm, the employer's accept and the first day. It
builds a small jobmatch/1 document of the youth, the job and every job the
youth holds now, and asks `jobmatch.placement_reasons`: the pair's eligibility
and the youth's whole week over all those jobs (hours, rest, days off, shifts
at the same time). A refusal names the rules in the user's language
(`explanations.rule_names`). The law has no override.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import jobmatch

from ..extensions import db
from ..models import ACTIVE_PLACEMENTS, Opening, Placement, Proposal, ProposalStatus, Youth
from .errors import InvalidStateError
from .explanations import rule_names
from .holidays import holiday_on
from .problem_records import opening_record, youth_record
from .problem_rows import step_codes

# Not a reason of one pair (`explanations.RULE_NAMES`): two jobs' shifts at once.
OVERLAP = _l("shifts at the same time as another job the youth holds")


class RuleError(InvalidStateError):
    """The rules do not let the youth hold the job: the library's `codes`, as one sentence."""

    def __init__(self, codes: list[str], *, field: str | None = "opening") -> None:
        names = [str(OVERLAP) if code == "overlap" else rule_names([code]) for code in codes]
        super().__init__(
            _("The rules do not allow this job for the youth: %(rules)s.")
            % {"rules": ", ".join(names)},
            field=field,
        )
        self.codes = codes


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
    try:
        codes = placement_codes(youth, opening, on=on, besides=besides)
    except jobmatch.ProblemError as error:
        raise InvalidStateError(
            _("The youth's or the job's record is incomplete: the rules cannot be checked.")
        ) from error
    if codes:
        raise RuleError(codes)


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
    day = on or dt.date.today()
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
    problem = jobmatch.load(document)
    held_ids = [o.public_id for o in held]
    return jobmatch.placement_reasons(problem, youth.public_id, opening.public_id, held=held_ids)


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
