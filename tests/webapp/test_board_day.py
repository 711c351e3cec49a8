"""The board's day is Copenhagen's, also on a server whose clock runs in UTC."""

from __future__ import annotations

import datetime as dt

import time_machine

from webapp.ui import board_day

# 23:30 UTC on 1 December is 00:30 on 2 December in Copenhagen (UTC+1 in winter).
LATE_EVENING_UTC = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_after_midnight_in_copenhagen_it_is_already_tomorrow() -> None:
    assert board_day.today() == dt.date(2026, 12, 2)


@time_machine.travel(dt.datetime(2026, 7, 1, 21, 59, tzinfo=dt.UTC), tick=False)
def test_summer_time_is_two_hours_ahead() -> None:
    assert board_day.today() == dt.date(2026, 7, 1)
    assert board_day.day_of(dt.datetime(2026, 7, 1, 22, 0, tzinfo=dt.UTC)) == dt.date(2026, 7, 2)
