"""The last phase: the chosen pairs as a `Solution`, with the reasons of the unplaced."""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from ..eligibility import BoolArray
from ..model import Assignment, Objective, Problem, Solution, Status, Unmatched
from ..unmatched import explain_unmatched
from .prepare import Prepared


def assignments_of(problem: Problem, prepared: Prepared, chosen: BoolArray) -> list[Assignment]:
    """The chosen pairs as assignments, by youth then opening in input order."""
    candidates = prepared.candidates
    picked = np.flatnonzero(chosen)
    picked = picked[np.lexsort((candidates.opening[picked], candidates.youth[picked]))]
    holders: dict[int, set[int]] = defaultdict(set)
    for e in picked.tolist():
        holders[int(candidates.opening[e])].add(int(candidates.youth[e]))
    index = prepared.eligibility.youth_index
    assignments = []
    for e in picked.tolist():
        y, o = int(candidates.youth[e]), int(candidates.opening[e])
        youth, opening = problem.youths[y], problem.openings[o]
        buddies = sum(index[b] in holders[o] for b in youth.buddies)
        assignments.append(
            Assignment(
                youth.id,
                opening.id,
                int(prepared.scores[e]) + problem.weights.buddy * buddies,
                tuple(step for step in opening.onboarding_steps if step not in youth.onboarding),
            )
        )
    return assignments


def objective_of(
    problem: Problem,
    prepared: Prepared,
    chosen: BoolArray,
    assignments: list[Assignment] | None = None,
) -> Objective:
    """The objective of a choice of pairs."""
    if assignments is None:
        assignments = assignments_of(problem, prepared, chosen)
    placed = {prepared.eligibility.youth_index[a.youth] for a in assignments}
    return Objective(
        sum(problem.youths[y].priority for y in placed),
        len(placed),
        sum(a.score for a in assignments),
    )


def to_result(
    problem: Problem,
    prepared: Prepared,
    chosen: BoolArray,
    status: Status,
    stats: dict[str, object],
    *,
    explain: bool = True,
) -> Solution:
    """Assignments in input order, the objective, and (when `explain`) the reasons of
    the unplaced."""
    assignments = assignments_of(problem, prepared, chosen)
    objective = objective_of(problem, prepared, chosen, assignments)
    explain_started = time.perf_counter()
    unmatched: tuple[Unmatched, ...] = ()
    if explain:
        unmatched = explain_unmatched(
            problem, prepared.eligibility, prepared.candidates, chosen, prepared.scores
        )
    stats["explain_seconds"] = round(time.perf_counter() - explain_started, 3)
    return Solution(status, objective, tuple(assignments), unmatched, None, stats)
