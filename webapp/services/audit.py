"""The audit trail: record who did what to a youth's data or an account, read a youth's
access log, purge entries older than the trail's retention.

`record` only adds the entry to the session, so that it is committed in the same
transaction as the change it records; `record_access` is for reads (a page, an export)
and commits at once. Entries name their subjects by public id and say which fields
changed, never the values: no names, emails, phone numbers or search terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import delete, select, text

from ..extensions import db
from ..models import EventKind, User, Youth, new_public_id, utcnow
from ..models.audit import SYSTEM_ROLE, YOUTH_ROLE, AuditAction, AuditEntry
from .paging import Page, paged

DETAIL_KEY_MAX = 40
DETAIL_VALUE_MAX = 500
# What the access log calls each action.
ACTION_LABELS = {
    AuditAction.YOUTH_VIEWED: _l("Viewed"),
    AuditAction.YOUTH_CREATED: _l("Registered"),
    AuditAction.YOUTH_CHANGED: _l("Changed"),
    AuditAction.YOUTH_EXPORTED: _l("Exported in a list"),
    AuditAction.YOUTH_ACCESS_EXPORTED: _l("Copy of all data (right of access)"),
    AuditAction.YOUTH_ERASED: _l("Erased"),
    AuditAction.YOUTH_ANONYMISED: _l("Anonymised"),
}

# What the access log says for a detail's value, by key and value; others read "key: value".
DETAIL_WORDS = {
    ("page", "profile"): _l("on the profile"),
    ("page", "edit"): _l("in the edit form"),
    ("page", "counsellor"): _l("on the counsellor's page"),
    ("page", "proposal"): _l("as a candidate proposed to the employer"),
    ("export", "csv"): _l("as CSV"),
    ("export", "xlsx"): _l("as Excel"),
    ("format", "json"): _l("as a JSON file"),
    ("format", "html"): _l("as a page to print"),
    ("reason", "registration rejected"): _l("the registration was rejected"),
    ("reason", "merged"): _l("merged into a youth already known"),
    ("reason", "retention"): _l("the retention period ended"),
    ("by", YOUTH_ROLE): _l("on the youth's own page"),
}


@dataclass(frozen=True)
class LogLine:
    """One line of a youth's access log as a coordinator sees it."""

    at: dt.datetime
    action: str
    actor_name: str | None  # None: the system, or an account no longer on the board
    actor_role: str
    detail: dict[str, str]

    @property
    def label(self) -> str:
        """What the action is called in the request's language."""
        known = ACTION_LABELS.get(self.action)  # type: ignore[call-overload]  # StrEnum keys
        return str(known) if known is not None else self.action

    @property
    def notes(self) -> list[str]:
        """The detail in words, but the timeline event's kind (the template names it)."""
        return [
            str(DETAIL_WORDS[key, value]) if (key, value) in DETAIL_WORDS else f"{key}: {value}"
            for key, value in sorted(self.detail.items())
            if key != "event"
        ]


def record(
    action: AuditAction,
    *,
    actor: User | None,
    youth: Youth | None = None,
    user: User | None = None,
    detail: dict[str, str] | None = None,
) -> AuditEntry:
    """Add an entry to the session, to be committed with the change it records.

    Args:
        action: what was done.
        actor: who did it (`current_user` in a request); None for the system (a command).
        youth: the youth whose data it concerns, if any.
        user: the account it concerns, if any.
        detail: minimal context: which fields, which export, which role; never values.

    Raises:
        ValueError: `action` is not an `AuditAction`, or `detail` is not short strings.
    """
    entry = _entry(action, actor=actor, detail=detail)
    entry.youth_public_id = _public_id(youth)
    entry.user_public_id = _public_id(user)
    db.session.add(entry)
    return entry


def record_access(
    action: AuditAction,
    *,
    actor: User | None,
    youths: Iterable[Youth | str],
    detail: dict[str, str] | None = None,
) -> int:
    """Record a read of each of `youths` (rows or public ids: a page, an export) and commit.

    Returns:
        How many entries were written.
    """
    entries = []
    for youth in youths:
        entry = _entry(action, actor=actor, detail=detail)
        entry.youth_public_id = youth if isinstance(youth, str) else _public_id(youth)
        entries.append(entry)
    db.session.add_all(entries)
    session = db.session()
    expiring = session.expire_on_commit
    # A read's entries change nothing the page has loaded: kept loaded, the page it is
    # recorded for does not read its youth and every relation of it again.
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
    return len(entries)


def record_event(
    youth: Youth, kind: EventKind, *, actor: User | None, data: dict[str, Any] | None
) -> AuditEntry:
    """Record a change written to a youth's timeline: its kind and the fields it names.

    A change the youth made (``data["by"] == "youth"``, no account) is the youth's:
    the entry's role is `YOUTH_ROLE` and its detail says so.
    """
    detail = {"event": str(kind)}
    fields = (data or {}).get("fields")
    if isinstance(fields, list) and all(isinstance(f, str) for f in fields):
        detail["fields"] = ",".join(fields)[:DETAIL_VALUE_MAX]
    by_youth = actor is None and (data or {}).get("by") == YOUTH_ROLE
    if by_youth:
        detail["by"] = YOUTH_ROLE
    action = (
        AuditAction.YOUTH_CREATED if kind == EventKind.REGISTERED else AuditAction.YOUTH_CHANGED
    )
    entry = record(action, actor=actor, youth=youth, detail=detail)
    if by_youth:
        entry.actor_role = YOUTH_ROLE
    return entry


def record_erased(youth: Youth, *, reason: str = "") -> AuditEntry:
    """Record that a youth's data is erased, by the signed-in user or the system (no commit).

    Call before the erasure, which gives the youth a new public id.
    """
    detail = {"reason": reason} if reason else None
    return record(AuditAction.YOUTH_ERASED, actor=current_actor(), youth=youth, detail=detail)


def record_anonymised(youth: Youth, *, reason: str = "") -> AuditEntry:
    """Record that a youth is anonymised (as `record_erased`), e.g. at the end of retention."""
    detail = {"reason": reason} if reason else None
    return record(AuditAction.YOUTH_ANONYMISED, actor=current_actor(), youth=youth, detail=detail)


def current_actor() -> User | None:
    """The signed-in user of the request, if any (for services not given one)."""
    if has_request_context() and current_user.is_authenticated:
        user: User = current_user._get_current_object()
        return user
    return None


def access_log(youth: Youth, *, page: int = 1, per_page: int = 10) -> Page[LogLine]:
    """A youth's access log, newest first, `per_page` entries a page."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.youth_public_id == youth.public_id)
        .order_by(AuditEntry.id.desc())
    )
    found = paged(query, page=page, per_page=per_page)
    names = _names({e.actor_public_id for e in found.items if e.actor_public_id})
    lines = [
        LogLine(
            at=e.at,
            action=e.action,
            actor_name=names.get(e.actor_public_id or ""),
            actor_role=e.actor_role,
            detail=dict(e.detail or {}),
        )
        for e in found.items
    ]
    return Page(lines, found.page, found.pages, found.total)


def purge_expired(*, days: int | None = None, now: dt.datetime | None = None) -> tuple[int, int]:
    """Purge the entries older than `days` before `now` (default: AUDIT_RETENTION_DAYS, now).

    Returns:
        How many entries were deleted, and the retention in days applied.

    Raises:
        ValueError: the retention is not a whole number of days of at least 1.
    """
    keep = current_app.config["AUDIT_RETENTION_DAYS"] if days is None else days
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise ValueError(
            f"AUDIT_RETENTION_DAYS must be a whole number of days (1 or more): {keep!r}"
        )
    return purge(older_than=(now or utcnow()) - dt.timedelta(days=keep)), keep


def purge(*, older_than: dt.datetime) -> int:
    """Delete the entries made before `older_than` and commit; return how many.

    The only delete of the trail: on PostgreSQL a trigger refuses every other one.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT set_config('jobmatch.audit_purge', 'on', true)"))
    result = db.session.execute(delete(AuditEntry).where(AuditEntry.at < older_than))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def _entry(
    action: AuditAction, *, actor: User | None, detail: dict[str, str] | None
) -> AuditEntry:
    if not isinstance(action, AuditAction):
        raise ValueError(f"not an audit action: {action!r}")
    checked = dict(detail or {})
    for key, value in checked.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError(f"audit detail {key!r}: keys and values must be strings")
        if len(key) > DETAIL_KEY_MAX or len(value) > DETAIL_VALUE_MAX:
            raise ValueError(f"audit detail {key[:DETAIL_KEY_MAX]!r}: too long")
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        action=action.value,
        actor_public_id=actor.public_id if signed_in and actor is not None else None,
        actor_role=actor.role if signed_in and actor is not None else SYSTEM_ROLE,
        detail=checked,
    )


def _public_id(row: Youth | User | None) -> str | None:
    if row is None:
        return None
    if row.public_id is None:  # a row not flushed yet: its id now rather than at the flush
        row.public_id = new_public_id()
    return row.public_id


def _names(public_ids: set[str]) -> dict[str, str]:
    if not public_ids:
        return {}
    rows = db.session.execute(
        select(User.public_id, User.name).where(User.public_id.in_(public_ids))
    )
    return {public_id: name for public_id, name in rows}  # noqa: C416 (rows, not pairs)
