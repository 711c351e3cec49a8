"""The bounding phase: a component's upper bound by Lagrangian relaxation of the flow (on a
dense component by its column LP, `columns`), each pair's slack under it, and feasible
starts repaired from the flow's choices."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ..crossjob import combination_codes
from ..eligibility import BoolArray, FloatArray, IntArray
from ..model import Problem
from .budget import (
    FLOW_SECONDS_PER_PAIR,
    REPAIR_SECONDS_PER_PAIR,
    SLACK_SECONDS_PER_PAIR,
    Budget,
)
from .columns import column_bound
from .flows import partial_flow
from .prepare import Prepared

RELAX_STEPS = 6  # at most this many subgradient steps tune the bound's multipliers
# Pairs whose slack is worked out exactly (by shortest paths), the least reduced costs
# first: a few times what CP-SAT decides at once; beyond them a lower bound serves.
EXACT_SLACKS = 25_000
# A component of fewer pairs is a town's (the country's 50 have 180 to 141,000); the dense
# region has 500,000 and the city 1.3 million. Where repairing a flow's choice drops a job
# in a dense component, another youth could have taken its position: there the best flow
# is run once more without the dropped jobs (`_kept_to_one`). In towns, measured on the
# country, that costs 3 s more for 0.02 % of score.
TOWN_PAIRS = 200_000


@dataclass(frozen=True, slots=True)
class Relaxation:
    """A component's upper bound, each pair's slack under it, and the best feasible start."""

    upper: int
    slack: FloatArray
    start: BoolArray
    lower: int


def relax(problem: Problem, prepared: Prepared, edges: IntArray, big: int,
          flow_choice: BoolArray, budget: Budget, *, steps: int = RELAX_STEPS
          ) -> Relaxation:  # fmt: skip
    """Bound a component by flows tuned with Lagrange multipliers (subgradient steps).

    The flow ignores two things, and each gets multipliers:
    - buddies: each pair of buddies' points at an opening is split between their two
      pairs, since `p * min(x, y) <= s * x + (p - s) * y` for any split `s`;
    - jobs a youth may not hold together: each such pair of pairs costs both a penalty
      `m >= 0` and gives it back once, since `m * (1 - x - y) >= 0` when they conflict.
    For any multipliers a flow over those gains bounds the value from above; the steps
    make the bound tight. Every flow's choice, repaired to keep the cross-job rules, is a
    feasible start; the best one is kept, the whole flow's (`flow_choice`) first. Last, on a
    dense component, the best flow is run once more with each youth whose jobs clash kept
    to the best of them (`_kept_to_one`, `_flow_within`): where repairing drops a job and
    leaves its position empty, that start is several times closer to the bound.

    A dense component (`TOWN_PAIRS` pairs or more) is bounded by its column LP instead
    (`columns.column_bound`), much tighter there, when it applies and the budget allows.

    Each flow is charged to `budget`; what it cannot pay for is not done: with no flow
    at all the bound is the whole flow's value plus every buddy point still possible,
    and the slack is 0 (every pair may matter); exact slacks need their own share.
    """
    fixed = prepared.fixed[edges]
    budget.charge(REPAIR_SECONDS_PER_PAIR * len(edges))
    start = repair(problem, prepared, edges, flow_choice)
    lower = choice_value(problem, prepared, edges[start], big)
    if len(edges) >= TOWN_PAIRS:
        placed = choice_value(problem, prepared, edges[start], big, priority_only=True) // big
        columns = column_bound(problem, prepared, edges, start, placed, big, budget)
        if columns is not None:
            slack = columns.slack
            slack[start | fixed] = 0.0  # CP-SAT starts from the whole start
            return Relaxation(columns.upper, slack, start, lower)
    picked = edges[flow_choice]
    plain = choice_value(problem, prepared, picked, big) - _buddy_points(problem, prepared, picked)
    first, second, points = _buddy_openings(problem, prepared, edges)
    ceiling = plain + _buddy_ceiling(problem, prepared, edges)
    flow_cost = (FLOW_SECONDS_PER_PAIR + REPAIR_SECONDS_PER_PAIR) * len(edges)
    if steps <= 1 or not budget.affords(flow_cost):
        return Relaxation(ceiling, np.zeros(len(edges)), start, lower)
    # Only pairs of pairs some flow took together ever get a penalty: they are gathered
    # step by step, never all pairs of pairs that clash (tens of millions in a city).
    clashing = _Clashes(problem, prepared, edges)
    n_edges = len(prepared.scores)

    def gains_for(split: IntArray, penalty: IntArray) -> IntArray:
        gains = 2 * prepared.scores  # in halves, so that points split evenly
        np.add.at(gains, edges[first], split)
        np.add.at(gains, edges[second], 2 * points - split)
        # Exact: bincount sums integers in float64, far below 2**53 here.
        one, other = clashing.one, clashing.other
        cost = np.bincount(edges[one], penalty, n_edges) + np.bincount(edges[other], penalty,
                                                                      n_edges)  # fmt: skip
        return gains - cost.astype(np.int64)

    split = points.copy()  # each side gets half of the points to start with
    penalty = np.zeros(0, dtype=np.int64)
    best_upper, best_flow, stale = 2 * ceiling, None, 0
    best_gains = 2 * prepared.scores
    scale = max(int(points.max(initial=0)), int(np.median(prepared.scores[edges])), 1)
    for step in range(steps):
        if step and not budget.affords(flow_cost):
            break
        budget.charge(flow_cost)
        gains = gains_for(split, penalty)
        _, flow = partial_flow(problem, prepared, edges, gains, 2 * big)
        upper2 = flow.weight + int(gains[edges][fixed].sum()) + int(penalty.sum())
        stale += 1
        chosen = fixed.copy()
        chosen[~fixed] = flow.chosen
        # A flow that only reaches the ceiling is kept too: its slacks are what lets CP-SAT
        # leave pairs out (without it every slack is 0, and no round fits).
        if upper2 < best_upper or (best_flow is None and upper2 == best_upper):
            best_upper, best_flow, best_gains, stale = upper2, (flow, chosen), gains, 0
            repaired = repair(problem, prepared, edges, chosen)
            value = choice_value(problem, prepared, edges[repaired], big)
            if value > lower:
                lower, start = value, repaired
        taken = chosen[first].astype(np.int64) - chosen[second].astype(np.int64)
        penalty = np.concatenate([penalty, np.zeros(clashing.gather(chosen), dtype=np.int64)])
        clash = chosen[clashing.one].astype(np.int64) + chosen[clashing.other] - 1
        settled = not taken.any() and not (clash > 0).any()
        if lower >= best_upper // 2 or settled or stale >= 2:
            break
        move = max(1, int(scale * 0.7**step))
        split = np.clip(split - move * taken, 0, 2 * points)
        penalty = np.maximum(penalty + move * clash, 0)
    slack = np.zeros(len(edges))
    if best_flow is not None:
        flow, chosen = best_flow
        allowed = _kept_to_one(prepared, edges, chosen, big) if len(edges) >= TOWN_PAIRS else None
        if allowed is not None and not allowed.all() and budget.affords(flow_cost):
            budget.charge(flow_cost)
            kept = _flow_within(problem, prepared, edges, allowed, best_gains, big)
            value = choice_value(problem, prepared, edges[kept], big)
            if value > lower:
                lower, start = value, kept
        exact = budget.affords(SLACK_SECONDS_PER_PAIR * len(edges))
        if exact:
            budget.charge(SLACK_SECONDS_PER_PAIR * len(edges))
        limit = float(best_upper - 2 * lower)
        slack[~fixed] = flow.slack(limit, most=EXACT_SLACKS if exact else 0) / 2
        slack[chosen | start] = 0.0
    return Relaxation(best_upper // 2, slack, start, lower)


def _kept_to_one(prepared: Prepared, edges: IntArray, chosen: BoolArray, big: int) -> BoolArray:
    """The pairs left to a flow run again when each youth whose chosen jobs may not be held
    together keeps the best scored of them (a fixed one first): all but that youth's other
    pairs that clash with it."""
    youth = prepared.candidates.youth[edges]
    picked = np.flatnonzero(chosen)
    holders, counts = np.unique(youth[picked], return_counts=True)
    allowed = np.ones(len(edges), dtype=bool)
    for y in holders[counts >= 2].tolist():
        if not prepared.knows_conflicts(y):
            continue
        mine = picked[youth[picked] == y]
        pairs = prepared.pairs_of(y)
        local = np.searchsorted(pairs, edges[mine])
        conflicts = prepared.conflicts_of(y)
        if not conflicts[np.ix_(local, local)].any():
            continue
        rank = prepared.scores[edges[mine]] + prepared.fixed[edges[mine]] * big
        dropped = pairs[conflicts[local[np.argmax(rank)]]]
        allowed[np.searchsorted(edges, dropped[~prepared.fixed[dropped]])] = False
    return allowed


def _flow_within(problem: Problem, prepared: Prepared, edges: IntArray, allowed: BoolArray,
                 gains: IntArray, big: int) -> BoolArray:  # fmt: skip
    """The flow over `gains` (in halves) on the `allowed` pairs with the fixed ones, repaired."""
    inside = np.flatnonzero(allowed)
    _, flow = partial_flow(problem, prepared, edges[inside], gains, 2 * big)
    again = prepared.fixed[edges].copy()
    again[inside[~prepared.fixed[edges[inside]]]] = flow.chosen
    return repair(problem, prepared, edges, again)


def _buddy_ceiling(problem: Problem, prepared: Prepared, edges: IntArray) -> int:
    """Every buddy point a choice over `edges` could earn: each pair of buddies with an
    opening they could share earns its points at most once per job the busier may hold."""
    candidates = prepared.candidates
    youths = np.unique(candidates.youth[edges])
    total = 0
    for a, b, p in prepared.buddies:
        if not (np.isin(a, youths) and np.isin(b, youths)):
            continue
        shared = np.intersect1d(
            candidates.opening[prepared.pairs_of(a)], candidates.opening[prepared.pairs_of(b)]
        )
        roomy = [o for o in shared.tolist() if problem.openings[o].positions >= 2]
        jobs = min(problem.youths[a].max_jobs, problem.youths[b].max_jobs, len(roomy))
        total += p * jobs
    return total


class _Clashes:
    """The pairs of pairs (positions in a component's `edges`) that a youth may not hold
    together and some flow took together, gathered as the flows come."""

    def __init__(self, problem: Problem, prepared: Prepared, edges: IntArray) -> None:
        self.problem, self.prepared, self.edges = problem, prepared, edges
        self.one = np.zeros(0, dtype=np.int64)
        self.other = np.zeros(0, dtype=np.int64)
        self._seen: set[tuple[int, int]] = set()

    def gather(self, chosen: BoolArray) -> int:
        """Add the clashing pairs of pairs in `chosen`; how many are new. Youths whose
        conflicts were not worked out (the time limit did not allow it) are left out:
        the bound is then the weaker one without them."""
        prepared, edges = self.prepared, self.edges
        youth = prepared.candidates.youth[edges]
        picked = np.flatnonzero(chosen)
        holders, counts = np.unique(youth[picked], return_counts=True)
        ones, others = [], []
        for y in holders[counts >= 2].tolist():
            if not prepared.knows_conflicts(y):
                continue
            mine = picked[youth[picked] == y]
            local = np.searchsorted(prepared.pairs_of(y), edges[mine])
            i, j = np.nonzero(np.triu(prepared.conflicts_of(y)[np.ix_(local, local)], 1))
            for a, b in zip(mine[i].tolist(), mine[j].tolist(), strict=True):
                if (a, b) not in self._seen:
                    self._seen.add((a, b))
                    ones.append(a)
                    others.append(b)
        self.one = np.concatenate([self.one, np.array(ones, dtype=np.int64)])
        self.other = np.concatenate([self.other, np.array(others, dtype=np.int64)])
        return len(ones)


def _buddy_openings(problem: Problem, prepared: Prepared, edges: IntArray
                    ) -> tuple[IntArray, IntArray, IntArray]:  # fmt: skip
    """(pair of the one buddy, pair of the other, points) for every opening with room for
    two that both buddies of a pair could take; pairs as positions in `edges` (ascending,
    a component: all pairs of its youths)."""
    candidates = prepared.candidates
    inside = np.zeros(len(problem.youths), dtype=bool)
    inside[candidates.youth[edges]] = True
    roomy = np.array([o.positions >= 2 for o in problem.openings], dtype=bool)
    firsts, seconds, points = [], [], []
    for a, b, p in prepared.buddies:
        if not (inside[a] and inside[b]):
            continue
        mine = prepared.pairs_of(a)
        mine = mine[roomy[candidates.opening[mine]]]
        theirs = prepared.find(np.full(len(mine), b), candidates.opening[mine])
        both = theirs >= 0
        firsts.append(np.searchsorted(edges, mine[both]))
        seconds.append(np.searchsorted(edges, theirs[both]))
        points.append(np.full(int(both.sum()), p, dtype=np.int64))
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    return np.concatenate(firsts), np.concatenate(seconds), np.concatenate(points)


def repair(problem: Problem, prepared: Prepared, edges: IntArray, chosen: BoolArray) -> BoolArray:
    """The flow's choice made feasible: each youth keeps fixed pairs, then compatible jobs."""
    candidates = prepared.candidates
    hint = prepared.fixed[edges].copy()
    kept: dict[int, list[int]] = defaultdict(list)
    for k in np.flatnonzero(hint).tolist():
        kept[int(candidates.youth[edges[k]])].append(int(candidates.opening[edges[k]]))
    taken = np.flatnonzero(chosen & ~hint)
    for k in taken[np.argsort(-prepared.scores[edges[taken]], kind="stable")].tolist():
        y, o = int(candidates.youth[edges[k]]), int(candidates.opening[edges[k]])
        held = kept[y]
        if len(held) >= problem.youths[y].max_jobs:
            continue
        together = [problem.openings[i] for i in (*held, o)]
        if len(together) == 1 or not combination_codes(together, prepared.limits[y]):
            held.append(o)
            hint[k] = True
    return hint


def choice_value(problem: Problem, prepared: Prepared, picked: IntArray, big: int,
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


def _buddy_points(problem: Problem, prepared: Prepared, picked: IntArray) -> int:
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
