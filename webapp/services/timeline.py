"""A youth's timeline: every change that matters, appended, never edited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..extensions import db
from ..models import EventKind, TimelineEvent, User, Youth
from . import audit
from .paging import Page, page_of

EVENTS_PER_PAGE = 25  # of a youth's timeline on the profile; the older ones a page at a time


def record(
    youth: Youth,
    kind: EventKind,
    *,
    actor: User | None,
    code: str = "",
    text: str = "",
    data: dict[str, Any] | None = None,
    occurred_on: dt.date | None = None,
) -> TimelineEvent:
    """Append an event to `youth`'s timeline in the caller's transaction."""
    event = TimelineEvent(
        youth=youth,
        kind=kind,
        code=code,
        text=text,
        data=data or {},
        actor=actor,
    )
    if occurred_on is not None:
        event.occurred_on = occurred_on
    db.session.add(event)
    audit.record_event(youth, kind, actor=actor, data=data)
    return event


def events_for(youth: Youth, *, page: int = 1) -> Page[TimelineEvent]:
    """Page `page` of the youth's timeline, newest first, `EVENTS_PER_PAGE` a page: its
    events as loaded with the youth (with their actors, by `services.youths.PROFILE`),
    which `youths.birth_date_estimated` reads too. A youth followed for years has hundreds."""
    events = sorted(youth.events, key=lambda e: (e.occurred_on, e.id), reverse=True)
    return page_of(events, page=page, per_page=EVENTS_PER_PAGE)
