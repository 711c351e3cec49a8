"""The figures the housing plan reports to its board, per area and period, from the data.

Every figure is computed by a few grouped queries (one per family of figures,
grouped by the youth's or the opening's area), never by walking rows one by
one. The definitions, for a period `start`..`end` (both days included):

- registered: youths (not pending registrations) created in the period;
- placed in a lommepengejob / fritidsjob: youths with a placement of that kind
  whose first day (`start_date`) falls in the period;
- still in the job after 4 / 12 weeks: of the youths whose placement started
  in the period at least 4 / 12 weeks before its end, those whose placement had
  not ended by then (no end date, or an end date at least 4 / 12 weeks after
  the first day);
- moved from a lommepengejob to an external job: youths who, in the period,
  started a fritidsjob after the first day of a lommepengejob, or got an
  "external job" event on or after it;
- in education: youths with a "started education" milestone in the period, or
  a placement that ended in the period because they started education;
- onboarding steps done: steps marked done with a date in the period;
- open positions: positions of open openings not taken by a confirmed or
  running placement, now (not per period), by the opening's area;
- median days from registration to first job: over the youths whose first
  placement ever started in the period;
- per month of the period (all areas reported on together): the youths whose
  placement started in that month, and of them those still in that job at the
  end of the period (no end date, or one after the period).

Days are Danish days: a youth created at 23:30 UTC on 31 December was
registered on 1 January in Copenhagen.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Area
from .figure_queries import NO_AREA, Period, Scope

__all__ = ["FIGURES", "NO_AREA", "Figures", "Month", "Period", "Report", "report"]

RETENTION_WEEKS = (4, 12)

# Figure keys in the order the dashboard and the CSV show them.
FIGURES = (
    "registered",
    "placed_lommepengejob",
    "placed_fritidsjob",
    "retention_4_cohort",
    "retention_4",
    "retention_12_cohort",
    "retention_12",
    "moved_to_external",
    "in_education",
    "steps_done",
    "open_positions",
    "median_days_to_first_job",
)


@dataclass
class Figures:
    """The figures of one area (or of all of them) for a period."""

    registered: int = 0
    placed_lommepengejob: int = 0
    placed_fritidsjob: int = 0
    retention_4_cohort: int = 0
    retention_4: int = 0
    retention_12_cohort: int = 0
    retention_12: int = 0
    moved_to_external: int = 0
    in_education: int = 0
    steps_done: int = 0
    open_positions: int = 0
    median_days_to_first_job: float | None = None
    steps_by_kind: dict[str, int] = field(default_factory=dict)
    milestones: dict[str, int] = field(default_factory=dict)

    def value(self, key: str) -> int | float | None:
        """The figure called `key` (one of FIGURES)."""
        if key not in FIGURES:
            raise KeyError(f"no figure called {key!r}")
        value: int | float | None = getattr(self, key)
        return value


@dataclass(frozen=True)
class Month:
    """Youths placed in one month, and of them those still in the job at the period's end."""

    first_day: dt.date
    placed: int = 0
    still_in_job: int = 0


@dataclass
class Report:
    """The figures per area (area id, `NO_AREA` for none) and for all areas together."""

    period: Period
    areas: list[Area]
    by_area: dict[int, Figures]
    total: Figures
    # Area names by id, `NO_AREA` included when something belongs to no area.
    names: dict[int, str] = field(default_factory=dict)
    # Every month the period touches, first to last, with its placements.
    months: list[Month] = field(default_factory=list)


def report(period: Period, *, area_id: int | None = None) -> Report:
    """Compute every figure for `period`, per area and in total.

    Args:
        period: the days to report on.
        area_id: only this area (its youths, and openings in it); None for all.

    Returns:
        A `Report` whose `by_area` holds an entry for every area reported on
        (and for `NO_AREA` when all areas are reported and something has none).
    """
    areas = list(db.session.scalars(select(Area).order_by(Area.name)))
    if area_id is not None:
        areas = [a for a in areas if a.id == area_id]
    keys = [a.id for a in areas] + ([NO_AREA] if area_id is None else [])
    by_area = {key: Figures() for key in keys}
    scope = Scope(period, area_id)

    def of(area: int | None) -> Figures:
        return by_area[area or NO_AREA]

    for area, count in scope.registered():
        of(area).registered = count
    for area, kind, count in scope.placed():
        setattr(of(area), f"placed_{kind}", count)
    for weeks in RETENTION_WEEKS:
        for area, cohort, kept in scope.retention(weeks):
            setattr(of(area), f"retention_{weeks}_cohort", cohort)
            setattr(of(area), f"retention_{weeks}", kept)
    for area, count in scope.moved_to_external():
        of(area).moved_to_external = count
    for area, count in scope.in_education():
        of(area).in_education = count
    for area, code, count in scope.milestones():
        of(area).milestones[code] = count
    for area, code, count in scope.steps_done():
        of(area).steps_by_kind[code] = count
        of(area).steps_done += count
    for area, count in scope.open_positions():
        of(area).open_positions = int(count or 0)
    days_by_area = scope.days_to_first_job()
    for key, days in days_by_area.items():
        by_area[key].median_days_to_first_job = _median(days)

    if area_id is None and by_area[NO_AREA] == Figures():
        del by_area[NO_AREA]  # nothing without an area: no column for it
    total = _sum(by_area.values())
    total.median_days_to_first_job = _median([d for days in days_by_area.values() for d in days])
    return Report(
        period=period,
        areas=areas,
        by_area=by_area,
        total=total,
        names={a.id: a.name for a in areas},
        months=_months(period, {m: (p, k) for m, p, k in scope.placed_by_month()}),
    )


def _months(period: Period, counts: dict[str, tuple[int, int]]) -> list[Month]:
    """A `Month` for each month from the period's start to its end, none left out."""
    months = []
    day = period.start.replace(day=1)
    while day <= period.end:
        placed, kept = counts.get(f"{day:%Y-%m}", (0, 0))
        months.append(Month(day, placed, kept))
        day = (day + dt.timedelta(days=31)).replace(day=1)
    return months


def _median(days: list[int]) -> float | None:
    return float(statistics.median(days)) if days else None


def _sum(figures: Iterable[Figures]) -> Figures:
    """Figures added up over areas (a youth and an opening belong to one area each)."""
    total = Figures()
    for f in figures:
        for key in FIGURES:
            if key != "median_days_to_first_job":
                setattr(total, key, getattr(total, key) + getattr(f, key))
        for code, count in f.steps_by_kind.items():
            total.steps_by_kind[code] = total.steps_by_kind.get(code, 0) + count
        for code, count in f.milestones.items():
            total.milestones[code] = total.milestones.get(code, 0) + count
    return total
