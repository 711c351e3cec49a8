"""The right of access: a copy of everything the board holds about one youth, as plain data.

The coordinator's page to print (`coordinator/youth_access.html`) and the JSON
file show the same dictionary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Opening, PairRule, Proposal, Youth
from . import youth_messages
from .audit import ACTION_LABELS
from .youth_tables import about, tables_about_youth


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(youth: Youth) -> dict[str, object]:
    """Everything the board holds about a youth (right of access), as plain data.

    The profile, onboarding, placements, timeline, the proposals made for the
    youth, the coordinators' pins and bans, every message sent (or waiting)
    to the youth or a parent or naming the youth, the audit trail's entries
    about the youth, and any other stored row about the youth (`stored`:
    sign-in codes, consent links, SMS contacts, ...).
    """
    return {
        **_profile(youth),
        "onboarding": [
            {
                "step": s.kind.code,
                "status": s.status,
                "done_on": _day(s.done_on),
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
                "start_date": _day(p.start_date),
                "end_date": _day(p.end_date),
                "end_reason": p.end_reason,
                "employer_feedback": p.employer_feedback,
            }
            for p in youth.placements
        ],
        "timeline": [
            {
                "kind": e.kind,
                "code": e.code,
                "on": _day(e.occurred_on),
                "by": e.actor.name if e.actor else None,
                "text": e.text,
                "data": e.data,
            }
            for e in youth.events
        ],
        "proposals": _proposals(youth),
        "pins_and_bans": [
            {"opening": title, "rule": rule.rule, "reason": rule.reason}
            for rule, title in db.session.execute(
                select(PairRule, Opening.title)
                .join(Opening, Opening.id == PairRule.opening_id)
                .where(PairRule.youth_id == youth.id)
                .order_by(PairRule.id)
            )
        ],
        "messages": [
            {
                "channel": m.channel,
                "to": m.recipient,
                "subject": m.subject,
                "kind": m.template,
                "status": m.status,
                "written_at": _moment(m.created_at),
                "sent_at": _moment(m.sent_at),
                "text": m.body_text,
            }
            for m in youth_messages.messages_about(youth)
        ],
        "access_log": [
            {
                "at": _moment(e.at),
                "role": e.actor_role,
                "action": e.action,
                "what": str(ACTION_LABELS.get(e.action, e.action)),
                "detail": e.detail,
            }
            for e in db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.youth_public_id == youth.public_id)
                .order_by(AuditEntry.id)
            )
        ],
        "stored": _other_rows(youth),
    }


def _profile(youth: Youth) -> dict[str, object]:
    return {
        "id": youth.public_id,
        "status": youth.status,
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "birth_date": _day(youth.birth_date),
        "finished_9th_grade_on": _day(youth.finished_9th_grade_on),
        "contact": {"email": youth.email, "phone": youth.phone},
        "address": {"address": youth.address, "postcode": youth.postcode, "town": youth.town},
        "location": {"lat": youth.lat, "lon": youth.lon} if youth.lat is not None else None,
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
        "registered_at": youth.created_at.isoformat(),
        "archived_at": _moment(youth.archived_at),
    }


def _proposals(youth: Youth) -> list[dict[str, object]]:
    found = db.session.scalars(
        select(Proposal).where(Proposal.youth_id == youth.id).order_by(Proposal.id)
    )
    return [
        {
            "opening": p.opening.title,
            "employer": p.opening.employer.name,
            "status": p.status,
            "score": p.score,
            "reasons": p.reasons,
            "missing_onboarding": list(p.missing_onboarding),
            "decline_reason": p.decline_reason,
            "proposed_at": _moment(p.created_at),
            "decided_at": _moment(p.decided_at),
        }
        for p in found
    ]


# Tables the export shows in sections of their own (or that hold no one's data).
EXPORTED = ("availability_window", "youth_preference", "youth_buddy", "youth_excluded_employer")
SECRET_ENDINGS = ("_digest", "_hash")  # stored fingerprints of codes: nothing a person can read


def _other_rows(youth: Youth) -> dict[str, list[dict[str, Any]]]:
    """Rows of the other tables about the youth, column by column (secrets left out)."""
    shown = {*EXPORTED, "placement", "onboarding_step", "timeline_event", "proposal", "pair_rule"}
    rows: dict[str, list[dict[str, Any]]] = {}
    for table, columns in tables_about_youth():
        if table.name in shown:
            continue
        found = db.session.execute(select(table).where(about(columns, youth.id))).mappings()
        values = [
            {k: _plain(v) for k, v in row.items() if not k.endswith(SECRET_ENDINGS)}
            for row in found
        ]
        if values:
            rows[table.name] = values
    return rows


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
