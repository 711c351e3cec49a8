"""The facts of one rule broken by one pair, and of an opening whose positions went to others."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .clock import Shift
from .eligibility import Eligibility
from .facts import (
    AlcoholServed,
    Excluded,
    Forbidden,
    Holder,
    HoursLimit,
    Missing,
    NotLightWork,
    OutsideWindow,
    OverHours,
    PairFacts,
    PositionsTaken,
    ShortRest,
    TooFar,
    TooManyDays,
    TooOld,
    TooYoung,
    Unavailable,
    Why,
)
from .model import Opening, Youth
from .rules import Limits, Week


def pair_facts(eligibility: Eligibility, y: int, o: int, code: str, free: int) -> PairFacts:
    """The figures of `code` for the pair (youth `y`, opening `o`), which breaks it.

    Args:
        eligibility: the problem's eligibility.
        y: the youth's index.
        o: the opening's index.
        code: a pair reason code the pair breaks.
        free: the opening's positions still free.
    """
    problem = eligibility.problem
    youth, opening = problem.youths[y], problem.openings[o]
    limits = eligibility.limits[y]
    if code == "too_young":
        return TooYoung(free, youth.age, max(opening.min_age, eligibility.min_age))
    if code == "too_old":
        assert opening.max_age is not None
        return TooOld(free, youth.age, opening.max_age)
    if code == "not_light_work":
        return NotLightWork(free, limits.group)
    if code == "alcohol":
        return AlcoholServed(free, opening.alcohol, limits.group)
    if code == "unavailable":
        return Unavailable(free, uncovered(youth, opening))
    if code == "working_window":
        return _outside_window(opening, limits, free)
    if code == "legal_hours":
        return hours_facts(opening, limits, free)
    if code == "rest":
        return rest_facts(opening, limits, free)
    if code == "too_far":
        km = float(eligibility.distances(o, eligibility.all_youths[y : y + 1])[0])
        assert youth.max_travel_km is not None
        return TooFar(free, km, youth.max_travel_km)
    if code == "language":
        return Missing(free, lacking(opening.required_languages, youth.languages))
    if code == "certificate":
        return Missing(free, lacking(opening.required_certificates, youth.certificates))
    if code == "excluded":
        return Excluded(free, opening.employer)
    if code == "forbidden":
        return Forbidden(free)
    raise ValueError(f"{code!r} is not a pair reason code")


def uncovered(youth: Youth, opening: Opening) -> tuple[Shift, ...]:
    """The opening's shifts that lie outside every availability window of the youth."""
    spans = _spans_by_day(youth.availability or ())

    def covered(shift: Shift) -> bool:
        return any(start <= shift.start and shift.end <= end for start, end in spans[shift.day])

    return tuple(shift for shift in opening.shifts if not covered(shift))


@lru_cache(maxsize=4096)  # a youth's windows are looked at for each of its near misses
def _spans_by_day(windows: tuple[Shift, ...]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per weekday, the (start, end) of the windows on it."""
    return tuple(tuple((w.start, w.end) for w in windows if w.day == day) for day in range(7))


def lacking(required: Sequence[str], has: Sequence[str]) -> tuple[str, ...]:
    """The required values the youth does not have, in the opening's order."""
    return tuple(x for x in required if x not in has)


def _outside_window(opening: Opening, limits: Limits, free: int) -> OutsideWindow:
    window = limits.window(opening.workplace)
    assert window is not None  # a group without a window breaks no window
    outside = tuple(s for s in opening.shifts if s.start < window[0] or s.end > window[1])
    return OutsideWindow(free, outside, window[0], window[1], limits.group)


def hours_facts(opening: Opening, limits: Limits, free: int) -> OverHours | TooManyDays:
    """The first hour cap the opening's week breaks: a day, the week, or the days off."""
    week = Week.of(opening.shifts)
    total = sum(week.minutes)
    for day in week.days:
        cap = limits.day_cap(day)
        if week.minutes[day] > cap:
            limit: HoursLimit = "school_day" if cap != limits.day_minutes else "day"
            return OverHours(free, limit, day, week.minutes[day], cap, total, limits.group)
    if total > limits.week_minutes:
        return OverHours(free, "week", None, total, limits.week_minutes, total, limits.group)
    assert limits.max_days is not None
    return TooManyDays(free, len(week.days), limits.max_days, total, limits.group)


def rest_facts(opening: Opening, limits: Limits, free: int) -> ShortRest:
    """The first night with less rest than the group needs."""
    week = Week.of(opening.shifts)
    for day in week.days:
        rest = week.rest_after(day)
        if rest is not None and rest < limits.rest_minutes:
            return ShortRest(free, rest, limits.rest_minutes, day, (day + 1) % 7, limits.group)
    raise ValueError("the opening leaves enough rest")


def positions_taken(
    youth: Youth, score: int, opening: Opening, holders: Sequence[Holder]
) -> PositionsTaken:
    """The youth could take the opening (at `score`): who holds it, and why they came first."""
    return PositionsTaken(score, opening.positions, tuple(holders), _why(youth, holders))


def _why(youth: Youth, holders: Sequence[Holder]) -> Why:
    if not holders:
        return "empty"
    if all(h.priority > youth.priority for h in holders):
        return "higher"
    if all(h.priority >= youth.priority for h in holders):
        return "same"
    return "mixed"
