"""A youth's rights over their data: erasure and anonymisation (the copy: `youth_copy`).

Erasing a youth (on request, once archived) and anonymising one (when the
retention period has run out, `services/retention.py`) do the same: every
personal datum goes, and what the board's figures count stays, unnamed.

Gone: the youth's name, birth date, contact, address and location, parent,
languages, interests, notes, counsellor, availability, friends, preferences,
proposals, pins and bans, sign-in codes and sessions, consent links, SMS
contacts, the outbox messages to the youth or the parent or naming the youth
(and their files), every mention in stored runs (`run_erasure`), and the
timeline's notes. Kept, under a new public id that nothing else holds: the
area, the day of registration and of archiving, the placements' openings and
days (an unfinished one is ended today, a future one deleted), the dates of
onboarding steps done, and the dates of education milestones and external
jobs: exactly what `services/statistics.py` counts, so that the figures of a
past period read the same before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Table, delete, func, insert, or_, select, update

from webapp.ui import board_day

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    EventKind,
    OnboardingStep,
    OutboxMessage,
    Placement,
    PlacementStatus,
    StepStatus,
    TimelineEvent,
    Youth,
    YouthStatus,
    new_public_id,
    utcnow,
)
from ..models.staff_sessions import StaffSession
from . import audit, run_erasure, seats, youth_messages
from .errors import InvalidStateError
from .youth_copy import export as export
from .youth_tables import about, tables_about_youth

# Rows the figures count: stripped of what names anyone, never deleted.
KEPT_TABLES = ("placement", "onboarding_step", "timeline_event")
# The youth's columns an anonymised row keeps (all others go back to their defaults).
YOUTH_KEPT = ("id", "public_id", "status", "source", "area_id", "created_at", "archived_at")
PLACEMENT_KEPT = (
    *("id", "youth_id", "opening_id", "status", "start_date", "end_date", "end_reason"),
    "created_at",
)
STEP_KEPT = ("id", "youth_id", "kind_id", "status", "done_on")
# Timeline entries the figures count (`figure_queries`): kept with their kind, code and day.
COUNTED_EVENTS = (EventKind.MILESTONE, EventKind.EXTERNAL_JOB)
# Stored instead of the birth date (the column must hold a date; no figure reads it).
NO_BIRTH_DATE = dt.date(1900, 1, 1)
BLANK = {"first_name": "", "last_name": "", "sort_name": "", "birth_date": NO_BIRTH_DATE}


def erase(youth: Youth) -> None:
    """Erase an archived youth's personal data for good (right to erasure); commit.

    What the figures count stays, unnamed (see the module's docstring).

    Raises:
        InvalidStateError: the youth is not archived (archive first), or was
            erased meanwhile (the same request twice).
    """
    if youth.status != YouthStatus.ARCHIVED:
        raise InvalidStateError(_("Only an archived youth can be deleted."))
    audit.record_erased(youth)
    files = anonymise(youth, allowed=(YouthStatus.ARCHIVED,))
    db.session.commit()
    youth_messages.remove_files(files)


def anonymise(youth: Youth, *, allowed: Iterable[str]) -> list[Path]:
    """Strip the youth of every personal datum, keeping what the figures count; no commit.

    Args:
        youth: the youth.
        allowed: the statuses the youth may be in (checked in the same UPDATE
            that marks the youth anonymised, so that two at once do it once).

    Returns:
        The outbox files of the deleted messages, for the caller to remove
        once the transaction is committed.

    Raises:
        InvalidStateError: the youth is no longer in an allowed status.
    """
    youth_id, public_id = youth.id, youth.public_id
    names = [n.strip() for n in (youth.first_name, youth.last_name) if len(n.strip()) > 1]
    claimed = db.session.execute(
        update(Youth)
        .where(Youth.id == youth_id, Youth.status.in_(tuple(allowed)))
        .values(status=YouthStatus.ANONYMISED, public_id=new_public_id())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise InvalidStateError(_("This youth's data has already been deleted."))
    seats.release_all_of(youth)
    files = _forget_messages(youth)
    run_erasure.forget(public_id)
    _forget_searches(names)
    for table, columns in tables_about_youth():
        if table.name not in KEPT_TABLES:
            db.session.execute(delete(table).where(about(columns, youth_id)))
    _keep_counted_placements(youth_id)
    _keep_done_steps(youth_id)
    _keep_counted_events(youth_id)
    db.session.execute(
        update(Youth)
        .where(Youth.id == youth_id)
        .values(_blank(Youth.__table__, YOUTH_KEPT, BLANK))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return files


def delete_registration(youth: Youth) -> list[Path]:
    """Delete a registration that was never approved, with its messages; no commit.

    A pending registration counts in no figure, so nothing of it is kept.

    Returns:
        The outbox files to remove once the transaction is committed.

    Raises:
        InvalidStateError: the registration was approved or deleted meanwhile.
    """
    youth_id = youth.id
    files = _forget_messages(youth)
    run_erasure.forget(youth.public_id)
    for table, columns in tables_about_youth():
        db.session.execute(delete(table).where(about(columns, youth_id)))
    gone = db.session.execute(
        delete(Youth)
        .where(Youth.id == youth_id, Youth.status == YouthStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise InvalidStateError(_("This registration has already been handled."))
    db.session.expire_all()
    return files


def _forget_messages(youth: Youth) -> list[Path]:
    """Delete the outbox messages about the youth; return their files."""
    ids = [m.id for m in youth_messages.messages_about(youth)]
    if ids:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return youth_messages.files_of(ids)


def _forget_searches(names: list[str]) -> None:
    """Clear the staff sessions' youth searches that hold one of the youth's names."""
    if names:
        term = func.lower(StaffSession.youth_search)
        db.session.execute(
            update(StaffSession)
            .where(or_(*(term.contains(n.lower(), autoescape=True) for n in names)))
            .values(youth_search="")
            .execution_options(synchronize_session=False)
        )


def _keep_counted_placements(youth_id: int) -> None:
    """Delete placements not begun; end the running ones today; blank what names anyone."""
    today = board_day.today()
    running = Placement.status.in_(ACTIVE_PLACEMENTS)
    db.session.execute(
        delete(Placement).where(
            Placement.youth_id == youth_id,
            running,
            or_(Placement.start_date.is_(None), Placement.start_date > today),
        )
    )
    db.session.execute(
        update(Placement)
        .where(Placement.youth_id == youth_id, running)
        .values(status=PlacementStatus.ENDED, end_date=today)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Placement)
        .where(Placement.youth_id == youth_id)
        .values(_blank(Placement.__table__, PLACEMENT_KEPT))
        .execution_options(synchronize_session=False)
    )


def _keep_done_steps(youth_id: int) -> None:
    """Keep the steps done (kind and day), without note or helper; delete the others."""
    mine = OnboardingStep.youth_id == youth_id
    db.session.execute(
        delete(OnboardingStep).where(mine, OnboardingStep.status != StepStatus.DONE)
    )
    db.session.execute(
        update(OnboardingStep)
        .where(mine)
        .values(_blank(OnboardingStep.__table__, STEP_KEPT))
        .execution_options(synchronize_session=False)
    )


def _keep_counted_events(youth_id: int) -> None:
    """Replace the timeline by bare copies of the entries the figures count (kind, code, day).

    Timeline entries are never edited: the old ones are deleted, the copies appended.
    """
    mine = TimelineEvent.youth_id == youth_id
    counted = db.session.execute(
        select(TimelineEvent.kind, TimelineEvent.code, TimelineEvent.occurred_on)
        .where(mine, TimelineEvent.kind.in_(COUNTED_EVENTS))
        .order_by(TimelineEvent.id)
    ).all()
    db.session.execute(delete(TimelineEvent).where(mine))
    if counted:
        now = utcnow()
        db.session.execute(
            insert(TimelineEvent),
            [
                {
                    "youth_id": youth_id,
                    "kind": kind,
                    "code": code,
                    "occurred_on": on,
                    "text": "",
                    "data": {},
                    "created_at": now,
                }
                for kind, code, on in counted
            ],
        )


def _blank(
    table: Table, kept: Iterable[str], overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Every column of `table` but `kept` set to its default (or None, or `overrides`)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name in kept:
            continue
        if overrides and column.name in overrides:
            values[column.name] = overrides[column.name]
        elif column.default is not None and column.default.is_scalar:  # type: ignore[attr-defined]
            values[column.name] = column.default.arg  # type: ignore[attr-defined]
        elif column.default is not None and column.default.is_callable:  # type: ignore[attr-defined]
            values[column.name] = column.default.arg(None)  # type: ignore[attr-defined]
        elif column.nullable:
            values[column.name] = None
        else:
            raise ValueError(f"{table.name}.{column.name}: no blank value to anonymise with")
    return values
