"""Server-side sessions of signed-in accounts: started at sign-in, checked on every request, ended.

A session ends on sign-out, after `SESSION_IDLE_MINUTES` without a request,
`SESSION_LIFETIME_HOURS` after it started, and when its account's password,
role or activation changes (the row keeps the session version and role of
its start). An ended session never comes back: its row is not deleted but
marked, and what it kept (a search term) is cleared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import User, utcnow
from ..models.staff_sessions import StaffSession

TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most once a minute
MAX_TOKEN = 100  # a longer token in a cookie is no token of ours
MAX_SEARCH = 100
MAX_FLASHES = 20  # messages kept for the next page at most (the newest)


class EndReason(StrEnum):
    """Why a session ended."""

    LOGOUT = "logout"
    REPLACED = "replaced"  # a new sign-in in the same browser
    PASSWORD = "password"
    DEACTIVATED = "deactivated"
    ACCESS_RESET = "access_reset"
    TWO_FACTOR_RESET = "two_factor_reset"
    TWO_FACTOR_FAILED = "two_factor_failed"
    STALE = "stale"  # the account's session version moved on (signed out everywhere)
    ROLE = "role"
    IDLE = "idle"
    LIFETIME = "lifetime"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"]))


def _lifetime() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config["SESSION_LIFETIME_HOURS"]))


def start(user: User, *, previous_token: object = None) -> tuple[str, StaffSession]:
    """A new session of `user` and its token, for the cookie. The browser's previous one ends."""
    if isinstance(previous_token, str):
        end(previous_token, EndReason.REPLACED)
    now = utcnow()
    # Sessions older than the lifetime are over either way: they are not kept.
    db.session.execute(delete(StaffSession).where(StaffSession.created_at < now - _lifetime()))
    token = secrets.token_urlsafe(32)
    record = StaffSession(
        token_hash=_hash(token),
        user_id=user.id,
        user_version=user.session_version,
        role=user.role,
        created_at=now,
        last_seen_at=now,
    )
    db.session.add(record)
    db.session.commit()
    return token, record


def _ending(record: StaffSession, user: User, now: dt.datetime) -> EndReason | None:
    """Why `record` is over for `user` at `now`, or None while it lasts."""
    if not user.is_active:
        return EndReason.DEACTIVATED
    if record.role != user.role:
        return EndReason.ROLE
    if record.user_version != user.session_version:
        return EndReason.STALE
    if now - record.last_seen_at > _idle():
        return EndReason.IDLE
    if now - record.created_at > _lifetime():
        return EndReason.LIFETIME
    return None


def find(token: object, user_public_id: str) -> tuple[User, StaffSession] | None:
    """The account `user_public_id` and its session of `token`, in one query (each request
    asks); None when the token is no session of that account's. Its state is `live`'s to judge.
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    found = db.session.execute(
        select(User, StaffSession)
        .join(StaffSession, StaffSession.user_id == User.id)
        .where(User.public_id == user_public_id, StaffSession.token_hash == _hash(token))
    ).one_or_none()
    return None if found is None else (found[0], found[1])


def live(record: StaffSession, user: User) -> bool:
    """Whether `user`'s session `record` (from `find`) still runs; it is seen now.

    A session found over is marked ended (and its search term cleared) on the way.
    """
    if record.ended_at is not None:
        return False
    now = utcnow()
    if reason := _ending(record, user, now):
        _end_where(StaffSession.id == record.id, reason)
        return False
    if now - record.last_seen_at >= TOUCH_EVERY:
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.id == record.id, StaffSession.ended_at.is_(None))
            .values(last_seen_at=now)
        )
        db.session.commit()
    return True


def _end_where(condition: object, reason: EndReason) -> int:
    """End the running sessions that meet `condition` (the row keeps when and why)."""
    result = db.session.execute(
        update(StaffSession)
        .where(condition, StaffSession.ended_at.is_(None))  # type: ignore[arg-type]
        .values(ended_at=utcnow(), end_reason=reason, youth_search="", flashes=[])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def end(token: str, reason: EndReason) -> None:
    """End the session of `token` (sign-out, a new sign-in); nothing when it is over already."""
    if token and len(token) <= MAX_TOKEN:
        _end_where(StaffSession.token_hash == _hash(token), reason)


def end_all(user: User, reason: EndReason) -> int:
    """End every running session of `user` (password, deactivation, reset); how many ended."""
    return _end_where(StaffSession.user_id == user.id, reason)


def pass_second_factor(record: StaffSession) -> None:
    """The session's holder gave a right second factor."""
    db.session.execute(
        update(StaffSession).where(StaffSession.id == record.id).values(second_factor=True)
    )
    db.session.commit()


def count_failure(record: StaffSession, *, most: int) -> bool:
    """One more wrong second factor; True when that was the `most`-th and the session ended."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.id == record.id)
        .values(second_factor_failures=StaffSession.second_factor_failures + 1)
    )
    failures = db.session.scalar(
        select(StaffSession.second_factor_failures).where(StaffSession.id == record.id)
    )
    db.session.commit()
    if (failures or 0) < most:
        return False
    _end_where(StaffSession.id == record.id, EndReason.TWO_FACTOR_FAILED)
    return True


def recent_failures(user: User, *, within: dt.timedelta) -> int:
    """The wrong second factors given for `user` in the sessions started within `within`."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(StaffSession.second_factor_failures), 0)).where(
            StaffSession.user_id == user.id, StaffSession.created_at >= utcnow() - within
        )
    )
    return int(total or 0)


def keep_flashes(record: StaffSession, flashes: list[Any]) -> None:
    """Keep the messages for the session's next page (a page may name a youth)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.id == record.id, StaffSession.ended_at.is_(None))
        .values(flashes=[*record.flashes, *flashes][-MAX_FLASHES:])
    )
    db.session.commit()


def take_flashes(record: StaffSession) -> list[Any]:
    """The messages kept for this page; they are removed from the session."""
    waiting = list(record.flashes or [])
    if waiting:
        db.session.execute(
            update(StaffSession).where(StaffSession.id == record.id).values(flashes=[])
        )
        db.session.commit()
    return waiting


def keep_search(record: StaffSession, term: str) -> None:
    """Keep the youth list's search term with the session (never in the cookie)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.id == record.id, StaffSession.ended_at.is_(None))
        .values(youth_search=term[:MAX_SEARCH])
    )
    db.session.commit()
