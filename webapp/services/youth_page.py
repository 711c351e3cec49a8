"""What a signed-in youth sees of their own record, and the two things they may change.

The youth's page shows the youth's own jobs (the first day: when, where, whom to ask
for), the onboarding steps still missing before it with plain how-tos, and the
proposals waiting (`youth_proposals`). The youth may change their own email address and
phone number, and their weekly availability (saved as the coordinator's form saves it:
`youths.set_availability`), nothing else (not the priority, the notes, the counsellor
or a parent's contact). Each change is on the timeline and in the audit trail as the
youth's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    EventKind,
    OnboardingStepKind,
    Opening,
    Placement,
    Shift,
    Youth,
)
from ..models.audit import YOUTH_ROLE
from . import onboarding, phones, timeline, youths
from .claims import hold_youth
from .errors import InvalidStateError
from .message_language import step_description, step_name
from .youths import Window

# How to do each standard step, in a youth's words; other kinds use their own description.
HOW_TO = {
    "bank_account": _l(
        "A parent opens a bank account for you. Your pay goes to it (your NemKonto)."
    ),
    "mitid": _l(
        "Get MitID in the MitID app or at Borgerservice. If you are 13 or 14, a parent helps."
    ),
    "tax_card": _l(
        "From the year you turn 15 you get a tax card (frikort) by itself. "
        "If you are 13 or 14, a parent makes it on skat.dk."
    ),
    "parental_consent": _l("A parent says yes to the job. We send them a link."),
    "contract": _l("You and a parent sign the contract from the employer."),
    "first_day_meeting": _l("A short talk with the employer before you start."),
}
ASK = _l("Ask the coordinator how to do it.")


@dataclass(frozen=True)
class MissingStep:
    """A step still to do, with how to do it."""

    name: str
    how: str


@dataclass(frozen=True)
class Job:
    """A job the youth holds, as the youth needs to know it before the first day."""

    title: str
    employer_name: str
    first_day: dt.date | None
    shifts: list[Shift]
    address: str
    contact_name: str
    contact_phone: str
    missing: list[MissingStep]


def how_to(kind: OnboardingStepKind, locale: str) -> str:
    """How to do the step, in plain words."""
    if kind.code in HOW_TO:
        return str(HOW_TO[kind.code])
    return step_description(kind, locale) or str(ASK)


def workplace_address(opening: Opening) -> str:
    """Where the work is: the opening's address, else the employer's."""
    employer = opening.employer
    street, postcode, town = (
        (opening.address, opening.postcode, opening.town)
        if opening.address or opening.town
        else (employer.address, employer.postcode, employer.town)
    )
    return ", ".join(p for p in (street.strip(), f"{postcode} {town}".strip()) if p)


def jobs_of(youth: Youth, locale: str) -> list[Job]:
    """The youth's running jobs, each with its first day, place, contact and missing steps."""
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.youth_id == youth.id, Placement.status.in_(ACTIVE_PLACEMENTS))
        .options(
            selectinload(Placement.opening).selectinload(Opening.employer),
            selectinload(Placement.opening).selectinload(Opening.shifts),
        )
        .order_by(Placement.start_date.is_(None), Placement.start_date, Placement.id)
    ).all()
    checklist = onboarding.checklist(youth)
    jobs = []
    for placement in placements:
        opening = placement.opening
        shifts = sorted(opening.shifts, key=lambda s: (s.day_index, s.start_min))
        if placement.start_date is not None:
            shifts = [s for s in shifts if s.day_index == placement.start_date.weekday()]
        jobs.append(
            Job(
                title=opening.title,
                employer_name=opening.employer.name,
                first_day=placement.start_date,
                shifts=shifts,
                address=workplace_address(opening),
                contact_name=opening.employer.contact_name.strip(),
                contact_phone=opening.employer.contact_phone.strip(),
                missing=[
                    MissingStep(step_name(kind, locale), how_to(kind, locale))
                    for kind in checklist.missing_for_opening(opening)
                ],
            )
        )
    return jobs


def update_contact(youth: Youth, *, email: str, phone: str) -> list[str]:
    """Set the youth's own email address and phone number; record what changed.

    Returns:
        The names of the fields that changed ("email", "phone").

    Raises:
        InvalidStateError: both are empty: the youth could not sign in again (field ``email``);
            the phone number is no valid number (field ``phone``).
    """
    email = email.strip().lower()
    try:
        phone = phones.normalise(phone)
    except phones.PhoneNumberError as error:
        raise InvalidStateError(str(error), field="phone") from None
    if not email and not phone:
        raise InvalidStateError(
            _("Keep an email address or a phone number, so that you can sign in."),
            field="email",
        )
    hold_youth(youth)
    changed = [
        name
        for name, old, new in (("email", youth.email, email), ("phone", youth.phone, phone))
        if old != new
    ]
    if not changed:
        db.session.rollback()
        return []
    youth.email, youth.phone = email, phone
    _record_change(youth, changed)
    return changed


def update_availability(youth: Youth, windows: list[Window]) -> bool:
    """Make `windows` the youth's weekly availability, as the youth's own change.

    Returns:
        Whether it changed (the same windows again, or a second send of them: nothing
        written).

    Raises:
        InvalidStateError: two windows overlap (field ``availability``); nothing written.
    """
    youths.check_overlaps(windows)
    hold_youth(youth)  # a second send at once waits here, then finds the windows saved
    if not youths.set_availability(youth, windows):
        db.session.rollback()
        return False
    _record_change(youth, ["availability"])
    return True


def _record_change(youth: Youth, fields: list[str]) -> None:
    """Put the youth's own change on the timeline (and so in the audit trail) and commit."""
    data = {"fields": fields, "by": YOUTH_ROLE}
    timeline.record(youth, EventKind.UPDATED, actor=None, data=data)
    db.session.commit()


def steps_before_a_job(youth: Youth, locale: str) -> list[MissingStep]:
    """What a youth without a job yet can do now, as a fritidsjob would need it."""
    return [
        MissingStep(step_name(kind, locale), how_to(kind, locale))
        for kind in onboarding.checklist(youth).missing_for("fritidsjob")
    ]
