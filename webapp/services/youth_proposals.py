"""A youth's own yes or no to a proposal sent to an employer.

One answer per proposal (a unique row, `ProposalAnswer`): the same answer twice at once
is recorded once. Yes passes the same law check as every placement (`check_placement`,
the youth's row held) and tells the coordinator on the timeline; the employer still
decides. No takes the proposal back as a coordinator's withdrawal does (a compare-and-set
of its status, its position freed) and rules the pair out of later runs, with the reason.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Channel,
    EventKind,
    Opening,
    Proposal,
    ProposalAnswer,
    ProposalAnswerKind,
    ProposalStatus,
    Youth,
    utcnow,
)
from . import seats, timeline
from .claims import claim_status, hold_youth
from .errors import AlreadyDoneError, InvalidStateError, NotFoundError
from .pair_rules import put_pair_rule
from .placement_guard import check_placement

SAID_NO = "the youth said no"
ANSWERED = _l("You have answered already.")


def waiting_proposals(youth: Youth) -> list[tuple[Proposal, ProposalAnswer | None]]:
    """The youth's proposals waiting for an employer, oldest first, with the youth's answer."""
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.youth_id == youth.id, Proposal.status == ProposalStatus.SENT)
        .options(
            selectinload(Proposal.opening).selectinload(Opening.employer),
            selectinload(Proposal.opening).selectinload(Opening.shifts),
            selectinload(Proposal.run),
        )
        .order_by(Proposal.sent_at, Proposal.id)
    ).all()
    answers = {
        a.proposal_id: a
        for a in db.session.scalars(
            select(ProposalAnswer).where(ProposalAnswer.proposal_id.in_([p.id for p in proposals]))
        )
    }
    return [(p, answers.get(p.id)) for p in proposals]


def youths_proposal(youth: Youth, public_id: str) -> Proposal:
    """The youth's own proposal that waits for an employer.

    Raises:
        NotFoundError: no such proposal, another youth's, or not waiting.
    """
    proposal = db.session.scalar(
        select(Proposal).where(
            Proposal.public_id == public_id,
            Proposal.youth_id == youth.id,
            Proposal.status == ProposalStatus.SENT,
        )
    )
    if proposal is None:
        raise NotFoundError("proposal")
    return proposal


def answer(youth: Youth, proposal: Proposal, *, yes: bool, channel: Channel = Channel.WEB) -> None:
    """Record the youth's answer to their own proposal, once.

    Raises:
        AlreadyDoneError: the same answer is recorded already.
        RuleError: yes, but the rules do not let the youth hold the job beside the jobs held.
        InvalidStateError: answered otherwise before, or the proposal no longer waits.
    """
    said = ProposalAnswerKind.YES if yes else ProposalAnswerKind.NO
    db.session.add(
        ProposalAnswer(proposal_id=proposal.id, youth_id=youth.id, answer=said, channel=channel)
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        before = db.session.scalar(
            select(ProposalAnswer.answer).where(ProposalAnswer.proposal_id == proposal.id)
        )
        raise (AlreadyDoneError if before == said else InvalidStateError)(str(ANSWERED)) from None
    hold_youth(youth)
    opening = proposal.opening
    if yes:
        try:
            check_placement(youth, opening, on=proposal.run.start_date, besides=proposal)
        except InvalidStateError:
            db.session.rollback()
            raise
    else:
        claim_status(
            proposal,
            ProposalStatus.WITHDRAWN,
            expected=(ProposalStatus.SENT,),
            done=ANSWERED,
            refusal=_l("The employer has answered already."),
            decided_by_id=None,  # the youth, who has no staff account
            decided_at=utcnow(),
        )
        seats.release(opening)
        put_pair_rule(None, youth.id, opening.id, "forbid", SAID_NO)
    with force_locale("da"):
        text = (
            _("The youth says yes to the job %(title)s.", title=opening.title)
            if yes
            else _("The youth says no to the job %(title)s.", title=opening.title)
        )
    timeline.record(
        youth,
        EventKind.NOTE,
        actor=None,
        code="proposal_answer",
        text=text,
        data={"answer": str(said), "channel": str(channel), "opening": opening.title},
    )
    db.session.commit()
