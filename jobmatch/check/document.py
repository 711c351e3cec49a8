"""The validator's entry point: `check` a solution document's structure, its placements,
fixed pairs, objective and unmatched list against the problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..jsonkinds import is_whole_number, kind_of, shown
from ..model import PAIR_REASON_CODES, Problem
from ..scoring import buddy_score
from .pair_rules import pair_score
from .placements import Placed, PlacementCheck
from .violation import Violation

SOLUTION_FORMAT = "jobmatch-solution/1"
STATUSES = ("optimal", "feasible", "infeasible")
OBJECTIVE_KEYS = ("priority_matched", "matched", "score")
REASON_CODES: tuple[str, ...] = (*PAIR_REASON_CODES, "positions_taken", "max_jobs_zero")
_KINDS: dict[type, str] = {
    str: "a string",
    int: "a whole number",
    list: "a list",
    Mapping: "an object",
}


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
        return [Violation("document", f"must be a JSON object, got {kind_of(solution)}")]
    return _Checker(problem, solution).run()


class _Checker:
    """Checks one solution document; collects violations instead of raising."""

    def __init__(self, problem: Problem, solution: Mapping[str, Any]) -> None:
        self.problem = problem
        self.solution = solution
        self.youths = {y.id: y for y in problem.youths}
        self.openings = {o.id: o for o in problem.openings}
        self.found: list[Violation] = []

    def run(self) -> list[Violation]:
        """Apply every check in order."""
        self._check_header()
        placed = self._read_assignments()
        self.found.extend(PlacementCheck(self.problem).run(placed))
        if self.solution.get("status") == "infeasible":
            self._check_infeasible()
        else:
            self._check_fixed(placed)
        self._check_objective(placed)
        self._check_unmatched(placed)
        return self.found

    def _check_infeasible(self) -> None:
        """An infeasible solution is reported once, with the rule the fixed pairs break."""
        fixed = [Placed(i, self.youths[pair.youth], self.openings[pair.opening], None, None)
                 for i, pair in enumerate(self.problem.fixed)]  # fmt: skip
        broken = PlacementCheck(self.problem).run(fixed)
        if broken:
            self._fail("status", f"the solution is infeasible: the fixed pairs cannot all hold "
                       f"({broken[0]})")  # fmt: skip
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
                "document", f"{where}.{key} must be {_KINDS[kind]}, got {kind_of(value)}", youth
            )
            return None
        return value

    def _check_header(self) -> None:
        """The format and the status."""
        fmt = self._field(self.solution, "format", str, "solution")
        if fmt is not None and fmt != SOLUTION_FORMAT:
            message = f"solution.format must be {SOLUTION_FORMAT!r}, got {shown(fmt)}"
            self._fail("document", message)
        status = self._field(self.solution, "status", str, "solution")
        if status is not None and status not in STATUSES:
            self._fail("status", f"must be one of {', '.join(STATUSES)}, got {shown(status)}")
        if status == "feasible" and "bound" not in self.solution:
            self._fail("bound", "a feasible (not proven optimal) solution must give its bound")
        if "stats" in self.solution and not isinstance(self.solution["stats"], Mapping):
            self._fail(
                "document",
                f"solution.stats must be an object, got {kind_of(self.solution['stats'])}",
            )

    def _read_assignments(self) -> list[Placed]:
        """The well-formed assignments with known ids; the rest are reported."""
        raw = self._field(self.solution, "assignments", list, "solution")
        placed: list[Placed] = []
        seen: set[tuple[str, str]] = set()
        for i, item in enumerate(raw or ()):
            where = f"assignments[{i}]"
            if not isinstance(item, Mapping):
                self._fail("document", f"{where} must be an object, got {kind_of(item)}")
                continue
            youth_id = self._field(item, "youth", str, where)
            opening_id = self._field(item, "opening", str, where, youth_id)
            score = self._field(item, "score", int, where, youth_id)
            missing = self._field(item, "missing_onboarding", list, where, youth_id)
            if missing is not None and not all(isinstance(step, str) for step in missing):
                self._fail("document", f"{where}.missing_onboarding must list strings", youth_id)
                missing = None
            if youth_id is not None and youth_id not in self.youths:
                message = f"{where} names unknown youth {shown(youth_id)}"
                self._fail("unknown_youth", message, youth_id)
            if opening_id is not None and opening_id not in self.openings:
                self._fail(
                    "unknown_opening",
                    f"{where} names unknown opening {shown(opening_id)}",
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
                Placed(
                    i,
                    self.youths[youth_id],
                    self.openings[opening_id],
                    score,
                    None if missing is None else tuple(missing),
                )
            )
        return placed

    def _check_fixed(self, placed: list[Placed]) -> None:
        """Every fixed pair is assigned."""
        pairs = {(entry.youth.id, entry.opening.id) for entry in placed}
        for pair in self.problem.fixed:
            if (pair.youth, pair.opening) not in pairs:
                self._fail("fixed", "the fixed pair is not assigned", pair.youth, pair.opening)

    def _check_objective(self, placed: list[Placed]) -> None:
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
                    f"objective.{key} is {shown(objective[key])}, "
                    f"the assignments give {actual[key]}",
                )
        if bound is None:
            return
        if bound["priority_matched"] < actual["priority_matched"]:
            self._fail(
                "bound",
                f"bound.priority_matched {shown(bound['priority_matched'])} is below "
                f"the solution's {actual['priority_matched']}",
            )
        elif (
            bound["priority_matched"] == actual["priority_matched"]
            and bound["score"] < actual["score"]
        ):
            self._fail(
                "bound",
                f"bound.score {shown(bound['score'])} is below the solution's {actual['score']}",
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

    def _check_unmatched(self, placed: list[Placed]) -> None:
        """Exactly the unplaced youths are listed, each with known reason codes."""
        raw = self._field(self.solution, "unmatched", list, "solution")
        if raw is None:
            return
        placed_ids = {entry.youth.id for entry in placed}
        listed: Counter[str] = Counter()
        for i, item in enumerate(raw):
            where = f"unmatched[{i}]"
            if not isinstance(item, Mapping):
                self._fail("document", f"{where} must be an object, got {kind_of(item)}")
                continue
            youth_id = self._field(item, "youth", str, where)
            if youth_id is not None:
                listed[youth_id] += 1
                if youth_id not in self.youths:
                    self._fail(
                        "unknown_youth", f"{where} names unknown youth {shown(youth_id)}", youth_id
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
                self._fail("document", f"{at} must be an object, got {kind_of(reason)}", youth_id)
                continue
            code = self._field(reason, "code", str, at, youth_id)
            self._field(reason, "detail", str, at, youth_id)
            if code is not None and code not in REASON_CODES:
                self._fail(
                    "reason_code", f"{at}.code {shown(code)} is not a spec reason code", youth_id
                )
            if "opening" in reason:
                opening_id = self._field(reason, "opening", str, at, youth_id)
                if opening_id is not None and opening_id not in self.openings:
                    self._fail(
                        "unknown_opening",
                        f"{at} names unknown opening {shown(opening_id)}",
                        youth_id,
                        opening_id,
                    )


def _is(value: Any, kind: type) -> bool:
    return is_whole_number(value) if kind is int else isinstance(value, kind)
