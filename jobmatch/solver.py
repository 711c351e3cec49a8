"""`solve`: the lexicographic optimum (or a stable matching) of a jobmatch problem.

The eligible pairs are split into connected components. A min-cost flow solves
the whole lexicographic objective exactly wherever no cross-job rule or buddy
term applies; the components where one does go to CP-SAT, which keeps the
flow's first objective (exact there too) and maximises the score from the flow's
solution, with the flow's value as a bound.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from .cpsat import ScoreModel
from .crossjob import WeekProfiles, combination_codes
from .eligibility import BoolArray, Candidates, Eligibility, IntArray
from .explain import explain_unmatched
from .flow import max_weight_matching
from .model import Assignment, Objective, Problem, Solution, Status
from .rules import Limits
from .scoring import buddy_pairs, edge_scores


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything derived from a problem before any solver runs."""

    eligibility: Eligibility
    candidates: Candidates
    scores: IntArray
    fixed: BoolArray
    limits: list[Limits]
    profiles: WeekProfiles


def solve(
    problem: Problem, *, method: str | None = None, time_limit_s: float | None = None
) -> Solution:
    """Place youths in openings, keeping every hard rule, and explain who was not placed.

    Args:
        problem: a validated problem (see `jobmatch.load`).
        method: "optimal" (the lexicographic optimum) or "stable" (youth-proposing deferred
            acceptance); default `problem.options.method`.
        time_limit_s: seconds for the CP-SAT parts; default `problem.options.time_limit_s`.

    Returns:
        The solution. Its status is "infeasible" when the fixed pairs cannot all hold
        together (the reasons are in `stats["infeasible"]`), "optimal" when both objectives
        are proven, else "feasible" with `bound`.
    """
    started = time.perf_counter()
    method = method or problem.options.method
    limit = problem.options.time_limit_s if time_limit_s is None else time_limit_s
    prepared = _prepare(problem)
    stats: dict[str, object] = {
        "eligible_pairs": len(prepared.candidates),
        "prepare_seconds": round(time.perf_counter() - started, 3),
    }
    clashes = _fixed_clashes(problem, prepared)
    if clashes:
        stats.update(
            seconds=round(time.perf_counter() - started, 3), solver="none", infeasible=clashes
        )
        return Solution(Status.INFEASIBLE, Objective(0, 0, 0), (), (), None, stats)
    chosen, proven, score_gap = _optimal(problem, prepared, limit, stats)
    reachable = len(np.unique(prepared.candidates.youth))
    if method == "stable":
        optimum = _objective(problem, prepared, chosen)
        chosen = _stable(problem, prepared, stats)
        solution = _to_result(problem, prepared, chosen, Status.FEASIBLE, stats)
        stats["optimum"] = asdict(optimum)
        stats["price_of_stability"] = {
            "priority_matched": optimum.priority_matched - solution.objective.priority_matched,
            "matched": optimum.matched - solution.objective.matched,
        }
        bound = Objective(optimum.priority_matched, reachable, _score_ceiling(problem, prepared))
        solution = replace(solution, bound=bound)
    elif proven:
        solution = _to_result(problem, prepared, chosen, Status.OPTIMAL, stats)
    else:
        solution = _to_result(problem, prepared, chosen, Status.FEASIBLE, stats)
        objective = solution.objective
        bound = Objective(objective.priority_matched, reachable, objective.score + score_gap)
        solution = replace(solution, bound=bound)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return solution


def _prepare(problem: Problem) -> _Prepared:
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates()
    scores = edge_scores(eligibility, candidates)
    fixed = np.zeros(len(candidates), dtype=bool)
    if problem.fixed:
        keys = {
            (eligibility.youth_index[p.youth], eligibility.opening_index[p.opening])
            for p in problem.fixed
        }
        fixed = np.array(
            [
                (y, o) in keys
                for y, o in zip(
                    candidates.youth.tolist(), candidates.opening.tolist(), strict=True
                )
            ],
            dtype=bool,
        )
    return _Prepared(
        eligibility,
        candidates,
        scores,
        fixed,
        eligibility.limits,  # type: ignore[arg-type]
        WeekProfiles.of(problem.openings),
    )


def _fixed_clashes(problem: Problem, prepared: _Prepared) -> list[str]:
    """Why the fixed pairs cannot all hold: positions, max_jobs or the rules together."""
    clashes = []
    by_opening: dict[str, list[str]] = defaultdict(list)
    by_youth: dict[str, list[str]] = defaultdict(list)
    for pair in problem.fixed:
        by_opening[pair.opening].append(pair.youth)
        by_youth[pair.youth].append(pair.opening)
    eligibility = prepared.eligibility
    for opening_id, youths in by_opening.items():
        opening = problem.openings[eligibility.opening_index[opening_id]]
        if len(youths) > opening.positions:
            clashes.append(
                f"opening {opening_id} has {opening.positions} position(s) but "
                f"{len(youths)} fixed youths: {', '.join(youths)}"
            )
    for youth_id, openings in by_youth.items():
        y = eligibility.youth_index[youth_id]
        youth = problem.youths[y]
        if len(openings) > youth.max_jobs:
            clashes.append(
                f"youth {youth_id} may hold {youth.max_jobs} job(s) but is fixed to "
                f"{len(openings)}: {', '.join(openings)}"
            )
        elif len(openings) > 1:
            held = [problem.openings[eligibility.opening_index[o]] for o in openings]
            codes = combination_codes(held, prepared.limits[y])
            if codes:
                clashes.append(
                    f"youth {youth_id} cannot hold {', '.join(openings)} together: "
                    f"breaks {', '.join(sorted(codes))}"
                )
    return clashes


def _optimal(
    problem: Problem, prepared: _Prepared, limit: float, stats: dict[str, object]
) -> tuple[BoolArray, bool, int]:
    """The flow everywhere, then CP-SAT on the components that need it."""
    candidates, scores = prepared.candidates, prepared.scores
    n_youths, n_openings = len(problem.youths), len(problem.openings)
    started = time.perf_counter()
    fixed_count = np.bincount(candidates.youth[prepared.fixed], minlength=n_youths)
    max_jobs = np.array([y.max_jobs for y in problem.youths], dtype=np.int64)
    priority = np.array([y.priority for y in problem.youths], dtype=np.int64)
    positions = np.array([o.positions for o in problem.openings], dtype=np.int64)
    fixed_per_opening = np.bincount(candidates.opening[prepared.fixed], minlength=n_openings)
    big = 1 + _score_ceiling(problem, prepared)
    free = ~prepared.fixed
    flow = max_weight_matching(
        candidates.youth[free],
        candidates.opening[free],
        scores[free],
        first_gain=np.where(fixed_count > 0, 0, priority * big),
        youth_capacity=np.maximum(max_jobs - fixed_count, 0),
        opening_capacity=np.maximum(positions - fixed_per_opening, 0),
    )
    chosen = prepared.fixed.copy()
    chosen[free] = flow.chosen
    stats["flow_seconds"] = round(time.perf_counter() - started, 3)
    hard = _components_needing_cp(problem, prepared)
    stats["cp_components"] = len(hard)
    if not hard:
        stats["solver"] = "min_cost_flow"
        return chosen, True, 0
    stats["solver"] = "min_cost_flow+cp_sat"
    return _improve_with_cp(problem, prepared, chosen, hard, limit, stats)


def _components_needing_cp(problem: Problem, prepared: _Prepared) -> list[IntArray]:
    """Edge index arrays of the components where a flow is not exact."""
    candidates = prepared.candidates
    n_youths = len(problem.youths)
    if not len(candidates):
        return []
    needs = np.zeros(n_youths, dtype=bool)
    order = np.argsort(candidates.youth, kind="stable")
    bounds = np.searchsorted(candidates.youth[order], np.arange(n_youths + 1))
    for y, youth in enumerate(problem.youths):
        edges = order[bounds[y] : bounds[y + 1]]
        if youth.max_jobs < 2 or len(edges) < 2:
            continue
        if youth.max_jobs >= 3 and len(edges) >= 3:
            needs[y] = True
        else:
            needs[y] = bool(
                prepared.profiles.conflicts(candidates.opening[edges], prepared.limits[y]).any()
            )
    held = defaultdict(set)
    for y, o in zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True):
        held[y].add(o)
    for a, b, _ in buddy_pairs(problem):
        if held[a] & held[b]:
            needs[a] = needs[b] = True
    if not needs.any():
        return []
    n_nodes = n_youths + len(problem.openings)
    graph = coo_array(
        (np.ones(len(candidates)), (candidates.youth, candidates.opening + n_youths)),
        shape=(n_nodes, n_nodes),
    )
    _, labels = connected_components(graph, directed=False)
    hard_labels = np.unique(labels[:n_youths][needs])
    edge_labels = labels[candidates.youth]
    return [np.flatnonzero(edge_labels == label) for label in hard_labels.tolist()]


def _improve_with_cp(
    problem: Problem,
    prepared: _Prepared,
    chosen: BoolArray,
    components: list[IntArray],
    limit: float,
    stats: dict[str, object],
) -> tuple[BoolArray, bool, int]:
    """Replace the flow's choice on each hard component by CP-SAT's, keeping objective 1.

    Returns the choice, whether every component is proven optimal, and how far the
    score may be below its optimum at most.
    """
    candidates, scores = prepared.candidates, prepared.scores
    positions = np.array([o.positions for o in problem.openings], dtype=np.int64)
    proven, score_gap, cp_seconds = True, 0, 0.0
    deadline = time.perf_counter() + limit
    edges_left = sum(len(c) for c in components)
    buddies = buddy_pairs(problem)
    for edges in components:
        youth, opening = candidates.youth[edges], candidates.opening[edges]
        members = set(youth.tolist())
        own_buddies = [b for b in buddies if b[0] in members]
        model = ScoreModel(
            problem,
            youth,
            opening,
            scores[edges],
            fixed=prepared.fixed[edges],
            opening_capacity=positions,
            limits=prepared.limits,
            profiles=prepared.profiles,
            buddies=own_buddies,
        )
        share = max(deadline - time.perf_counter(), 0.0) * len(edges) / edges_left
        edges_left -= len(edges)
        result = model.solve(
            priority_target=_priority_of(problem, youth[chosen[edges]]),
            hint=_repair(problem, prepared, edges, chosen[edges]),
            time_limit_s=share,
            workers=problem.options.workers,
        )
        cp_seconds += result.wall_seconds
        relaxation = int(scores[edges][chosen[edges]].sum()) + sum(
            p * min(problem.youths[a].max_jobs, problem.youths[b].max_jobs)
            for a, b, p in own_buddies
        )
        score_gap += min(result.score_bound, relaxation) - result.score
        proven &= result.optimal
        chosen[edges] = result.chosen
    stats["cp_seconds"] = round(cp_seconds, 3)
    return chosen, proven, score_gap


def _priority_of(problem: Problem, youths: IntArray) -> int:
    return sum(problem.youths[y].priority for y in set(youths.tolist()))


def _repair(
    problem: Problem, prepared: _Prepared, edges: IntArray, chosen: BoolArray
) -> BoolArray:
    """The flow's choice made feasible: each youth keeps fixed pairs, then compatible jobs."""
    candidates = prepared.candidates
    hint = prepared.fixed[edges].copy()
    kept: dict[int, list[int]] = defaultdict(list)
    for k in np.flatnonzero(hint).tolist():
        kept[int(candidates.youth[edges[k]])].append(int(candidates.opening[edges[k]]))
    order = np.argsort(-prepared.scores[edges], kind="stable")
    for k in order.tolist():
        if not chosen[k] or hint[k]:
            continue
        y, o = int(candidates.youth[edges[k]]), int(candidates.opening[edges[k]])
        held = kept[y]
        if len(held) >= problem.youths[y].max_jobs:
            continue
        together = [problem.openings[i] for i in (*held, o)]
        if len(together) == 1 or not combination_codes(together, prepared.limits[y]):
            held.append(o)
            hint[k] = True
    return hint


def _stable(problem: Problem, prepared: _Prepared, stats: dict[str, object]) -> BoolArray:
    """Youth-proposing deferred acceptance, with its count of blocking pairs."""
    from .stable import blocking_pairs, stable_assignments

    pairs = stable_assignments(problem, prepared.eligibility, prepared.candidates, prepared.scores)
    keys = set(pairs)
    candidates = prepared.candidates
    chosen = np.array(
        [
            (y, o) in keys
            for y, o in zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True)
        ],
        dtype=bool,
    )
    ids = [(problem.youths[y].id, problem.openings[o].id) for y, o in pairs]
    stats["blocking_pairs"] = len(blocking_pairs(problem, ids))
    stats["solver"] = "deferred_acceptance"
    return chosen


def _assignments(problem: Problem, prepared: _Prepared, chosen: BoolArray) -> list[Assignment]:
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


def _objective(
    problem: Problem,
    prepared: _Prepared,
    chosen: BoolArray,
    assignments: list[Assignment] | None = None,
) -> Objective:
    """The objective of a choice of pairs."""
    if assignments is None:
        assignments = _assignments(problem, prepared, chosen)
    placed = {prepared.eligibility.youth_index[a.youth] for a in assignments}
    return Objective(
        sum(problem.youths[y].priority for y in placed),
        len(placed),
        sum(a.score for a in assignments),
    )


def _score_ceiling(problem: Problem, prepared: _Prepared) -> int:
    """A plain upper bound on any solution's score: each youth's best pairs, every buddy."""
    best = np.zeros(len(problem.youths), dtype=np.int64)
    np.maximum.at(best, prepared.candidates.youth, prepared.scores)
    jobs = np.array([y.max_jobs for y in problem.youths], dtype=np.int64)
    return int((best * jobs).sum()) + sum(
        p * min(problem.youths[a].max_jobs, problem.youths[b].max_jobs)
        for a, b, p in buddy_pairs(problem)
    )


def _to_result(
    problem: Problem,
    prepared: _Prepared,
    chosen: BoolArray,
    status: Status,
    stats: dict[str, object],
) -> Solution:
    """Assignments in input order, the objective, and explanations for the unplaced."""
    assignments = _assignments(problem, prepared, chosen)
    objective = _objective(problem, prepared, chosen, assignments)
    explain_started = time.perf_counter()
    unmatched = explain_unmatched(
        problem, prepared.eligibility, prepared.candidates, chosen, prepared.scores
    )
    stats["explain_seconds"] = round(time.perf_counter() - explain_started, 3)
    return Solution(status, objective, tuple(assignments), unmatched, None, stats)
