"""Which (youth, opening) pairs are allowed, and for every other pair the reason codes why not.

The work is done for groups of nearby openings at once, as [opening, youth]
arrays (`jobmatch.nearby`), never in a Python loop over all pairs:
`Eligibility.candidates()` gives the eligible pairs of a 20,000 x 7,000 problem
in seconds, and `Eligibility.reasons()` gives the codes of any pair on demand,
for explanations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .clock import Shift
from .geo import TRAVEL_TOLERANCE_KM, Points, chord_of, farther_than, haversine_from
from .geo import BoolArray as BoolArray
from .geo import FloatArray as FloatArray
from .geo import IntArray as IntArray
from .lexorder import lexorder
from .model import MINUTES_PER_DAY, PAIR_REASON_CODES, Opening, Problem, Youth
from .nearby import Nearby
from .rules import Limits, legal_codes, rule_table, youth_limits

REASON_CODES = PAIR_REASON_CODES
_CLASS_CODES = ("not_light_work", "alcohol", "working_window", "legal_hours", "rest")
_NO_MAX_AGE = np.iinfo(np.int64).max  # older than anyone


@dataclass(frozen=True, slots=True)
class Candidates:
    """The eligible pairs as parallel arrays of youth and opening indices, opening-major with
    youths ascending within an opening (so `opening * n_youths + youth` ascends)."""

    youth: IntArray
    opening: IntArray
    distance_km: FloatArray

    def __len__(self) -> int:
        return len(self.youth)


class Eligibility:
    """Vectorised eligibility of every youth for every opening of one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        youths, openings = problem.youths, problem.openings
        self.youth_index = {y.id: i for i, y in enumerate(youths)}
        self.opening_index = {o.id: i for i, o in enumerate(openings)}
        n = len(youths)
        table = rule_table(problem.options.rules)
        school_week = problem.period == "school"
        self.age = np.array([y.age for y in youths], dtype=np.int64)
        self.min_age = table.min_age
        limits = [
            youth_limits(y, rules=problem.options.rules, school_week=school_week) for y in youths
        ]
        classes: dict[Limits, int] = {}
        self.youth_class = np.array(
            [classes.setdefault(lim, len(classes)) for lim in limits], dtype=np.int64
        )
        self.classes: list[Limits] = list(classes)
        self.limits = limits
        self.lat = np.array([y.location.lat if y.location else np.nan for y in youths])
        self.lon = np.array([y.location.lon if y.location else np.nan for y in youths])
        self._homes = Points.of(self.lat, self.lon)
        self.travel = np.array(
            [np.inf if y.max_travel_km is None else y.max_travel_km for y in youths]
        )
        self._reach_km = self.travel + TRAVEL_TOLERANCE_KM
        self._reach_chord = chord_of(self._reach_km)
        self.has_availability = np.array([y.availability is not None for y in youths], dtype=bool)
        self.window_start, self.window_end = _window_arrays(youths)
        self._attributes: dict[tuple[str, str], BoolArray] = {}
        self._listing: dict[str, dict[str, list[int]]] = {}
        self.excluders: dict[str, list[int]] = defaultdict(list)
        for i, youth in enumerate(youths):
            for employer in youth.exclude_employers:
                self.excluders[employer].append(i)
        self._employers = [opening.employer for opening in openings]
        self.forbidders: dict[int, list[int]] = defaultdict(list)
        for pair in problem.forbidden:
            self.forbidders[self.opening_index[pair.opening]].append(self.youth_index[pair.youth])
        self._class_table = self._class_rules(openings)
        self._class_blocked: BoolArray = np.logical_or.reduce(self._class_table, axis=0)
        self._opening_min_age = np.array([max(self.min_age, o.min_age) for o in openings],
                                         dtype=np.int64)  # fmt: skip
        self._opening_max_age = np.array(
            [_NO_MAX_AGE if o.max_age is None else o.max_age for o in openings], dtype=np.int64
        )
        self._shift_at, self._shifts = _shift_table(openings)
        self.opening_lat = np.array([o.location.lat if o.location else np.nan for o in openings])
        self.opening_lon = np.array([o.location.lon if o.location else np.nan for o in openings])
        self.all_youths = np.arange(n, dtype=np.int64)
        self.nearby = Nearby(self.lat, self.lon, self.travel, self.opening_lat, self.opening_lon)

    def has(self, attribute: str, value: str) -> BoolArray:
        """Which youths list `value` under `attribute` (languages, certificates, ...)."""
        key = (attribute, value)
        if key not in self._attributes:
            if attribute not in self._listing:  # every value's youths, in one pass
                listing: dict[str, list[int]] = defaultdict(list)
                for i, youth in enumerate(self.problem.youths):
                    for listed in getattr(youth, attribute):
                        listing[listed].append(i)
                self._listing[attribute] = listing
            mask = np.zeros(len(self.problem.youths), dtype=bool)
            mask[self._listing[attribute].get(value, [])] = True
            self._attributes[key] = mask
        return self._attributes[key]

    def _class_rules(self, openings: tuple[Opening, ...]) -> BoolArray:
        """[code, opening, youth class]: whether the opening breaks the class-level rule;
        openings alike in what those rules read share their rows."""
        alike: dict[tuple[object, ...], dict[str, BoolArray]] = {}
        by_class = []
        for opening in openings:
            key = (opening.shifts, opening.workplace, opening.light_work, opening.alcohol)
            if key not in alike:
                alike[key] = self._codes_by_class(opening)
            by_class.append(alike[key])
        table = np.array([[rows[code] for rows in by_class] for code in _CLASS_CODES], dtype=bool)
        return table.reshape(len(_CLASS_CODES), len(openings), len(self.classes))

    def _codes_by_class(self, opening: Opening) -> dict[str, BoolArray]:
        """For each youth class, whether the opening breaks each class-level rule."""
        rows = {code: np.zeros(len(self.classes), dtype=bool) for code in _CLASS_CODES}
        for c, limits in enumerate(self.classes):
            rows["not_light_work"][c] = limits.light_work_only and not opening.light_work
            rows["alcohol"][c] = opening.alcohol not in limits.alcohol_allowed
            for code in _legal_codes(opening.shifts, limits, opening.workplace):
                rows[code][c] = True
        return rows

    def reasons(self, o: int, subset: IntArray | None = None) -> dict[str, BoolArray]:
        """For one opening, a mask per reason code over `subset` (default: every youth)."""
        ys = self.all_youths if subset is None else subset
        masks = self.reasons_at(np.array([o], dtype=np.int64), ys)
        return {code: mask[0] for code, mask in masks.items()}

    def reasons_at(self, os: IntArray, ys: IntArray) -> dict[str, BoolArray]:
        """For openings `os` and youths `ys`, an [opening, youth] mask per reason code."""
        codes = self._age_codes(os, ys)
        # Rows, then columns: far quicker than one gather by `np.ix_`.
        table, classes = self._class_table[:, os], self.youth_class[ys]
        for c, code in enumerate(_CLASS_CODES):
            codes[code] = table[c][:, classes]
        return codes | self._pair_codes(os, ys)

    def blocked_at(self, os: IntArray, ys: IntArray) -> BoolArray:
        """[opening, youth]: whether any rule rules the pair out (`reasons_at`, combined)."""
        blocked = self._class_blocked[os][:, self.youth_class[ys]]
        for mask in (*self._age_codes(os, ys).values(), *self._pair_codes(os, ys).values()):
            blocked |= mask
        return blocked

    def _age_codes(self, os: IntArray, ys: IntArray) -> dict[str, BoolArray]:
        age = self.age[ys]
        return {
            "too_young": age < self._opening_min_age[os, None],
            "too_old": age > self._opening_max_age[os, None],
        }

    def _pair_codes(self, os: IntArray, ys: IntArray) -> dict[str, BoolArray]:
        """The codes that depend on the youth itself, not only on its age and class."""
        employers = self._employers
        return {
            "unavailable": self.has_availability[ys] & ~self._covers(os, ys),
            "too_far": self.farther_than(os, ys, self._reach_km[ys], self._reach_chord[ys]),
            "language": self._lacks(os, ys, "languages", "required_languages"),
            "certificate": self._lacks(os, ys, "certificates", "required_certificates"),
            "excluded": self._marked(os, ys, lambda o: self.excluders.get(employers[o])),
            "forbidden": self._marked(os, ys, self.forbidders.get),
        }

    def distances(self, o: int, subset: IntArray) -> FloatArray:
        """Km from each youth's home to the opening; NaN where either location is unknown."""
        location = self.problem.openings[o].location
        if location is None:
            return np.full(len(subset), np.nan)
        return haversine_from(self._homes, subset, location.lat, location.lon)

    def farther_than(self, os: IntArray, ys: IntArray, limit_km: FloatArray,
                     chord_limit: FloatArray | None = None) -> BoolArray:  # fmt: skip
        """[opening, youth]: whether the youth lives farther from the opening than the
        youth's `limit_km` (`chord_limit` their `geo.chord_of` when known), exactly as
        `distances` says, without working out every distance; never where either place is
        unknown."""
        if chord_limit is None:
            chord_limit = chord_of(limit_km)
        return farther_than(self._homes, ys, self.opening_lat[os], self.opening_lon[os],
                            limit_km, chord_limit)  # fmt: skip

    def _covers(self, os: IntArray, ys: IntArray) -> BoolArray:
        """[opening, youth]: whether the youth's windows hold each of the opening's shifts
        (each shift the openings share worked out once)."""
        shifts, at = np.unique(self._shift_at[os].ravel(), return_inverse=True)
        at = at.reshape(len(os), self._shift_at.shape[1])  # [opening, k]: one of `shifts`
        day, start, end = self._shifts[:, shifts]
        # [shift, youth, window]: the youths' windows on each shift's day.
        starts = self.window_start[ys].transpose(1, 0, 2)[day]
        ends = self.window_end[ys].transpose(1, 0, 2)[day]
        held = ((starts <= start[:, None, None]) & (ends >= end[:, None, None])).any(axis=2)
        covered = np.ones((len(os), len(ys)), dtype=bool)
        for k in range(at.shape[1]):
            covered &= held[at[:, k]]
        return covered

    def _lacks(self, os: IntArray, ys: IntArray, attribute: str, required: str) -> BoolArray:
        """[opening, youth]: whether the youth lacks a value the opening requires."""
        lacking = np.zeros((len(os), len(ys)), dtype=bool)
        rows: dict[str, list[int]] = defaultdict(list)
        for row, o in enumerate(os.tolist()):
            for value in getattr(self.problem.openings[o], required):
                rows[value].append(row)
        for value, needing in rows.items():
            lacking[needing] |= ~self.has(attribute, value)[ys]
        return lacking

    def _marked(self, os: IntArray, ys: IntArray, marked: Callable[[int], list[int] | None]
                ) -> BoolArray:  # fmt: skip
        """[opening, youth]: whether the youth is among the opening's `marked` youths."""
        result = np.zeros((len(os), len(ys)), dtype=bool)
        rows: list[int] = []
        youths: list[int] = []
        for row, o in enumerate(os.tolist()):
            if found := marked(o):
                rows += [row] * len(found)
                youths += found
        if rows:
            column = np.full(len(self.problem.youths), -1, dtype=np.int64)
            column[ys] = np.arange(len(ys))
            at, columns = np.array(rows), column[youths]
            result[at[columns >= 0], columns[columns >= 0]] = True
        return result

    def candidates(self) -> Candidates:
        """Every eligible pair, opening by opening, youths in input order within an opening."""
        youth_parts, opening_parts = [], []
        for os, ys in self.nearby.groups():
            rows, columns = np.nonzero(~self.blocked_at(os, ys))
            opening_parts.append(os[rows])
            youth_parts.append(ys[columns])
        if not youth_parts:
            empty = np.zeros(0, dtype=np.int64)
            return Candidates(empty, empty.copy(), np.zeros(0))
        youth, opening = np.concatenate(youth_parts), np.concatenate(opening_parts)
        # Each opening is in one group, its youths in order there: sorting by opening will do.
        order = lexorder(opening)
        youth, opening = youth[order], opening[order]
        starts = np.searchsorted(opening, np.arange(len(self.problem.openings) + 1))
        distance = np.concatenate([
            self.distances(o, youth[first:last])
            for o, (first, last) in enumerate(zip(starts[:-1].tolist(), starts[1:].tolist(),
                                                  strict=True))
        ] or [np.zeros(0)])  # fmt: skip
        return Candidates(youth, opening, distance)

    def pair_reasons(self, y: int, o: int) -> list[str]:
        """The sorted reason codes of one pair (empty when eligible)."""
        masks = self.reasons(o, np.array([y], dtype=np.int64))
        return sorted(code for code, mask in masks.items() if mask[0])


@lru_cache(maxsize=1 << 16)  # the parts of a problem, and openings alike, share them
def _legal_codes(shifts: tuple[Shift, ...], limits: Limits, workplace: str) -> frozenset[str]:
    """`rules.legal_codes` of one opening's week for one group's limits."""
    return frozenset(legal_codes(shifts, limits, workplace=workplace))


def _shift_table(openings: tuple[Opening, ...]) -> tuple[IntArray, IntArray]:
    """Each opening's shifts as [opening, k] indices into a [day/start/end, shift] table of
    the distinct shifts, padded with a shift that every youth's windows hold."""
    width = max((len(o.shifts) for o in openings), default=0)
    rows = np.zeros((len(openings), width, 3), dtype=np.int64)
    rows[:, :, 1], rows[:, :, 2] = MINUTES_PER_DAY + 1, -1
    for i, opening in enumerate(openings):
        for k, shift in enumerate(opening.shifts):
            rows[i, k] = shift.day, shift.start, shift.end
    shifts, at = np.unique(rows.reshape(-1, 3), axis=0, return_inverse=True)
    return at.reshape(len(openings), width), shifts.T.copy()


def _window_arrays(youths: tuple[Youth, ...]) -> tuple[IntArray, IntArray]:
    """Availability as [youth, day, k] start and end arrays, padded so pads contain nothing."""
    width = max((max(Counter(s.day for s in y.availability).values(), default=0)
                 for y in youths if y.availability), default=0)  # fmt: skip
    width = max(width, 1)
    starts = np.full((len(youths), 7, width), MINUTES_PER_DAY + 1, dtype=np.int64)
    ends = np.full((len(youths), 7, width), -1, dtype=np.int64)
    for i, youth in enumerate(youths):
        slot = [0] * 7
        for shift in youth.availability or ():
            starts[i, shift.day, slot[shift.day]] = shift.start
            ends[i, shift.day, slot[shift.day]] = shift.end
            slot[shift.day] += 1
    return starts, ends


def reasons_for(problem: Problem, youth: Youth, opening: Opening) -> list[str]:
    """The sorted reason codes why `youth` may not take `opening` (empty: eligible)."""
    forbidden = tuple(
        p for p in problem.forbidden if p.youth == youth.id and p.opening == opening.id
    )
    single = Problem(
        (youth,),
        (opening,),
        problem.start_date,
        problem.period,
        (),
        forbidden,
        problem.weights,
        problem.options,
    )
    return Eligibility(single).pair_reasons(0, 0)
