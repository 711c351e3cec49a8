"""The first days page stays small: each of its lists shows a page, the rest one list at a time.

Through HTTP, on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from tests.factories import NEXT_WEEK, OpeningFactory, PlacementFactory, World
from webapp.extensions import db
from webapp.ui import board_day


def _youths(page: str) -> list[str]:
    """The youths listed, by the link to each one's onboarding."""
    return re.findall(r'href="/coordinator/youths/([\w-]+)#onboarding"', page)


def test_each_list_shows_a_page_and_the_rest_one_list_at_a_time(world: World, app: Flask) -> None:
    per_page = app.config["PAGE_SIZE"]
    upcoming, overdue = per_page + 5, 3
    with app.app_context():
        opening = OpeningFactory(positions=upcoming + overdue)
        PlacementFactory.create_batch(upcoming, opening=opening, start_date=NEXT_WEEK)
        yesterday = board_day.today() - dt.timedelta(days=1)
        PlacementFactory.create_batch(overdue, opening=opening, start_date=yesterday)
        db.session.commit()
    client = world.client_for("coordinator")
    every = client.get("/coordinator/placements").get_data(as_text=True)
    assert len(_youths(every)) == per_page + overdue  # a page of the upcoming, all 3 overdue
    assert 'href="/coordinator/placements?list=upcoming" id="all-upcoming"' in every
    assert "all-overdue" not in every
    first = client.get("/coordinator/placements?list=upcoming").get_data(as_text=True)
    second = client.get("/coordinator/placements?list=upcoming&page=2").get_data(as_text=True)
    listed = _youths(first) + _youths(second)
    assert len(listed) == len(set(listed)) == upcoming + 1  # and the world's, with no day yet
    assert 'id="overdue"' not in first
    alone = client.get("/coordinator/placements?list=overdue").get_data(as_text=True)
    assert '<h1 class="h2" id="overdue">' in alone
    assert len(_youths(alone)) == overdue
    for hostile in ("list=nosuchlist", "list=upcoming&page=-1", "list=%F0%9F%92%A9&page=x"):
        response = client.get(f"/coordinator/placements?{hostile}")
        assert response.status_code == 200, hostile
        assert len(_youths(response.get_data(as_text=True))) <= per_page + overdue
