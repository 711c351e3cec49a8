"""An independent validator of jobmatch-solution/1 documents against their problem.

Written apart from the solver and from `eligibility`: every hard rule of the spec
is checked again here in plain scalar Python, straight from the spec's text, so
that a bug on the fast path shows up as a violation instead of a wrong answer.
It trusts only the model, the rule table's data (`rules.rule_table`) and the
score's definition (`scoring.rank_points`, `scoring.buddy_score`).

Rules are named by the spec's reason codes where one applies (`legal_hours`,
`rest`, ...) and otherwise by: `document`, `status`, `objective`, `bound`,
`score`, `missing_onboarding`, `unknown_youth`, `unknown_opening`, `duplicate`,
`positions`, `max_jobs`, `overlap`, `fixed`, `unmatched`, `reason_code`. An
`infeasible` document (the fixed pairs cannot all hold) is reported once, with
the rule the fixed pairs break together, or as wrong when they do hold; it need
not list the unplaced youths.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import (
    DAYS,
    MINUTES_PER_DAY,
    PAIR_REASON_CODES,
    Location,
    Opening,
    Pair,
    Problem,
    Shift,
    Youth,
)
from .model import format_time as _time
from .rules import Limits, RuleTable, rule_table
from .scoring import buddy_score, rank_points

SOLUTION_FORMAT = "jobmatch-solution/1"
STATUSES = ("optimal", "feasible", "infeasible")
OBJECTIVE_KEYS = ("priority_matched", "matched", "score")
REASON_CODES: tuple[str, ...] = (*PAIR_REASON_CODES, "positions_taken", "max_jobs_zero")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its code, the records it concerns and what is wrong."""

    rule: str
    message: str
    youth: str | None = None
    opening: str | None = None

    def __str__(self) -> str:
        records = [
            f"{kind} {name!r}"
            for kind, name in (("youth", self.youth), ("opening", self.opening))
            if name is not None
        ]
        where = f" ({', '.join(records)})" if records else ""
        return f"{self.rule}{where}: {self.message}"


def check(problem: Problem, solution: Mapping[str, Any]) -> list[Violation]:
    """Every rule of the spec that a solution document breaks.

    Args:
        problem: the validated problem (from `jobmatch.load`).
        solution: the parsed jobmatch-solution/1 document; anything else (a list,
            missing keys, wrong types) is reported as violations, never raised.

    Returns:
        The violations in a stable order: the document's structure, then each
        assignment, each youth, each opening, the fixed pairs, the objective and
        the unmatched list. Empty when the solution is feasible and consistent.
    """
    if not isinstance(solution, Mapping):
        return [Violation("document", f"must be a JSON object, got {_kind(solution)}")]
    return _Checker(problem, solution).run()


@dataclass(frozen=True, slots=True)
class _Placed:
    """One well-formed assignment entry whose ids are known."""

    index: int
    youth: Youth
    opening: Opening
    score: int | None
    missing_onboarding: tuple[str, ...] | None


class _Checker:
    """Checks one solution document; collects violations instead of raising."""

    def __init__(self, problem: Problem, solution: Mapping[str, Any]) -> None:
        self.problem = problem
        self.solution = solution
        self.table = rule_table(problem.options.rules)
        self.youths = {y.id: y for y in problem.youths}
        self.openings = {o.id: o for o in problem.openings}
        self.found: list[Violation] = []

    def run(self) -> list[Violation]:
        """Apply every check in order."""
        self._check_header()
        placed = self._read_assignments()
        self._check_placements(placed)
        if self.solution.get("status") == "infeasible":
            self._check_infeasible()
        else:
            self._check_fixed(placed)
        self._check_objective(placed)
        self._check_unmatched(placed)
        return self.found

    def _check_placements(self, placed: list[_Placed]) -> None:
        """The hard rules of the spec over these placements."""
        self._check_pairs(placed)
        self._check_youths(placed)
        self._check_openings(placed)

    def _check_infeasible(self) -> None:
        """An infeasible solution is reported once, with the rule the fixed pairs break."""
        fixed = [_Placed(i, self.youths[pair.youth], self.openings[pair.opening], None, None)
                 for i, pair in enumerate(self.problem.fixed)]  # fmt: skip
        probe = _Checker(self.problem, self.solution)
        probe._check_placements(fixed)
        if probe.found:
            self._fail("status", f"the solution is infeasible: the fixed pairs cannot all hold "
                       f"({probe.found[0]})")  # fmt: skip
        else:
            self._fail("status", "the solution says infeasible, but the fixed pairs hold together")

    def _fail(
        self, rule: str, message: str, youth: str | None = None, opening: str | None = None
    ) -> None:
        self.found.append(Violation(rule, message, youth, opening))

    def _field(
        self, obj: Mapping[str, Any], key: str, kind: type, where: str, youth: str | None = None
    ) -> Any:
        """The value at `key` when it has the right type, else None (and a violation)."""
        if key not in obj:
            self._fail("document", f"{where}.{key} is missing", youth)
            return None
        value = obj[key]
        if not _is(value, kind):
            self._fail(
                "document", f"{where}.{key} must be {_KINDS[kind]}, got {_kind(value)}", youth
            )
            return None
        return value

    def _check_header(self) -> None:
        """The format and the status."""
        fmt = self._field(self.solution, "format", str, "solution")
        if fmt is not None and fmt != SOLUTION_FORMAT:
            self._fail("document", f"solution.format must be {SOLUTION_FORMAT!r}, got {fmt!r}")
        status = self._field(self.solution, "status", str, "solution")
        if status is not None and status not in STATUSES:
            self._fail("status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
        if status == "feasible" and "bound" not in self.solution:
            self._fail("bound", "a feasible (not proven optimal) solution must give its bound")
        if "stats" in self.solution and not isinstance(self.solution["stats"], Mapping):
            self._fail(
                "document",
                f"solution.stats must be an object, got {_kind(self.solution['stats'])}",
            )

    def _read_assignments(self) -> list[_Placed]:
        """The well-formed assignments with known ids; the rest are reported."""
        raw = self._field(self.solution, "assignments", list, "solution")
        placed: list[_Placed] = []
        seen: set[tuple[str, str]] = set()
        for i, item in enumerate(raw or ()):
            where = f"assignments[{i}]"
            if not isinstance(item, Mapping):
                self._fail("document", f"{where} must be an object, got {_kind(item)}")
                continue
            youth_id = self._field(item, "youth", str, where)
            opening_id = self._field(item, "opening", str, where, youth_id)
            score = self._field(item, "score", int, where, youth_id)
            missing = self._field(item, "missing_onboarding", list, where, youth_id)
            if missing is not None and not all(isinstance(step, str) for step in missing):
                self._fail("document", f"{where}.missing_onboarding must list strings", youth_id)
                missing = None
            if youth_id is not None and youth_id not in self.youths:
                self._fail("unknown_youth", f"{where} names unknown youth {youth_id!r}", youth_id)
            if opening_id is not None and opening_id not in self.openings:
                self._fail(
                    "unknown_opening",
                    f"{where} names unknown opening {opening_id!r}",
                    youth_id,
                    opening_id,
                )
            if youth_id not in self.youths or opening_id not in self.openings:
                continue
            if (youth_id, opening_id) in seen:
                self._fail("duplicate", f"{where} repeats this assignment", youth_id, opening_id)
                continue
            seen.add((youth_id, opening_id))
            placed.append(
                _Placed(
                    i,
                    self.youths[youth_id],
                    self.openings[opening_id],
                    score,
                    None if missing is None else tuple(missing),
                )
            )
        return placed

    def _check_pairs(self, placed: list[_Placed]) -> None:
        """Each assignment is an eligible pair with the right score and onboarding list.

        An assignment's score is the pair's score plus `weights.buddy` for each buddy the
        youth names who holds the same opening, so that the scores add up to the objective.
        """
        holders: dict[str, set[str]] = {}
        for entry in placed:
            holders.setdefault(entry.opening.id, set()).add(entry.youth.id)
        for entry in placed:
            youth, opening = entry.youth, entry.opening
            self.found.extend(pair_violations(self.problem, youth, opening))
            buddies = sum(b in holders[opening.id] for b in youth.buddies)
            expected = (
                pair_score(self.problem, youth, opening) + self.problem.weights.buddy * buddies
            )
            if entry.score is not None and entry.score != expected:
                self._fail(
                    "score",
                    f"assignments[{entry.index}].score is {entry.score}, the "
                    f"pair scores {expected} (buddies at the same opening included)",
                    youth.id,
                    opening.id,
                )
            steps = tuple(s for s in opening.onboarding_steps if s not in youth.onboarding)
            if entry.missing_onboarding is not None and entry.missing_onboarding != steps:
                self._fail(
                    "missing_onboarding",
                    f"assignments[{entry.index}].missing_onboarding "
                    f"is {list(entry.missing_onboarding)}, should be {list(steps)}",
                    youth.id,
                    opening.id,
                )

    def _check_youths(self, placed: list[_Placed]) -> None:
        """Per youth: max_jobs, no overlapping shifts, and the rules over all jobs together."""
        by_youth: dict[str, list[Opening]] = defaultdict(list)
        for entry in placed:
            by_youth[entry.youth.id].append(entry.opening)
        alone = {(v.youth, v.rule) for v in self.found}
        for youth_id, openings in by_youth.items():
            youth = self.youths[youth_id]
            names = ", ".join(o.id for o in openings)
            if len(openings) > youth.max_jobs:
                self._fail(
                    "max_jobs",
                    f"holds {names}, more than its max_jobs of {youth.max_jobs}",
                    youth_id,
                )
            if len(openings) < 2:
                continue
            for (a, first), (b, second) in _overlaps(openings):
                self._fail(
                    "overlap", f"shift {first} of {a} overlaps shift {second} of {b}", youth_id
                )
            limits = self._limits(youth)
            if limits is None:
                continue
            shifts = [shift for opening in openings for shift in opening.shifts]
            for rule, message in _schedule_breaks(limits, shifts):
                if (youth_id, rule) not in alone:
                    self._fail(rule, f"over all placements ({names}): {message}", youth_id)

    def _check_openings(self, placed: list[_Placed]) -> None:
        """No opening holds more youths than its positions."""
        held = Counter(entry.opening.id for entry in placed)
        for opening in self.problem.openings:
            if held[opening.id] > opening.positions:
                self._fail(
                    "positions",
                    f"holds {held[opening.id]} youths, positions is {opening.positions}",
                    opening=opening.id,
                )

    def _check_fixed(self, placed: list[_Placed]) -> None:
        """Every fixed pair is assigned."""
        pairs = {(entry.youth.id, entry.opening.id) for entry in placed}
        for pair in self.problem.fixed:
            if (pair.youth, pair.opening) not in pairs:
                self._fail("fixed", "the fixed pair is not assigned", pair.youth, pair.opening)

    def _check_objective(self, placed: list[_Placed]) -> None:
        """The objective (and bound) agree with the assignments."""
        objective = self._numbers("objective")
        bound = self._numbers("bound") if "bound" in self.solution else None
        if objective is None:
            return
        placed_youths = {entry.youth.id: entry.youth for entry in placed}
        index = {o.id: i for i, o in enumerate(self.problem.openings)}
        holds: list[list[int]] = [[] for _ in self.problem.youths]
        youth_index = {y.id: i for i, y in enumerate(self.problem.youths)}
        for entry in placed:
            holds[youth_index[entry.youth.id]].append(index[entry.opening.id])
        actual = {
            "priority_matched": sum(y.priority for y in placed_youths.values()),
            "matched": len(placed_youths),
            "score": sum(pair_score(self.problem, e.youth, e.opening) for e in placed)
            + buddy_score(self.problem, holds),
        }
        for key in OBJECTIVE_KEYS:
            if objective[key] != actual[key]:
                self._fail(
                    "objective",
                    f"objective.{key} is {objective[key]}, the assignments give {actual[key]}",
                )
        if bound is None:
            return
        if bound["priority_matched"] < actual["priority_matched"]:
            self._fail(
                "bound",
                f"bound.priority_matched {bound['priority_matched']} is below "
                f"the solution's {actual['priority_matched']}",
            )
        elif (
            bound["priority_matched"] == actual["priority_matched"]
            and bound["score"] < actual["score"]
        ):
            self._fail(
                "bound", f"bound.score {bound['score']} is below the solution's {actual['score']}"
            )

    def _numbers(self, key: str) -> dict[str, int] | None:
        """The object at `key` with its three whole-number keys, or None."""
        obj = self._field(self.solution, key, Mapping, "solution")
        if obj is None:
            return None
        values = {name: self._field(obj, name, int, key) for name in OBJECTIVE_KEYS}
        if any(value is None for value in values.values()):
            return None
        return values

    def _check_unmatched(self, placed: list[_Placed]) -> None:
        """Exactly the unplaced youths are listed, each with known reason codes."""
        raw = self._field(self.solution, "unmatched", list, "solution")
        if raw is None:
            return
        placed_ids = {entry.youth.id for entry in placed}
        listed: Counter[str] = Counter()
        for i, item in enumerate(raw):
            where = f"unmatched[{i}]"
            if not isinstance(item, Mapping):
                self._fail("document", f"{where} must be an object, got {_kind(item)}")
                continue
            youth_id = self._field(item, "youth", str, where)
            if youth_id is not None:
                listed[youth_id] += 1
                if youth_id not in self.youths:
                    self._fail(
                        "unknown_youth", f"{where} names unknown youth {youth_id!r}", youth_id
                    )
                elif youth_id in placed_ids:
                    self._fail("unmatched", f"{where} lists a youth who is placed", youth_id)
            reasons = self._field(item, "reasons", list, where, youth_id)
            if reasons is not None:
                self._check_reasons(reasons, where, youth_id)
        infeasible = self.solution.get("status") == "infeasible"
        for youth in self.problem.youths:
            if youth.id not in placed_ids and not listed[youth.id] and not infeasible:
                self._fail(
                    "unmatched", "the youth is not placed but not listed in unmatched", youth.id
                )
            if listed[youth.id] > 1:
                self._fail("unmatched", f"the youth is listed {listed[youth.id]} times", youth.id)

    def _check_reasons(self, reasons: list[Any], where: str, youth_id: str | None) -> None:
        """Each reason has a spec code, a detail and, if any, a known opening."""
        if not reasons:
            self._fail("unmatched", f"{where}.reasons is empty; say why", youth_id)
        for j, reason in enumerate(reasons):
            at = f"{where}.reasons[{j}]"
            if not isinstance(reason, Mapping):
                self._fail("document", f"{at} must be an object, got {_kind(reason)}", youth_id)
                continue
            code = self._field(reason, "code", str, at, youth_id)
            self._field(reason, "detail", str, at, youth_id)
            if code is not None and code not in REASON_CODES:
                self._fail(
                    "reason_code", f"{at}.code {code!r} is not a spec reason code", youth_id
                )
            if "opening" in reason:
                opening_id = self._field(reason, "opening", str, at, youth_id)
                if opening_id is not None and opening_id not in self.openings:
                    self._fail(
                        "unknown_opening",
                        f"{at} names unknown opening {opening_id!r}",
                        youth_id,
                        opening_id,
                    )

    def _limits(self, youth: Youth) -> Limits | None:
        """The youth's limits in this problem's week."""
        return youth_limits(self.table, youth, self.problem.period == "school")


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
        for rule, message in _schedule_breaks(limits, opening.shifts):
            fail(rule, message)
    if youth.availability is not None:
        available = youth.availability
        uncovered = [s for s in opening.shifts if not any(w.contains(s) for w in available)]
        if uncovered:
            fail("unavailable", f"{_shifts(uncovered)} outside the youth's availability")
    if youth.location and opening.location and youth.max_travel_km is not None:
        km = distance_km(youth.location, opening.location)
        if km > youth.max_travel_km:
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


def _schedule_breaks(limits: Limits, shifts: Sequence[Shift]) -> Iterator[tuple[str, str]]:
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


def _overlaps(openings: Sequence[Opening]) -> Iterator[tuple[tuple[str, Shift], ...]]:
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


_KINDS: dict[type, str] = {
    str: "a string",
    int: "a whole number",
    list: "a list",
    Mapping: "an object",
}


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in _KINDS.items():
        if _is(value, kind):
            return name
    return "null" if value is None else "a number" if isinstance(value, float) else "a value"
