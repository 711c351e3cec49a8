"""A first day is today or later, on one of the opening's shift days, on every path.

Through HTTP: the employer's accept, a placement by hand with a planned first
day and the coordinator recording the first day refuse a day in the past or
off the job's shifts beside the date field (422), naming the shift days; the
forms propose the next shift day; the list of first days coming up never
shows a day that has passed as coming.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import (
    TUESDAY,
    PlacementFactory,
    World,
    YouthFactory,
    next_weekday,
    one,
    solved_run,
)
from webapp.extensions import db
from webapp.models import (
    Opening,
    OutboxMessage,
    Placement,
    Proposal,
    StepStatus,
    TimelineEvent,
    Youth,
)
from webapp.services import onboarding
from webapp.ui import board_day

SATURDAY = 5
SATURDAYS_ONLY = "Jobbet har vagter om lørdagen: vælg en lørdag fra i dag"
IN_THE_PAST = "Den første dag kan ikke ligge i fortiden."


def field_error(page: str, field_id: str) -> str:
    """The error text shown beside the field with this id ('' when there is none)."""
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return html.unescape(found.group(1)) if found else ""


def field_value(page: str, field_id: str) -> str:
    """The value of the input with this id."""
    tag = re.search(rf'<input[^>]*\sid="{re.escape(field_id)}"[^>]*>', page)
    assert tag is not None, field_id
    value = re.search(r'\svalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def _rows(app: Flask) -> tuple[int, ...]:
    """Placements, started placements, outbox messages and timeline entries."""
    with app.app_context():
        counts = (
            db.session.scalar(select(func.count()).select_from(Placement)),
            db.session.scalar(
                select(func.count()).select_from(Placement).where(Placement.status == "started")
            ),
            db.session.scalar(select(func.count()).select_from(OutboxMessage)),
            db.session.scalar(select(func.count()).select_from(TimelineEvent)),
        )
        db.session.remove()
        return tuple(c or 0 for c in counts)


def _saturdays_only(app: Flask, public_id: str, *, youth: str | None = None) -> None:
    """The opening's one shift moves to Saturday (and the youth, if given, is free then)."""
    with app.app_context():
        opening = one(Opening, Opening.public_id == public_id)
        opening.shifts[0].day_index = SATURDAY
        if youth is not None:
            one(Youth, Youth.public_id == youth).availability[0].day_index = SATURDAY
        db.session.commit()


def all_steps_done(world: World, youth: str) -> None:
    """Every onboarding step of the youth is done."""
    with world.app.app_context():
        found = one(Youth, Youth.public_id == youth)
        for kind in onboarding.step_kinds():
            onboarding.update_step(
                world.user("coordinator"),
                found,
                kind,
                status=StepStatus.DONE,
                done_on=None,
                note="",
            )


# -- the employer's accept ------------------------------------------------------------


def _accept(world: World, proposal: str, day: str) -> tuple[int, str]:
    response = world.client_for("employer").post(
        f"/employer/proposals/{proposal}/accept", data={"accept-start_date": day}
    )
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "day",
    ["2020-01-01", (board_day.today() - dt.timedelta(days=1)).isoformat()],
    ids=["2020-01-01", "yesterday"],
)
def test_accept_refuses_a_day_in_the_past_beside_the_field(
    world: World, app: Flask, day: str
) -> None:
    _, proposal = solved_run(world)
    before = _rows(app)
    status, page = _accept(world, proposal, day)
    assert status == 422
    error = field_error(page, "accept-start_date")
    assert IN_THE_PAST in error
    assert "om tirsdagen" in error
    assert "vælg en tirsdag fra i dag" in error
    assert _rows(app) == before
    with app.app_context():
        assert one(Proposal, Proposal.public_id == proposal).status == "sent"


def test_accept_proposes_the_next_shift_day_from_the_run_start(world: World, app: Flask) -> None:
    """The run starts next week: the form proposes the first Saturday from then, not the start."""
    _, proposal = solved_run(world)
    _saturdays_only(app, world.opening)
    with app.app_context():
        run_start = one(Proposal, Proposal.public_id == proposal).run.start_date
    assert run_start is not None
    page = world.client_for("employer").get(f"/employer/proposals/{proposal}")
    value = field_value(page.get_data(as_text=True), "accept-start_date")
    assert value == next_weekday(SATURDAY, on_or_after=run_start).isoformat()
    assert dt.date.fromisoformat(value).weekday() == SATURDAY


def test_accept_on_a_shift_day_places_the_youth(world: World, app: Flask) -> None:
    _, proposal = solved_run(world)
    day = next_weekday(TUESDAY)
    status, _ = _accept(world, proposal, day.isoformat())
    assert status == 302
    with app.app_context():
        placement = one(Placement, Placement.start_date == day)
        assert placement.status == "confirmed"


@pytest.mark.parametrize(
    "weekday", [TUESDAY, SATURDAY], ids=["a Tuesday", "a Saturday the youth is busy"]
)
def test_a_saturday_only_job_refuses_accept_beside_the_date(
    world: World, app: Flask, weekday: int
) -> None:
    """A Tuesday: the shift days are named. A Saturday: the guard's refusal, beside the day too."""
    _, proposal = solved_run(world)
    _saturdays_only(app, world.opening)
    before = _rows(app)
    status, page = _accept(world, proposal, next_weekday(weekday).isoformat())
    assert status == 422
    error = field_error(page, "accept-start_date")
    assert error
    assert (SATURDAYS_ONLY in error) == (weekday == TUESDAY)
    assert _rows(app) == before


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2999-01-01", "Vælg en dato mellem 1900 og 2100."),
        ("20260-01-01", "Ikke en gyldig dato."),
        ("2099-12-29", "Vælg en første dag inden for et år fra i dag."),
        ("2026-01-01\x00", "Ikke en gyldig dato."),
    ],
    ids=["year 2999", "year 20260", "too far ahead", "NUL"],
)
def test_accept_refuses_impossible_days(world: World, app: Flask, day: str, message: str) -> None:
    _, proposal = solved_run(world)
    before = _rows(app)
    status, page = _accept(world, proposal, day)
    assert status == 422
    assert message in field_error(page, "accept-start_date")
    assert _rows(app) == before


# -- the coordinator: a placement by hand, the first day ---------------------------------


def _place(world: World, day: str) -> tuple[int, str]:
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{world.other_youth}/placements",
        data={"opening": world.opening, "start_date": day},
    )
    return response.status_code, response.get_data(as_text=True)


def test_a_placement_by_hand_refuses_a_past_or_off_shift_first_day(
    world: World, app: Flask
) -> None:
    before = _rows(app)
    status, page = _place(world, (board_day.today() - dt.timedelta(days=1)).isoformat())
    assert (status, _rows(app)) == (422, before)
    assert IN_THE_PAST in field_error(page, "start_date")
    _saturdays_only(app, world.opening)
    status, page = _place(world, next_weekday(TUESDAY).isoformat())
    assert (status, _rows(app)) == (422, before)
    assert SATURDAYS_ONLY in field_error(page, "start_date")


def test_a_placement_by_hand_on_a_shift_day_is_made(world: World, app: Flask) -> None:
    day = next_weekday(TUESDAY)
    status, _ = _place(world, day.isoformat())
    assert status == 302
    with app.app_context():
        assert one(Placement, Placement.start_date == day).youth.public_id == world.other_youth


def _start(client: FlaskClient, world: World, **form: str) -> tuple[int, str]:
    prefix = f"start{world.placement_id}-"
    response = client.post(
        f"/coordinator/youths/{world.youth}/placements/{world.placement_id}/start",
        data={prefix + key: value for key, value in form.items()},
    )
    return response.status_code, response.get_data(as_text=True)


def test_the_first_day_refuses_past_and_off_shift_days(world: World, app: Flask) -> None:
    all_steps_done(world, world.youth)
    coordinator = world.client_for("coordinator")
    before = _rows(app)
    field = f"start{world.placement_id}-on"
    for day in ("2020-01-01", (board_day.today() - dt.timedelta(days=1)).isoformat()):
        status, page = _start(coordinator, world, on=day)
        assert (status, _rows(app)) == (422, before), day
        assert IN_THE_PAST in field_error(page, field)
    _saturdays_only(app, world.opening, youth=world.youth)
    status, page = _start(coordinator, world, on=next_weekday(TUESDAY).isoformat())
    assert (status, _rows(app)) == (422, before)
    assert SATURDAYS_ONLY in field_error(page, field)
    status, _ = _start(coordinator, world, on=next_weekday(SATURDAY).isoformat())
    assert status == 302
    assert _rows(app)[1] == before[1] + 1


def test_the_first_day_form_proposes_the_next_shift_day(world: World, app: Flask) -> None:
    """Planned for a day that has passed: the form proposes the next Tuesday from today."""
    with app.app_context():
        db.session.get(Placement, world.placement_id).start_date = dt.date(2020, 1, 1)  # type: ignore[union-attr]
        db.session.commit()
    page = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}")
    value = field_value(page.get_data(as_text=True), f"start{world.placement_id}-on")
    assert value == next_weekday(TUESDAY).isoformat()


# -- the list of first days coming up ------------------------------------------------------


def test_a_first_day_that_has_passed_is_not_coming_up(world: World, app: Flask) -> None:
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        opening.positions = 5
        youth = YouthFactory(first_name="Forsinket", last_name="Ung")
        PlacementFactory(youth=youth, opening=opening, start_date=dt.date(2020, 1, 1))
        soon = YouthFactory(first_name="Snart", last_name="Ung")
        PlacementFactory(youth=soon, opening=opening, start_date=next_weekday(TUESDAY))
        db.session.commit()
    page = world.client_for("coordinator").get("/coordinator/placements").get_data(as_text=True)
    coming, _, passed = page.partition('id="overdue"')
    assert "Snart Ung" in coming
    assert "Forsinket Ung" not in coming
    assert "Forsinket Ung" in passed
