"""Who may get an SMS: per contact (a youth's own phone, a parent's) opt-in, STOP and START.

A contact gets SMS only when opted in (by a coordinator who asked, or by
START from that phone) and not stopped; STOP from a number stops every
contact with that number (a parent of two youths stops both). A
coordinator cannot opt a stopped contact in again: only START can.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import ContactRole, SmsContact, Youth, utcnow
from ..errors import InvalidStateError
from ..phones import normalised_or_none


def phone_of(youth: Youth, role: ContactRole) -> str:
    """The stored phone of the contact (the youth's or the parent's)."""
    return youth.phone if role == ContactRole.YOUTH else youth.parent_phone


def contact_for(youth: Youth, role: ContactRole) -> SmsContact | None:
    """The youth's stored SMS contact of `role`, if any."""
    return db.session.scalar(
        select(SmsContact).where(SmsContact.youth_id == youth.id, SmsContact.role == role)
    )


def number_for(youth: Youth, role: ContactRole) -> str | None:
    """The contact's number in E.164 when it may get SMS now, else None."""
    number = normalised_or_none(phone_of(youth, role))
    contact = contact_for(youth, role)
    if number is None or contact is None or not contact.opted_in or contact.stopped_at:
        return None
    return number


def set_opt_in(youth: Youth, role: ContactRole, *, opted_in: bool) -> SmsContact:
    """Opt the contact in or out in the caller's transaction.

    Raises:
        InvalidStateError: opting in a contact that sent STOP (only START from it can).
    """
    contact = _contact_row(youth, role)
    if opted_in and contact.stopped_at is not None:
        message = (
            _l("The youth's phone has sent STOP: it gets SMS again only when it sends START.")
            if role == ContactRole.YOUTH
            else _l("The parent's phone has sent STOP: it gets SMS only after it sends START.")
        )
        raise InvalidStateError(str(message), field=f"{role}_sms")
    contact.opted_in = opted_in
    return contact


def save_choices(youth: Youth, *, youth_sms: bool, parent_sms: bool) -> None:
    """Save whether the youth and the parent get SMS (they said yes when asked); commit.

    Raises:
        InvalidStateError: opting in a phone that sent STOP (field ``youth_sms`` or
            ``parent_sms``); nothing is saved.
    """
    try:
        for role, wanted in ((ContactRole.YOUTH, youth_sms), (ContactRole.PARENT, parent_sms)):
            set_opt_in(youth, role, opted_in=wanted)
    except InvalidStateError:
        db.session.rollback()
        raise
    db.session.commit()


def youths_with_number(number: str) -> list[tuple[Youth, ContactRole]]:
    """The youths whose own or parent's phone is `number` (E.164), with whose phone it is."""
    youths = db.session.scalars(
        select(Youth)
        .where(or_(Youth.phone == number, Youth.parent_phone == number))
        .order_by(Youth.id)
    )
    found: list[tuple[Youth, ContactRole]] = []
    for youth in youths:
        if youth.phone == number:
            found.append((youth, ContactRole.YOUTH))
        if youth.parent_phone == number:
            found.append((youth, ContactRole.PARENT))
    return found


def has_stopped(number: str) -> bool:
    """Whether a contact with `number` (E.164) has sent STOP."""
    stopped = (
        select(SmsContact.id)
        .join(Youth, Youth.id == SmsContact.youth_id)
        .where(
            SmsContact.stopped_at.is_not(None),
            or_(
                (SmsContact.role == ContactRole.YOUTH) & (Youth.phone == number),
                (SmsContact.role == ContactRole.PARENT) & (Youth.parent_phone == number),
            ),
        )
    )
    return db.session.scalar(stopped.limit(1)) is not None


def stop(number: str, *, at: dt.datetime | None = None) -> int:
    """STOP from `number`: every contact with it stopped; return how many."""
    found = youths_with_number(number)
    for youth, role in found:
        contact = _contact_row(youth, role)
        contact.opted_in = False
        contact.stopped_at = contact.stopped_at or at or utcnow()
    return len(found)


def start(number: str) -> int:
    """START from `number`: every contact with it opted in again; return how many."""
    found = youths_with_number(number)
    for youth, role in found:
        contact = _contact_row(youth, role)
        contact.opted_in = True
        contact.stopped_at = None
    return len(found)


def _contact_row(youth: Youth, role: ContactRole) -> SmsContact:
    """The contact row, created when missing; a row created meanwhile elsewhere is used."""
    if (contact := contact_for(youth, role)) is not None:
        return contact
    try:
        with db.session.begin_nested():
            contact = SmsContact(youth_id=youth.id, role=role, opted_in=False)
            db.session.add(contact)
    except IntegrityError:
        found = contact_for(youth, role)
        assert found is not None  # the row that won the race
        return found
    return contact
