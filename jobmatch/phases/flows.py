"""The flow phase: a min-cost flow over the eligible pairs, and the components it cannot
solve exactly (where a cross-job rule or a buddy term applies)."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from ..eligibility import BoolArray, IntArray
from ..flow import FlowResult, max_weight_matching
from ..model import Problem
from ..placeable import Placeable, most_placeable
from .budget import (
    COMPONENT_SECONDS_PER_PAIR,
    CONFLICT_SECONDS_PER_CELL,
    COPY_SECONDS_PER_CELL,
    FLOW_SECONDS_PER_PAIR,
    REPAIR_SECONDS_PER_PAIR,
    Budget,
)
from .prepare import Prepared


def whole_flow(problem: Problem, prepared: Prepared, big: int) -> BoolArray:
    """The flow over every pair: exact for the first objective, and for the score wherever
    no cross-job rule or buddy term applies."""
    every = np.arange(len(prepared.candidates), dtype=np.int64)
    free, flow = partial_flow(problem, prepared, every, prepared.scores, big)
    chosen = prepared.fixed.copy()
    chosen[free] = flow.chosen
    return chosen


def partial_flow(problem: Problem, prepared: Prepared, edges: IntArray, gains: IntArray, big: int
                 ) -> tuple[IntArray, FlowResult]:  # fmt: skip
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
    )


def best_first_objective(problem: Problem, prepared: Prepared) -> Placeable:
    """The most priority any solution places (fixed youths included), and how many youths
    such a solution places at most: the first objective alone, by `most_placeable`."""
    candidates = prepared.candidates
    priority = np.array([youth.priority for youth in problem.youths], dtype=np.int64)
    max_jobs = np.array([youth.max_jobs for youth in problem.youths], dtype=np.int64)
    placed = np.zeros(len(problem.youths), dtype=bool)
    placed[candidates.youth[prepared.fixed]] = True
    holders = np.bincount(candidates.opening[prepared.fixed], minlength=len(problem.openings))
    positions = np.array([opening.positions for opening in problem.openings], dtype=np.int64)
    free = ~placed[candidates.youth] & (max_jobs[candidates.youth] >= 1)
    rest = most_placeable(
        candidates.youth[free],
        candidates.opening[free],
        priority=priority,
        opening_capacity=np.maximum(positions - holders, 0),
    )
    return Placeable(
        int(priority[placed].sum()) + rest.priority_matched, int(placed.sum()) + rest.matched
    )


def components_needing_cp(problem: Problem, prepared: Prepared, budget: Budget) -> list[IntArray]:
    """Edge index arrays of the components where a flow is not exact.

    Whether a youth's jobs bind each other needs its conflict matrix; when `budget` cannot
    pay for them all, every youth who may hold two jobs counts as one whose jobs do, and
    when it cannot pay for the components either, all pairs are one.
    """
    candidates = prepared.candidates
    n_youths = len(problem.youths)
    if not len(candidates):
        return []
    counts = np.diff(prepared.youth_starts)
    max_jobs = np.array([youth.max_jobs for youth in problem.youths], dtype=np.int64)
    needs = (max_jobs >= 2) & (counts >= 2)
    if not budget.affords(COMPONENT_SECONDS_PER_PAIR * len(candidates)):
        # No time to tell the components apart: every pair is one, repaired as a whole.
        every = np.arange(len(candidates), dtype=np.int64)
        return [every] if needs.any() or prepared.buddies else []
    budget.charge(COMPONENT_SECONDS_PER_PAIR * len(candidates))
    computed, copied = prepared.conflict_cells()
    cost = CONFLICT_SECONDS_PER_CELL * computed + COPY_SECONDS_PER_CELL * copied
    # Conflicts are worth working out only if a bounding flow can use them afterwards.
    flow = (FLOW_SECONDS_PER_PAIR + 2 * REPAIR_SECONDS_PER_PAIR) * len(candidates)
    if budget.affords(cost + flow):
        budget.charge(cost)
        for y in np.flatnonzero(needs).tolist():
            binding = bool(prepared.conflicts_of(y).any())
            needs[y] = binding or (max_jobs[y] >= 3 and counts[y] >= 3)
    for a, b, _ in prepared.buddies:
        shared = np.intersect1d(
            candidates.opening[prepared.pairs_of(a)], candidates.opening[prepared.pairs_of(b)]
        )
        if len(shared):
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
