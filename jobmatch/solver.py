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

from .cpsat import CpResult, ScoreModel
from .crossjob import WeekProfiles, combination_codes
from .eligibility import BoolArray, Candidates, Eligibility, FloatArray, IntArray
from .explain import explain_unmatched
from .flow import FlowResult, max_weight_matching
from .model import Assignment, Objective, Problem, Solution, Status
from .rules import Limits
from .scoring import buddy_pairs, edge_scores

RELAX_STEPS = 6  # at most this many subgradient steps tune the bound's multipliers
SMALL_MODEL = 6_000  # pairs: about as many as CP-SAT proves in a second or two
PAIRS_PER_WORK = 20_000  # pairs CP-SAT gets far with per deterministic second (measured)
MIN_CP_WORK = 0.1  # less deterministic time than this is not worth building a model for
# CP-SAT's deterministic seconds per second of `time_limit_s`: on these models CP-SAT
# spends 4 to 10 wall seconds per deterministic second on a 2-core machine (measured
# with bench/run.py), so that a limit in seconds stays about right while the result
# depends on nothing but the input and options.
WORK_PER_SECOND = 1 / 8


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything derived from a problem before any solver runs."""

    eligibility: Eligibility
    candidates: Candidates
    scores: IntArray
    fixed: BoolArray
    limits: list[Limits]
    profiles: WeekProfiles
    buddies: list[tuple[int, int, int]]


def solve(
    problem: Problem, *, method: str | None = None, time_limit_s: float | None = None
) -> Solution:
    """Place youths in openings, keeping every hard rule, and explain who was not placed.

    Args:
        problem: a validated problem (see `jobmatch.load`).
        method: "optimal" (the lexicographic optimum) or "stable" (youth-proposing deferred
            acceptance); default `problem.options.method`.
        time_limit_s: about how many seconds CP-SAT may work, converted to its
            deterministic time (`WORK_PER_SECOND`) so that the result depends on nothing but
            the input and options; the flow, exact for the first objective, and the
            explanations come on top. Default `problem.options.time_limit_s`.

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
    reachable = len(np.unique(prepared.candidates.youth))
    if method == "stable":
        # The price of stability needs only the first objective, which the flow gives exactly.
        optimum = _objective(
            problem, prepared, _whole_flow(problem, prepared, _big(problem, prepared))
        )
        chosen = _stable(problem, prepared, stats)
        solution = _to_result(problem, prepared, chosen, Status.FEASIBLE, stats)
        stats["optimum"] = asdict(optimum)
        stats["price_of_stability"] = {
            "priority_matched": optimum.priority_matched - solution.objective.priority_matched,
            "matched": optimum.matched - solution.objective.matched,
        }
        bound = Objective(
            optimum.priority_matched,
            reachable,
            _score_ceiling(problem, prepared, _buddy_bonus(problem, prepared)),
        )
        solution = replace(solution, bound=bound)
        stats["seconds"] = round(time.perf_counter() - started, 3)
        return solution
    chosen, proven, score_gap = _optimal(problem, prepared, limit * WORK_PER_SECOND, stats)
    if proven:
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
        buddy_pairs(problem),
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
    problem: Problem, prepared: _Prepared, work: float, stats: dict[str, object]
) -> tuple[BoolArray, bool, int]:
    """The flow everywhere, then CP-SAT on the components that need it."""
    started = time.perf_counter()
    big = _big(problem, prepared)
    chosen = _whole_flow(problem, prepared, big)
    stats["flow_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    hard = _components_needing_cp(problem, prepared)
    stats["components_seconds"] = round(time.perf_counter() - started, 3)
    stats["cp_components"] = len(hard)
    if not hard:
        stats["solver"] = "min_cost_flow"
        return chosen, True, 0
    stats["solver"] = "min_cost_flow+cp_sat"
    return _improve_with_cp(problem, prepared, chosen, hard, big, work, stats)


def _big(problem: Problem, prepared: _Prepared) -> int:
    """A weight for one unit of priority larger than any solution's whole score."""
    return 1 + _score_ceiling(problem, prepared, _buddy_bonus(problem, prepared))


def _whole_flow(problem: Problem, prepared: _Prepared, big: int) -> BoolArray:
    """The flow over every pair: exact for the first objective, and for the score wherever
    no cross-job rule or buddy term applies."""
    every = np.arange(len(prepared.candidates), dtype=np.int64)
    free, flow = _flow(problem, prepared, every, prepared.scores, big)
    chosen = prepared.fixed.copy()
    chosen[free] = flow.chosen
    return chosen


def _flow(problem: Problem, prepared: _Prepared, edges: IntArray, gains: IntArray, big: int,
          *, slack_limit: float | None = None) -> tuple[IntArray, FlowResult]:  # fmt: skip
    """The flow over a subset of the pairs, fixed pairs placed first.

    Returns the free pairs (the subset less the fixed pairs) and the flow's result on them.
    """
    candidates = prepared.candidates
    fixed = prepared.fixed[edges]
    free = edges[~fixed]
    youths, youth_at = np.unique(candidates.youth[edges], return_inverse=True)
    openings, opening_at = np.unique(candidates.opening[edges], return_inverse=True)
    fixed_jobs = np.bincount(youth_at[fixed], minlength=len(youths))
    fixed_holders = np.bincount(opening_at[fixed], minlength=len(openings))
    max_jobs = np.array([problem.youths[y].max_jobs for y in youths.tolist()], dtype=np.int64)
    priority = np.array([problem.youths[y].priority for y in youths.tolist()], dtype=np.int64)
    positions = np.array([problem.openings[o].positions for o in openings.tolist()],
                         dtype=np.int64)  # fmt: skip
    return free, max_weight_matching(
        youth_at[~fixed],
        opening_at[~fixed],
        gains[free],
        first_gain=np.where(fixed_jobs > 0, 0, priority * big),
        youth_capacity=np.maximum(max_jobs - fixed_jobs, 0),
        opening_capacity=np.maximum(positions - fixed_holders, 0),
        slack_limit=slack_limit,
    )


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
    for a, b, _ in prepared.buddies:
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


def _improve_with_cp(problem: Problem, prepared: _Prepared, chosen: BoolArray,
                     components: list[IntArray], big: int, work: float,
                     stats: dict[str, object]) -> tuple[BoolArray, bool, int]:  # fmt: skip
    """Replace the flow's choice on each hard component by CP-SAT's, keeping objective 1,
    within `work` seconds of CP-SAT's deterministic time, shared by component size (the
    small ones first, so that what they leave rolls on). Once it is spent, a component
    keeps the flow's choice repaired to keep the cross-job rules.

    Returns the choice, whether every component is proven optimal, and how far the
    score may be below its optimum at most.
    """
    proven, score_gap, cp_seconds, kept_pairs, budget_work = True, 0, 0.0, 0, work
    started = time.perf_counter()
    edges_left = sum(len(c) for c in components)
    for edges in sorted(components, key=len):
        budget = min(work, max(MIN_CP_WORK, work * len(edges) / edges_left))
        edges_left -= len(edges)
        if budget >= MIN_CP_WORK:
            outcome = _solve_hard_component(problem, prepared, edges, big, budget)
        else:
            quick = _relax(problem, prepared, edges, big, steps=1)
            outcome = _Outcome(quick.start, quick.upper - quick.lower, 0.0, 0.0, 0)
        chosen[edges] = outcome.chosen
        proven &= outcome.gap == 0
        score_gap += outcome.gap
        cp_seconds += outcome.seconds
        work -= outcome.work
        kept_pairs += outcome.pairs
    stats["cp_seconds"] = round(cp_seconds, 3)
    stats["cp_work"] = round(budget_work - work, 3)
    stats["hard_components_seconds"] = round(time.perf_counter() - started, 3)
    stats["cp_pairs"] = kept_pairs
    return chosen, proven, score_gap


@dataclass(frozen=True, slots=True)
class _Outcome:
    """One hard component solved: the choice over its pairs, the score's proven gap,
    CP-SAT's seconds and deterministic work, and the most pairs it decided at once."""

    chosen: BoolArray
    gap: int
    seconds: float
    work: float
    pairs: int


@dataclass(frozen=True, slots=True)
class _Relaxation:
    """A component's upper bound, each pair's slack under it, and the best feasible start."""

    upper: int
    slack: FloatArray
    start: BoolArray
    lower: int


def _relax(problem: Problem, prepared: _Prepared, edges: IntArray, big: int,
           *, steps: int = RELAX_STEPS) -> _Relaxation:  # fmt: skip
    """Bound a component by flows tuned with Lagrange multipliers (subgradient steps).

    The flow ignores two things, and each gets multipliers:
    - buddies: each pair of buddies' points at an opening is split between their two
      pairs, since `p * min(x, y) <= s * x + (p - s) * y` for any split `s`;
    - jobs a youth may not hold together: each such pair of pairs costs both a penalty
      `m >= 0` and gives it back once, since `m * (1 - x - y) >= 0` when they conflict.
    For any multipliers a flow over those gains bounds the value from above; the steps
    make the bound tight. Every flow's choice, repaired to keep the cross-job rules, is a
    feasible start; the best one is kept. With one step (no time left), the slack is
    not computed.
    """
    fixed = prepared.fixed[edges]
    first, second, points = _buddy_openings(problem, prepared, edges)
    one, other = _conflicting_pairs(problem, prepared, edges)

    def gains_for(split: IntArray, penalty: IntArray) -> IntArray:
        gains = 2 * prepared.scores  # in halves, so that points split evenly
        np.add.at(gains, edges[first], split)
        np.add.at(gains, edges[second], 2 * points - split)
        np.subtract.at(gains, edges[one], penalty)
        np.subtract.at(gains, edges[other], penalty)
        return gains

    split = points.copy()  # each side gets half of the points to start with
    penalty = np.zeros(len(one), dtype=np.int64)
    best_upper, best, stale = -1, (split, penalty), 0
    lower, start = -1, np.zeros(len(edges), dtype=bool)
    scale = max(int(points.max(initial=0)), int(np.median(prepared.scores[edges])), 1)
    for step in range(steps):
        gains = gains_for(split, penalty)
        _, flow = _flow(problem, prepared, edges, gains, 2 * big)
        upper2 = flow.weight + int(gains[edges][fixed].sum()) + int(penalty.sum())
        stale += 1
        if step == 0 or upper2 < best_upper:
            best_upper, best, stale = upper2, (split.copy(), penalty.copy()), 0
        chosen = fixed.copy()
        chosen[~fixed] = flow.chosen
        if step % 3 == 0:  # repairing is dear: try the flow's choice as a start now and then
            repaired = _repair(problem, prepared, edges, chosen)
            value = _value(problem, prepared, edges[repaired], big)
            if value > lower:
                lower, start = value, repaired
        taken = chosen[first].astype(np.int64) - chosen[second].astype(np.int64)
        clash = chosen[one].astype(np.int64) + chosen[other].astype(np.int64) - 1
        settled = not taken.any() and not (clash > 0).any()
        if lower >= best_upper // 2 or settled or stale >= 2:
            break
        move = max(1, int(scale * 0.7**step))
        split = np.clip(split - move * taken, 0, 2 * points)
        penalty = np.maximum(penalty + move * clash, 0)
    if steps == 1:
        return _Relaxation(best_upper // 2, np.zeros(len(edges)), start, lower)
    gains = gains_for(*best)
    _, flow = _flow(problem, prepared, edges, gains, 2 * big)
    chosen = fixed.copy()
    chosen[~fixed] = flow.chosen
    repaired = _repair(problem, prepared, edges, chosen)
    value = _value(problem, prepared, edges[repaired], big)
    if value > lower:
        lower, start = value, repaired
    _, flow = _flow(problem, prepared, edges, gains, 2 * big,
                    slack_limit=float(best_upper - 2 * lower))  # fmt: skip
    assert flow.slack is not None
    slack = np.zeros(len(edges))
    slack[~fixed] = flow.slack / 2
    slack[chosen | start] = 0.0
    return _Relaxation(best_upper // 2, slack, start, lower)


def _conflicting_pairs(problem: Problem, prepared: _Prepared, edges: IntArray
                       ) -> tuple[IntArray, IntArray]:  # fmt: skip
    """Pairs of a youth's pairs that may not be held together, as positions in `edges`."""
    candidates = prepared.candidates
    youth = candidates.youth[edges]
    order = np.argsort(youth, kind="stable")
    starts = np.flatnonzero(np.r_[True, youth[order][1:] != youth[order][:-1]])
    ones, others = [], []
    for begin, end in zip(starts.tolist(), [*starts[1:].tolist(), len(order)], strict=True):
        mine = order[begin:end]
        y = int(youth[mine[0]])
        if len(mine) < 2 or problem.youths[y].max_jobs < 2:
            continue
        conflicts = prepared.profiles.conflicts(candidates.opening[edges[mine]],
                                                prepared.limits[y])  # fmt: skip
        i, j = np.nonzero(np.triu(conflicts, 1))
        ones.append(mine[i])
        others.append(mine[j])
    if not ones:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    return np.concatenate(ones), np.concatenate(others)


def _buddy_openings(problem: Problem, prepared: _Prepared, edges: IntArray
                    ) -> tuple[IntArray, IntArray, IntArray]:  # fmt: skip
    """(pair of the one buddy, pair of the other, points) for every opening with room for
    two that both buddies of a pair could take; pairs as positions in `edges`."""
    candidates = prepared.candidates
    at = {
        pair: k
        for k, pair in enumerate(
            zip(candidates.youth[edges].tolist(), candidates.opening[edges].tolist(), strict=True)
        )
    }
    openings_of: dict[int, list[int]] = defaultdict(list)
    for y, o in at:
        openings_of[y].append(o)
    rows = [
        (at[(a, o)], at[(b, o)], points)
        for a, b, points in prepared.buddies
        if a in openings_of and b in openings_of
        for o in openings_of[a]
        if (b, o) in at and problem.openings[o].positions >= 2
    ]
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    table = np.array(rows, dtype=np.int64)
    return table[:, 0], table[:, 1], table[:, 2]


def _solve_hard_component(problem: Problem, prepared: _Prepared, edges: IntArray, big: int,
                          budget: float) -> _Outcome:  # fmt: skip
    """CP-SAT on the pairs of a component that can still matter, in rounds.

    `_relax` bounds the component's value from above (`upper`) and gives a feasible start
    (`lower`). A solution using a pair whose slack exceeds t is worth less than
    `upper - t`. So CP-SAT first decides only the `SMALL_MODEL` pairs of least slack, which
    often already proves the optimum (when it is worth at least `upper - t`) and else
    raises `lower` cheaply; then, if the budget allows, the pairs with slack up to the
    whole remaining gap, where its optimum is the component's optimum.
    """
    relaxation = _relax(problem, prepared, edges, big)
    upper, slack, best = relaxation.upper, relaxation.slack, relaxation.start
    known = _value(problem, prepared, edges[best], big, priority_only=True)
    lower = relaxation.lower
    seconds, work, pairs, bound = 0.0, 0.0, 0, upper
    # A model CP-SAT cannot get far with in its budget is not worth building.
    affordable = min(SMALL_MODEL, int(budget * PAIRS_PER_WORK))
    rounds = (False, True) if (slack <= upper - lower).sum() > affordable else (True,)
    for final in rounds:
        if bound <= lower:
            break
        threshold = float(upper - lower)
        if not final:  # as many pairs as CP-SAT proves at once, to raise `lower` cheaply
            threshold = min(threshold, float(np.partition(slack, affordable)[affordable]))
        keep = slack <= threshold
        share = (budget - work) / (1 if final else 2)
        if share < MIN_CP_WORK or keep.sum() > 2 * share * PAIRS_PER_WORK:
            break
        pairs = max(pairs, int(keep.sum()))
        result = _solve_component(problem, prepared, edges[keep], best[keep], share)
        seconds += result.wall_seconds
        work += result.work
        best = np.zeros(len(edges), dtype=bool)
        best[np.flatnonzero(keep)[result.chosen]] = True
        lower = max(lower, known + result.score)
        outside = upper - threshold  # what any solution using a pair left out is worth at most
        if result.optimal:
            bound = min(bound, max(lower, int(np.floor(outside))))
        else:
            bound = min(bound, max(known + result.score_bound, int(np.floor(outside))))
    return _Outcome(best, max(bound - lower, 0), seconds, work, pairs)


def _solve_component(problem: Problem, prepared: _Prepared, edges: IntArray, hint: BoolArray,
                     work_limit: float) -> CpResult:  # fmt: skip
    """CP-SAT on one component's pairs, from a feasible hint."""
    candidates = prepared.candidates
    youth = candidates.youth[edges]
    members = set(youth.tolist())
    model = ScoreModel(
        problem, youth, candidates.opening[edges], prepared.scores[edges],
        fixed=prepared.fixed[edges],
        opening_capacity=np.array([o.positions for o in problem.openings], dtype=np.int64),
        limits=prepared.limits, profiles=prepared.profiles,
        buddies=[b for b in prepared.buddies if b[0] in members],
    )  # fmt: skip
    return model.solve(priority_target=_priority_of(problem, youth[hint]), hint=hint,
                       work_limit=work_limit, workers=problem.options.workers)  # fmt: skip


def _value(problem: Problem, prepared: _Prepared, picked: IntArray, big: int,
           *, priority_only: bool = False) -> int:  # fmt: skip
    """`big` times the priority of youths placed beyond their fixed pairs, plus the score
    (with buddy points) of the picked pairs: the units of the flow's weight."""
    candidates = prepared.candidates
    fixed_youths = set(candidates.youth[prepared.fixed].tolist())
    placed = set(candidates.youth[picked].tolist()) - fixed_youths
    value = big * sum(int(problem.youths[y].priority) for y in placed)
    if priority_only:
        return value
    return value + int(prepared.scores[picked].sum()) + _buddy_points(problem, prepared, picked)


def _buddy_points(problem: Problem, prepared: _Prepared, picked: IntArray) -> int:
    """The buddy points of the picked pairs: `buddy` for each named buddy at the same opening."""
    if not prepared.buddies:
        return 0
    candidates = prepared.candidates
    pairs = list(zip(candidates.youth[picked].tolist(), candidates.opening[picked].tolist(),
                     strict=True))  # fmt: skip
    holders: dict[int, set[int]] = defaultdict(set)
    for y, o in pairs:
        holders[o].add(y)
    index = prepared.eligibility.youth_index
    named = sum(index[b] in holders[o] for y, o in pairs for b in problem.youths[y].buddies)
    return problem.weights.buddy * named


def _buddy_bonus(problem: Problem, prepared: _Prepared) -> IntArray:
    """Per pair, the buddy points it would earn if every buddy eligible there joined
    (only where the opening has room for two)."""
    candidates = prepared.candidates
    bonus = np.zeros(len(candidates), dtype=np.int64)
    if not any(youth.buddies for youth in problem.youths):
        return bonus
    keys = set(zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True))
    index = prepared.eligibility.youth_index
    for e, (y, o) in enumerate(zip(candidates.youth.tolist(), candidates.opening.tolist(),
                                   strict=True)):  # fmt: skip
        if problem.openings[o].positions < 2:
            continue
        for name in problem.youths[y].buddies:
            if (index[name], o) in keys:
                bonus[e] += problem.weights.buddy
    return bonus


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
    stats["blocking_pairs"] = len(
        blocking_pairs(
            problem,
            ids,
            eligibility=prepared.eligibility,
            candidates=prepared.candidates,
            scores=prepared.scores,
        )
    )
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


def _score_ceiling(problem: Problem, prepared: _Prepared, bonus: IntArray) -> int:
    """A plain upper bound on any solution's score: each youth's best pairs, buddies included."""
    best = np.zeros(len(problem.youths), dtype=np.int64)
    np.maximum.at(best, prepared.candidates.youth, prepared.scores + bonus)
    jobs = np.array([y.max_jobs for y in problem.youths], dtype=np.int64)
    return int((best * jobs).sum())


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
