"""The dashboard's figures are worked out at most once a `DASHBOARD_FRESH_SECONDS` per period,
area and language, and the page says from when they are; older ones are shown a while more
while one thread works them out anew. Through HTTP, on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World, YouthFactory, signed_in
from tests.webapp.queue_support import WAIT_S, wait_for
from webapp.dashboard import views as dashboard_views
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


def _keeping(make_app: Callable[..., Flask]) -> Flask:
    """The board keeping the figures a minute, its cache empty."""
    app = make_app(DASHBOARD_FRESH_SECONDS=60)
    with app.app_context():
        cache.clear()
    return app


def _register_one(app: Flask) -> None:
    with app.app_context():
        YouthFactory.create()
        db.session.commit()


def test_the_figures_are_kept_a_minute_and_say_from_when(
    world: World, make_app: Callable[..., Flask]
) -> None:
    app = _keeping(make_app)
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
        # Kept a minute more while they are worked out anew behind the view.
        assert _registered(client) == before
        wait_for(lambda: int(_registered(client)) == int(before) + 1, "the new figures")
    with time_machine.travel(start + dt.timedelta(seconds=200), tick=False):
        _register_one(app)
        assert int(_registered(client)) == int(before) + 2  # too old to show: made in the view


def test_the_figures_are_worked_out_anew_by_one_view_at_a_time(
    world: World, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _keeping(make_app)
    made: list[str] = []
    release = threading.Event()
    report_html = dashboard_views._report_html

    def slow(period: Any, area_id: Any) -> str:
        made.append(threading.current_thread().name)
        if len(made) > 1:
            release.wait(WAIT_S)
        return report_html(period, area_id)

    monkeypatch.setattr(dashboard_views, "_report_html", slow)
    client = signed_in(app, world.coordinator)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        before = _registered(client)
    _register_one(app)
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        # While one thread works them out, every view shows the kept figures at once.
        assert [_registered(client) for _ in range(5)] == [before] * 5
        wait_for(lambda: len(made) == 2, "the thread that works them out")
        assert made[1].startswith("page-part dashboard:")
        release.set()
        wait_for(lambda: int(_registered(client)) == int(before) + 1, "the new figures")
    assert len(made) == 2


def test_with_no_keeping_every_view_works_the_figures_out(world: World, app: Flask) -> None:
    client = world.client_for("coordinator")
    before = _registered(client)
    _register_one(app)
    assert int(_registered(client)) == int(before) + 1
    page = html.unescape(client.get("/coordinator/dashboard").get_data(as_text=True))
    assert MADE not in page


def test_a_rebuild_that_fails_keeps_the_old_figures_and_is_tried_again(
    world: World, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _keeping(make_app)
    tries: list[str] = []
    report_html = dashboard_views._report_html

    def failing(period: Any, area_id: Any) -> str:
        tries.append(threading.current_thread().name)
        if len(tries) > 1:
            raise RuntimeError("the database went away")
        return report_html(period, area_id)

    monkeypatch.setattr(dashboard_views, "_report_html", failing)
    client = signed_in(app, world.coordinator)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        before = _registered(client)
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        assert _registered(client) == before  # the kept figures, the rebuild fails behind it
        wait_for(lambda: len(tries) == 2, "the failed rebuild")
        # Once it has failed, a later view tries again, still showing the kept figures.
        wait_for(lambda: _registered(client) == before and len(tries) >= 3, "a second try")
