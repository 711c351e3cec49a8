"""Merging a pending registration into the youth it duplicates: one youth, one transaction.

The youth kept is the one already known (active, archived, or the older
registration); the new registration fills its empty fields, adds the openings
it ranked after the kept ones, its languages and job interests, and its time
slots when the kept youth has none; then it is deleted. The kept youth's
timeline records the merge (an "updated" entry naming the fields it filled and
the registration's public id, never a value).

Both rows are held (a conditional UPDATE, lower id first, so that two merges
the other way round cannot deadlock) before anything is read, and the
registration only while it is still pending: of two identical requests, one
merges and the other finds the registration gone and the merge on the kept
youth's timeline, and is told calmly that it is done.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..extensions import db
from ..models import (
    AuditAction,
    AvailabilityWindow,
    EventKind,
    TimelineEvent,
    User,
    Youth,
    YouthPreference,
    YouthStatus,
)
from . import audit, timeline
from .errors import AlreadyDoneError, InvalidStateError

# Fields a registration fills when the kept youth has them empty, with what comes along.
TEXT_FIELDS = (
    "last_name",
    "email",
    "phone",
    "address",
    "parent_name",
    "parent_email",
    "parent_phone",
)
LIST_FIELDS = ("languages", "interests", "certificates")


def merge_registration(actor: User, registration_id: str, into_id: str) -> Youth:
    """Merge the pending registration `registration_id` into the youth `into_id` (public ids).

    Returns:
        The youth kept.

    Raises:
        AlreadyDoneError: the registration was merged into that youth already.
        InvalidStateError: the two are the same, the registration is gone or no
            longer pending, or the youth to keep no longer exists.
    """
    if registration_id == into_id:
        raise InvalidStateError(_("A registration cannot be merged into itself."))
    ids = dict(
        db.session.execute(
            select(Youth.public_id, Youth.id).where(
                Youth.public_id.in_([registration_id, into_id])
            )
        ).all()
    )
    db.session.rollback()  # the rows are read again once held
    if into_id not in ids:
        raise InvalidStateError(_("The youth to merge into no longer exists."))
    if registration_id not in ids or not _hold(ids[registration_id], ids[into_id]):
        _refuse_gone(registration_id, into_id)
    registration = db.session.get(Youth, ids[registration_id])
    kept = db.session.get(Youth, ids[into_id])
    if registration is None or kept is None:  # deleted between the read and the hold
        db.session.rollback()
        raise InvalidStateError(_("The youth to merge into no longer exists."))
    if registration.placements:
        db.session.rollback()
        raise InvalidStateError(_("This registration holds jobs: it cannot be merged."))
    filled = _fill(kept, registration)
    added = _add_preferences(kept, registration)
    if added:
        filled.append("preferences")
    if not kept.availability and registration.availability:
        kept.availability = [
            AvailabilityWindow(day_index=w.day_index, start_min=w.start_min, end_min=w.end_min)
            for w in registration.availability
        ]
        filled.append("availability")
    timeline.record(
        kept,
        EventKind.UPDATED,
        actor=actor,
        text=_("Merged with a registration from the public board."),
        data={"fields": filled, "merged_registration": registration_id, "openings": added},
    )
    audit.record(
        AuditAction.YOUTH_ERASED, actor=actor, youth=registration, detail={"reason": "merged"}
    )
    db.session.delete(registration)
    db.session.commit()
    return kept


def _hold(registration: int, kept: int) -> bool:
    """Hold both rows, the lower id first; False when the registration is no longer pending."""
    held = True
    for youth_id in sorted((registration, kept)):
        query = update(Youth).where(Youth.id == youth_id)
        if youth_id == registration:
            query = query.where(Youth.status == YouthStatus.PENDING)
        result = db.session.execute(
            query.values(updated_at=Youth.updated_at).execution_options(synchronize_session=False)
        )
        held = held and (youth_id != registration or result.rowcount == 1)  # type: ignore[attr-defined]
    db.session.expire_all()
    return held


def _refuse_gone(registration_id: str, into_id: str) -> None:
    """The registration is gone or not pending: done already if merged into `into_id`."""
    db.session.rollback()
    merged = db.session.scalars(
        select(TimelineEvent.data)
        .join(Youth, TimelineEvent.youth_id == Youth.id)
        .where(Youth.public_id == into_id, TimelineEvent.kind == EventKind.UPDATED)
    )
    if any(data.get("merged_registration") == registration_id for data in merged):
        raise AlreadyDoneError(_("The registration is merged already."))
    still_there = db.session.scalar(select(Youth.id).where(Youth.public_id == registration_id))
    if still_there is not None:
        raise InvalidStateError(_("Only a new registration can be merged into another youth."))
    raise InvalidStateError(_("This registration has already been handled."))


def _fill(kept: Youth, registration: Youth) -> list[str]:
    """Fill the kept youth's empty fields from the registration; the names of those filled."""
    filled = []
    for name in TEXT_FIELDS:
        value = getattr(registration, name).strip()
        if value and not getattr(kept, name).strip():
            setattr(kept, name, value)
            filled.append(name)
    if registration.postcode and not kept.postcode:
        kept.postcode, kept.town = registration.postcode, registration.town
        kept.lat, kept.lon = registration.lat, registration.lon
        filled.append("postcode")
    for name in ("finished_9th_grade_on", "area_id", "max_travel_km", "interested_opening_id"):
        if getattr(kept, name) is None and getattr(registration, name) is not None:
            setattr(kept, name, getattr(registration, name))
            filled.append(name)
    for name in LIST_FIELDS:
        mine = list(getattr(kept, name) or [])
        more = [v for v in getattr(registration, name) or [] if v not in mine]
        if more:
            setattr(kept, name, [*mine, *more])
            filled.append(name)
    return filled


def _add_preferences(kept: Youth, registration: Youth) -> list[str]:
    """Rank the registration's openings after the kept youth's, in its order, each once."""
    have = {p.opening_id for p in kept.preferences}
    rank = max((p.rank for p in kept.preferences), default=0)
    added = []
    for preference in registration.preferences:
        if preference.opening_id in have:
            continue
        rank += 1
        have.add(preference.opening_id)
        kept.preferences.append(YouthPreference(opening_id=preference.opening_id, rank=rank))
        added.append(preference.opening.public_id)
    return added
