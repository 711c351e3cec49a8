"""The audit trail: who viewed, exported, changed, erased or anonymised a youth's data, and
account actions.

An entry is written once and never changed: the only delete is the trail's own retention
purge (`services/audit.purge`). Subjects are public ids, never names, emails or search
terms, and no foreign keys: an entry outlives the youth or account it is about (an erasure
is recorded too), and a public id is never given to another row, as a SQLite row id may be.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import Base
from .columns import UTCDateTime, utcnow


class AuditAction(StrEnum):
    """What an entry records. New members need no migration (the column is plain text)."""

    # A youth's data.
    YOUTH_VIEWED = "youth_viewed"
    YOUTH_CREATED = "youth_created"
    YOUTH_CHANGED = "youth_changed"
    YOUTH_EXPORTED = "youth_exported"
    YOUTH_ACCESS_EXPORTED = "youth_access_exported"
    YOUTH_ERASED = "youth_erased"
    YOUTH_ANONYMISED = "youth_anonymised"
    # Accounts.
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_RESET_LINK = "account_reset_link"
    ACCOUNT_PASSWORD_RESET = "account_password_reset"
    ACCOUNT_PASSWORD_CHANGED = "account_password_changed"
    ACCOUNT_ROLE_CHANGED = "account_role_changed"
    ACCOUNT_ACTIVATED = "account_activated"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_TWO_FACTOR_ENABLED = "account_two_factor_enabled"
    ACCOUNT_TWO_FACTOR_DISABLED = "account_two_factor_disabled"
    ACCOUNT_RECOVERY_CODES_MADE = "account_recovery_codes_made"
    ACCOUNT_RECOVERY_CODE_USED = "account_recovery_code_used"
    ACCOUNT_LOGIN_THROTTLED = "account_login_throttled"


# The role stored for an entry made by no one signed in (a CLI command, a periodic task).
SYSTEM_ROLE = "system"
# The role stored for a change a youth made on the youth's own page (no staff account).
YOUTH_ROLE = "youth"


class AuditEntry(Base):
    """One thing done to a youth's data or an account, by whom and when."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index(
            "ix_audit_entry_youth", "youth_public_id", "id"
        ),  # a youth's access log, newest first
        Index("ix_audit_entry_user", "user_public_id", "id"),
        Index("ix_audit_entry_at", "at"),  # the retention purge
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The user who acted (public id and role at the time); none for the system.
    actor_public_id: Mapped[str | None] = mapped_column(String(16))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    youth_public_id: Mapped[str | None] = mapped_column(String(16))
    user_public_id: Mapped[str | None] = mapped_column(String(16))
    # Which fields, which export, which role: never the values of personal fields.
    detail: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class AuditTrailChangedError(RuntimeError):
    """Something tried to change or delete an audit entry other than by the purge."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse a flush that would update or delete an entry (the purge deletes in SQL)."""
    for row in session.deleted:
        if isinstance(row, AuditEntry):
            raise AuditTrailChangedError("audit entries are never deleted, only purged")
    for row in session.dirty:
        if isinstance(row, AuditEntry) and session.is_modified(row):
            raise AuditTrailChangedError("audit entries are never changed")
