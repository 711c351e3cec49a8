"""Which (youth, opening) pairs are allowed, and for every other pair the reason codes why not.

The work is done opening by opening over arrays of youths, never in a Python
loop over all pairs: `Eligibility.candidates()` gives the eligible pairs of a
20,000 x 7,000 problem in seconds, and `Eligibility.reasons()` gives the codes
of any pair on demand, for explanations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .geo import (
    EARTH_RADIUS_KM,
    TRAVEL_TOLERANCE_KM,
    Points,
    chord_of,
    farther_than,
    haversine_from,
)
from .geo import FloatArray as FloatArray
from .geo import IntArray as IntArray
from .model import MINUTES_PER_DAY, PAIR_REASON_CODES, Opening, Problem, Youth
from .rules import Limits, legal_codes, rule_table, youth_limits

REASON_CODES = PAIR_REASON_CODES
_CLASS_CODES = ("not_light_work", "alcohol", "working_window", "legal_hours", "rest")
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The eligible pairs as parallel arrays of youth and opening indices, opening-major."""

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
        self.excluders: dict[str, list[int]] = defaultdict(list)
        for i, youth in enumerate(youths):
            for employer in youth.exclude_employers:
                self.excluders[employer].append(i)
        self.forbidders: dict[int, list[int]] = defaultdict(list)
        for pair in problem.forbidden:
            self.forbidders[self.opening_index[pair.opening]].append(self.youth_index[pair.youth])
        self._class_codes = [self._codes_by_class(o) for o in openings]
        self.all_youths = np.arange(n, dtype=np.int64)
        self._index_by_latitude()

    def _index_by_latitude(self) -> None:
        """Youths with a home and a travel limit, sorted by latitude: a degree of latitude
        is at least 111 km of great-circle distance, so a band of latitudes holds every
        youth who can reach an opening."""
        located = np.isfinite(self.travel) & ~np.isnan(self.lat)
        order = np.argsort(self.lat[located], kind="stable")
        self._by_latitude = np.flatnonzero(located)[order]
        self._latitudes = self.lat[self._by_latitude]
        self._longitudes = self.lon[self._by_latitude]
        self._anywhere = np.flatnonzero(~located)
        self._farthest_km = float(self.travel[located].max()) if located.any() else 0.0

    def within_reach(self, o: int, *, margin_km: float = 0.0) -> IntArray:
        """Every youth who may live within their travel limit (plus `margin_km`) of opening
        `o`: a superset, in input order (a box of latitudes and longitudes around it)."""
        opening = self.problem.openings[o]
        if opening.location is None:
            return self.all_youths
        lat, lon = opening.location.lat, opening.location.lon
        reach_km = self._farthest_km + margin_km + TRAVEL_TOLERANCE_KM
        band = np.degrees(reach_km / EARTH_RADIUS_KM) + 1e-9
        first, last = np.searchsorted(self._latitudes, [lat - band, lat + band])
        near = self._by_latitude[first:last]
        width = longitude_reach(lat, band, reach_km)
        if width is not None:
            apart = np.abs(self._longitudes[first:last] - lon) % 360.0
            near = near[np.minimum(apart, 360.0 - apart) <= width]
        # A mask back to input order: cheaper than sorting when most youths are near.
        reached = np.zeros(len(self.all_youths), dtype=bool)
        reached[self._anywhere] = True
        reached[near] = True
        return np.flatnonzero(reached)

    def has(self, attribute: str, value: str) -> BoolArray:
        """Which youths list `value` under `attribute` (languages, certificates, ...)."""
        key = (attribute, value)
        if key not in self._attributes:
            self._attributes[key] = np.array(
                [value in getattr(y, attribute) for y in self.problem.youths], dtype=bool
            )
        return self._attributes[key]

    def _codes_by_class(self, opening: Opening) -> dict[str, BoolArray]:
        """For each youth class, whether the opening breaks each class-level rule."""
        rows = {code: np.zeros(len(self.classes), dtype=bool) for code in _CLASS_CODES}
        for c, limits in enumerate(self.classes):
            rows["not_light_work"][c] = limits.light_work_only and not opening.light_work
            rows["alcohol"][c] = opening.alcohol not in limits.alcohol_allowed
            for code in legal_codes(opening.shifts, limits, workplace=opening.workplace):
                rows[code][c] = True
        return rows

    def reasons(self, o: int, subset: IntArray | None = None) -> dict[str, BoolArray]:
        """For one opening, a mask per reason code over `subset` (default: every youth)."""
        opening = self.problem.openings[o]
        ys = self.all_youths if subset is None else subset
        age = self.age[ys]
        too_young = (age < self.min_age) | (age < opening.min_age)
        too_old = (
            (age > opening.max_age) if opening.max_age is not None else np.zeros_like(too_young)
        )
        classes = self.youth_class[ys]
        codes = {"too_young": too_young, "too_old": too_old}
        for code, by_class in self._class_codes[o].items():
            codes[code] = by_class[classes]
        codes["unavailable"] = self.has_availability[ys] & ~self._covers(opening, ys)
        codes["too_far"] = self.farther_than(o, ys, self._reach_km[ys], self._reach_chord[ys])
        codes["language"] = self._lacks(ys, "languages", opening.required_languages)
        codes["certificate"] = self._lacks(ys, "certificates", opening.required_certificates)
        codes["excluded"] = self._marked(ys, self.excluders.get(opening.employer))
        codes["forbidden"] = self._marked(ys, self.forbidders.get(o))
        return codes

    def distances(self, o: int, subset: IntArray) -> FloatArray:
        """Km from each youth's home to the opening; NaN where either location is unknown."""
        location = self.problem.openings[o].location
        if location is None:
            return np.full(len(subset), np.nan)
        return haversine_from(self._homes, subset, location.lat, location.lon)

    def farther_than(self, o: int, subset: IntArray, limit_km: FloatArray,
                     chord_limit: FloatArray | None = None) -> BoolArray:  # fmt: skip
        """Which youths of `subset` live farther from opening `o` than `limit_km` (one limit
        each, `chord_limit` their `geo.chord_of` when known): `distances(o, subset) >
        limit_km`, without working out every distance."""
        location = self.problem.openings[o].location
        if location is None:
            return np.zeros(len(subset), dtype=bool)
        if chord_limit is None:
            chord_limit = chord_of(limit_km)
        return farther_than(self._homes, subset, location.lat, location.lon, limit_km,
                            chord_limit)  # fmt: skip

    def _covers(self, opening: Opening, ys: IntArray) -> BoolArray:
        covered = np.ones(len(ys), dtype=bool)
        for shift in opening.shifts:
            starts = self.window_start[ys, shift.day]
            ends = self.window_end[ys, shift.day]
            covered &= ((starts <= shift.start) & (ends >= shift.end)).any(axis=1)
        return covered

    def _lacks(self, ys: IntArray, attribute: str, required: tuple[str, ...]) -> BoolArray:
        lacking = np.zeros(len(ys), dtype=bool)
        for value in required:
            lacking |= ~self.has(attribute, value)[ys]
        return lacking

    def _marked(self, ys: IntArray, marked: list[int] | None) -> BoolArray:
        if not marked:
            return np.zeros(len(ys), dtype=bool)
        return np.isin(ys, np.asarray(marked, dtype=np.int64))

    def eligible(self, o: int, subset: IntArray | None = None) -> IntArray:
        """The youths (indices) eligible for opening `o`, pruned by the cheapest rules first."""
        return self._eligible_and_km(o, subset)[0]

    def _eligible_and_km(self, o: int, subset: IntArray | None = None
                         ) -> tuple[IntArray, FloatArray]:  # fmt: skip
        """`eligible`, and the km from each of those youths to the opening."""
        opening = self.problem.openings[o]
        ys = self.within_reach(o) if subset is None else subset
        age = self.age[ys]
        keep = (age >= max(self.min_age, opening.min_age)) & ~self._class_blocked(o)[
            self.youth_class[ys]
        ]
        if opening.max_age is not None:
            keep &= age <= opening.max_age
        ys = ys[keep]
        if len(ys):
            blocked = np.zeros(len(ys), dtype=bool)
            for mask in self.reasons(o, ys).values():
                blocked |= mask
            ys = ys[~blocked]
        return ys, self.distances(o, ys)

    def _class_blocked(self, o: int) -> BoolArray:
        rows = self._class_codes[o]
        blocked = np.zeros(len(self.classes), dtype=bool)
        for mask in rows.values():
            blocked |= mask
        return blocked

    def candidates(self) -> Candidates:
        """Every eligible pair, opening by opening, youths in input order within an opening."""
        youth_parts, opening_parts, distance_parts = [], [], []
        for o in range(len(self.problem.openings)):
            ys, km = self._eligible_and_km(o)
            youth_parts.append(ys)
            opening_parts.append(np.full(len(ys), o, dtype=np.int64))
            distance_parts.append(km)
        if not youth_parts:
            empty = np.zeros(0, dtype=np.int64)
            return Candidates(empty, empty.copy(), np.zeros(0))
        return Candidates(
            np.concatenate(youth_parts),
            np.concatenate(opening_parts),
            np.concatenate(distance_parts),
        )

    def pair_reasons(self, y: int, o: int) -> list[str]:
        """The sorted reason codes of one pair (empty when eligible)."""
        masks = self.reasons(o, np.array([y], dtype=np.int64))
        return sorted(code for code, mask in masks.items() if mask[0])


def longitude_reach(lat: float, band: float, reach_km: float) -> float | None:
    """How many degrees of longitude from a point at latitude `lat` hold every point within
    `reach_km` of it whose latitude is at most `band` degrees away; None: any longitude.

    By the haversine formula, hav(d / R) >= cos(lat1) cos(lat2) hav(dlon), and cos(lat2) is
    at least the cosine of the band's latitude farthest from the equator.
    """
    if reach_km >= np.pi * EARTH_RADIUS_KM / 2:
        return None
    nearest_pole = min(abs(lat) + band, 90.0)
    spread = np.cos(np.radians(lat)) * np.cos(np.radians(nearest_pole))
    most = np.sin(reach_km / EARTH_RADIUS_KM / 2) ** 2
    if spread <= 0 or most >= spread:
        return None
    # A part in a million and a nanodegree more, against rounding.
    return float(np.degrees(2 * np.arcsin(np.sqrt(most / spread)))) * (1 + 1e-6) + 1e-9


def _window_arrays(youths: tuple[Youth, ...]) -> tuple[IntArray, IntArray]:
    """Availability as [youth, day, k] start and end arrays, padded so pads contain nothing."""
    width = 1
    for youth in youths:
        for day in range(7):
            count = sum(1 for s in youth.availability or () if s.day == day)
            width = max(width, count)
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
