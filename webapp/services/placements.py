"""Placements: a youth placed in an opening, started, ended; and what an employer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    EventKind,
    Opening,
    OpeningStatus,
    Placement,
    PlacementStatus,
    User,
    Youth,
    YouthStatus,
    utcnow,
)
from . import notifications, seats, start_gate, timeline
from .claims import claim_status, hold_youth
from .errors import AlreadyDoneError, InvalidStateError, NotFoundError
from .first_day import check_first_day
from .openings import taken_positions
from .placement_guard import RuleError, check_placement, placement_codes


@dataclass(frozen=True)
class CandidateView:
    """A youth as an employer sees them: first name, age, languages, interests, availability.

    Built here so that templates on the employer side never hold a `Youth`
    with its surname, contact, parents, notes or school status.
    """

    first_name: str
    age: int
    languages: list[str]
    interests: list[str]
    availability: list[tuple[int, int, int]]
    status: str
    start_date: dt.date | None


def place(actor: User, youth: Youth, opening: Opening, *, start_date: dt.date | None) -> Placement:
    """Place a youth in an opening by hand; the youth, a parent and the counsellor are told.

    Raises:
        AlreadyDoneError: the youth already holds the opening.
        RuleError: the rules do not let the youth hold the job (beside the jobs held).
        InvalidStateError: the youth is not active or already holds `max_jobs`
            openings, the opening is not open or has no position left, or the
            planned first day is not today or later on one of its shift days.
    """
    hold_youth(youth)
    try:
        _check_placeable(youth, opening)
        if start_date is not None:
            check_first_day(opening, start_date, field="start_date")
        check_placement(youth, opening, on=start_date)
        seats.take(opening)
    except InvalidStateError:
        db.session.rollback()
        raise
    placement = Placement(
        youth=youth, opening=opening, start_date=start_date, created_by_id=actor.id
    )
    db.session.add(placement)
    timeline.record(
        youth,
        EventKind.PLACED,
        actor=actor,
        data={"opening": opening.title, "employer": opening.employer.name},
    )
    db.session.flush()
    notifications.queue_placement_confirmation(placement)
    db.session.commit()
    return placement


def _check_placeable(youth: Youth, opening: Opening) -> None:
    """Refuse a placement by hand the youth or the opening cannot take (the youth is held)."""
    if youth.status != YouthStatus.ACTIVE:
        raise InvalidStateError(_("Only an active youth can be placed."))
    if opening.status != OpeningStatus.OPEN:
        raise InvalidStateError(_("The opening is not open."), field="opening")
    running = [p for p in youth.placements if p.status in ACTIVE_PLACEMENTS]
    if any(p.opening_id == opening.id for p in running):
        raise AlreadyDoneError(_("The youth already has this job."), field="opening")
    if len(running) >= youth.max_jobs:
        raise InvalidStateError(
            _("The youth already has as many jobs as allowed."), field="opening"
        )
    if taken_positions([opening]).get(opening.id, 0) >= opening.positions:
        raise InvalidStateError(_("The opening has no position left."), field="opening")


def get_placement(youth: Youth, placement_id: int) -> Placement:
    """A placement of this youth.

    Raises:
        NotFoundError: no such placement for the youth.
    """
    placement = next((p for p in youth.placements if p.id == placement_id), None)
    if placement is None:
        raise NotFoundError("placement")
    return placement


def start(actor: User, placement: Placement, *, on: dt.date, exception: str | None = None) -> None:
    """Record the first day; with steps the job needs missing only as an exception with a reason.

    Args:
        exception: the coordinator's reason for starting while steps are missing
            (`start_gate`); it goes on the timeline with the missing steps.

    Raises:
        AlreadyDoneError: the first day has been recorded already.
        RuleError: the rules do not let the youth hold the job from that day (field ``on``).
        InvalidStateError: the placement is not confirmed; the day is not today or
            later on one of the opening's shift days, or steps are missing and no
            reason is given (field ``on``).
    """
    claim_status(
        placement,
        PlacementStatus.STARTED,
        expected=(PlacementStatus.CONFIRMED,),
        done=_l("The first day is already recorded."),
        refusal=_l("Only a confirmed placement can start."),
        start_date=on,
    )
    youth, opening = placement.youth, placement.opening
    try:
        check_first_day(opening, on, field="on")
        hold_youth(youth)
        check_placement(youth, opening, on=on, besides=placement)  # the law has no exception
        without = start_gate.check_steps(youth, opening, exception=exception, field="on")
    except InvalidStateError as error:
        db.session.rollback()
        if isinstance(error, RuleError):
            error.field = "on"  # the day is what the coordinator can change here
        raise
    _record_start(placement, actor, on, without)
    db.session.commit()


def _record_start(
    placement: Placement,
    actor: User | None,
    on: dt.date,
    without: start_gate.StartException | None = None,
) -> None:
    data: dict[str, object] = {
        "opening": placement.opening.title,
        "employer": placement.opening.employer.name,
    }
    timeline.record(
        placement.youth,
        EventKind.STARTED,
        actor=actor,
        occurred_on=on,
        text=without.reason if without else "",
        data={**data, **without.as_data()} if without else data,
    )


def end(actor: User, placement: Placement, *, on: dt.date, reason: str, note: str) -> None:
    """End a placement; moving on to an external job is a milestone of its own.

    Raises:
        AlreadyDoneError: the placement has already ended.
    """
    claim_status(
        placement,
        PlacementStatus.ENDED,
        expected=ACTIVE_PLACEMENTS,
        done=_l("This placement has already ended."),
        refusal=_l("This placement has already ended."),
        end_date=on,
        end_reason=reason,
    )
    seats.release(placement.opening)
    youth = placement.youth
    data = {"opening": placement.opening.title, "reason": reason}
    timeline.record(
        youth, EventKind.ENDED, actor=actor, occurred_on=on, text=note.strip(), data=data
    )
    if reason == "external_job":
        timeline.record(
            youth, EventKind.EXTERNAL_JOB, actor=actor, occurred_on=on, text=note.strip()
        )
    db.session.commit()


def candidates_for_employer(opening: Opening, today: dt.date) -> list[CandidateView]:
    """The youths placed in an opening, as its employer may see them."""
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.opening_id == opening.id, Placement.status.in_(ACTIVE_PLACEMENTS))
        .options(selectinload(Placement.youth).selectinload(Youth.availability))
        .order_by(Placement.id)
    )
    return [
        CandidateView(
            first_name=p.youth.first_name,
            age=p.youth.age_on(today),
            languages=list(p.youth.languages),
            interests=list(p.youth.interests),
            availability=[(w.day_index, w.start_min, w.end_min) for w in p.youth.availability],
            status=p.status,
            start_date=p.start_date,
        )
        for p in placements
    ]


FEEDBACK_AFTER_DAYS = 28  # the employer's short feedback, four weeks into the job


def starting_soon(today: dt.date, *, days: int = 14) -> list[start_gate.Unready]:
    """Confirmed placements starting from today within `days` (or without a date), steps missing.

    A first day that has passed is not coming up: `overdue` lists those.
    """
    rows = db.session.scalars(
        select(Placement)
        .where(
            Placement.status == PlacementStatus.CONFIRMED,
            or_(
                Placement.start_date.is_(None),
                Placement.start_date.between(today, today + dt.timedelta(days)),
            ),
        )
        .options(*start_gate.PLACEMENT_ROWS)
        .order_by(Placement.start_date, Placement.id)
    ).all()
    return start_gate.unready(rows)


def overdue(today: dt.date) -> list[Placement]:
    """Confirmed placements whose planned first day has passed without a recorded start.

    The daily start leaves one confirmed when the rules refuse it or steps are missing.
    """
    return list(
        db.session.scalars(
            select(Placement)
            .where(Placement.status == PlacementStatus.CONFIRMED, Placement.start_date < today)
            .options(*start_gate.PLACEMENT_ROWS)
            .order_by(Placement.start_date, Placement.id)
        )
    )


def started_without() -> list[start_gate.Unready]:
    """Started placements whose youth still misses steps the job needs (`start_gate`)."""
    return start_gate.started_without()


def start_due(today: dt.date) -> int:
    """Start every confirmed placement whose first day has come; return how many.

    One the guard refuses (the rules no longer let the youth hold the job), or
    whose youth misses steps the job needs (only a coordinator records an
    exception), stays confirmed, for the coordinator to see (`overdue`).
    """
    due = db.session.scalars(
        select(Placement)
        .where(Placement.status == PlacementStatus.CONFIRMED, Placement.start_date <= today)
        .options(*start_gate.PLACEMENT_ROWS)
    ).all()
    started = 0
    for placement in due:
        if start_gate.missing_steps(placement.youth, placement.opening):
            continue
        try:
            refused = placement_codes(
                placement.youth, placement.opening, on=placement.start_date, besides=placement
            )
        except jobmatch.ProblemError:
            continue
        if refused:
            continue
        # One conditional UPDATE each: a placement started by hand meanwhile is left be.
        moved = db.session.execute(
            update(Placement)
            .where(Placement.id == placement.id, Placement.status == PlacementStatus.CONFIRMED)
            .values(status=PlacementStatus.STARTED)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:  # type: ignore[attr-defined]
            assert placement.start_date is not None
            _record_start(placement, None, placement.start_date)
            started += 1
    db.session.commit()
    return started


def placements_for_employer(opening: Opening) -> list[tuple[Placement, CandidateView]]:
    """The opening's running placements with the youth as the employer may see them."""
    today = board_day.today()
    views = candidates_for_employer(opening, today)
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.opening_id == opening.id, Placement.status.in_(ACTIVE_PLACEMENTS))
        .order_by(Placement.id)
    ).all()
    return list(zip(placements, views, strict=True))


def feedback_due(placement: Placement, today: dt.date) -> bool:
    """Whether the employer may give the four-week feedback now."""
    return (
        placement.status == PlacementStatus.STARTED
        and placement.start_date is not None
        and today >= placement.start_date + dt.timedelta(days=FEEDBACK_AFTER_DAYS)
    )


def get_placement_for_employer(opening: Opening, placement_id: int) -> Placement:
    """A placement in the employer's opening.

    Raises:
        NotFoundError: no such placement in this opening.
    """
    placement = db.session.get(Placement, placement_id)
    if placement is None or placement.opening_id != opening.id:
        raise NotFoundError("placement")
    return placement


def give_feedback(user: User, placement: Placement, *, text: str, today: dt.date) -> None:
    """Record the employer's feedback at four weeks, on the youth's timeline.

    Raises:
        InvalidStateError: the placement has not run four weeks, or has feedback.
    """
    if placement.employer_feedback:
        raise InvalidStateError(_("Feedback has already been given."))
    if not feedback_due(placement, today):
        raise InvalidStateError(_("Feedback is given four weeks after the first day."))
    placement.employer_feedback = text.strip()
    placement.feedback_at = utcnow()
    timeline.record(
        placement.youth,
        EventKind.FEEDBACK,
        actor=user,
        text=text.strip(),
        data={"opening": placement.opening.title, "employer": placement.opening.employer.name},
    )
    db.session.commit()
