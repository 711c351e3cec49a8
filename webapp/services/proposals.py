"""From a run's proposal to a placement: the coordinator confirms, the employer answers.

Confirming sends the proposal to the employer (status ``sent``) and holds one
of the opening's positions (`seats.take`), so two coordinators confirming at
the same time can never overfill it. The employer accepts (a confirmed
`Placement` with a start date, on the same seat) or declines with a reason:
the seat is released and the pair is forbidden for later runs (a `PairRule`
with the reason), so the next run does not propose it again. Every step is on
the youth's timeline and, where someone must act, in the outbox.

Each answer is a compare-and-set of the proposal's status (`claims`): of the
same answer sent twice at once one changes the proposal, with its seat, its
placement, its emails and its timeline entry; the other is told it is done.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    Employer,
    EventKind,
    Opening,
    OpeningStatus,
    Placement,
    PlacementStatus,
    Proposal,
    ProposalStatus,
    User,
    Youth,
    YouthStatus,
    utcnow,
)
from ..ui import board_day
from . import notifications, seats, timeline
from .claims import claim_status, hold_youth
from .errors import InvalidStateError, NotFoundError
from .first_day import check_first_day
from .lookup import by_public_id
from .pair_rules import is_forbidden, put_pair_rule
from .placement_guard import RuleError, check_placement
from .placements import CandidateView
from .sms import messages as sms_messages

DECLINED_RULE = "forbid"


def get_proposal(public_id: str) -> Proposal:
    """A proposal by its public id (coordinators).

    Raises:
        NotFoundError: no such proposal.
    """
    return by_public_id(Proposal, public_id)


def get_proposal_for_employer(user: User, public_id: str) -> Proposal:
    """A proposal sent to the user's company, or answered by it.

    Raises:
        NotFoundError: no such proposal, not sent yet, or another employer's.
    """
    proposal = db.session.scalar(
        select(Proposal)
        .join(Opening, Opening.id == Proposal.opening_id)
        .where(
            Proposal.public_id == public_id,
            Opening.employer_id == user.employer_id,
            Proposal.status.in_(
                (ProposalStatus.SENT, ProposalStatus.ACCEPTED, ProposalStatus.DECLINED)
            ),
        )
    )
    if proposal is None or user.employer_id is None:
        raise NotFoundError("proposal")
    return proposal


def proposals_for_employer(employer: Employer) -> list[Proposal]:
    """Proposals waiting for the employer's answer, oldest first."""
    return list(
        db.session.scalars(
            select(Proposal)
            .join(Opening, Opening.id == Proposal.opening_id)
            .where(Opening.employer_id == employer.id, Proposal.status == ProposalStatus.SENT)
            .options(selectinload(Proposal.opening), selectinload(Proposal.youth))
            .order_by(Proposal.sent_at, Proposal.id)
        )
    )


def candidate(proposal: Proposal, today: dt.date) -> CandidateView:
    """The proposed youth as the employer may see them: availability on the job's days only."""
    youth = proposal.youth
    days = {shift.day_index for shift in proposal.opening.shifts}
    return CandidateView(
        first_name=youth.first_name,
        age=youth.age_on(proposal.run.start_date or today),
        languages=list(youth.languages),
        interests=list(youth.interests),
        availability=[
            (w.day_index, w.start_min, w.end_min)
            for w in youth.availability
            if w.day_index in days
        ],
        status=proposal.status,
        start_date=proposal.run.start_date,
    )


def _held_jobs(youth: Youth) -> int:
    """The youth's confirmed or started placements and proposals waiting for an employer."""
    placed = db.session.scalar(
        select(func.count())
        .select_from(Placement)
        .where(Placement.youth_id == youth.id, Placement.status.in_(ACTIVE_PLACEMENTS))
    )
    sent = db.session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(Proposal.youth_id == youth.id, Proposal.status == ProposalStatus.SENT)
    )
    return (placed or 0) + (sent or 0)


def _job_data(proposal: Proposal) -> dict[str, str]:
    return {"opening": proposal.opening.title, "employer": proposal.opening.employer.name}


def confirm(actor: User, proposal: Proposal) -> None:
    """Send a proposal to the employer, holding a position of the opening.

    Raises:
        AlreadyDoneError: the proposal has been sent already.
        RuleError: the rules do not let the youth hold the job beside the jobs held.
        InvalidStateError: the proposal is not open, the youth is not active or
            holds as many jobs as allowed, the opening is not open, or no
            position is left (also when another coordinator took it just now).
    """
    claim_status(
        proposal,
        ProposalStatus.SENT,
        expected=(ProposalStatus.PROPOSED,),
        done=_l("The proposal is already sent to the employer."),
        refusal=_l("This proposal has already been handled."),
        sent_at=utcnow(),
        decided_by_id=actor.id,
    )
    youth, opening = proposal.youth, proposal.opening
    hold_youth(youth)
    try:
        if youth.status != YouthStatus.ACTIVE:
            raise InvalidStateError(_("Only an active youth can be placed."))
        if opening.status != OpeningStatus.OPEN:
            raise InvalidStateError(_("The opening is not open."))
        if is_forbidden(youth, opening):
            raise InvalidStateError(
                _("The pair is ruled out: remove the ban before sending the proposal.")
            )
        if _held_jobs(youth) > youth.max_jobs:  # this proposal is one of them now
            raise InvalidStateError(_("The youth already has as many jobs as allowed."))
        check_placement(youth, opening, on=proposal.run.start_date, besides=proposal)
        seats.take(opening)
    except InvalidStateError:
        db.session.rollback()
        raise
    timeline.record(youth, EventKind.PROPOSED, actor=actor, data=_job_data(proposal))
    notifications.queue_proposal_to_employer(proposal)
    sms_messages.queue_proposal_sms(proposal, board_day.today())
    db.session.commit()


def _settle(
    proposal: Proposal,
    outcome: ProposalStatus,
    by: User,
    *,
    done: LazyString,
    refusal: LazyString,
    **values: object,
) -> None:
    """End a proposal that waits for the employer with `outcome`, saying who and when.

    Raises:
        AlreadyDoneError: with `done`, when the proposal has that outcome already.
        InvalidStateError: with `refusal`, when the proposal is not waiting.
    """
    claim_status(
        proposal,
        outcome,
        expected=(ProposalStatus.SENT,),
        done=done,
        refusal=refusal,
        decided_by_id=by.id,
        decided_at=utcnow(),
        **values,
    )


def withdraw(actor: User, proposal: Proposal) -> None:
    """Take back a proposal sent to the employer (frees its position).

    Raises:
        AlreadyDoneError: the proposal has been withdrawn already.
        InvalidStateError: the proposal is not waiting for the employer.
    """
    _settle(
        proposal,
        ProposalStatus.WITHDRAWN,
        actor,
        done=_l("The proposal is already withdrawn."),
        refusal=_l("Only a proposal waiting for the employer can be withdrawn."),
    )
    seats.release(proposal.opening)
    db.session.commit()


ANSWERED = _l("This proposal has already been answered.")


def accept(user: User, proposal: Proposal, *, start_date: dt.date) -> Placement:
    """The employer takes the youth: a confirmed placement from `start_date`.

    Raises:
        AlreadyDoneError: the proposal has been accepted already.
        RuleError: the rules do not let the youth hold the job from `start_date`
            (field ``start_date``).
        InvalidStateError: the proposal is not waiting for an answer, or
            `start_date` is not today or later on one of the opening's shift
            days (field ``start_date``).
    """
    _settle(
        proposal,
        ProposalStatus.ACCEPTED,
        user,
        done=_l("The youth is already placed with you."),
        refusal=ANSWERED,
    )
    try:
        check_first_day(proposal.opening, start_date, field="start_date")
        hold_youth(proposal.youth)
        check_placement(proposal.youth, proposal.opening, on=start_date)
    except InvalidStateError as error:
        db.session.rollback()
        if isinstance(error, RuleError):
            error.field = "start_date"  # the day is what the employer can change here
        raise
    # The position was taken when the proposal was sent: the placement keeps it.
    placement = Placement(
        youth=proposal.youth,
        opening=proposal.opening,
        proposal_id=proposal.id,
        status=PlacementStatus.CONFIRMED,
        start_date=start_date,
        created_by_id=user.id,
    )
    db.session.add(placement)
    timeline.record(
        proposal.youth,
        EventKind.PLACED,
        actor=user,
        data={**_job_data(proposal), "via": "proposal"},
    )
    notifications.queue_placement_confirmation(placement)
    db.session.commit()
    return placement


def decline(user: User, proposal: Proposal, *, reason: str) -> None:
    """The employer says no: the position is free again and the pair is not proposed again.

    Raises:
        AlreadyDoneError: the proposal has been declined already.
        InvalidStateError: the proposal is not waiting for an answer.
    """
    _settle(
        proposal,
        ProposalStatus.DECLINED,
        user,
        done=_l("The candidate is already declined."),
        refusal=ANSWERED,
        decline_reason=reason.strip(),
    )
    seats.release(proposal.opening)
    # A ban without a coordinator behind it: the employer's answer, with its reason.
    put_pair_rule(None, proposal.youth_id, proposal.opening_id, DECLINED_RULE, reason.strip())
    timeline.record(
        proposal.youth,
        EventKind.DECLINED,
        actor=user,
        text=reason.strip(),
        data=_job_data(proposal),
    )
    db.session.commit()
