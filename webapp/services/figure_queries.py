"""The grouped queries behind the board's figures: one per family of figures, by area.

`statistics.report` reads these and adds them up; the definitions of the
figures are written there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal_column, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer, String

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    EventKind,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    OpeningStatus,
    Placement,
    StepStatus,
    TimelineEvent,
    Youth,
    YouthStatus,
)
from ..ui import board_day

NO_AREA = 0  # key of the youths and openings that belong to no housing area


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


class month_of(FunctionElement[str]):  # noqa: N801 - reads as a SQL function
    """A date's month as text, "2026-03", on SQLite and PostgreSQL alike."""

    type = String()
    inherit_cache = True


@compiles(month_of)
def _month_of_default(element: month_of, compiler: Any, **kw: Any) -> str:
    (day,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"to_char({day}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    (day,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"strftime('%Y-%m', {day})"


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
        low = dt.datetime.combine(self.start, dt.time(), tzinfo=board_day.ZONE)
        high = dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time(), tzinfo=board_day.ZONE
        )
        return low.astimezone(dt.UTC), high.astimezone(dt.UTC)


class Scope:
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
                    Youth.status != YouthStatus.PENDING,
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

    def placed_by_month(self) -> list[Any]:
        """(month "YYYY-MM", youths whose placement started in it, of them still in it).

        Still in the job: that placement had not ended by the end of the period.
        """
        month = month_of(Placement.start_date)
        kept = or_(Placement.end_date.is_(None), Placement.end_date > self.period.end)
        return list(
            db.session.execute(
                select(
                    month,
                    func.count(distinct(Placement.youth_id)),
                    func.count(distinct(_when(kept, Placement.youth_id))),
                )
                .select_from(Placement)
                .join(Placement.youth)
                .where(self._in_period(Placement.start_date), self._in_area(Youth.area_id))
                .group_by(month)
                .order_by(month)
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
                TimelineEvent.kind == EventKind.EXTERNAL_JOB,
                self._in_period(TimelineEvent.occurred_on),
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
                TimelineEvent.kind == EventKind.MILESTONE,
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
                    TimelineEvent.kind == EventKind.MILESTONE,
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
                    OnboardingStep.status == StepStatus.DONE,
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
            .where(Placement.status.in_(ACTIVE_PLACEMENTS))
            .group_by(Placement.opening_id)
            .subquery()
        )
        left = Opening.positions - func.coalesce(taken.c.taken, 0)
        return list(
            db.session.execute(
                select(self.opening_area, func.sum(_when(left > 0, left, else_=0)))
                .select_from(Opening)
                .outerjoin(taken, taken.c.opening_id == Opening.id)
                .where(Opening.status == OpeningStatus.OPEN, self._in_area(Opening.area_id))
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
            registered_on = board_day.day_of(created_at)
            # A job recorded as starting before the registration counts as no wait.
            days[area or NO_AREA].append(max(0, (_as_date(first) - registered_on).days))
        return days


def _when(condition: ColumnElement[bool], value: Any, *, else_: Any = None) -> Any:
    return case((condition, value), else_=else_)


def _as_date(value: dt.date | str) -> dt.date:
    """A date from an aggregate (SQLite gives MIN() of a date column back as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
