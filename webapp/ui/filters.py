"""Template filters and globals: times, days, ages, status codes and the vocabularies."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from flask import Flask, g
from flask_babel import get_locale

import jobmatch
from webapp.ui import board_day

from .. import models
from ..models import (
    ACTIVE_PLACEMENTS,
    DAYS,
    UNFINISHED_RUNS,
    Opening,
    Youth,
)
from ..services import geo, onboarding, problem_warnings
from . import vocabulary
from .numbers import coordinate, one_decimal

GRID_HOURS = tuple(range(6, 24))
# The codes templates compare with, e.g. ``proposal.status == ProposalStatus.SENT``: every
# StrEnum of the models but the outbox's own status (no page shows it), and where a place
# was found.
CODES = (
    *(
        code
        for code in vars(models).values()
        if isinstance(code, type)
        and issubclass(code, StrEnum)
        and code not in (StrEnum, models.OutboxStatus)
    ),
    geo.LocationState,
)


def hhmm(minutes: int) -> str:
    """ "HH:MM" of minutes since midnight (`jobmatch.format_time`)."""
    return jobmatch.format_time(minutes)


def day_label(index: int, short: bool = False) -> str:
    """The translated name of a weekday by index (0 = Monday)."""
    labels = vocabulary.DAY_SHORT if short else vocabulary.DAY_LABELS
    return str(labels[DAYS[index]])


def weekly_hours(opening: Opening) -> str:
    """Weekly hours of an opening, e.g. "7,5" (Danish decimal comma in da)."""
    minutes = sum(s.end_min - s.start_min for s in opening.shifts)
    return one_decimal(minutes / 60)


def shift_days(opening: Opening) -> str:
    """The short names of the days an opening has shifts, in week order."""
    days = sorted({s.day_index for s in opening.shifts})
    return ", ".join(day_label(d, short=True) for d in days)


def availability_grid(windows: list[Any]) -> list[list[bool]]:
    """Rows of days by columns of hours (06-24): whether the hour is inside a window."""
    grid = []
    for day in range(7):
        spans = [
            (w[1], w[2]) if isinstance(w, tuple) else (w.start_min, w.end_min)
            for w in windows
            if (w[0] if isinstance(w, tuple) else w.day_index) == day
        ]
        grid.append([any(s <= h * 60 and (h + 1) * 60 <= e for s, e in spans) for h in GRID_HOURS])
    return grid


def age(youth: Youth, today: dt.date | None = None) -> int:
    """A youth's age today."""
    return youth.age_on(today or board_day.today())


def label(mapping_name: str, key: str | None) -> str:
    """The translated label of `key` in one of the vocabularies, or the key itself."""
    mapping = getattr(vocabulary, mapping_name)
    return str(mapping.get(key, key or ""))


def step_name(code: str) -> str:
    """The name of an onboarding step kind in the current language (looked up once a request)."""
    names: dict[str, str] | None = g.get("step_names")
    if names is None:
        locale = str(get_locale() or "da")
        names = {k.code: k.name(locale) for k in onboarding.step_kinds()}
        g.step_names = names
    return names.get(code, code)


def register(app: Flask) -> None:
    """Make the helpers available to every template."""
    app.add_template_filter(hhmm)
    app.add_template_filter(day_label)
    app.add_template_filter(weekly_hours)
    app.add_template_filter(shift_days)
    app.add_template_filter(one_decimal)
    app.add_template_filter(coordinate)
    app.add_template_global(availability_grid)
    app.add_template_global(age)
    app.add_template_global(label)
    app.add_template_global(step_name)
    app.add_template_global(geo.location_of)  # how a youth's or opening's place was found
    app.add_template_global(problem_warnings.named, "distance_warnings")  # a run's unlocated
    app.jinja_env.globals.update(
        GRID_HOURS=GRID_HOURS,
        DAYS=DAYS,
        ACTIVE_PLACEMENTS=ACTIVE_PLACEMENTS,
        UNFINISHED_RUNS=UNFINISHED_RUNS,
        **{code.__name__: code for code in CODES},
        **{name: getattr(vocabulary, name) for name in vocabulary.__all__},
    )
