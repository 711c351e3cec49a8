"""Plain, frozen data classes for problems and solutions; they know nothing of any solver."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from .clock import DAYS as DAYS
from .clock import MINUTES_PER_DAY as MINUTES_PER_DAY
from .clock import Shift as Shift
from .clock import format_time as format_time
from .facts import Facts
from .geo import Location as Location

Kind = Literal["fritidsjob", "lommepengejob"]
Alcohol = Literal["none", "food", "bar"]
Period = Literal["school", "holiday"]
WORKPLACES: tuple[str, ...] = (
    "shop",
    "office",
    "service_station",
    "hotel_restaurant",
    "culture",
    "bakery",
    "farm",
    "newspaper_delivery",
    "other",
)
PAIR_REASON_CODES: tuple[str, ...] = (
    "too_young",
    "too_old",
    "not_light_work",
    "alcohol",
    "unavailable",
    "legal_hours",
    "working_window",
    "rest",
    "too_far",
    "language",
    "certificate",
    "excluded",
    "forbidden",
)
"""The spec's reason codes that rule out one (youth, opening) pair."""
DEFAULT_ONBOARDING: dict[str, tuple[str, ...]] = {
    "fritidsjob": ("bank_account", "mitid", "tax_card"),
    "lommepengejob": ("parental_consent",),
}


@dataclass(frozen=True, slots=True)
class Youth:
    """A young person looking for a job; see the spec for each field's meaning."""

    id: str
    age: int
    in_compulsory_school: bool
    availability: tuple[Shift, ...] | None = None
    location: Location | None = None
    max_travel_km: float | None = None
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    onboarding: tuple[str, ...] = ()
    priority: int = 1
    max_jobs: int = 1
    exclude_employers: tuple[str, ...] = ()
    preferences: tuple[str, ...] = ()
    buddies: tuple[str, ...] = ()
    birth_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Opening:
    """A job with weekly shifts and one or more positions; see the spec for each field."""

    id: str
    employer: str
    shifts: tuple[Shift, ...]
    title: str = ""
    category: str = ""
    kind: Kind = "fritidsjob"
    positions: int = 1
    min_age: int = 13
    max_age: int | None = None
    light_work: bool = False
    workplace: str = "other"
    alcohol: Alcohol = "none"
    location: Location | None = None
    required_languages: tuple[str, ...] = ()
    required_certificates: tuple[str, ...] = ()
    onboarding_steps: tuple[str, ...] = ()
    preferences: tuple[str, ...] = ()

    @property
    def weekly_minutes(self) -> int:
        """Total length of the opening's shifts in a week."""
        return sum(shift.minutes for shift in self.shifts)


@dataclass(frozen=True, slots=True, order=True)
class Pair:
    """A (youth id, opening id) pair, as used by `fixed`, `forbidden` and assignments."""

    youth: str
    opening: str


@dataclass(frozen=True, slots=True)
class Weights:
    """Integer weights of the preference score (see docs/scoring.md).

    Each assignment scores: `interest` when the opening's category is among the
    youth's interests; up to `youth_preference` and `employer_preference` for a
    place in either side's ranking (first place gets all, later places less);
    `distance` minus `distance_per_km` per whole km between home and work (never
    below zero); `onboarding` times the share of the opening's steps already done.
    Each buddy of the youth placed at the same opening adds `buddy`, and every
    assignment earns `assignment`, so that a youth who wants another job gets it
    where nothing else tells two solutions apart.
    """

    assignment: int = 1
    interest: int = 30
    youth_preference: int = 40
    employer_preference: int = 20
    distance: int = 20
    distance_per_km: int = 2
    onboarding: int = 10
    buddy: int = 15


@dataclass(frozen=True, slots=True)
class Options:
    """Solver options (docs/format.md): the time limit, the rule table, CP-SAT's workers,
    the method, how many processes solve independent parts and how small a part may be."""

    time_limit_s: float = 30.0
    rules: str = "dk-2026"
    workers: int = 1
    method: Literal["optimal", "stable"] = "optimal"
    processes: int = 1
    part_pairs: int = 20_000


@dataclass(frozen=True, slots=True)
class Problem:
    """A whole jobmatch/1 problem, validated (build it with `jobmatch.load`)."""

    youths: tuple[Youth, ...]
    openings: tuple[Opening, ...]
    start_date: dt.date | None = None
    period: Period = "school"
    fixed: tuple[Pair, ...] = ()
    forbidden: tuple[Pair, ...] = ()
    weights: Weights = field(default_factory=Weights)
    options: Options = field(default_factory=Options)


class Status(StrEnum):
    """How far a solution is proven."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"


@dataclass(frozen=True, slots=True)
class Objective:
    """The lexicographic objective: priority of placed youths, their number, the score."""

    priority_matched: int
    matched: int
    score: int


@dataclass(frozen=True, slots=True)
class Assignment:
    """One youth placed at one opening."""

    youth: str
    opening: str
    score: int
    missing_onboarding: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a youth is not placed: a spec reason code, optionally for one opening.

    `detail` is an English sentence for a person; `facts` holds its figures, typed
    (see `jobmatch.facts`), for a program. Every reason `solve` gives has facts.
    """

    code: str
    detail: str
    opening: str | None = None
    facts: Facts | None = None


@dataclass(frozen=True, slots=True)
class Unmatched:
    """An unplaced youth and every reason found."""

    youth: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Solution:
    """A jobmatch-solution/1 document."""

    status: Status
    objective: Objective
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    bound: Objective | None = None
    stats: dict[str, object] = field(default_factory=dict)
