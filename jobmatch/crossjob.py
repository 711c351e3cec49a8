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

    def conflicts(self, idx: IntArray, limits: Limits, against: IntArray | None = None
                  ) -> BoolArray:  # fmt: skip
        """A [k, m] matrix: True where openings idx[i] and against[j] (default: idx) may not
        be held together; an opening never conflicts with itself.

        Day by day on [k, m] planes (never a [k, m, 7, ...] block): a youth with two jobs
        has a few hundred eligible openings, and this runs for every such youth.
        """
        other = idx if against is None else against
        minutes, o_minutes = self.minutes[idx], self.minutes[other]
        week, o_week = minutes.sum(axis=1), o_minutes.sum(axis=1)
        bad = week[:, None] + o_week[None, :] > limits.week_minutes
        if limits.max_days is not None:
            works, o_works = (minutes > 0).astype(np.int64), (o_minutes > 0).astype(np.int64)
            union = works.sum(axis=1)[:, None] + o_works.sum(axis=1)[None, :] - works @ o_works.T
            bad |= union > limits.max_days
        first, last, o_first, o_last = (self.first[idx], self.last[idx], self.first[other],
                                        self.last[other])  # fmt: skip
        starts, ends, o_starts, o_ends = (self.starts[idx], self.ends[idx], self.starts[other],
                                          self.ends[other])  # fmt: skip
        for d in range(7):
            bad |= minutes[:, d, None] + o_minutes[None, :, d] > limits.day_cap(d)
            for a in range(starts.shape[2]):
                for b in range(starts.shape[2]):
                    bad |= (starts[:, None, d, a] < o_ends[None, :, d, b]) & (
                        o_starts[None, :, d, b] < ends[:, None, d, a]
                    )
            after = (d + 1) % 7
            late = np.maximum(last[:, None, d], o_last[None, :, d])
            early = np.minimum(first[:, None, after], o_first[None, :, after])
            bad |= (
                (late >= 0)
                & (early < MINUTES_PER_DAY)
                & (MINUTES_PER_DAY - late + early < limits.rest_minutes)
            )
        bad &= idx[:, None] != other[None, :]
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
