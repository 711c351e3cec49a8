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
  placement ever started in the period.

Days are Danish days: a youth created at 23:30 UTC on 31 December was
registered on 1 January in Copenhagen.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, func, literal_column, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer

from ..extensions import db
from ..models import (
    Area,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    TimelineEvent,
    Youth,
)
from .openings import ACTIVE_PLACEMENT

LOCAL = ZoneInfo("Europe/Copenhagen")
RETENTION_WEEKS = (4, 12)
NO_AREA = 0  # key of the youths and openings that belong to no housing area

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


class days_between(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """Whole days from the first date to the second, on SQLite and PostgreSQL alike."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    first, second = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({second} - {first})"  # date minus date is a number of days in PostgreSQL


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    first, second = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(julianday({second}) - julianday({first}) AS INTEGER)"


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period: start {self.start} is after end {self.end}")

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as UTC instants: from Copenhagen midnight of `start` to that after `end`."""
        low = dt.datetime.combine(self.start, dt.time(), tzinfo=LOCAL)
        high = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)
        return low.astimezone(dt.UTC), high.astimezone(dt.UTC)


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


@dataclass
class Report:
    """The figures per area (area id, `NO_AREA` for none) and for all areas together."""

    period: Period
    areas: list[Area]
    by_area: dict[int, Figures]
    total: Figures
    # Area names by id, `NO_AREA` included when something belongs to no area.
    names: dict[int, str] = field(default_factory=dict)


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
    scope = _Scope(period, area_id)

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
    )


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


class _Scope:
    """The queries of one report: grouped by area, restricted to the period and area."""

    def __init__(self, period: Period, area_id: int | None) -> None:
        self.period = period
        self.area_id = area_id
        # Grouped by the column itself: None (no area) becomes NO_AREA in Python.
        self.youth_area = Youth.area_id
        self.opening_area = Opening.area_id

    def _in_area(self, column: Any) -> ColumnElement[bool]:
        return true() if self.area_id is None else column == self.area_id

    def _in_period(self, column: Any) -> ColumnElement[bool]:
        return column.between(self.period.start, self.period.end)

    def registered(self) -> list[Any]:
        """(area, youths registered)."""
        low, high = self.period.bounds()
        return list(
            db.session.execute(
                select(self.youth_area, func.count(Youth.id))
                .where(
                    Youth.status != "pending",
                    Youth.created_at >= low,
                    Youth.created_at < high,
                    self._in_area(Youth.area_id),
                )
                .group_by(self.youth_area)
            )
        )

    def placed(self) -> list[Any]:
        """(area, kind of job, youths whose placement of that kind started in the period)."""
        return list(
            db.session.execute(
                select(self.youth_area, Opening.kind, func.count(distinct(Placement.youth_id)))
                .select_from(Placement)
                .join(Placement.youth)
                .join(Placement.opening)
                .where(self._in_period(Placement.start_date), self._in_area(Youth.area_id))
                .group_by(self.youth_area, Opening.kind)
            )
        )

    def retention(self, weeks: int) -> list[Any]:
        """(area, youths in the cohort, youths still in the job after `weeks` weeks)."""
        days = 7 * weeks
        latest_start = self.period.end - dt.timedelta(days=days)
        if latest_start < self.period.start:
            return []
        kept = or_(
            Placement.end_date.is_(None),
            days_between(Placement.start_date, Placement.end_date) >= days,
        )
        return list(
            db.session.execute(
                select(
                    self.youth_area,
                    func.count(distinct(Placement.youth_id)),
                    func.count(distinct(_when(kept, Placement.youth_id))),
                )
                .select_from(Placement)
                .join(Placement.youth)
                .where(
                    Placement.start_date.between(self.period.start, latest_start),
                    self._in_area(Youth.area_id),
                )
                .group_by(self.youth_area)
            )
        )

    def moved_to_external(self) -> list[Any]:
        """(area, youths who went from a lommepengejob on to an external job in the period)."""
        first_lomme = (
            select(
                Placement.youth_id.label("youth_id"),
                func.min(Placement.start_date).label("first_day"),
            )
            .join(Placement.opening)
            .where(Opening.kind == "lommepengejob", Placement.start_date.is_not(None))
            .group_by(Placement.youth_id)
            .subquery()
        )
        # A fritidsjob counts when it starts after the first lommepengejob day; an
        # "external job" event (recorded when a placement ends for one) from that day on.
        moves = union_all(
            select(
                Placement.youth_id.label("youth_id"),
                Placement.start_date.label("on"),
                literal_column("1").label("strict"),
            )
            .join(Placement.opening)
            .where(Opening.kind == "fritidsjob", self._in_period(Placement.start_date)),
            select(
                TimelineEvent.youth_id.label("youth_id"),
                TimelineEvent.occurred_on.label("on"),
                literal_column("0").label("strict"),
            ).where(
                TimelineEvent.kind == "external_job", self._in_period(TimelineEvent.occurred_on)
            ),
        ).subquery()
        after_lomme = or_(
            and_(moves.c.strict == 1, moves.c.on > first_lomme.c.first_day),
            and_(moves.c.strict == 0, moves.c.on >= first_lomme.c.first_day),
        )
        return list(
            db.session.execute(
                select(self.youth_area, func.count(distinct(Youth.id)))
                .select_from(moves)
                .join(first_lomme, first_lomme.c.youth_id == moves.c.youth_id)
                .join(Youth, Youth.id == moves.c.youth_id)
                .where(after_lomme, self._in_area(Youth.area_id))
                .group_by(self.youth_area)
            )
        )

    def in_education(self) -> list[Any]:
        """(area, youths who started education in the period)."""
        started = union_all(
            select(TimelineEvent.youth_id.label("youth_id")).where(
                TimelineEvent.kind == "milestone",
                TimelineEvent.code == "started_education",
                self._in_period(TimelineEvent.occurred_on),
            ),
            select(Placement.youth_id.label("youth_id")).where(
                Placement.end_reason == "education", self._in_period(Placement.end_date)
            ),
        ).subquery()
        return list(
            db.session.execute(
                select(self.youth_area, func.count(distinct(Youth.id)))
                .select_from(started)
                .join(Youth, Youth.id == started.c.youth_id)
                .where(self._in_area(Youth.area_id))
                .group_by(self.youth_area)
            )
        )

    def milestones(self) -> list[Any]:
        """(area, milestone code, youths who reached it in the period)."""
        return list(
            db.session.execute(
                select(
                    self.youth_area,
                    TimelineEvent.code,
                    func.count(distinct(TimelineEvent.youth_id)),
                )
                .join(TimelineEvent.youth)
                .where(
                    TimelineEvent.kind == "milestone",
                    self._in_period(TimelineEvent.occurred_on),
                    self._in_area(Youth.area_id),
                )
                .group_by(self.youth_area, TimelineEvent.code)
            )
        )

    def steps_done(self) -> list[Any]:
        """(area, step kind code, steps done in the period)."""
        return list(
            db.session.execute(
                select(self.youth_area, OnboardingStepKind.code, func.count(OnboardingStep.id))
                .select_from(OnboardingStep)
                .join(OnboardingStep.youth)
                .join(OnboardingStep.kind)
                .where(
                    OnboardingStep.status == "done",
                    self._in_period(OnboardingStep.done_on),
                    self._in_area(Youth.area_id),
                )
                .group_by(self.youth_area, OnboardingStepKind.code)
            )
        )

    def open_positions(self) -> list[Any]:
        """(area, positions left in open openings), now."""
        taken = (
            select(Placement.opening_id, func.count().label("taken"))
            .where(Placement.status.in_(ACTIVE_PLACEMENT))
            .group_by(Placement.opening_id)
            .subquery()
        )
        left = Opening.positions - func.coalesce(taken.c.taken, 0)
        return list(
            db.session.execute(
                select(self.opening_area, func.sum(_when(left > 0, left, else_=0)))
                .select_from(Opening)
                .outerjoin(taken, taken.c.opening_id == Opening.id)
                .where(Opening.status == "open", self._in_area(Opening.area_id))
                .group_by(self.opening_area)
            )
        )

    def days_to_first_job(self) -> dict[int, list[int]]:
        """Days from registration to first job, for youths whose first job began in the period."""
        first_day = func.min(Placement.start_date)
        rows = db.session.execute(
            select(self.youth_area, Youth.created_at, first_day)
            .select_from(Placement)
            .join(Placement.youth)
            .where(Placement.start_date.is_not(None), self._in_area(Youth.area_id))
            .group_by(Youth.id, self.youth_area, Youth.created_at)
            .having(first_day.between(self.period.start, self.period.end))
        )
        days: dict[int, list[int]] = defaultdict(list)
        for area, created_at, first in rows:
            registered_on = _local_date(created_at)
            # A job recorded as starting before the registration counts as no wait.
            days[area or NO_AREA].append(max(0, (_as_date(first) - registered_on).days))
        return days


def _when(condition: ColumnElement[bool], value: Any, *, else_: Any = None) -> Any:
    return case((condition, value), else_=else_)


def _as_date(value: dt.date | str) -> dt.date:
    """A date from an aggregate (SQLite gives MIN() of a date column back as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _local_date(moment: dt.datetime) -> dt.date:
    """The Copenhagen day of a stored instant (SQLite gives it back without a zone: UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL).date()
