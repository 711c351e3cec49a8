"""The column bound of a dense component: the LP over the sets of jobs each youth may hold
together (a buddy group's jointly), by column generation with HiGHS, and each pair's slack
under it. HiGHS is scipy's own, the one `scipy.optimize.linprog` drives (scipy is pinned):
unlike the highspy package it prints no banner on stdout, where `jobmatch solve` may write.

The pairwise model's LP is weak where a youth may hold two jobs (half of each of two that
clash) and where buddies may share an opening; this one chooses a convex combination of
whole columns per youth or buddy group (`pricing.Blocks`), within the openings' positions
and with the first objective's optimum placed. Its bound is worked out from the LP's
prices by pricing every block exactly (`Blocks.best`), never read from the LP solver, so
that it holds however inexact the solver is. Measured on the bench's dense region: bound
106,094 where the Lagrangian flows gave 106,146, and CP-SAT proves the optimum, 106,093, on
the 7,523 pairs of least slack.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

# scipy's own HiGHS, the one `scipy.optimize.linprog` drives: unlike the highspy package it
# prints no banner on stdout (`jobmatch solve` writes the solution there); scipy is pinned.
from scipy.optimize._highspy import _core as highs_core

from ..eligibility import BoolArray, FloatArray, IntArray
from ..model import Problem
from .budget import COLUMN_SECONDS_PER_PAIR, Budget
from .prepare import Prepared
from .pricing import MARGIN, Blocks, Column, Duals

# The primal simplex: the columns added keep the last solution feasible (on the dense city
# the LPs took 0.9 s in all, against 6.3 s with HiGHS's default, the dual).
PRIMAL = 4
ROUNDS = 40  # at most this many rounds of pricing (the dense region and city take 6-9)


@dataclass(frozen=True, slots=True)
class ColumnBound:
    """The component's upper bound in the flow's units (`big` times the priority placed
    plus the score), and each pair's slack under it: a solution using the pair is worth
    at most `upper - slack`."""

    upper: int
    slack: FloatArray


def column_bound(problem: Problem, prepared: Prepared, edges: IntArray, start: BoolArray,
                 priority: int, big: int, budget: Budget) -> ColumnBound | None:  # fmt: skip
    """The column bound of the component of `edges` (all pairs of its youths, ascending).

    `start` is a feasible choice over `edges` that places `priority` beyond the fixed
    youths (the first objective's optimum, which every solution that counts places too).
    None where the columns are not all known (a youth who may hold three jobs, buddies in
    a cycle, conflicts not worked out) or `budget` cannot pay for it.
    """
    if not budget.affords(COLUMN_SECONDS_PER_PAIR * len(edges)):
        return None
    blocks = Blocks.of(problem, prepared, edges)
    if blocks is None:
        return None
    budget.charge(COLUMN_SECONDS_PER_PAIR * len(edges))
    master = _Master(blocks, priority)
    master.add(blocks.first_columns(start))
    best: tuple[float, Duals] | None = None
    for _ in range(ROUNDS):
        duals = master.solve()
        value, columns = blocks.best(duals, priority)
        if best is None or value < best[0]:
            best = (value, duals)
        if not master.add(columns):
            break
    assert best is not None
    score = np.floor(best[0] + MARGIN)
    # A solution using a pair is worth at most the value less the pair's slack: less the
    # value's fraction too, under the whole bound.
    slack = np.zeros(len(edges))
    slack[blocks.order] = np.maximum(blocks.slacks(best[1]) - (best[0] - score) - MARGIN, 0.0)
    return ColumnBound(big * priority + int(score), slack)


class _Master:
    """The LP over the columns generated so far, owned by one HiGHS instance: a row per
    opening (its positions), per youth (at most one column; exactly one for a youth with
    fixed pairs) and one for the priority placed (at least the optimum)."""

    def __init__(self, blocks: Blocks, priority: int) -> None:
        self.blocks = blocks
        n_rows = blocks.n_openings + blocks.n_youths + 1
        lower = np.full(n_rows, -highs_core.kHighsInf)
        upper = np.ones(n_rows)
        upper[: blocks.n_openings] = blocks.positions
        lower[blocks.n_openings : -1][blocks.fixed_youth] = 1.0
        lower[-1], upper[-1] = float(priority), highs_core.kHighsInf
        self.highs = highs_core._Highs()
        for option, value in (
            ("output_flag", False),
            ("threads", 1),
            ("random_seed", 0),
            ("simplex_strategy", PRIMAL),
        ):
            self.highs.setOptionValue(option, value)
        none = np.zeros(0, dtype=np.int32)
        self.highs.addRows(n_rows, lower, upper, 0, none, none, np.zeros(0))
        self.seen: set[tuple[tuple[int, tuple[int, ...]], ...]] = set()

    def add(self, columns: list[Column]) -> int:
        """Add the columns not added before; how many were new."""
        blocks = self.blocks
        starts: list[int] = []
        rows: list[int] = []
        entries: list[float] = []
        costs: list[float] = []
        for column in columns:
            key = tuple(sorted(column.items()))
            if key in self.seen:
                continue
            self.seen.add(key)
            starts.append(len(rows))
            held: dict[int, float] = defaultdict(float)
            placed = 0.0
            for y, pairs in column.items():
                rows.append(blocks.n_openings + y)
                entries.append(1.0)
                for e in pairs:
                    held[int(blocks.opening[e])] += 1.0
                if pairs and not blocks.fixed_youth[y]:
                    placed += float(blocks.priority[y])
            rows += list(held)
            entries += list(held.values())
            if placed:
                rows.append(blocks.n_openings + blocks.n_youths)
                entries.append(placed)
            costs.append(-blocks.column_value(column))  # HiGHS minimises
        if costs:
            n = len(costs)
            self.highs.addCols(n, np.array(costs), np.zeros(n), np.full(n, highs_core.kHighsInf),
                               len(rows), np.array(starts, dtype=np.int32),
                               np.array(rows, dtype=np.int32), np.array(entries))  # fmt: skip
        return len(costs)

    def solve(self) -> Duals:
        """The LP's prices (HiGHS minimises the negated value, so its duals are negated)."""
        self.highs.run()
        row = np.array(self.highs.getSolution().row_dual)
        n_openings, n_youths = self.blocks.n_openings, self.blocks.n_youths
        return Duals(np.maximum(-row[:n_openings], 0.0),
                     np.maximum(-row[n_openings : n_openings + n_youths], 0.0),
                     max(float(row[-1]), 0.0))  # fmt: skip
