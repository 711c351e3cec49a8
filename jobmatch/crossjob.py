"""Rules that bind a youth's jobs together: no overlap, and the day, week and rest limits.

A single opening is checked by `eligibility`; here the question is which of a
youth's eligible openings may not be held at the same time. Each opening's week
is summarised once in arrays, so that all pairs of a youth's openings are
compared at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .eligibility import BoolArray, IntArray
from .model import MINUTES_PER_DAY, Opening
from .rules import Limits, legal_codes


@dataclass(frozen=True, slots=True)
class WeekProfiles:
    """Per opening and weekday: minutes worked, first start, last end, and the shifts."""

    minutes: IntArray
    first: IntArray
    last: IntArray
    starts: IntArray
    ends: IntArray

    @classmethod
    def of(cls, openings: Sequence[Opening]) -> WeekProfiles:
        """Summarise the shifts of every opening."""
        n = len(openings)
        width = max(
            (sum(1 for s in o.shifts if s.day == d) for o in openings for d in range(7)), default=1
        )
        minutes = np.zeros((n, 7), dtype=np.int64)
        first = np.full((n, 7), MINUTES_PER_DAY, dtype=np.int64)
        last = np.full((n, 7), -1, dtype=np.int64)
        starts = np.full((n, 7, max(width, 1)), MINUTES_PER_DAY + 1, dtype=np.int64)
        ends = np.full((n, 7, max(width, 1)), -1, dtype=np.int64)
        for i, opening in enumerate(openings):
            slot = [0] * 7
            for shift in opening.shifts:
                d = shift.day
                minutes[i, d] += shift.minutes
                first[i, d] = min(first[i, d], shift.start)
                last[i, d] = max(last[i, d], shift.end)
                starts[i, d, slot[d]], ends[i, d, slot[d]] = shift.start, shift.end
                slot[d] += 1
        return cls(minutes, first, last, starts, ends)

    def conflicts(self, idx: IntArray, limits: Limits) -> BoolArray:
        """A [k, k] matrix: True where openings idx[i] and idx[j] may not be held together."""
        minutes = self.minutes[idx]
        pair_minutes = minutes[:, None, :] + minutes[None, :, :]
        caps = np.array([limits.day_cap(d) for d in range(7)])
        bad = (pair_minutes > caps).any(axis=2)
        bad |= pair_minutes.sum(axis=2) > limits.week_minutes
        if limits.max_days is not None:
            bad |= (pair_minutes > 0).sum(axis=2) > limits.max_days
        first = np.minimum(self.first[idx][:, None, :], self.first[idx][None, :, :])
        last = np.maximum(self.last[idx][:, None, :], self.last[idx][None, :, :])
        following = np.roll(first, -1, axis=2)
        works = last >= 0
        bad |= (
            works
            & (following < MINUTES_PER_DAY)
            & (MINUTES_PER_DAY - last + following < limits.rest_minutes)
        ).any(axis=2)
        starts, ends = self.starts[idx], self.ends[idx]
        overlap = (starts[:, None, :, :, None] < ends[None, :, :, None, :]) & (
            starts[None, :, :, None, :] < ends[:, None, :, :, None]
        )
        bad |= overlap.any(axis=(2, 3, 4))
        np.fill_diagonal(bad, False)
        result: BoolArray = bad
        return result


def combination_codes(openings: Sequence[Opening], limits: Limits) -> set[str]:
    """The rules a set of openings breaks when one youth holds them all (`overlap` included)."""
    shifts = [shift for opening in openings for shift in opening.shifts]
    workplace_of = {shift: o.workplace for o in openings for shift in o.shifts}
    codes = legal_codes(shifts, limits, workplace_of=workplace_of)
    ordered = sorted(shifts)
    if any(a.overlaps(b) for a, b in pairwise(ordered)):
        codes.add("overlap")
    return codes
