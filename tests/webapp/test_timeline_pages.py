"""A youth's timeline on the profile is one page of its newest events: a youth followed for
years keeps a page of bounded size, and the older events are a page further on."""

from __future__ import annotations

import re

from flask import Flask

from tests.factories import World, one
from webapp.extensions import db
from webapp.models import EventKind, Youth
from webapp.services import timeline
from webapp.services.timeline import EVENTS_PER_PAGE

NOTES = 2 * EVENTS_PER_PAGE + 3


def _with_notes(world: World, app: Flask) -> str:
    """The world's youth with `NOTES` numbered notes more on the timeline; its public id."""
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        author = world.user("coordinator")
        for n in range(NOTES):
            timeline.record(youth, EventKind.NOTE, actor=author, text=f"note number {n:03d}")
        db.session.commit()
        return youth.public_id


def _notes(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"note number (\d{3})", page)]


def test_the_profile_shows_the_newest_events_and_pages_to_the_oldest(
    world: World, app: Flask
) -> None:
    public_id = _with_notes(world, app)
    client = world.client_for("coordinator")
    first = client.get(f"/coordinator/youths/{public_id}").get_data(as_text=True)
    assert _notes(first) == list(range(NOTES - 1, NOTES - 1 - EVENTS_PER_PAGE, -1))
    assert f"/coordinator/youths/{public_id}?page=2#timeline" in first
    shown: list[int] = []
    for page in (1, 2, 3, 4):
        answer = client.get(f"/coordinator/youths/{public_id}?page={page}")
        assert answer.status_code == 200
        shown += [n for n in _notes(answer.get_data(as_text=True)) if n not in shown]
    assert sorted(shown) == list(range(NOTES))  # every note on some page, the last page kept


def test_the_counsellor_pages_through_the_timeline_too(world: World, app: Flask) -> None:
    public_id = _with_notes(world, app)
    client = world.client_for("counsellor")
    first = client.get(f"/counsellor/youths/{public_id}")
    assert first.status_code == 200
    assert len(_notes(first.get_data(as_text=True))) == EVENTS_PER_PAGE
    last = client.get(f"/counsellor/youths/{public_id}?page=99").get_data(as_text=True)
    assert 0 in _notes(last)
