"""The messages of the family pages: a parent's consent request and a youth's sign-in code.

Each adds outbox rows in the caller's transaction and never commits; an email goes
through the board's outbox like every other (`notifications._queue`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Channel, ConsentRequest, Youth
from . import notifications


def queue_consent_request(request: ConsentRequest, link: str) -> str:
    """Ask the parent by email, with `link`.

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
    if youth.parent_email.strip() and notifications._queue(
        db.session,
        [youth.parent_email],
        _l("A job needs your consent"),
        "consent_request",
        link=link,
        days=request_days(request),
        **context,
    ):
        ways.append(Channel.EMAIL.value)
    return "+".join(ways)


def request_days(request: ConsentRequest) -> int:
    """For how many whole days the link works."""
    return max(1, (request.expires_at - request.sent_at).days)


def queue_sign_in_code(youth: Youth, code: str, *, channel: Channel, minutes: int) -> bool:
    """Send the youth's sign-in code (by email for now, whatever the `channel` asked).

    Returns:
        Whether a message was queued.
    """
    return bool(
        notifications._queue(
            db.session,
            [youth.email],
            _l("Your code for the job board"),
            "youth_code",
            code=code,
            minutes=minutes,
            first_name=youth.first_name,
        )
    )
