"""Notes and education milestones by counsellors and coordinators."""

from __future__ import annotations

import datetime as dt

from ..extensions import db
from ..models import EventKind, User, Youth
from . import timeline


def add_note(actor: User, youth: Youth, text: str) -> None:
    """Append a note to the youth's timeline."""
    timeline.record(youth, EventKind.NOTE, actor=actor, text=text.strip())
    db.session.commit()


def add_milestone(actor: User, youth: Youth, *, code: str, on: dt.date, text: str) -> None:
    """Record an education milestone (education plan, UPV, taster course, started education)."""
    timeline.record(
        youth, EventKind.MILESTONE, actor=actor, code=code, text=text.strip(), occurred_on=on
    )
    db.session.commit()
