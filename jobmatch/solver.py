"""`solve`: the lexicographic optimum (or a stable matching) of a jobmatch problem.

The phases, in `jobmatch.phases`: `prepare` derives the eligible pairs and
their scores; `flows` solves the whole lexicographic objective exactly by a
min-cost flow wherever no cross-job rule or buddy term applies; the components
where one does go to CP-SAT (`decide`), which keeps the flow's first objective
(exact there too) and maximises the score from the flow's solution, with a
Lagrangian bound (`bounds`); `result` builds the solution and its reasons.
"""

from __future__ import annotations

import time
from dataclasses import asdict, replace

import numpy as np

from .eligibility import BoolArray
from .errors import UnknownMethodError
from .model import Objective, Problem, Solution, Status
from .parts import Part, merged, parts_of
from .partworkers import solve_in_children
from .phases.budget import Budget
from .phases.decide import improve_with_cp
from .phases.flows import best_first_objective, components_needing_cp, whole_flow
from .phases.prepare import (
    Prepared,
    buddy_bonus,
    fixed_clashes,
    prepare,
    priority_unit,
    score_ceiling,
)
from .phases.result import to_result
from .stable import blocking_pairs, rankings, stable_assignments

METHODS: tuple[str, ...] = ("optimal", "stable")
# The phases `time_limit_s` does not cover, by their keys in `stats`.
EXCLUDED_PHASES = ("prepare_seconds", "flow_seconds", "explain_seconds")


def solve(
    problem: Problem,
    *,
    method: str | None = None,
    time_limit_s: float | None = None,
    processes: int | None = None,
    explain: bool = True,
) -> Solution:
    """Place youths in openings, keeping every hard rule, and explain who was not placed.

    A problem whose eligible pairs fall apart into independent parts is solved part by
    part (`jobmatch.parts`) and merged; the result does not depend on how many processes
    solve the parts.

    Args:
        problem: a validated problem (see `jobmatch.load`).
        method: "optimal" (the lexicographic optimum) or "stable" (youth-proposing deferred
            acceptance); default `problem.options.method`. Any other raises
            `UnknownMethodError`.
        time_limit_s: about how many seconds the phases after the flow may take (finding
            the components a flow cannot solve exactly, bounding them, CP-SAT), charged by
            deterministic estimates (`phases.budget`) so that the result depends on nothing
            but the input and options; eligibility, the flow (exact for the first
            objective) and the explanations come on top, each measured in `stats`.
            Default `problem.options.time_limit_s`. Parts share it by their pairs.
        processes: how many processes solve the parts at once; default
            `problem.options.processes`.
        explain: False leaves `unmatched` empty (`merge` explains a part's youths on the
            whole problem).

    Returns:
        The solution. Its status is "infeasible" when the fixed pairs cannot all hold
        together (the reasons are in `stats["infeasible"]`), "optimal" when both objectives
        are proven, else "feasible" with `bound`.
    """
    started = time.perf_counter()
    method = method or problem.options.method
    if method not in METHODS:
        raise UnknownMethodError(method, METHODS)
    limit = problem.options.time_limit_s if time_limit_s is None else time_limit_s
    processes = processes or problem.options.processes
    return _solve(problem, prepare(problem), method, limit, processes, explain, started)


def solve_part(part: Part, method: str) -> Solution:
    """`solve(part.problem, method=method, explain=False)`, from the pairs and scores the
    whole problem's `prepare` found for the part (the same as the part's own)."""
    started = time.perf_counter()
    problem = part.problem
    prepared = prepare(problem, (part.candidates, part.scores))
    limit = problem.options.time_limit_s
    return _solve(problem, prepared, method, limit, problem.options.processes, False, started)


def _solve(problem: Problem, prepared: Prepared, method: str, limit: float, processes: int,
           explain: bool, started: float) -> Solution:  # fmt: skip
    """`solve` with the problem prepared: part by part when it falls apart."""
    parts = parts_of(problem, prepared, limit)
    if len(parts) == 1:
        return _solve_whole(problem, prepared, method, limit, explain, started)
    prepare_seconds = time.perf_counter() - started
    solutions = _solve_parts(parts, method, processes)
    solution = merged(problem, prepared, solutions, prepare_seconds, explain)
    solution.stats["seconds"] = round(time.perf_counter() - started, 3)
    return solution


def _solve_parts(parts: list[Part], method: str, processes: int) -> list[Solution]:
    """Each part's solution, in order, solved in up to `processes` processes."""
    if processes <= 1:
        return [solve_part(part, method) for part in parts]
    return solve_in_children(parts, method, processes)


def _solve_whole(
    problem: Problem,
    prepared: Prepared,
    method: str,
    limit: float,
    explain: bool,
    started: float,
) -> Solution:
    """`solve` for a problem of one part."""
    stats: dict[str, object] = {
        "eligible_pairs": len(prepared.candidates),
        "prepare_seconds": round(time.perf_counter() - started, 3),
    }
    clashes = fixed_clashes(problem, prepared)
    if clashes:
        stats.update(
            seconds=round(time.perf_counter() - started, 3), solver="none", infeasible=clashes
        )
        return Solution(Status.INFEASIBLE, Objective(0, 0, 0), (), (), None, stats)
    reachable = len(np.unique(prepared.candidates.youth))
    if method == "stable":
        # The price of stability needs only the first objective.
        optimum = best_first_objective(problem, prepared)
        chosen = _stable(problem, prepared, stats)
        solution = to_result(problem, prepared, chosen, Status.FEASIBLE, stats, explain=explain)
        stats["optimum"] = asdict(optimum)
        stats["price_of_stability"] = {
            "priority_matched": optimum.priority_matched - solution.objective.priority_matched,
            "matched": optimum.matched - solution.objective.matched,
        }
        bound = Objective(
            optimum.priority_matched,
            reachable,
            score_ceiling(problem, prepared, buddy_bonus(problem, prepared)),
        )
        solution = replace(solution, bound=bound)
        stats["seconds"] = round(time.perf_counter() - started, 3)
        return solution
    budget = Budget(limit)
    chosen, proven, score_gap = _optimal(problem, prepared, budget, stats)
    status = Status.OPTIMAL if proven else Status.FEASIBLE
    solution = to_result(problem, prepared, chosen, status, stats, explain=explain)
    if not proven:
        objective = solution.objective
        bound = Objective(objective.priority_matched, reachable, objective.score + score_gap)
        solution = replace(solution, bound=bound)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    _report_budget(stats, budget)
    return solution


def _report_budget(stats: dict[str, object], budget: Budget) -> None:
    """What the time limit covered and what it did not, each phase in wall seconds."""
    stats["time_limit_s"] = budget.seconds
    stats["budget_seconds"] = _total(stats, ("components_seconds", "hard_components_seconds"))
    # Reading the file is outside `solve`; eligibility, the flow and the explanations are
    # each timed under their own key.
    stats["excluded_phases"] = list(EXCLUDED_PHASES)
    stats["excluded_seconds"] = _total(stats, EXCLUDED_PHASES)
    stats["limit_reached"] = budget.short


def _total(stats: dict[str, object], keys: tuple[str, ...]) -> float:
    """The sum of the timings under `keys` (those a run did not reach count 0)."""
    return round(sum(float(v) for k in keys if isinstance(v := stats.get(k), float)), 3)


def _optimal(
    problem: Problem, prepared: Prepared, budget: Budget, stats: dict[str, object]
) -> tuple[BoolArray, bool, int]:
    """The flow everywhere, then CP-SAT on the components that need it, within `budget`."""
    started = time.perf_counter()
    big = priority_unit(problem, prepared)
    chosen = whole_flow(problem, prepared, big)
    stats["flow_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    hard = components_needing_cp(problem, prepared, budget)
    stats["components_seconds"] = round(time.perf_counter() - started, 3)
    stats["cp_components"] = len(hard)
    if not hard:
        stats["solver"] = "min_cost_flow"
        return chosen, True, 0
    stats["solver"] = "min_cost_flow+cp_sat"
    return improve_with_cp(problem, prepared, chosen, hard, big, budget, stats)


def _stable(problem: Problem, prepared: Prepared, stats: dict[str, object]) -> BoolArray:
    """Youth-proposing deferred acceptance, with its count of blocking pairs."""
    ranks = rankings(problem, prepared.candidates, prepared.scores)
    pairs = stable_assignments(
        problem, prepared.eligibility, prepared.candidates, prepared.scores, ranks=ranks
    )
    chosen = np.zeros(len(prepared.candidates), dtype=bool)
    if pairs:
        youths, openings = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
        chosen[prepared.find(youths, openings)] = True
    ids = [(problem.youths[y].id, problem.openings[o].id) for y, o in pairs]
    stats["blocking_pairs"] = len(
        blocking_pairs(
            problem,
            ids,
            eligibility=prepared.eligibility,
            candidates=prepared.candidates,
            scores=prepared.scores,
            ranks=ranks,
        )
    )
    stats["solver"] = "deferred_acceptance"
    return chosen
