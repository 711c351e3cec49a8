"""A run page's unplaced youths are worded once for everyone who looks (`RUN_PAGE_FRESH_SECONDS`)
and made again at once when a youth of the run is erased; a new name shows after the minute.
Through HTTP, on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterator

import pytest
import time_machine
from flask import Flask
from sqlalchemy import update

from tests.factories import NEXT_WEEK, World, signed_in
from tests.webapp.queue_support import wait_for
from webapp.extensions import cache, db
from webapp.models import MatchRun, Youth
from webapp.services import run_page, runs

EMIL = "Emil Jensen"
FARTHER = "ved at rejse 8,7 km i stedet for 1 km"


@pytest.fixture
def cached(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The board with the run page's part kept a minute, its cache empty."""
    app = make_app(RUN_PAGE_FRESH_SECONDS=60)
    with app.app_context():
        cache.clear()
    yield app
    with app.app_context():
        cache.clear()


@pytest.fixture
def worded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The runs whose unplaced youths were worded, one entry a time."""
    calls: list[str] = []
    first_unplaced = run_page.first_unplaced

    def counted(run: MatchRun) -> run_page.Unplaced:
        calls.append(run.public_id)
        return first_unplaced(run)

    monkeypatch.setattr(run_page, "first_unplaced", counted)
    return calls


def _far_run(world: World, app: Flask) -> str:
    """A finished run that leaves Emil unplaced (every job too far): its public id."""
    with app.test_request_context():
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK))
        assert run.status == "done", run.error
        return run.public_id


def _rename_emil(app: Flask, world: World) -> None:
    with app.app_context():
        db.session.execute(
            update(Youth).where(Youth.public_id == world.other_youth).values(first_name="Emilio")
        )
        db.session.commit()


def _run_page(app: Flask, world: World, run_id: str) -> str:
    response = signed_in(app, world.coordinator).get(f"/coordinator/runs/{run_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_unplaced_youths_are_worded_once_for_every_view(
    far_world: World, app: Flask, cached: Flask, worded: list[str]
) -> None:
    run_id = _far_run(far_world, app)
    pages = [_run_page(cached, far_world, run_id) for _ in range(3)]
    assert worded == [run_id]
    for page in pages:
        assert EMIL in page
        assert FARTHER in page
        assert "1 ikke placeret" in page  # the summary counts them on every view


@pytest.mark.parametrize(
    ("later", "first_view"),
    [
        # Within the second minute the first view still shows the kept part and has it
        # made anew behind it; the views after show the new name.
        (61, EMIL),
        (121, "Emilio Jensen"),  # too old to show: made in the view
    ],
)
def test_a_new_name_shows_when_the_minute_is_over(
    far_world: World, app: Flask, cached: Flask, worded: list[str], later: int, first_view: str
) -> None:
    run_id = _far_run(far_world, app)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        assert EMIL in _run_page(cached, far_world, run_id)
        _rename_emil(app, far_world)
        assert EMIL in _run_page(cached, far_world, run_id)  # kept
        clock.shift(dt.timedelta(seconds=later))
        assert first_view in _run_page(cached, far_world, run_id)
        wait_for(lambda: "Emilio Jensen" in _run_page(cached, far_world, run_id), "the new name")
    assert worded == [run_id, run_id]


def test_an_erased_youth_leaves_the_kept_part_at_once(
    far_world: World, app: Flask, cached: Flask, worded: list[str]
) -> None:
    run_id = _far_run(far_world, app)
    assert EMIL in _run_page(cached, far_world, run_id)
    coordinator = signed_in(cached, far_world.coordinator)
    youth = far_world.other_youth
    assert coordinator.post(f"/coordinator/youths/{youth}/archive").status_code == 302
    assert coordinator.post(f"/coordinator/youths/{youth}/erase").status_code == 302
    page = _run_page(cached, far_world, run_id)
    assert "Emil" not in page
    assert "Jensen" not in page
    assert len(worded) == 2


def test_another_language_is_worded_on_its_own(
    far_world: World, app: Flask, cached: Flask, worded: list[str]
) -> None:
    run_id = _far_run(far_world, app)
    danish = _run_page(cached, far_world, run_id)
    coordinator = signed_in(cached, far_world.coordinator)
    assert coordinator.post("/language", data={"lang": "en"}).status_code in (302, 303)
    english = html.unescape(coordinator.get(f"/coordinator/runs/{run_id}").get_data(as_text=True))
    assert "Ikke placeret, og hvorfor" in danish
    assert "Not placed, and why" in english
    assert len(worded) == 2
