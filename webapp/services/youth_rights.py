"""A youth's rights over their data: a copy of everything held, erasure, the retention period."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Youth, YouthStatus
from . import audit, seats
from .errors import InvalidStateError


def export(youth: Youth) -> dict[str, object]:
    """Everything the board holds about a youth (right of access), as plain data."""

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": youth.public_id,
        "status": youth.status,
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "birth_date": day(youth.birth_date),
        "finished_9th_grade_on": day(youth.finished_9th_grade_on),
        "contact": {"email": youth.email, "phone": youth.phone},
        "address": {"address": youth.address, "postcode": youth.postcode, "town": youth.town},
        "area": youth.area.name if youth.area else None,
        "parent": {
            "name": youth.parent_name,
            "email": youth.parent_email,
            "phone": youth.parent_phone,
        },
        "languages": list(youth.languages),
        "interests": list(youth.interests),
        "certificates": list(youth.certificates),
        "max_travel_km": youth.max_travel_km,
        "priority": youth.priority,
        "max_jobs": youth.max_jobs,
        "counsellor": youth.counsellor.name if youth.counsellor else None,
        "notes": youth.notes,
        "availability": [
            {"day": w.day_index, "start_min": w.start_min, "end_min": w.end_min}
            for w in youth.availability
        ],
        "buddies": [b.first_name for b in youth.buddies],
        "excluded_employers": [e.name for e in youth.excluded_employers],
        "preferences": [p.opening.title for p in youth.preferences],
        "onboarding": [
            {
                "step": s.kind.code,
                "status": s.status,
                "done_on": day(s.done_on),
                "helped_by": s.helped_by.name if s.helped_by else None,
                "note": s.note,
            }
            for s in youth.steps
        ],
        "placements": [
            {
                "opening": p.opening.title,
                "employer": p.opening.employer.name,
                "status": p.status,
                "start_date": day(p.start_date),
                "end_date": day(p.end_date),
                "end_reason": p.end_reason,
            }
            for p in youth.placements
        ],
        "timeline": [
            {
                "kind": e.kind,
                "code": e.code,
                "on": day(e.occurred_on),
                "by": e.actor.name if e.actor else None,
                "text": e.text,
                "data": e.data,
            }
            for e in youth.events
        ],
        "registered_at": youth.created_at.isoformat(),
    }


def erase(youth: Youth) -> None:
    """Delete an archived youth and everything about them (right to erasure).

    Raises:
        InvalidStateError: the youth is not archived (archive first).
    """
    if youth.status != YouthStatus.ARCHIVED:
        raise InvalidStateError(_("Only an archived youth can be deleted."))
    audit.record_erased(youth)
    seats.release_all_of(youth)
    db.session.delete(youth)
    db.session.commit()


def purge_archived(*, older_than: dt.datetime) -> int:
    """Delete every youth archived before `older_than` (the retention period); return how many."""
    expired = list(
        db.session.scalars(
            select(Youth).where(
                Youth.status == YouthStatus.ARCHIVED, Youth.archived_at < older_than
            )
        )
    )
    for youth in expired:
        seats.release_all_of(youth)
        db.session.delete(youth)
    db.session.commit()
    return len(expired)
