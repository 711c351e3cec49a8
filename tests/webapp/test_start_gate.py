"""The first day waits for the onboarding steps the job needs, or for an exception with a reason.

Through HTTP: recording the first day while steps are missing is refused,
naming them, beside the date; the coordinator may start anyway with a reason
(required, no control characters): the timeline carries the exception and the
youth's page and the first-days page say "Startet uden: ..." until the steps
are done. The daily start never makes such an exception.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import TUESDAY, World, next_weekday, one
from tests.webapp.test_first_day import field_error
from webapp.extensions import db
from webapp.models import (
    OnboardingStepKind,
    Opening,
    OutboxMessage,
    Placement,
    TimelineEvent,
)
from webapp.ui import board_day

CONSENT, CONTRACT = "Forældresamtykke og informationsbrev", "Ansættelseskontrakt underskrevet"
STARTED_WITHOUT = "Startet uden:"
REASON = "Forældrene skriver under på mandag; arbejdsgiveren har brug for hende nu"


@pytest.fixture
def gated(world: World, app: Flask) -> World:
    """The world's job needs parental consent and the contract; Amira has neither."""
    with app.app_context():
        one(Opening, Opening.public_id == world.opening).onboarding_steps = [
            "parental_consent",
            "contract",
        ]
        db.session.commit()
    return world


def _start(client: FlaskClient, world: World, **form: str) -> tuple[int, str]:
    prefix = f"start{world.placement_id}-"
    data = {f"{prefix}on": next_weekday(TUESDAY).isoformat()}
    data.update({prefix + key: value for key, value in form.items()})
    response = client.post(
        f"/coordinator/youths/{world.youth}/placements/{world.placement_id}/start", data=data
    )
    return response.status_code, response.get_data(as_text=True)


def _status(app: Flask, world: World) -> str:
    with app.app_context():
        placement = db.session.get(Placement, world.placement_id)
        assert placement is not None
        status = placement.status
        db.session.remove()
        return status


def _rows(app: Flask) -> tuple[int, int]:
    with app.app_context():
        counts = tuple(
            db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (TimelineEvent, OutboxMessage)
        )
        db.session.remove()
        return counts  # type: ignore[return-value]


def _step_done(client: FlaskClient, world: World, code: str) -> None:
    with world.app.app_context():
        kind_id = one(OnboardingStepKind, OnboardingStepKind.code == code).id
    response = client.post(
        f"/coordinator/youths/{world.youth}/steps/{kind_id}",
        data={f"step{kind_id}-status": "done", f"step{kind_id}-note": ""},
    )
    assert response.status_code == 302


def _profile(client: FlaskClient, world: World) -> str:
    return client.get(f"/coordinator/youths/{world.youth}").get_data(as_text=True)


def _started_without_line(page: str) -> str:
    """The "Startet uden: ..." line of the page ('' when there is none)."""
    start = page.find(STARTED_WITHOUT)
    return page[start : page.find("</div>", start)] if start >= 0 else ""


def test_the_first_day_is_refused_while_steps_are_missing(gated: World, app: Flask) -> None:
    before = _rows(app)
    status, page = _start(gated.client_for("coordinator"), gated)
    assert status == 422
    error = field_error(page, f"start{gated.placement_id}-on")
    assert CONSENT in error
    assert CONTRACT in error
    assert "Start alligevel" in error
    assert _status(app, gated) == "confirmed"
    assert _rows(app) == before


def test_an_exception_needs_a_reason(gated: World, app: Flask) -> None:
    before = _rows(app)
    coordinator = gated.client_for("coordinator")
    for reason in ("", "   "):
        status, page = _start(coordinator, gated, anyway="y", reason=reason)
        assert status == 422
        assert "Skriv begrundelsen" in field_error(page, f"start{gated.placement_id}-reason")
    assert _status(app, gated) == "confirmed"
    assert _rows(app) == before


@pytest.mark.parametrize(
    "form",
    [
        {"anyway": "y", "reason": "Nu\x00"},
        {"anyway": "y", "reason": "x" * 20_000},
        {"anyway": "y", "reason": REASON, "on": "20260-01-01"},
        {"anyway": "y", "reason": REASON, "on": "9999-12-31"},
        {"anyway": "\x00", "reason": REASON + "\x1b"},
    ],
    ids=["NUL", "huge reason", "year 20260", "year 9999", "control characters"],
)
def test_hostile_exceptions_are_refused(gated: World, app: Flask, form: dict[str, str]) -> None:
    before = _rows(app)
    status, _ = _start(gated.client_for("coordinator"), gated, **form)
    assert status == 422
    assert _status(app, gated) == "confirmed"
    assert _rows(app) == before


def test_starting_anyway_is_on_the_timeline_and_shown_until_the_steps_are_done(
    gated: World, app: Flask
) -> None:
    coordinator = gated.client_for("coordinator")
    status, _ = _start(coordinator, gated, anyway="y", reason=REASON)
    assert status == 302
    assert _status(app, gated) == "started"
    with app.app_context():
        event = one(TimelineEvent, TimelineEvent.kind == "started")
        assert event.data["missing"] == ["parental_consent", "contract"]
        assert event.data["reason"] == REASON
        assert event.text == REASON
    page = _profile(coordinator, gated)
    line = _started_without_line(page)
    assert CONSENT in line
    assert CONTRACT in line
    assert REASON in page  # on the timeline
    assert "startet uden:" in page  # the timeline entry names what was missing
    first_days = coordinator.get("/coordinator/placements").get_data(as_text=True)
    assert "Startet uden trin, som jobbet kræver" in first_days
    assert CONTRACT in first_days.partition('id="started-without"')[2]

    _step_done(coordinator, gated, "parental_consent")
    line = _started_without_line(_profile(coordinator, gated))
    assert CONSENT not in line
    assert CONTRACT in line

    _step_done(coordinator, gated, "contract")
    assert STARTED_WITHOUT not in _profile(coordinator, gated)
    first_days = coordinator.get("/coordinator/placements").get_data(as_text=True)
    assert 'id="started-without"' not in first_days


def test_with_every_step_done_no_exception_is_recorded(gated: World, app: Flask) -> None:
    coordinator = gated.client_for("coordinator")
    _step_done(coordinator, gated, "parental_consent")
    _step_done(coordinator, gated, "contract")
    status, _ = _start(coordinator, gated, anyway="y", reason=REASON)
    assert status == 302
    with app.app_context():
        event = one(TimelineEvent, TimelineEvent.kind == "started")
        assert "missing" not in event.data
        assert event.text == ""
    assert STARTED_WITHOUT not in _profile(coordinator, gated)


def test_the_daily_start_leaves_a_placement_with_steps_missing_confirmed(
    gated: World, app: Flask
) -> None:
    with app.app_context():
        placement = db.session.get(Placement, gated.placement_id)
        assert placement is not None
        placement.start_date = board_day.today()
        db.session.commit()
    before = _rows(app)
    output = app.test_cli_runner().invoke(args=["start-placements"]).output
    assert "Started 0 placements." in output
    assert _status(app, gated) == "confirmed"
    assert _rows(app) == before
    coordinator = gated.client_for("coordinator")
    _step_done(coordinator, gated, "parental_consent")
    _step_done(coordinator, gated, "contract")
    output = app.test_cli_runner().invoke(args=["start-placements"]).output
    assert "Started 1 placements." in output
    assert _status(app, gated) == "started"
