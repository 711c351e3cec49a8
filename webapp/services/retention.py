"""The retention periods, applied once a day: old personal data anonymised or deleted.

- A youth archived more than `YOUTH_RETENTION_DAYS` ago (default three years),
  or an active one with no activity for as long (no change to the profile, the
  timeline, an onboarding step or a placement, and no job running), is
  anonymised as by an erasure (`youth_rights.anonymise`): the figures of past
  periods read the same.
- A registration from the public form that nobody approved within
  `REGISTRATION_RETENTION_DAYS` (default 90) is deleted: it counts in no figure.
- A message sent (or given up) more than `OUTBOX_RETENTION_DAYS` ago (default
  90) is deleted from the outbox, with its file in a development folder; so is
  an SMS that came in as long ago.
- A youth's sign-in code past its time and a youth's session that has ended
  are deleted (`youth_login.purge_ended`): neither can sign in again.

`flask --app webapp apply-retention` runs this (from cron), and so does one
`flask worker` a day. Each youth is done in a transaction of its own: a
youth that someone else anonymised meanwhile is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, exists, func, or_, select

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    OnboardingStep,
    OutboxMessage,
    OutboxStatus,
    Placement,
    TimelineEvent,
    Youth,
    YouthStatus,
    utcnow,
)
from . import audit, youth_login, youth_messages, youth_rights
from .errors import InvalidStateError
from .sms import inbox as sms_inbox

DONE_MESSAGES = (OutboxStatus.SENT, OutboxStatus.FAILED)


@dataclass(frozen=True)
class RetentionReport:
    """What one pass did."""

    anonymised: int = 0
    registrations_deleted: int = 0
    messages_deleted: int = 0
    sign_in_codes_deleted: int = 0
    youth_sessions_deleted: int = 0


def days(setting: str) -> int:
    """A retention setting in whole days (at least 1).

    Raises:
        ValueError: the setting is not a whole number of days of at least 1.
    """
    value = current_app.config[setting]  # the defaults are in webapp/__init__.py
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or isinstance(value, bool) or str(number) != str(value).strip():
        raise ValueError(f"{setting} must be a whole number of days, 1 or more; got {value!r}")
    return number


def apply(*, now: dt.datetime | None = None) -> RetentionReport:
    """Anonymise and delete what has outlived its retention period; commit as it goes.

    Args:
        now: the moment to count from (default: now).
    """
    now = now or utcnow()
    anonymised = _anonymise_expired(now - dt.timedelta(days=days("YOUTH_RETENTION_DAYS")))
    registrations = _delete_old_registrations(
        now - dt.timedelta(days=days("REGISTRATION_RETENTION_DAYS"))
    )
    messages_before = now - dt.timedelta(days=days("OUTBOX_RETENTION_DAYS"))
    messages = _delete_old_messages(messages_before) + sms_inbox.delete_before(messages_before)
    audit.purge_expired(now=now)  # the audit trail keeps its own retention
    codes, sessions = youth_login.purge_ended(now=now)
    return RetentionReport(anonymised, registrations, messages, codes, sessions)


def expired_youths(before: dt.datetime) -> list[int]:
    """Ids of the youths due for anonymisation: archived, or idle, since before `before`."""
    idle = and_(
        Youth.status == YouthStatus.ACTIVE,
        Youth.updated_at < before,
        ~exists().where(TimelineEvent.youth_id == Youth.id, TimelineEvent.created_at >= before),
        ~exists().where(OnboardingStep.youth_id == Youth.id, OnboardingStep.updated_at >= before),
        ~exists().where(
            Placement.youth_id == Youth.id,
            or_(
                Placement.status.in_(ACTIVE_PLACEMENTS),
                Placement.created_at >= before,
                Placement.end_date >= before.date(),
            ),
        ),
    )
    archived = and_(Youth.status == YouthStatus.ARCHIVED, Youth.archived_at < before)
    return list(db.session.scalars(select(Youth.id).where(or_(archived, idle)).order_by(Youth.id)))


def _anonymise_expired(before: dt.datetime) -> int:
    done = 0
    for youth_id in expired_youths(before):
        youth = db.session.get(Youth, youth_id)
        if youth is None:
            continue
        audit.record_anonymised(youth, reason="retention")  # under the id the trail knows
        try:
            files = youth_rights.anonymise(
                youth, allowed=(YouthStatus.ARCHIVED, YouthStatus.ACTIVE)
            )
        except InvalidStateError:
            continue  # anonymised by someone else meanwhile
        db.session.commit()
        youth_messages.remove_files(files)
        done += 1
    return done


def _delete_old_registrations(before: dt.datetime) -> int:
    pending = select(Youth.id).where(
        Youth.status == YouthStatus.PENDING,
        func.coalesce(Youth.updated_at, Youth.created_at) < before,
    )
    done = 0
    for youth_id in list(db.session.scalars(pending)):
        youth = db.session.get(Youth, youth_id)
        if youth is None or youth.status != YouthStatus.PENDING:
            continue
        try:
            files = youth_rights.delete_registration(youth)
        except InvalidStateError:
            continue  # approved or deleted meanwhile
        db.session.commit()
        youth_messages.remove_files(files)
        done += 1
    return done


def _delete_old_messages(before: dt.datetime) -> int:
    old = and_(
        OutboxMessage.status.in_(DONE_MESSAGES),
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before,
    )
    ids = list(db.session.scalars(select(OutboxMessage.id).where(old)))
    files: list[Path] = youth_messages.files_of(ids)
    if ids:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    db.session.commit()
    youth_messages.remove_files(files)
    return len(ids)
