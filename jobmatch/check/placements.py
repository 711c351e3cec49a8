"""The hard rules over a solution's placements: each pair, each youth's week, each opening."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..jsonkinds import shown
from ..model import Opening, Problem, Youth
from ..rules import Limits, rule_table
from .pair_rules import overlaps, pair_score, pair_violations, schedule_breaks, youth_limits
from .violation import Violation


@dataclass(frozen=True, slots=True)
class Placed:
    """One well-formed assignment entry whose ids are known."""

    index: int
    youth: Youth
    opening: Opening
    score: int | None
    missing_onboarding: tuple[str, ...] | None


class PlacementCheck:
    """Checks placements against the hard rules; collects violations instead of raising."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.table = rule_table(problem.options.rules)
        self.youths = {y.id: y for y in problem.youths}
        self.found: list[Violation] = []

    def run(self, placed: list[Placed]) -> list[Violation]:
        """The hard rules of the spec over these placements."""
        self._check_pairs(placed)
        self._check_youths(placed)
        self._check_openings(placed)
        return self.found

    def _fail(
        self, rule: str, message: str, youth: str | None = None, opening: str | None = None
    ) -> None:
        self.found.append(Violation(rule, message, youth, opening))

    def _check_pairs(self, placed: list[Placed]) -> None:
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
                    f"assignments[{entry.index}].score is {shown(entry.score)}, the "
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

    def _check_youths(self, placed: list[Placed]) -> None:
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
            for (a, first), (b, second) in overlaps(openings):
                self._fail(
                    "overlap", f"shift {first} of {a} overlaps shift {second} of {b}", youth_id
                )
            limits = self._limits(youth)
            if limits is None:
                continue
            shifts = [shift for opening in openings for shift in opening.shifts]
            for rule, message in schedule_breaks(limits, shifts):
                if (youth_id, rule) not in alone:
                    self._fail(rule, f"over all placements ({names}): {message}", youth_id)

    def _check_openings(self, placed: list[Placed]) -> None:
        """No opening holds more youths than its positions."""
        held = Counter(entry.opening.id for entry in placed)
        for opening in self.problem.openings:
            if held[opening.id] > opening.positions:
                self._fail(
                    "positions",
                    f"holds {held[opening.id]} youths, positions is {opening.positions}",
                    opening=opening.id,
                )

    def _limits(self, youth: Youth) -> Limits | None:
        """The youth's limits in this problem's week."""
        return youth_limits(self.table, youth, self.problem.period == "school")
