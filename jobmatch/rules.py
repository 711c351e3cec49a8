"""The law for working minors as versioned data, and the checks that apply it to shifts.

A rule table is a JSON file in `jobmatch/data/rules/`; a change of law is a new
file, not new code. `limits_for` turns a table and a youth's situation into the
`Limits` that apply, and `legal_codes` checks a week of shifts against them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .clock import parse_time
from .errors import UnknownRulesError
from .model import MINUTES_PER_DAY, Shift, Youth

SCHOOL_DAYS = frozenset(range(5))


@dataclass(frozen=True, slots=True, eq=False)
class Limits:
    """What one youth may do in one week, resolved from a rule table (cached: compare by id)."""

    group: str
    light_work_only: bool
    alcohol_allowed: frozenset[str]
    windows: Mapping[str, tuple[int, int]] | None
    school_day_minutes: int | None
    day_minutes: int
    week_minutes: int
    rest_minutes: int
    max_days: int | None

    def window(self, workplace: str) -> tuple[int, int] | None:
        """The (start, end) minutes a shift must lie within at this workplace, if any."""
        if self.windows is None:
            return None
        return self.windows.get(workplace, self.windows["default"])

    def day_cap(self, day: int) -> int:
        """The most minutes of work allowed on this weekday."""
        if self.school_day_minutes is not None and day in SCHOOL_DAYS:
            return self.school_day_minutes
        return self.day_minutes


@dataclass(frozen=True, slots=True)
class RuleTable:
    """One named, versioned table of the law (see `jobmatch/data/rules/*.json`)."""

    name: str
    min_age: int
    adult_age: int
    young_age: int
    groups: Mapping[str, Mapping[str, Any]]

    def group_of(self, age: int, in_compulsory_school: bool) -> str | None:
        """'A', 'B' or 'adult'; None below the minimum age."""
        if age < self.min_age:
            return None
        if age >= self.adult_age:
            return "adult"
        return "A" if age < self.young_age or in_compulsory_school else "B"

    def limits(self, age: int, in_compulsory_school: bool, school_week: bool) -> Limits | None:
        """The limits for a youth of this age and schooling in a school or holiday week."""
        group = self.group_of(age, in_compulsory_school)
        return (
            None
            if group is None
            else self._limits(group, age < self.young_age, in_compulsory_school and school_week)
        )

    @cache  # noqa: B019 - tables are few and immortal
    def _limits(self, group: str, young: bool, school_week: bool) -> Limits:
        spec = self.groups[group]

        def pick(table: Mapping[str, int]) -> int:
            if school_week and "school_week" in table:
                return table["school_week"]
            return table["young"] if young and "young" in table else table["default"]

        windows = spec["window"]
        school_day = spec["school_day_hours"]
        return Limits(
            group=group,
            light_work_only=spec["light_work_only"],
            alcohol_allowed=frozenset(spec["alcohol_allowed"]),
            windows=None
            if windows is None
            else {
                place: (parse_time(start), parse_time(end, end=True))
                for place, (start, end) in windows.items()
            },
            school_day_minutes=school_day * 60 if school_week and school_day else None,
            day_minutes=pick(spec["other_day_hours"]) * 60,
            week_minutes=pick(spec["week_hours"]) * 60,
            rest_minutes=spec["rest_hours"] * 60,
            max_days=spec["max_days"],
        )

    def __hash__(self) -> int:
        return hash(self.name)


def rule_table_names() -> tuple[str, ...]:
    """The names of every rule table jobmatch ships."""
    folder = resources.files("jobmatch") / "data" / "rules"
    return tuple(
        sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))
    )


@cache
def rule_table(name: str = "dk-2026") -> RuleTable:
    """Load a rule table by name; `UnknownRulesError` names the known ones."""
    known = rule_table_names()
    if name not in known:
        raise UnknownRulesError(name, known)
    path = resources.files("jobmatch") / "data" / "rules" / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return RuleTable(
        data["name"], data["min_age"], data["adult_age"], data["young_age"], data["groups"]
    )


def youth_limits(youth: Youth, *, rules: str = "dk-2026", school_week: bool = True) -> Limits:
    """The limits of the youth's group under a rule table, in a school or holiday week.

    A youth under the table's minimum age is never placed (`too_young`), but is
    judged by the youngest group's limits, so that every broken rule is named.
    For a youth known by birth date, the age is `clock.age_on(birth_date, day)`.
    """
    table = rule_table(rules)
    age = max(youth.age, table.min_age)
    limits = table.limits(age, youth.in_compulsory_school, school_week)
    assert limits is not None  # the age is at least the table's minimum
    return limits


def legal_codes(
    shifts: Iterable[Shift],
    limits: Limits,
    workplace_of: Mapping[Shift, str] | None = None,
    workplace: str = "other",
) -> set[str]:
    """Reason codes (`working_window`, `legal_hours`, `rest`) a week of shifts breaks.

    Args:
        shifts: every shift the youth would work in the week, from one or more openings.
        limits: the youth's limits.
        workplace_of: the workplace of each shift, when the shifts come from several openings.
        workplace: the workplace of all shifts otherwise.
    """
    shifts = sorted(shifts)
    codes: set[str] = set()
    for shift in shifts:
        window = limits.window(workplace_of[shift] if workplace_of else workplace)
        if window is not None and (shift.start < window[0] or shift.end > window[1]):
            codes.add("working_window")
    week = Week.of(shifts)
    days = week.days
    if (
        any(week.minutes[day] > limits.day_cap(day) for day in days)
        or sum(week.minutes) > limits.week_minutes
        or (limits.max_days is not None and len(days) > limits.max_days)
    ):
        codes.add("legal_hours")
    if any(
        rest is not None and rest < limits.rest_minutes
        for rest in (week.rest_after(day) for day in days)
    ):
        codes.add("rest")
    return codes


@dataclass(frozen=True, slots=True)
class Week:
    """A week of shifts per day: minutes of work, first start and last end (0 and -1 if free)."""

    minutes: tuple[int, ...]
    first: tuple[int, ...]
    last: tuple[int, ...]

    @classmethod
    def of(cls, shifts: Iterable[Shift]) -> Week:
        """The week of these shifts (of one opening or several)."""
        minutes = [0] * 7
        first = [MINUTES_PER_DAY] * 7
        last = [-1] * 7
        for shift in shifts:
            minutes[shift.day] += shift.minutes
            first[shift.day] = min(first[shift.day], shift.start)
            last[shift.day] = max(last[shift.day], shift.end)
        return cls(tuple(minutes), tuple(first), tuple(last))

    @property
    def days(self) -> list[int]:
        """The working days."""
        return [day for day in range(7) if self.minutes[day]]

    def rest_after(self, day: int) -> int | None:
        """Minutes of rest from `day`'s last shift to the next day's first (Sunday wraps to
        Monday); None when either day is free."""
        following = (day + 1) % 7
        if not self.minutes[day] or not self.minutes[following]:
            return None
        return MINUTES_PER_DAY - self.last[day] + self.first[following]
