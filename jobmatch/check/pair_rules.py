"""The hard rules of the spec for one pair and for a youth's week, checked in plain Python.

The validator keeps its own great-circle distance (`distance_km`) and its own
reading of the rule table (`youth_limits`) on purpose, written from the spec's
text apart from the library's `jobmatch.geo` and `jobmatch.rules.youth_limits`,
so that a bug there shows up here as a violation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence

from ..model import DAYS, MINUTES_PER_DAY, Location, Opening, Pair, Problem, Shift, Youth
from ..model import format_time as _time
from ..rules import Limits, RuleTable, rule_table
from ..scoring import rank_points
from .violation import Violation

EARTH_RADIUS_KM = 6371.0
TRAVEL_TOLERANCE_KM = 0.000001  # the spec: a job is within reach at the limit plus a millimetre


def youth_limits(table: RuleTable, youth: Youth, school_week: bool) -> Limits | None:
    """The limits of the youth's group; a youth under the minimum age is judged as group A.

    A youth under 13 is never placed (`too_young`), but the other rules of the
    youngest group still apply, so that every broken rule is named.
    """
    return table.limits(max(youth.age, table.min_age), youth.in_compulsory_school, school_week)


def pair_violations(problem: Problem, youth: Youth, opening: Opening) -> list[Violation]:
    """Every hard rule the pair (youth, opening) breaks on its own, named by reason code."""
    table = rule_table(problem.options.rules)
    found: list[Violation] = []

    def fail(rule: str, message: str) -> None:
        found.append(Violation(rule, message, youth.id, opening.id))

    if youth.age < table.min_age:
        fail("too_young", f"the youth is {youth.age}; nobody under {table.min_age} may work")
    elif youth.age < opening.min_age:
        fail("too_young", f"the youth is {youth.age}; the opening's min_age is {opening.min_age}")
    if opening.max_age is not None and youth.age > opening.max_age:
        fail("too_old", f"the youth is {youth.age}; the opening's max_age is {opening.max_age}")
    limits = youth_limits(table, youth, problem.period == "school")
    if limits is not None:
        if limits.light_work_only and not opening.light_work:
            fail("not_light_work", f"a youth in group {limits.group} may only do light work")
        if opening.alcohol not in limits.alcohol_allowed:
            fail(
                "alcohol",
                f"a youth in group {limits.group} may not work where alcohol is "
                f"served ({opening.alcohol!r})",
            )
        window = limits.window(opening.workplace)
        if window is not None:
            outside = [s for s in opening.shifts if s.start < window[0] or s.end > window[1]]
            if outside:
                fail(
                    "working_window",
                    f"{_shifts(outside)} outside {_time(window[0])}-"
                    f"{_time(window[1])}, the window of group {limits.group} at workplace "
                    f"{opening.workplace!r}",
                )
        for rule, message in schedule_breaks(limits, opening.shifts):
            fail(rule, message)
    if youth.availability is not None:
        available = youth.availability
        uncovered = [s for s in opening.shifts if not any(w.contains(s) for w in available)]
        if uncovered:
            fail("unavailable", f"{_shifts(uncovered)} outside the youth's availability")
    if youth.location and opening.location and youth.max_travel_km is not None:
        km = distance_km(youth.location, opening.location)
        if km > youth.max_travel_km + TRAVEL_TOLERANCE_KM:
            fail("too_far", f"{km:.2f} km from home, max_travel_km is {youth.max_travel_km:g}")
    for rule, needed, has in (
        ("language", opening.required_languages, youth.languages),
        ("certificate", opening.required_certificates, youth.certificates),
    ):
        lacking = [value for value in needed if value not in has]
        if lacking:
            fail(rule, f"the opening requires {', '.join(lacking)}, which the youth lacks")
    if opening.employer in youth.exclude_employers:
        fail("excluded", f"the youth excludes employer {opening.employer!r}")
    if Pair(youth.id, opening.id) in problem.forbidden:
        fail("forbidden", "a coordinator has forbidden the pair")
    return found


def schedule_breaks(limits: Limits, shifts: Sequence[Shift]) -> Iterator[tuple[str, str]]:
    """(rule, message) for each hour cap, day-off and rest rule a week of shifts breaks."""
    minutes = [0] * 7
    first = [MINUTES_PER_DAY] * 7
    last = [0] * 7
    for shift in shifts:
        minutes[shift.day] += shift.end - shift.start
        first[shift.day] = min(first[shift.day], shift.start)
        last[shift.day] = max(last[shift.day], shift.end)
    days = [day for day in range(7) if minutes[day]]
    for day in days:
        cap = limits.day_cap(day)
        if minutes[day] > cap:
            kind = "day" if cap == limits.day_minutes else "school day"
            yield (
                "legal_hours",
                f"{_hours(minutes[day])} on {DAYS[day]}, over the "
                f"{_hours(cap)} a {kind} of group {limits.group}",
            )
    total = sum(minutes)
    if total > limits.week_minutes:
        yield (
            "legal_hours",
            f"{_hours(total)} in the week, over the "
            f"{_hours(limits.week_minutes)} of group {limits.group}",
        )
    if limits.max_days is not None and len(days) > limits.max_days:
        yield (
            "legal_hours",
            f"{len(days)} working days, over the {limits.max_days} of group {limits.group}",
        )
    for day in days:
        following = (day + 1) % 7
        if not minutes[following]:
            continue
        rest = MINUTES_PER_DAY - last[day] + first[following]
        if rest < limits.rest_minutes:
            yield (
                "rest",
                f"{_hours(rest)} rest from {DAYS[day]} {_time(last[day])} to "
                f"{DAYS[following]} {_time(first[following])}, under the "
                f"{_hours(limits.rest_minutes)} of group {limits.group}",
            )


def overlaps(openings: Sequence[Opening]) -> Iterator[tuple[tuple[str, Shift], ...]]:
    """Each pair of shifts of different openings that share a minute."""
    shifts = [(o.id, s) for o in openings for s in o.shifts]
    for i, (a, first) in enumerate(shifts):
        for b, second in shifts[i + 1 :]:
            if a != b and first.overlaps(second):
                yield (a, first), (b, second)


def distance_km(a: Location, b: Location) -> float:
    """Great-circle (haversine) distance in km on a sphere of radius 6371.0 km."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def pair_score(problem: Problem, youth: Youth, opening: Opening) -> int:
    """The pair's score without the buddy term, from the definition in `scoring`."""
    weights = problem.weights
    points = weights.assignment
    if opening.category and opening.category in youth.interests:
        points += weights.interest
    if opening.id in youth.preferences:
        points += rank_points(
            weights.youth_preference, youth.preferences.index(opening.id), len(youth.preferences)
        )
    if youth.id in opening.preferences:
        points += rank_points(
            weights.employer_preference,
            opening.preferences.index(youth.id),
            len(opening.preferences),
        )
    if youth.location and opening.location:
        km = math.floor(distance_km(youth.location, opening.location))
        points += max(0, weights.distance - weights.distance_per_km * km)
    steps = opening.onboarding_steps
    done = sum(step in youth.onboarding for step in steps)
    points += weights.onboarding * done // len(steps) if steps else weights.onboarding
    return points


def _shifts(shifts: Iterable[Shift]) -> str:
    listed = [str(s) for s in shifts]
    return f"shifts {', '.join(listed)} lie" if len(listed) > 1 else f"shift {listed[0]} lies"


def _hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d} h"
