"""The cross-job conflict matrix agrees with the rules checked on the two jobs together."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jobmatch.clock import Shift
from jobmatch.crossjob import WeekProfiles, combination_codes
from jobmatch.model import Opening
from jobmatch.rules import rule_table

TABLE = rule_table()
# Every group of the law: 13-14 in school, 15 in school, 15-17 out of school, adults.
LIMITS = [
    limits
    for age, school in ((13, True), (15, True), (16, False), (18, False))
    for school_week in (True, False)
    if (limits := TABLE.limits(age, school, school_week)) is not None
]


@st.composite
def shift(draw: st.DrawFn) -> Shift:
    start = draw(st.integers(0, 23 * 60)) // 15 * 15
    return Shift(draw(st.integers(0, 6)), start, draw(st.integers(start + 15, 24 * 60)))


@st.composite
def opening(draw: st.DrawFn, ident: int) -> Opening:
    """Up to three shifts, sometimes two on one day (the matrix then compares slots)."""
    shifts = draw(st.lists(shift(), min_size=1, max_size=3))
    ordered = sorted(shifts, key=lambda s: (s.day, s.start))
    disjoint = [s for i, s in enumerate(ordered) if i == 0 or not s.overlaps(ordered[i - 1])]
    return Opening(f"o{ident}", "e", tuple(disjoint))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(0, len(LIMITS) - 1))
def test_conflicts_are_the_rules_broken_together(data: st.DataObject, which: int) -> None:
    limits = LIMITS[which]
    openings = [data.draw(opening(i)) for i in range(6)]
    alone = [not combination_codes([o], limits) - {"working_window"} for o in openings]
    matrix = WeekProfiles.of(openings).conflicts(np.arange(len(openings)), limits)
    for i, first in enumerate(openings):
        for j, second in enumerate(openings):
            if i == j or not (alone[i] and alone[j]):
                continue
            broken = combination_codes([first, second], limits) - {"working_window"}
            assert bool(matrix[i, j]) == bool(broken), (first.shifts, second.shifts, broken)
    assert not matrix.diagonal().any()
    some, every = np.array([4, 1]), np.arange(len(openings))
    assert (WeekProfiles.of(openings).conflicts(some, limits, every) == matrix[some]).all()
