"""A youth signs in with a one-time code sent by email or SMS: no password, no account.

The youth types an email address or a phone number. When it is an active youth's, a
six-digit code is sent there; either way the browser gets the same answer and a random
ticket, so the form tells no one whether an address is known. The code is stored as an
HMAC digest bound to that ticket, lives `CODE_MINUTES`, and allows `MAX_ATTEMPTS` tries;
each try is counted by a conditional UPDATE, so tries sent at once cannot go past the
limit, and a right code signs in once. At most `CODES_PER_WINDOW` codes go to one youth
per `CODE_WINDOW_MINUTES` (the views are throttled per address too).

A youth's session is a row of its own (`YouthSession`), found by the digest of a random
token in a cookie of its own: it has nothing to do with staff sessions and ends after
`SESSION_IDLE_MINUTES` without use, after `SESSION_HOURS`, or on sign-out.

The daily retention pass deletes what can never sign in again (`purge_ended`): codes
past their time and the count of codes a youth may be sent, and ended sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from ..extensions import db
from ..models import Channel, Youth, YouthLoginCode, YouthSession, YouthStatus, utcnow
from .errors import InvalidStateError
from .family_messages import queue_sign_in_code
from .phones import normalised_or_none

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
CODES_PER_WINDOW = 3
CODE_WINDOW_MINUTES = 15
SESSION_IDLE_MINUTES = 30
SESSION_HOURS = 12
SEEN_EVERY = dt.timedelta(minutes=1)  # a session's last use is written at most this often
MAX_CONTACT = 254

WRONG_CODE = _l("The code is wrong or too old. Ask for a new code.")


class CodeRefusedError(InvalidStateError):
    """The code does not sign in: wrong, used, too old or tried too often (field ``code``)."""

    def __init__(self) -> None:
        super().__init__(str(WRONG_CODE), field="code")


def digest(purpose: str, value: str) -> str:
    """The HMAC-SHA256 of `value` for `purpose`, keyed by the board's secret (hex)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _youth_by_contact(contact: str) -> tuple[Youth, Channel] | None:
    """The one active youth with this email address or phone number, with the channel."""
    contact = contact.strip()
    if not contact or len(contact) > MAX_CONTACT:
        return None
    if "@" in contact:
        condition = func.lower(Youth.email) == contact.lower()
        channel = Channel.EMAIL
    else:
        number = normalised_or_none(contact)
        if number is None:
            return None
        condition = Youth.phone == number  # stored in E.164 (services.phones)
        channel = Channel.SMS
    found = db.session.scalars(
        select(Youth).where(condition, Youth.status == YouthStatus.ACTIVE).limit(2)
    ).all()
    # Two youths on one address (siblings sharing a phone): no code, as for an unknown one.
    return (found[0], channel) if len(found) == 1 else None


def _recent_codes(youth: Youth, now: dt.datetime) -> int:
    since = now - dt.timedelta(minutes=CODE_WINDOW_MINUTES)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(YouthLoginCode)
            .where(YouthLoginCode.youth_id == youth.id, YouthLoginCode.created_at > since)
        )
        or 0
    )


def request_code(contact: str, *, now: dt.datetime | None = None) -> str:
    """Send a sign-in code to the active youth with this email or phone, if there is one.

    Returns:
        A new random ticket for the browser that asked, whether or not a code was sent:
        the code signs in only together with it.
    """
    now = now or utcnow()
    ticket = secrets.token_urlsafe(32)
    found = _youth_by_contact(contact)
    if found is None:
        return ticket
    youth, channel = found
    if _recent_codes(youth, now) >= CODES_PER_WINDOW:
        return ticket
    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(
        YouthLoginCode(
            youth_id=youth.id,
            ticket_digest=digest("ticket", ticket),
            code_digest=digest("code", f"{ticket}:{code}"),
            channel=channel,
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
    )
    queue_sign_in_code(youth, code, channel=channel, minutes=CODE_MINUTES)
    db.session.commit()
    return ticket


def verify_code(ticket: str, code: str, *, now: dt.datetime | None = None) -> str:
    """Sign in with the code sent for `ticket`: a new session, whose token goes in a cookie.

    Raises:
        CodeRefusedError: no such ticket, the code is wrong, used, too old, or has been
            tried `MAX_ATTEMPTS` times (each wrong try counts).
    """
    now = now or utcnow()
    code = code.strip().replace(" ", "")
    row = db.session.scalar(
        select(YouthLoginCode).where(YouthLoginCode.ticket_digest == digest("ticket", ticket))
    )
    if row is None or not (code.isascii() and code.isdecimal() and len(code) == 6):
        raise CodeRefusedError()
    live = (
        YouthLoginCode.id == row.id,
        YouthLoginCode.used_at.is_(None),
        YouthLoginCode.expires_at > now,
    )
    counted = db.session.execute(
        update(YouthLoginCode)
        .where(*live, YouthLoginCode.attempts < MAX_ATTEMPTS)
        .values(attempts=YouthLoginCode.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        raise CodeRefusedError()
    if not hmac.compare_digest(row.code_digest, digest("code", f"{ticket}:{code}")):
        raise CodeRefusedError()
    used = db.session.execute(
        update(YouthLoginCode)
        .where(*live)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise CodeRefusedError()
    token = secrets.token_urlsafe(32)
    db.session.add(
        YouthSession(
            youth_id=row.youth_id,
            token_digest=digest("youth-session", token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    db.session.commit()
    return token


def signed_in_youth(token: str, *, now: dt.datetime | None = None) -> Youth | None:
    """The active youth whose session `token` is, while it lasts; it counts as used now."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    session = db.session.scalar(
        select(YouthSession).where(
            YouthSession.token_digest == digest("youth-session", token),
            YouthSession.ended_at.is_(None),
            YouthSession.expires_at > now,
            YouthSession.last_seen_at > now - dt.timedelta(minutes=SESSION_IDLE_MINUTES),
        )
    )
    if session is None or session.youth.status != YouthStatus.ACTIVE:
        return None
    if now - session.last_seen_at > SEEN_EVERY:
        session.last_seen_at = now
        db.session.commit()
    return session.youth


def sign_out(token: str) -> None:
    """End the session of `token` (nothing happens for an unknown one)."""
    db.session.execute(
        update(YouthSession)
        .where(
            YouthSession.token_digest == digest("youth-session", token),
            YouthSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def end_sessions_of(youth: Youth) -> None:
    """End every session of the youth, in the caller's transaction (e.g. the email changed)."""
    db.session.execute(
        update(YouthSession)
        .where(YouthSession.youth_id == youth.id, YouthSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def purge_ended(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete the codes and sessions that can never sign in again, and commit.

    A code goes once it is too old and no longer counts towards `CODES_PER_WINDOW`; a
    session once it is signed out, past `SESSION_HOURS` or idle `SESSION_IDLE_MINUTES`.

    Returns:
        How many codes and how many sessions were deleted.
    """
    now = now or utcnow()
    codes = db.session.execute(
        delete(YouthLoginCode).where(
            YouthLoginCode.expires_at <= now,
            YouthLoginCode.created_at <= now - dt.timedelta(minutes=CODE_WINDOW_MINUTES),
        )
    )
    sessions = db.session.execute(
        delete(YouthSession).where(
            or_(
                YouthSession.ended_at.is_not(None),
                YouthSession.expires_at <= now,
                YouthSession.last_seen_at <= now - dt.timedelta(minutes=SESSION_IDLE_MINUTES),
            )
        )
    )
    db.session.commit()
    return int(codes.rowcount or 0), int(sessions.rowcount or 0)  # type: ignore[attr-defined]
