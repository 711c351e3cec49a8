"""The dashboard's figures are worked out at most once a `DASHBOARD_FRESH_SECONDS` per period,
area and language, and the page says from when they are. Through HTTP, on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World, YouthFactory, signed_in
from webapp.extensions import cache, db

MADE = "Tallene er fra kl."


def _registered(client: FlaskClient, query: str = "") -> str:
    """The dashboard's count of registered youths, as the card shows it."""
    response = client.get(f"/coordinator/dashboard{query}")
    assert response.status_code == 200
    found = re.search(
        r'data-figure="registered"><div class="card-body">\s*'
        r'<div class="fs-3 fw-semibold figure-value">([^<]*)</div>',
        response.get_data(as_text=True),
    )
    assert found, "no card of registered youths"
    return found.group(1)


def _register_one(app: Flask) -> None:
    with app.app_context():
        YouthFactory.create()
        db.session.commit()


def test_the_figures_are_kept_a_minute_and_say_from_when(
    world: World, make_app: Callable[..., Flask]
) -> None:
    app = make_app(DASHBOARD_FRESH_SECONDS=60)
    with app.app_context():
        cache.clear()
    client = signed_in(app, world.coordinator)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        before = _registered(client)
        _register_one(app)
        assert _registered(client) == before  # the kept figures
        page = html.unescape(client.get("/coordinator/dashboard").get_data(as_text=True))
        assert MADE in page
        assert "60 sekunder gamle" in page
        # Another period is worked out on its own.
        earlier = start.date() - dt.timedelta(days=400)
        other = f"?from={earlier.isoformat()}&to={start.date().isoformat()}&area="
        assert int(_registered(client, other)) == int(before) + 1
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert int(_registered(client)) == int(before) + 1


def test_with_no_keeping_every_view_works_the_figures_out(world: World, app: Flask) -> None:
    client = world.client_for("coordinator")
    before = _registered(client)
    _register_one(app)
    assert int(_registered(client)) == int(before) + 1
    page = html.unescape(client.get("/coordinator/dashboard").get_data(as_text=True))
    assert MADE not in page
