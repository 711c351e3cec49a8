"""Maximum-weight b-matching by OR-Tools min-cost flow.

The first objective never gains from a second job, so placing youths is a
b-matching: youths on one side, openings with `positions` on the other. The
whole lexicographic objective is a flow too: each youth's first unit of flow
earns `priority * big` (with `big` larger than any total score), every further
unit earns nothing, and each pair earns its score. Convex gains make the flow
exact; it is the fast path where no cross-job rule or buddy term applies, and
a hint and bound for CP-SAT where one does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .eligibility import BoolArray, IntArray
from .errors import SolverError


@dataclass(frozen=True, slots=True)
class FlowResult:
    """Which candidate pairs the flow uses, and the weight it reached."""

    chosen: BoolArray
    weight: int


def max_weight_matching(
    youth: IntArray,
    opening: IntArray,
    gain: IntArray,
    *,
    first_gain: IntArray,
    youth_capacity: IntArray,
    opening_capacity: IntArray,
) -> FlowResult:
    """Pick pairs maximising `sum(first_gain of placed youths) + sum(gain of pairs)`.

    Args:
        youth, opening: the candidate pairs, as indices.
        gain: what each pair earns (>= 0).
        first_gain: what each youth earns for its first pair (>= 0).
        youth_capacity: how many pairs each youth may take.
        opening_capacity: how many pairs each opening may take.

    Returns:
        A mask over the pairs and the weight reached.

    Raises:
        SolverError: when OR-Tools rejects the network (e.g. a cost out of range).
    """
    n_youths, n_openings = len(youth_capacity), len(opening_capacity)
    source, sink = n_youths + n_openings, n_youths + n_openings + 1
    supply = int(youth_capacity.sum())
    first = np.minimum(youth_capacity, 1)
    rest = youth_capacity - first
    youths = np.arange(n_youths, dtype=np.int64)
    openings = np.arange(n_openings, dtype=np.int64) + n_youths
    tails = np.concatenate(
        [np.full(n_youths, source), np.full(n_youths, source), youth, openings, [source]]
    )
    heads = np.concatenate([youths, youths, opening + n_youths, np.full(n_openings, sink), [sink]])
    capacities = np.concatenate(
        [first, rest, np.ones(len(youth), dtype=np.int64), opening_capacity, [supply]]
    )
    costs = np.concatenate(
        [
            -first_gain,
            np.zeros(n_youths, dtype=np.int64),
            -gain,
            np.zeros(n_openings, dtype=np.int64),
            [0],
        ]
    )
    network = min_cost_flow.SimpleMinCostFlow()
    arcs = network.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    network.set_node_supply(source, supply)
    network.set_node_supply(sink, -supply)
    status = network.solve()
    if status != network.OPTIMAL:
        raise SolverError(f"min-cost flow failed with status {status!r}")
    pair_arcs = arcs[2 * n_youths : 2 * n_youths + len(youth)]
    chosen = network.flows(pair_arcs) > 0
    return FlowResult(chosen, -int(network.optimal_cost()))
