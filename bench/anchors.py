"""The anchors jobmatch is measured against, written apart from jobmatch's own solver.

Each works on jobmatch's eligible pairs and pair scores (`Eligibility`,
`scoring.edge_scores`), keeps the fixed pairs and counts the first objective
(priority of placed youths) the way the spec does:

- `min_cost_flow`: OR-Tools min-cost flow with gain `priority * big` for a
  youth's first job and the pair score for every job; its first objective is
  the exact optimum (the floor jobmatch must reach), its score the optimum
  without cross-job rules and buddies;
- `linear_sum_assignment`: scipy's dense assignment on the matrix of youths by
  positions (one job per youth), where it fits in memory;
- `hospital_resident`: the `matching` package's youth-optimal stable matching,
  with the ranking rule of `jobmatch.stable`.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from matching.games import HospitalResident
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

from jobmatch import Eligibility, Problem
from jobmatch.eligibility import BoolArray, IntArray
from jobmatch.scoring import edge_scores

LSA_MEMORY_LIMIT_BYTES = 2 * 1024**3
LSA_COPIES = 2  # the matrix, and scipy's float64 working copy
DEEP_STACK_BYTES = 1024**3
DEEP_RECURSION_LIMIT = 1_000_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Pairs:
    """The eligible pairs outside fixed pairs, and what the fixed pairs already use."""

    youth: IntArray
    opening: IntArray
    score: IntArray
    youth_capacity: IntArray
    opening_capacity: IntArray
    unfixed: BoolArray
    priority: IntArray
    fixed_priority: int
    fixed_matched: int
    fixed_score: int
    eligibility_seconds: float


def eligible_pairs(problem: Problem) -> Pairs:
    """jobmatch's eligible pairs and scores, with fixed pairs taken out and their use counted."""
    started = time.perf_counter()
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates()
    scores = edge_scores(eligibility, candidates)
    n_youths, n_openings = len(problem.youths), len(problem.openings)
    fixed_pairs = {
        (eligibility.youth_index[p.youth], eligibility.opening_index[p.opening])
        for p in problem.fixed
    }
    fixed_youth = np.array([y for y, _ in fixed_pairs], dtype=np.int64)
    fixed_opening = np.array([o for _, o in fixed_pairs], dtype=np.int64)
    # One key per pair, so that the fixed ones are found without a Python loop over all pairs.
    is_fixed = np.isin(
        candidates.youth * n_openings + candidates.opening,
        fixed_youth * n_openings + fixed_opening,
    )
    fixed_youths = np.unique(fixed_youth)
    priority = np.array([y.priority for y in problem.youths], dtype=np.int64)
    max_jobs = np.array([y.max_jobs for y in problem.youths], dtype=np.int64)
    positions = np.array([o.positions for o in problem.openings], dtype=np.int64)
    youth_capacity = max_jobs - np.bincount(fixed_youth, minlength=n_youths)
    unfixed = np.ones(n_youths, dtype=bool)
    unfixed[fixed_youths] = False
    free = ~is_fixed
    return Pairs(
        candidates.youth[free],
        candidates.opening[free],
        scores[free],
        np.maximum(youth_capacity, 0),
        np.maximum(positions - np.bincount(fixed_opening, minlength=n_openings), 0),
        unfixed,
        priority,
        int(priority[fixed_youths].sum()),
        len(fixed_youths),
        int(scores[is_fixed].sum()),
        time.perf_counter() - started,
    )


def _big(pairs: Pairs) -> int:
    """More than any total score, so one more unit of priority always wins."""
    return 1 + int(pairs.score.sum())


def _objective(pairs: Pairs, youth: IntArray, score: IntArray) -> dict[str, int]:
    """The spec's objective of the chosen free pairs plus the fixed ones."""
    placed = np.unique(youth)
    placed = placed[pairs.unfixed[placed]]
    return {
        "priority_matched": pairs.fixed_priority + int(pairs.priority[placed].sum()),
        "matched": pairs.fixed_matched + len(placed),
        "score": pairs.fixed_score + int(score.sum()),
    }


def flow_anchor(problem: Problem) -> dict[str, Any]:
    """Min-cost flow: source -> youth (first job with priority gain, further jobs without)
    -> opening (pair score) -> sink (positions)."""
    pairs = eligible_pairs(problem)
    started = time.perf_counter()
    n_youths, n_openings = len(pairs.youth_capacity), len(pairs.opening_capacity)
    source, sink = n_youths + n_openings, n_youths + n_openings + 1
    big = _big(pairs)
    first = np.minimum(pairs.youth_capacity, 1)
    first_gain = np.where(pairs.unfixed, pairs.priority * big, 0)
    youths = np.arange(n_youths)
    openings = np.arange(n_openings) + n_youths
    tails = np.concatenate([np.full(2 * n_youths, source), pairs.youth, openings])
    heads = np.concatenate([youths, youths, pairs.opening + n_youths, np.full(n_openings, sink)])
    capacity = np.concatenate(
        [
            first,
            pairs.youth_capacity - first,
            np.ones(len(pairs.youth), dtype=np.int64),
            pairs.opening_capacity,
        ]
    )
    cost = np.concatenate(
        [
            -first_gain,
            np.zeros(n_youths, dtype=np.int64),
            -pairs.score,
            np.zeros(n_openings, dtype=np.int64),
        ]
    )
    network = min_cost_flow.SimpleMinCostFlow()
    arcs = network.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacity.astype(np.int64),
        cost.astype(np.int64),
    )
    # Every unit may stop short of the openings: an arc source -> sink at no gain.
    network.add_arc_with_capacity_and_unit_cost(source, sink, int(pairs.youth_capacity.sum()), 0)
    network.set_node_supply(source, int(pairs.youth_capacity.sum()))
    network.set_node_supply(sink, -int(pairs.youth_capacity.sum()))
    status = network.solve()
    if status != network.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    used = network.flows(arcs[2 * n_youths : 2 * n_youths + len(pairs.youth)]) > 0
    return {
        "eligible_pairs": len(pairs.youth),
        "status": "optimal",
        "objective": _objective(pairs, pairs.youth[used], pairs.score[used]),
        "eligibility_seconds": pairs.eligibility_seconds,
        "solver_seconds": time.perf_counter() - started,
    }


def lsa_anchor(problem: Problem) -> dict[str, Any]:
    """scipy `linear_sum_assignment` on youths x positions: one job per youth, weights
    `priority * big + score` on eligible pairs, 0 elsewhere; skipped when the matrix
    and scipy's working copy would need more than `LSA_MEMORY_LIMIT_BYTES`."""
    need = LSA_COPIES * 8 * len(problem.youths) * sum(o.positions for o in problem.openings)
    if need > LSA_MEMORY_LIMIT_BYTES:
        return {
            "skipped": f"would need {need / 1024**3:.1f} GB "
            f"> {LSA_MEMORY_LIMIT_BYTES / 1024**3:.0f} GB for the dense matrix"
        }
    pairs = eligible_pairs(problem)
    started = time.perf_counter()
    big = _big(pairs)
    column_start = np.concatenate(([0], np.cumsum(pairs.opening_capacity)))
    weight = np.zeros((len(pairs.youth_capacity), int(column_start[-1])))
    usable = (pairs.youth_capacity[pairs.youth] > 0) & pairs.unfixed[pairs.youth]
    youth, opening, score = pairs.youth[usable], pairs.opening[usable], pairs.score[usable]
    gain = pairs.priority[youth] * big + score
    for slot in range(int(pairs.opening_capacity.max(initial=0))):
        has_slot = slot < pairs.opening_capacity[opening]
        weight[youth[has_slot], column_start[opening[has_slot]] + slot] = gain[has_slot]
    rows, columns = linear_sum_assignment(weight, maximize=True)
    taken = weight[rows, columns] > 0
    rows, columns = rows[taken], columns[taken]
    # A weight is `priority * big + score`, exact in float64 at these sizes.
    chosen_score = np.rint(weight[rows, columns] - pairs.priority[rows] * big).astype(np.int64)
    return {
        "status": "optimal",
        "objective": _objective(pairs, rows, chosen_score),
        "matrix": list(weight.shape),
        "eligibility_seconds": pairs.eligibility_seconds,
        "solver_seconds": time.perf_counter() - started,
    }


def hospital_resident_anchor(problem: Problem) -> dict[str, Any]:
    """`matching`'s youth-optimal HospitalResident over the eligible pairs.

    Rankings as in `jobmatch.stable`: a side's `preferences` first, in order, then pair
    score (higher first); ties by opening input order for youths, and by priority (higher
    first) then youth input order for openings. Fixed youths and full openings sit out.
    """
    pairs = eligible_pairs(problem)
    started = time.perf_counter()
    youths, openings = problem.youths, problem.openings
    listed = {
        (youth.id, name): rank for youth in youths for rank, name in enumerate(youth.preferences)
    }
    chosen_by = {
        (name, opening.id): rank
        for opening in openings
        for rank, name in enumerate(opening.preferences)
    }
    unlisted = len(openings) + len(youths)
    opening_index = {opening.id: o for o, opening in enumerate(openings)}
    youth_prefs: dict[str, list[tuple[tuple[int, ...], str]]] = {}
    opening_prefs: dict[str, list[tuple[tuple[int, ...], str]]] = {}
    for y, o, s in zip(
        pairs.youth.tolist(), pairs.opening.tolist(), pairs.score.tolist(), strict=True
    ):
        if not pairs.unfixed[y] or youths[y].max_jobs < 1:
            continue
        if not pairs.opening_capacity[o]:
            continue
        youth, opening = youths[y].id, openings[o].id
        youth_prefs.setdefault(youth, []).append(
            ((listed.get((youth, opening), unlisted), -s, o), opening)
        )
        opening_prefs.setdefault(opening, []).append(
            ((chosen_by.get((youth, opening), unlisted), -s, -youths[y].priority, y), youth)
        )
    game = _deep_recursion(
        HospitalResident.create_from_dictionaries,
        {y: [name for _, name in sorted(ranked)] for y, ranked in youth_prefs.items()},
        {o: [name for _, name in sorted(ranked)] for o, ranked in opening_prefs.items()},
        {o: int(pairs.opening_capacity[opening_index[o]]) for o in opening_prefs},
    )
    matching = _deep_recursion(game.solve, optimal="resident")
    assigned = sorted(
        [resident.name, hospital.name] for hospital, held in matching.items() for resident in held
    )
    assigned += [[p.youth, p.opening] for p in problem.fixed]
    index = {y.id: i for i, y in enumerate(youths)}
    placed = {index[y] for y, _ in assigned}
    return {
        "status": "stable",
        "assignments": sorted(assigned),
        "objective": {
            "priority_matched": sum(youths[y].priority for y in placed),
            "matched": len(placed),
        },
        "eligibility_seconds": pairs.eligibility_seconds,
        "solver_seconds": time.perf_counter() - started,
    }


def _deep_recursion(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `function` in a thread with a large stack: `matching` deep-copies its players,
    which link to each other, recursively (a RecursionError from 300 youths on)."""
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(function(*args, **kwargs))
        except BaseException as error:  # handed to the caller below
            errors.append(error)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
    threading.stack_size(DEEP_STACK_BYTES)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(limit)
    if errors:
        raise errors[0]
    return results[0]
