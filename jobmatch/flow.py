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
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from .eligibility import BoolArray, FloatArray, IntArray
from .errors import SolverError


@dataclass(frozen=True, slots=True)
class FlowResult:
    """Which candidate pairs the flow uses and the weight it reached; `slack` on request."""

    chosen: BoolArray
    weight: int
    residual: _Residual

    def slack(self, limit: float, *, most: int) -> FloatArray:
        """Per pair, a lower bound on the weight lost by any solution that takes it when the
        flow does not: the cost of the cheapest cycle of the residual network through it
        (0 for the pairs the flow takes). Exact up to `limit` for at most about `most`
        pairs (those of least reduced cost); elsewhere a lower bound above what is exact.
        """
        return self.residual.cycle_costs(self.chosen, limit, most)


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
    flows = network.flows(arcs)
    pairs = slice(2 * n_youths, 2 * n_youths + len(youth))
    residual = _Residual(tails, heads, costs, flows < capacities, flows > 0, sink + 1, pairs)
    return FlowResult(flows[pairs] > 0, -int(network.optimal_cost()), residual)


class _Residual:
    """The residual network of an optimal flow; its potentials and graph of non-negative
    reduced arc costs are built on first use (a flow whose slack is never asked for never
    pays for them)."""

    def __init__(self, tails: IntArray, heads: IntArray, costs: IntArray, forward: BoolArray,
                 backward: BoolArray, n_nodes: int, pairs: slice) -> None:  # fmt: skip
        self.tails, self.heads, self.costs, self.n_nodes = tails, heads, costs, n_nodes
        self.forward, self.backward, self.pairs = forward, backward, pairs

    def _graph(self) -> tuple[IntArray, csr_array]:
        tails, heads, costs = self.tails, self.heads, self.costs
        forward, backward = self.forward, self.backward
        r_tails = np.concatenate([tails[forward], heads[backward]])
        r_heads = np.concatenate([heads[forward], tails[backward]])
        r_costs = np.concatenate([costs[forward], -costs[backward]])
        potential = _potentials(r_tails, r_heads, r_costs, self.n_nodes)
        reduced = r_costs + potential[r_tails] - potential[r_heads]
        order = np.lexsort((reduced, r_heads, r_tails))
        r_tails, r_heads, reduced = r_tails[order], r_heads[order], reduced[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (r_tails[1:] != r_tails[:-1]) | (r_heads[1:] != r_heads[:-1])
        graph = csr_array(
            (reduced[first].astype(np.float64), (r_tails[first], r_heads[first])),
            shape=(self.n_nodes, self.n_nodes),
        )
        return potential, graph

    def cycle_costs(self, chosen: BoolArray, limit: float, most: int) -> FloatArray:
        """For each unused pair arc, the cheapest residual cycle that takes it (inf: none),
        exact up to the smaller of `limit` and the `most`-th least reduced cost; above it, a
        lower bound that is itself above that."""
        potential, graph = self._graph()
        tails, heads = self.tails[self.pairs], self.heads[self.pairs]
        reduced = (self.costs[self.pairs] + potential[tails] - potential[heads]).astype(np.float64)
        # Only unused pairs: their cycles all start at an opening, so there are at most as
        # many shortest-path searches as openings.
        cycles: FloatArray = np.where(chosen, 0.0, reduced)  # the rest of a cycle costs >= 0
        unused = reduced[~chosen]
        if most < len(unused):
            limit = min(limit, float(np.partition(unused, most)[most]))
        near = np.flatnonzero(~chosen & (reduced <= limit))
        if len(near):
            sources, where = np.unique(heads[near], return_inverse=True)
            distances = dijkstra(graph, directed=True, indices=sources, limit=limit)
            cycles[near] = reduced[near] + distances[where, tails[near]]
        return cycles


def _potentials(tails: IntArray, heads: IntArray, costs: IntArray, n_nodes: int) -> IntArray:
    """Shortest-path distances from a virtual root joined to every node by a free arc.

    Bellman-Ford vectorised over the arcs, stopping as soon as nothing changes: residual
    paths in a bipartite network are short. Raises SolverError on a negative cycle.
    """
    potential = np.zeros(n_nodes, dtype=np.int64)
    for _ in range(n_nodes + 1):
        relaxed = potential.copy()
        np.minimum.at(relaxed, heads, potential[tails] + costs)
        if np.array_equal(relaxed, potential):
            return potential
        potential = relaxed
    raise SolverError("the flow's residual network has a negative cycle; please report this")
