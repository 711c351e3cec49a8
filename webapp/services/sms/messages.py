"""The board's SMS to youths and the coordinators' email when an SMS comes in.

Each function adds outbox rows in the caller's transaction and never commits.
An SMS goes only to a contact that opted in and has not sent STOP
(`contacts.number_for`); one to a youth under 18 waits while it is night in
Copenhagen. Texts are short, carry the first name at most and no link (the
youth signs in on the board), and are rendered from `templates/sms/` in the
recipient's language (`Youth.language`). A message that asks a question
carries a topic, which a JA or NEJ answer then answers (`incoming`).

- news of a proposal sent to the employer: `queue_proposal_sms`;
- the day before the first day and its morning: `queue_first_day_sms`;
- the weekly check-in during a new job's first four weeks: `queue_check_in_sms`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...extensions import db
from ...models import (
    ACTIVE_PLACEMENTS,
    ContactRole,
    IncomingSms,
    Opening,
    Placement,
    PlacementStatus,
    Proposal,
    Role,
    User,
    Youth,
    YouthStatus,
)
from .. import notifications
from ..links import board_link
from .contacts import number_for
from .queue import queue_sms

ADULT_AGE = 18
CHECK_IN_WEEKS = 4


def _text_youth(youth: Youth, template: str, *, day: dt.date, **options: Any) -> bool:
    """One SMS to the youth's own phone, if the youth opted in; held at night for a minor."""
    number = number_for(youth, ContactRole.YOUTH)
    if number is None:
        return False
    return queue_sms(
        db.session,
        number,
        template,
        quiet_at_night=youth.age_on(day) < ADULT_AGE,
        locale=youth.language,
        first_name=youth.first_name,
        **options,
    )


def queue_proposal_sms(proposal: Proposal, today: dt.date) -> bool:
    """Tell the youth of a proposal sent to an employer; the youth may answer JA or NEJ.

    Returns:
        Whether an SMS was queued (not when the youth has not opted in to SMS).
    """
    opening = proposal.opening
    return _text_youth(
        proposal.youth,
        "proposal_youth",
        day=today,
        once_per=f"proposal:{proposal.id}",
        topic=f"proposal:{proposal.id}",
        employer_name=opening.employer.name,
        title=opening.title,
    )


def _first_shift(placement: Placement, day: dt.date) -> str:
    """When the first shift of `day`'s weekday starts (``16:00``), or "" without one."""
    starts = [s.start_min for s in placement.opening.shifts if s.day_index == day.weekday()]
    if not starts:
        return ""
    first = min(starts)
    return f"{first // 60:02d}:{first % 60:02d}"


def _starting(session: Session, day: dt.date) -> list[Placement]:
    """Running placements of active youths whose first day is `day` (on the day the
    placement may be marked started already: `flask start-placements` runs at midnight)."""
    return list(
        session.scalars(
            select(Placement)
            .join(Placement.youth)
            .where(
                Placement.status.in_(ACTIVE_PLACEMENTS),
                Placement.start_date == day,
                Youth.status == YouthStatus.ACTIVE,
            )
            .options(
                selectinload(Placement.opening).selectinload(Opening.shifts),
                selectinload(Placement.opening).selectinload(Opening.employer),
            )
            .order_by(Placement.id)
        )
    )


def queue_first_day_sms(session: Session, today: dt.date) -> int:
    """Remind youths whose first day is tomorrow (they may answer) and, on the day, this morning.

    Never twice for the same placement, day and message, however often it runs.
    Run it early in the morning: an SMS to a minor goes at 08:00 at the earliest.

    Returns:
        The number of SMS added.
    """
    added = 0
    tomorrow = today + dt.timedelta(days=1)
    for template, day in (("first_day_tomorrow", tomorrow), ("first_day_today", today)):
        for placement in _starting(session, day):
            opening = placement.opening
            added += _text_youth(
                placement.youth,
                template,
                day=today,
                once_per=f"{template}:{placement.id}:{day.isoformat()}",
                topic=f"first_day:{placement.id}" if day == tomorrow else None,
                start=_first_shift(placement, day),
                employer_name=opening.employer.name,
                contact_name=opening.employer.contact_name.strip(),
                address=opening.address.strip() or opening.employer.address.strip(),
            )
    return added


def queue_check_in_sms(session: Session, today: dt.date) -> int:
    """Ask youths in their first four weeks of a job how it goes, once a week (ISO week).

    Returns:
        The number of SMS added.
    """
    since = today - dt.timedelta(weeks=CHECK_IN_WEEKS)
    placements = session.scalars(
        select(Placement)
        .join(Placement.youth)
        .where(
            Placement.status == PlacementStatus.STARTED,
            Placement.start_date > since,
            Placement.start_date < today,
            Youth.status == YouthStatus.ACTIVE,
        )
        .options(selectinload(Placement.opening).selectinload(Opening.employer))
        .order_by(Placement.id)
    )
    year, week, _ = today.isocalendar()
    added = 0
    for placement in placements:
        added += _text_youth(
            placement.youth,
            "check_in",
            day=today,
            once_per=f"check_in:{placement.id}:{year}-W{week:02d}",
            topic=f"check_in:{placement.id}",
            employer_name=placement.opening.employer.name,
        )
    return added


def queue_sms_received(row: IncomingSms) -> int:
    """Tell every active coordinator that an SMS came in, with a link to read it; no names.

    Returns:
        The number of emails added.
    """
    coordinators = db.session.scalars(
        select(User.email).where(
            User.role == Role.COORDINATOR,
            User.is_active_account.is_(True),
            User.password_hash.is_not(None),
        )
    )
    return notifications._queue(
        db.session,
        list(coordinators),
        _l("An SMS has come in"),
        "sms_received",
        answered=row.outcome == "answer",
        link=board_link("sms.inbox"),
    )
