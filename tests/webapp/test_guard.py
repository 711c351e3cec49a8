"""The one guard of every placement, through HTTP: the law has no override.

A placement by hand, the coordinator's confirm, the employer's accept and the
first day each ask the library about the pair and the youth's whole week; a
refusal names the rules in Danish (beside the field where there is one) and
writes nothing.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from tests.factories import (
    OpeningFactory,
    PlacementFactory,
    ShiftFactory,
    World,
    YouthFactory,
    next_weekday,
    one,
    solved_run,
)
from webapp.extensions import db
from webapp.models import (
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    OutboxMessage,
    Placement,
    Proposal,
    TimelineEvent,
    Youth,
)
from webapp.ui import board_day

REFUSED = "Den unge kan ikke tage dette job: "
TOO_YOUNG = "den unge er 13 år; jobbet tager unge fra 15 år"
NOT_LIGHT = "opgaverne er ikke lettere arbejde"
LATE = "ligger uden for 06:00-20:00, det tidsrum loven tillader en 13-årig"
AWAY = "Mandag 18:00-21:00, Onsdag 18:00-21:00 ligger uden for de tider, den unge kan"
AT_ONCE = "vagterne ligger på samme tid som et andet job, den unge har"


def _rows(app: Flask) -> tuple[int, int, int]:
    """Placements, outbox messages and timeline entries in the database."""
    with app.app_context():
        counts = tuple(
            db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Placement, OutboxMessage, TimelineEvent)
        )
        db.session.remove()
        return counts  # type: ignore[return-value]


def _evening_job(world: World) -> str:
    """'Varepåfyldning om aftenen': 15+, not light work, Monday and Wednesday 18-21."""
    with world.app.app_context():
        employer = db.session.scalar(select(Employer).where(Employer.public_id == world.employer))
        opening = OpeningFactory(
            employer=employer,
            title="Varepåfyldning om aftenen",
            min_age=15,
            light_work=False,
            shifts=[
                ShiftFactory(day_index=0, start_min=18 * 60, end_min=21 * 60),
                ShiftFactory(day_index=2, start_min=18 * 60, end_min=21 * 60),
            ],
        )
        db.session.commit()
        return opening.public_id


def _young_youth(world: World) -> str:
    """Lille, 13 and in compulsory school, free on Mondays and Wednesdays all evening."""
    with world.app.app_context():
        youth = YouthFactory(first_name="Lille", age=13)
        db.session.commit()
        return youth.public_id


def test_a_coordinator_cannot_place_against_the_law(world: World, app: Flask) -> None:
    opening, youth = _evening_job(world), _young_youth(world)
    before = _rows(app)
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{youth}/placements", data={"opening": opening}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page[page.index('id="opening-error"') :][:600]
    assert REFUSED in error
    assert TOO_YOUNG in error
    assert NOT_LIGHT in error
    assert LATE in error
    assert AWAY in error  # her availability: named as such, not as the law
    assert "Reglerne" not in error
    assert _rows(app) == before


def test_a_second_job_at_the_same_time_is_refused(world: World, app: Flask) -> None:
    """Amira holds the Tuesday 16-18 job; another Tuesday 16-18 job is refused for her week."""
    with app.app_context():
        employer = db.session.scalar(select(Employer).where(Employer.public_id == world.employer))
        youth = db.session.scalar(select(Youth).where(Youth.public_id == world.youth))
        assert youth is not None
        youth.max_jobs = 2
        second = OpeningFactory(employer=employer, title="Flaskeretur").public_id
        db.session.commit()
    before = _rows(app)
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{world.youth}/placements", data={"opening": second}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert AT_ONCE in page[page.index('id="opening-error"') :][:600]
    assert _rows(app) == before


def _busy_on_tuesdays(world: World) -> None:
    """Emil (proposed for Kasseassistent, Tuesday 16-18) gets another Tuesday 16-18 job."""
    with world.app.app_context():
        youth = db.session.scalar(select(Youth).where(Youth.public_id == world.other_youth))
        other = db.session.scalar(select(Opening).where(Opening.public_id == world.other_opening))
        assert youth is not None
        youth.max_jobs = 2
        PlacementFactory(youth=youth, opening=other)
        db.session.commit()


def _proposal_status(app: Flask, public_id: str) -> str:
    with app.app_context():
        status = db.session.scalar(select(Proposal.status).where(Proposal.public_id == public_id))
        db.session.remove()
        return str(status)


def test_confirm_asks_the_guard(world: World, app: Flask) -> None:
    _, proposal = solved_run(world, send=False)
    _busy_on_tuesdays(world)
    before = _rows(app)
    response = world.client_for("coordinator").post(
        f"/coordinator/proposals/{proposal}/confirm", follow_redirects=True
    )
    assert AT_ONCE in response.get_data(as_text=True)
    assert _proposal_status(app, proposal) == "proposed"
    assert _rows(app) == before


def test_accept_asks_the_guard(world: World, app: Flask) -> None:
    _, proposal = solved_run(world, send=True)
    _busy_on_tuesdays(world)
    before = _rows(app)
    first_day = next_weekday(on_or_after=board_day.today() + dt.timedelta(days=8)).isoformat()
    response = world.client_for("employer").post(
        f"/employer/proposals/{proposal}/accept",
        data={"accept-start_date": first_day},
        follow_redirects=True,
    )
    assert AT_ONCE in response.get_data(as_text=True)
    assert _proposal_status(app, proposal) == "sent"
    assert _rows(app) == before


def test_the_first_day_asks_the_guard(world: World, app: Flask) -> None:
    """The job became 16+ after Amira (15) was placed: her first day cannot be recorded."""
    with app.app_context():
        opening = db.session.scalar(select(Opening).where(Opening.public_id == world.opening))
        assert opening is not None
        opening.min_age = 16
        db.session.commit()
    before = _rows(app)
    prefix = f"start{world.placement_id}-"
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{world.youth}/placements/{world.placement_id}/start",
        data={f"{prefix}on": next_weekday().isoformat()},
        follow_redirects=True,
    )
    assert "den unge er 15 år; jobbet tager unge fra 16 år" in response.get_data(as_text=True)
    with app.app_context():
        placement = db.session.get(Placement, world.placement_id)
        assert placement is not None
        assert placement.status == "confirmed"
    assert _rows(app) == before


def test_the_daily_start_asks_the_guard(world: World, app: Flask) -> None:
    """`flask start-placements` leaves a placement the rules refuse confirmed, starts the rest."""

    def set_min_age(age: int) -> None:
        with app.app_context():
            placement = db.session.get(Placement, world.placement_id)
            assert placement is not None
            placement.start_date = board_day.today()
            placement.opening.min_age = age
            placement.opening.onboarding_steps = ["first_day_meeting"]  # done: no step holds it
            db.session.commit()

    with app.app_context():
        kind = one(OnboardingStepKind, OnboardingStepKind.code == "first_day_meeting")
        youth = one(Youth, Youth.public_id == world.youth)
        db.session.add(OnboardingStep(youth=youth, kind=kind, status="done"))
        db.session.commit()

    set_min_age(16)
    assert (
        "Started 0 placements." in app.test_cli_runner().invoke(args=["start-placements"]).output
    )
    set_min_age(13)
    assert (
        "Started 1 placements." in app.test_cli_runner().invoke(args=["start-placements"]).output
    )
    with app.app_context():
        placement = db.session.get(Placement, world.placement_id)
        assert placement is not None
        assert placement.status == "started"


def _place(world: World, youth: str, opening: str) -> str:
    """Place by hand; the error beside the job field (the page must refuse with 422)."""
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{youth}/placements", data={"opening": opening}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:300]
    return page[page.index('id="opening-error"') :][:800]


def test_the_youths_week_over_the_jobs_held_is_refused_with_its_hours(
    world: World, app: Flask
) -> None:
    """A 13-year-old in a school week may work 12 hours: 12 held and one more are 13."""
    with app.app_context():
        employer = db.session.scalar(select(Employer).where(Employer.public_id == world.employer))
        weekend = OpeningFactory(
            employer=employer,
            title="Weekendhjælper",
            shifts=[
                ShiftFactory(day_index=5, start_min=8 * 60, end_min=15 * 60),
                ShiftFactory(day_index=6, start_min=8 * 60, end_min=13 * 60),
            ],
        )
        monday = OpeningFactory(
            employer=employer,
            title="Mandagshjælper",
            shifts=[ShiftFactory(day_index=0, start_min=15 * 60, end_min=16 * 60)],
        )
        youth = YouthFactory(first_name="Lille", age=13, max_jobs=2, availability=[])
        PlacementFactory(youth=youth, opening=weekend)
        db.session.commit()
        ids = youth.public_id, monday.public_id
    before = _rows(app)
    error = _place(world, *ids)
    assert REFUSED in error
    assert (
        "13 timer om ugen; loven tillader en 13-årig højst 12 i en skoleuge "
        "sammen med de job, den unge har" in error
    )
    assert _rows(app) == before


def test_a_job_outside_the_youths_times_is_not_called_the_law(world: World, app: Flask) -> None:
    """Emil (14) may work Wednesdays 16-18 by law, but is available on Tuesdays only."""
    with app.app_context():
        employer = db.session.scalar(select(Employer).where(Employer.public_id == world.employer))
        wednesday = OpeningFactory(
            employer=employer,
            title="Onsdagsjob",
            shifts=[ShiftFactory(day_index=2, start_min=16 * 60, end_min=18 * 60)],
        ).public_id
        other = db.session.scalar(select(Youth).where(Youth.public_id == world.other_youth))
        assert other is not None
        db.session.commit()
        youth = other.public_id
    error = _place(world, youth, wednesday)
    assert f"{REFUSED}Onsdag 16:00-18:00 ligger uden for de tider, den unge kan." in error
    assert "loven" not in error
    assert "Reglerne" not in error
