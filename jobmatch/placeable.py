"""The first objective on its own: the most priority a placement of youths can reach.

The sets of youths that can all be placed at once, one job each, form a
transversal matroid, so placing youths greedily by priority reaches the
optimum, and every optimum places as many youths as any placement can (the
matroid's rank; priorities are at least 1). With priority levels
L1 > L2 > ... > Lk, the optimum is the sum over levels of (Li - Li+1) times the
rank of the youths of priority Li or more (Lk+1 = 0), and each rank is one
OR-Tools max flow: far cheaper than a min-cost flow over the same pairs. With
many levels, one min-cost flow on priority alone does instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow

from .errors import SolverError
from .flow import max_weight_matching
from .geo import IntArray

MAX_FLOW_LEVELS = 8
"""Up to this many priority levels, a max flow per level; above, one min-cost flow."""


@dataclass(frozen=True, slots=True)
class Placeable:
    """The highest sum of priority over placed youths, and how many youths it places."""

    priority_matched: int
    matched: int


def most_placeable(
    youth: IntArray, opening: IntArray, *, priority: IntArray, opening_capacity: IntArray
) -> Placeable:
    """The best first objective over pairs (youth, opening), one job per youth.

    Args:
        youth, opening: the pairs, as indices.
        priority: each youth's priority (>= 1).
        opening_capacity: how many youths each opening may take.
    """
    levels = np.unique(priority[youth])[::-1]
    if not len(levels):
        return Placeable(0, 0)
    if len(levels) > MAX_FLOW_LEVELS:
        return _by_min_cost_flow(youth, opening, priority, opening_capacity)
    lower = np.append(levels[1:], 0)
    ranks = [_rank(youth, opening, priority >= level, opening_capacity) for level in levels]
    total = sum((int(a) - int(b)) * r for a, b, r in zip(levels, lower, ranks, strict=True))
    return Placeable(total, ranks[-1])


def _rank(youth: IntArray, opening: IntArray, taking_part: np.ndarray, capacity: IntArray) -> int:
    """How many of the youths `taking_part` can be placed at once: a max flow."""
    pairs = taking_part[youth]
    n_youths, n_openings = len(taking_part), len(capacity)
    source, sink = n_youths + n_openings, n_youths + n_openings + 1
    youths = np.flatnonzero(taking_part)
    openings = np.arange(n_openings, dtype=np.int64)
    tails = np.concatenate([np.full(len(youths), source), youth[pairs], openings + n_youths])
    heads = np.concatenate([youths, opening[pairs] + n_youths, np.full(n_openings, sink)])
    capacities = np.concatenate([np.ones(len(youths) + int(pairs.sum()), np.int64), capacity])
    network = max_flow.SimpleMaxFlow()
    network.add_arcs_with_capacity(
        tails.astype(np.int32), heads.astype(np.int32), capacities.astype(np.int64)
    )
    status = network.solve(source, sink)
    if status != network.OPTIMAL:
        raise SolverError(f"max flow failed with status {status!r}")
    return int(network.optimal_flow())


def _by_min_cost_flow(
    youth: IntArray, opening: IntArray, priority: IntArray, capacity: IntArray
) -> Placeable:
    """`most_placeable` by one min-cost flow: priority first, then one more youth placed."""
    n_youths = len(priority)
    flow = max_weight_matching(
        youth,
        opening,
        np.zeros(len(youth), dtype=np.int64),
        first_gain=priority * (n_youths + 1) + 1,
        youth_capacity=np.ones(n_youths, dtype=np.int64),
        opening_capacity=capacity,
    )
    placed = np.unique(youth[flow.chosen])
    return Placeable(int(priority[placed].sum()), len(placed))
