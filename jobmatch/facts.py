"""The figures behind each `Reason`: typed facts, so that nobody parses its English sentence.

Every reason the library gives carries one of these in `Reason.facts`. A reason
about one opening that fails on that rule only (a near miss) carries a
`PairFacts` subclass, with the rule's own figures and the opening's free
positions; a reason about an opening the youth could take carries
`PositionsTaken`; a reason about no single opening carries `RuledOut`,
`MoreTaken`, `NoOpenings` or `NotLooking`. Times are minutes since midnight,
days 0 (Monday) to 6, hours in minutes, distances in km.

The sentence in `Reason.detail` is written from these facts (`sentences.detail`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .clock import Shift

HoursLimit = Literal["school_day", "day", "week"]
Why = Literal["empty", "higher", "same", "mixed"]


@dataclass(frozen=True, slots=True)
class PairFacts:
    """A near miss: the opening fails on this one rule; `free_positions` it still has."""

    free_positions: int


@dataclass(frozen=True, slots=True)
class TooYoung(PairFacts):
    """`too_young`: the youth's age, and the least age the opening takes under the law."""

    age: int
    min_age: int


@dataclass(frozen=True, slots=True)
class TooOld(PairFacts):
    """`too_old`: the youth's age and the opening's `max_age`."""

    age: int
    max_age: int


@dataclass(frozen=True, slots=True)
class NotLightWork(PairFacts):
    """`not_light_work`: the youth's group ("A") may only do light work."""

    group: str


@dataclass(frozen=True, slots=True)
class AlcoholServed(PairFacts):
    """`alcohol`: the opening's `alcohol` ("food" or "bar") rules it out for the group."""

    alcohol: str
    group: str


@dataclass(frozen=True, slots=True)
class Unavailable(PairFacts):
    """`unavailable`: the opening's shifts that lie outside every availability window."""

    shifts: tuple[Shift, ...]


@dataclass(frozen=True, slots=True)
class OutsideWindow(PairFacts):
    """`working_window`: the shifts outside the window [start, end) the group may work."""

    shifts: tuple[Shift, ...]
    window_start: int
    window_end: int
    group: str


@dataclass(frozen=True, slots=True)
class OverHours(PairFacts):
    """`legal_hours`, an hour cap: `minutes` of work where `cap_minutes` are allowed.

    `limit` says which cap: a school day or another day (`day` names it), or the
    week (`day` is None). `weekly_minutes` is the opening's whole week.
    """

    limit: HoursLimit
    day: int | None
    minutes: int
    cap_minutes: int
    weekly_minutes: int
    group: str


@dataclass(frozen=True, slots=True)
class TooManyDays(PairFacts):
    """`legal_hours`, the days off: `working_days` a week where `max_days` are allowed."""

    working_days: int
    max_days: int
    weekly_minutes: int
    group: str


@dataclass(frozen=True, slots=True)
class ShortRest(PairFacts):
    """`rest`: `rest_minutes` from the end of `day` to the start of `next_day`, under the
    `min_rest_minutes` the group needs."""

    rest_minutes: int
    min_rest_minutes: int
    day: int
    next_day: int
    group: str


@dataclass(frozen=True, slots=True)
class TooFar(PairFacts):
    """`too_far`: the great-circle `distance_km` from home, over the youth's `limit_km`."""

    distance_km: float
    limit_km: float


@dataclass(frozen=True, slots=True)
class Missing(PairFacts):
    """`language` or `certificate`: the required ones the youth lacks, in the opening's order."""

    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Excluded(PairFacts):
    """`excluded`: the youth has ruled out this employer id."""

    employer: str


@dataclass(frozen=True, slots=True)
class Forbidden(PairFacts):
    """`forbidden`: a coordinator has ruled the pair out."""


@dataclass(frozen=True, slots=True)
class Holder:
    """A youth who holds a position of the opening, with priority and score there."""

    youth: str
    priority: int
    score: int


@dataclass(frozen=True, slots=True)
class PositionsTaken:
    """`positions_taken` for one opening the youth is eligible for (with `score` there).

    `why` the `holders` came first: "higher" (all have a higher priority), "same"
    (all the same or higher), "mixed" (otherwise), "empty" (nobody holds it).
    """

    score: int
    positions: int
    holders: tuple[Holder, ...]
    why: Why


@dataclass(frozen=True, slots=True)
class RuledOut:
    """A summary for one code: it rules out `count` of `total` openings.

    For `too_far`, `total` is every opening and `limit_km` the youth's limit; for
    the other codes, `total` is the openings within reach and `limit_km` is None.
    """

    count: int
    total: int
    limit_km: float | None = None


@dataclass(frozen=True, slots=True)
class MoreTaken:
    """`positions_taken` in summary: `count` more eligible openings, all full."""

    count: int


@dataclass(frozen=True, slots=True)
class NoOpenings:
    """`positions_taken` in summary: the problem has no openings at all."""


@dataclass(frozen=True, slots=True)
class NotLooking:
    """`max_jobs_zero`: the youth's `max_jobs` is 0."""


Facts = PairFacts | PositionsTaken | RuledOut | MoreTaken | NoOpenings | NotLooking
"""What `Reason.facts` holds (the `PairFacts` subclasses for near misses)."""
