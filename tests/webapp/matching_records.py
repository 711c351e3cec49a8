"""Matching records for tests: a solved run of the `world` with one proposal sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Proposal, SchoolHoliday, User
from webapp.services import proposals, runs

from .conftest import World

NEXT_WEEK = dt.date.today() + dt.timedelta(days=7)


@dataclass(frozen=True)
class Records:
    run: str
    proposal: str
    holiday_id: int


def coordinator(world: World) -> User:
    """The world's coordinator (inside an app context)."""
    user = db.session.scalar(select(User).where(User.public_id == world.coordinator))
    assert user is not None
    return user


def solved_run(app: Flask, world: World, *, send: bool = True) -> tuple[str, str]:
    """A solved run over every area: (run public id, the proposal's public id).

    The world's free youth (Emil, 14, into retail) is proposed for the
    employer's Kasseassistent; with `send` the coordinator has confirmed it.
    """
    with app.test_request_context():
        run = runs.create_run(coordinator(world), runs.RunParameters(start_date=NEXT_WEEK))
        assert run.status == "done", run.error
        proposal = db.session.scalar(select(Proposal).where(Proposal.run_id == run.id))
        assert proposal is not None
        assert proposal.opening.public_id == world.opening
        if send:
            proposals.confirm(coordinator(world), proposal)
        return run.public_id, proposal.public_id


def records(app: Flask, world: World) -> Records:
    """A solved run with a sent proposal, and a school holiday."""
    run, proposal = solved_run(app, world)
    with app.app_context():
        holiday = SchoolHoliday(
            municipality="Ikast-Brande",
            name="Efterårsferie",
            first_day=NEXT_WEEK,
            last_day=NEXT_WEEK + dt.timedelta(days=6),
        )
        db.session.add(holiday)
        db.session.commit()
        return Records(run, proposal, holiday.id)
