"""The tests' own rows on 29 February: "N years ago" is the 28th when that year has no 29th."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import World, years_ago
from webapp.extensions import db
from webapp.models import Youth

LEAP_DAY = dt.date(2028, 2, 29)


def test_years_ago_on_29_february() -> None:
    assert years_ago(1, LEAP_DAY) == dt.date(2027, 2, 28)
    assert years_ago(4, LEAP_DAY) == dt.date(2024, 2, 29)
    assert years_ago(14, dt.date(2026, 3, 1)) == dt.date(2012, 3, 1)


@time_machine.travel(dt.datetime(2028, 2, 29, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_world_is_built_on_29_february(request: pytest.FixtureRequest) -> None:
    assert dt.date.today() == LEAP_DAY
    world: World = request.getfixturevalue("world")  # set up now, with today frozen
    with world.app.app_context():
        ages = {y.first_name: y.age_on(LEAP_DAY) for y in db.session.scalars(select(Youth))}
    assert ages == {"Amira": 15, "Emil": 14, "Omar": 14}
