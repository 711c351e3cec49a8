"""The messages of the family pages: a parent's consent request and a youth's sign-in code.

Each adds outbox rows in the caller's transaction and never commits, in the recipient's
language. An email goes through the board's outbox like every other
(`notifications._queue`); an SMS through the SMS channel (`sms.queue_sms`), only to a
contact who opted in and has not sent STOP (`sms.contacts.number_for`), without a link
(operators filter them): the consent SMS asks for JA or NEJ, which the SMS webhook hands
to `consent.answer_by_reference` by the SMS's topic.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.ui import board_day

from ..extensions import db
from ..models import Channel, ConsentRequest, ContactRole, Youth
from . import notifications
from .sms import queue_sms
from .sms.contacts import number_for

ADULT_AGE = 18


def consent_topic(request: ConsentRequest) -> str:
    """What a JA or NEJ answered to the consent SMS refers to."""
    return f"consent:{request.id}"


def queue_consent_request(request: ConsentRequest, link: str) -> str:
    """Ask the parent by email (with `link`) and by SMS (JA or NEJ) where they can be reached.

    Returns:
        How it was sent: "email", "sms" or "email+sms"; "" when neither could be queued.
    """
    youth = request.youth
    opening = request.placement.opening
    context = {
        "first_name": youth.first_name,
        "title": opening.title,
        "employer_name": opening.employer.name,
    }
    ways = []
    if notifications._queue(
        db.session,
        [youth.parent_email],
        _l("A job needs your consent"),
        "consent_request",
        language=youth.parent_language,
        link=link,
        days=request_days(request),
        **context,
    ):
        ways.append(Channel.EMAIL.value)
    number = number_for(youth, ContactRole.PARENT)
    if number and queue_sms(
        db.session,
        number,
        "consent_request",
        topic=consent_topic(request),
        locale=youth.parent_language,
        **context,
    ):
        ways.append(Channel.SMS.value)
    return "+".join(ways)


def request_days(request: ConsentRequest) -> int:
    """For how many whole days the link works."""
    return max(1, (request.expires_at - request.sent_at).days)


def queue_sign_in_code(youth: Youth, code: str, *, channel: Channel, minutes: int) -> bool:
    """Send the youth's sign-in code by `channel`, else by email.

    An SMS goes only to a phone that opted in (and, to a minor, waits while it is night);
    otherwise the code goes to the youth's email address, if there is one.

    Returns:
        Whether a message was queued.
    """
    number = number_for(youth, ContactRole.YOUTH) if channel == Channel.SMS else None
    if number:
        return queue_sms(
            db.session,
            number,
            "youth_code",
            quiet_at_night=youth.age_on(board_day.today()) < ADULT_AGE,
            locale=youth.language,
            code=code,
            minutes=minutes,
        )
    return bool(
        notifications._queue(
            db.session,
            [youth.email],
            _l("Your code for the job board"),
            "youth_code",
            language=youth.language,
            code=code,
            minutes=minutes,
            first_name=youth.first_name,
        )
    )
