"""A dense component's youths as blocks that price their columns exactly, for the column
bound (`columns`): a youth alone (no job, one, or two it may hold together) or a buddy
group (a tree of buddies, all its members' columns at once, with the points of the
buddies it puts at the same opening).

Given the LP's prices (`Duals`), each block's best column is found exactly: a lone
youth's by scanning its pairs and its matrix of compatible pairs, a group's by dynamic
programming over its tree (`Blocks._tree`). So the Lagrangian value at those prices (the
positions relaxed) is an upper bound on the score, whatever the prices are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ..eligibility import BoolArray, FloatArray, IntArray
from ..model import Problem
from .prepare import Prepared

NEW_SINGLES = 3  # single-job columns a youth gets per round of pricing at most
TOP_SINGLES = 5  # each lone youth's best-scored jobs among the first columns
TOP_PAIRS = 24  # a two-job youth's best jobs among which its best two are looked for first
MARGIN = 1e-6  # how far floating-point sums may be off, in score points
NONE = -1.0e18  # the value of a column that does not exist

Column = dict[int, tuple[int, ...]]  # local youth -> its local pairs
Back = dict[int, list[tuple[int, IntArray]]]  # per member: each child's column per own column


@dataclass(frozen=True, slots=True)
class Duals:
    """The LP's prices: per opening (`price` >= 0), per youth (`share` >= 0) and of the
    first objective (`placing` >= 0, per unit of priority placed)."""

    price: FloatArray
    share: FloatArray
    placing: float


class Blocks:
    """A component's youths and pairs, both numbered locally, as blocks. Local pairs are
    grouped by youth: local pair `i` is `edges[order[i]]`."""

    def __init__(self, problem: Problem, prepared: Prepared, edges: IntArray) -> None:
        candidates = prepared.candidates
        self.youths, youth = np.unique(candidates.youth[edges], return_inverse=True)
        self.order = np.argsort(youth, kind="stable")
        openings, opening = np.unique(candidates.opening[edges], return_inverse=True)
        self.youth = youth.astype(np.int64)[self.order]
        self.opening = opening.astype(np.int64)[self.order]
        self.n_youths, self.n_openings = len(self.youths), len(openings)
        self.score = prepared.scores[edges[self.order]].astype(np.float64)
        self.fixed = prepared.fixed[edges[self.order]]
        self.positions = np.array([problem.openings[o].positions for o in openings.tolist()],
                                  dtype=np.float64)  # fmt: skip
        self.roomy = self.positions >= 2
        youths = [problem.youths[y] for y in self.youths.tolist()]
        self.priority = np.array([y.priority for y in youths], dtype=np.float64)
        self.max_jobs = np.array([y.max_jobs for y in youths], dtype=np.int64)
        self.fixed_youth = np.zeros(self.n_youths, dtype=bool)
        self.fixed_youth[self.youth[self.fixed]] = True
        self.starts = np.searchsorted(self.youth, np.arange(self.n_youths + 1))
        self.conflicts: dict[int, BoolArray] = {}
        self.apart: dict[int, BoolArray] = {}  # conflicts, and each pair with itself
        self.buddies: dict[int, dict[int, int]] = defaultdict(dict)
        self.groups: list[list[tuple[int, int]]] = []  # (member, its parent), parents first
        self.grouped = np.zeros(self.n_youths, dtype=bool)
        self.sets: dict[int, tuple[IntArray, IntArray]] = {}

    @classmethod
    def of(cls, problem: Problem, prepared: Prepared, edges: IntArray) -> Blocks | None:
        """The blocks of the component of `edges` (all pairs of its youths); None where a
        youth may hold three jobs, a two-job youth's conflicts are not worked out, or a
        buddy group is not a tree."""
        blocks = cls(problem, prepared, edges)
        counts = np.diff(blocks.starts)
        for y in np.flatnonzero((blocks.max_jobs >= 2) & (counts >= 2)).tolist():
            original = int(blocks.youths[y])
            if blocks.max_jobs[y] >= 3 and counts[y] >= 3:
                return None
            if not prepared.knows_conflicts(original):
                return None
            blocks.conflicts[y] = prepared.conflicts_of(original)
            blocks.apart[y] = blocks.conflicts[y] | np.eye(counts[y], dtype=bool)
        if not blocks._gather_groups(prepared):
            return None
        for y in range(blocks.n_youths):
            if blocks.grouped[y] or blocks.fixed_youth[y]:
                blocks.sets[y] = blocks._job_sets(y)
        return blocks

    def _gather_groups(self, prepared: Prepared) -> bool:
        """The buddy groups, each rooted at its least member; False if one is not a tree."""
        local = {y: k for k, y in enumerate(self.youths.tolist())}
        for a, b, points in prepared.buddies:
            if a in local and b in local and a != b:
                x, y = local[a], local[b]
                self.buddies[x][y] = self.buddies[y][x] = self.buddies[x].get(y, 0) + points
        seen: set[int] = set()
        for root in sorted(self.buddies):
            if root not in seen:
                group = self._rooted(root)
                seen.update(v for v, _ in group)
                links = sum(len(self.buddies[v]) for v, _ in group) // 2
                if links != len(group) - 1:
                    return False
                self.groups.append(group)
                self.grouped[[v for v, _ in group]] = True
        return True

    def _rooted(self, root: int) -> list[tuple[int, int]]:
        """The buddy group of `root` as (member, parent) pairs from `root` down."""
        group, stack, seen = [], [(root, -1)], {root}
        while stack:
            v, parent = stack.pop()
            group.append((v, parent))
            for w in sorted(self.buddies[v]):
                if w not in seen:
                    seen.add(w)
                    stack.append((w, v))
        return group

    def pairs_of(self, y: int) -> IntArray:
        """Youth `y`'s local pairs."""
        return np.arange(self.starts[y], self.starts[y + 1])

    def _job_sets(self, y: int) -> tuple[IntArray, IntArray]:
        """Youth `y`'s columns as two local pairs each (-1: none): no job (unless fixed),
        each job, and each two compatible jobs; a fixed youth's all hold its fixed pairs."""
        pairs = self.pairs_of(y)
        none = np.array([-1])
        if self.max_jobs[y] == 0:
            return none, none
        fixed = pairs[self.fixed[pairs]]
        if len(fixed) >= 2:
            return fixed[:1], fixed[1:2]
        if len(fixed) == 1:
            firsts, seconds = [fixed], [none]
        else:
            firsts, seconds = [none, pairs], [none, np.full(len(pairs), -1)]
        if y in self.conflicts:
            together = ~self.conflicts[y]
            np.fill_diagonal(together, False)
            if len(fixed):
                j = np.flatnonzero(together[fixed[0] - pairs[0]])
                i = np.full(len(j), fixed[0] - pairs[0])
            else:
                i, j = np.nonzero(np.triu(together, 1))
            firsts.append(pairs[i])
            seconds.append(pairs[j])
        return np.concatenate(firsts), np.concatenate(seconds)

    def column_value(self, column: Column) -> float:
        """A column's score, buddy points included."""
        value = sum(float(self.score[e]) for pairs in column.values() for e in pairs)
        held = {y: {int(self.opening[e]) for e in pairs} for y, pairs in column.items()}
        for y, mine in held.items():
            for w, points in self.buddies[y].items():
                if w in held and y < w:
                    value += points * sum(bool(self.roomy[o]) for o in mine & held[w])
        return value

    def first_columns(self, start: BoolArray) -> list[Column]:
        """The columns of `start` (a feasible choice over the component's `edges`) and
        each lone youth's best-scored jobs."""
        chosen = start[self.order]
        columns: list[Column] = []
        for y in np.flatnonzero(~self.grouped).tolist():
            mine = self.pairs_of(y)
            columns.append({y: tuple(mine[chosen[mine]].tolist())})
        for group in self.groups:
            columns.append({v: tuple(self.pairs_of(v)[chosen[self.pairs_of(v)]].tolist())
                            for v, _ in group})  # fmt: skip
        lone = np.flatnonzero(~self.grouped[self.youth] & ~self.fixed_youth[self.youth]
                              & (self.max_jobs[self.youth] >= 1))  # fmt: skip
        return columns + self._best_per_youth(lone, self.score[lone], TOP_SINGLES)

    def _best_per_youth(self, pairs: IntArray, values: FloatArray, most: int) -> list[Column]:
        """Single-job columns of the `most` best `pairs` by `values` per youth."""
        ranked = np.lexsort((-values, self.youth[pairs]))
        youth = self.youth[pairs[ranked]]
        rank = np.arange(len(ranked)) - np.searchsorted(youth, youth)
        return [{int(self.youth[e]): (int(e),)} for e in pairs[ranked[rank < most]].tolist()]

    def _gains(self, duals: Duals) -> tuple[FloatArray, FloatArray]:
        """Per pair its score less its opening's price; per youth what placing it earns."""
        lift = duals.placing * self.priority * ~self.fixed_youth
        return self.score - duals.price[self.opening], lift

    def best(self, duals: Duals, priority: int) -> tuple[float, list[Column]]:
        """The Lagrangian value at `duals` (each block's best column; `priority` is the
        first objective's optimum), and the columns worth more than their youths' shares."""
        gain, lift = self._gains(duals)
        values, picks = self._lone_values(gain, lift)
        single = gain + lift[self.youth]
        worth = np.flatnonzero(~self.grouped[self.youth] & ~self.fixed_youth[self.youth]
                               & (self.max_jobs[self.youth] >= 1)
                               & (single - duals.share[self.youth] > MARGIN))  # fmt: skip
        columns = self._best_per_youth(worth, single[worth], NEW_SINGLES)
        columns += [c for y, c in picks.items() if values[y] - duals.share[y] > MARGIN]
        total = float(values[~self.grouped].sum())
        for group in self.groups:
            totals, back = self._tree(group, gain, lift)
            root = group[0][0]
            k = int(np.argmax(totals[root]))
            total += float(totals[root][k])
            members = [v for v, _ in group]
            if totals[root][k] - float(duals.share[members].sum()) > MARGIN:
                columns.append(self._assignment(group, k, back))
        bound = float(duals.price @ self.positions) - duals.placing * priority
        return bound + total, columns

    def _lone_values(self, gain: FloatArray, lift: FloatArray
                     ) -> tuple[FloatArray, dict[int, Column]]:  # fmt: skip
        """Each lone youth's best column value (0 for none), and the best column of each
        fixed or two-job youth."""
        values = np.zeros(self.n_youths)
        free = (
            ~self.grouped[self.youth]
            & ~self.fixed_youth[self.youth]
            & (self.max_jobs[self.youth] >= 1)
        )
        np.maximum.at(values, self.youth[free], gain[free] + lift[self.youth[free]])
        picks: dict[int, Column] = {}
        for y in np.flatnonzero(~self.grouped & self.fixed_youth).tolist():
            first, second = self.sets[y]
            worth = self._set_values(y, first, second, gain, lift)
            k = int(np.argmax(worth))
            values[y] = worth[k]
            picks[y] = {y: tuple(int(e) for e in (first[k], second[k]) if e >= 0)}
        for y in self._lone_two_job():
            two, i, j = self._best_two(y, gain)
            if two + lift[y] > values[y]:
                values[y] = two + lift[y]
                picks[y] = {y: (int(self.starts[y] + i), int(self.starts[y] + j))}
        return values, picks

    def _best_two(self, y: int, gain: FloatArray) -> tuple[float, int, int]:
        """A two-job youth's best two compatible jobs (local to the youth) and their gain.
        First among its `TOP_PAIRS` best jobs: no two with one outside them gain more than
        the best and the first outside together; only if those could, among all."""
        mine = gain[self.pairs_of(y)]
        top = np.argsort(-mine, kind="stable")[:TOP_PAIRS]
        apart = self.apart[y][np.ix_(top, top)]
        both = np.where(apart, NONE, mine[top][:, None] + mine[top][None, :])
        i, j = divmod(int(np.argmax(both)), len(top))
        if len(top) == len(mine) or both[i, j] >= mine[top[0]] + mine[top].min():
            return float(both[i, j]), int(top[i]), int(top[j])
        both = self._both(y, gain)
        i, j = divmod(int(np.argmax(both)), len(both))
        return float(both[i, j]), i, j

    def _lone_two_job(self) -> list[int]:
        """The youths outside buddy groups, without fixed pairs, who may hold two jobs."""
        return [y for y in sorted(self.conflicts) if not (self.grouped[y] or self.fixed_youth[y])]

    def _both(self, y: int, gain: FloatArray) -> FloatArray:
        """A two-job youth's [pair, pair] matrix of two jobs' gains (`NONE` where they clash)."""
        mine = gain[self.pairs_of(y)]
        both: FloatArray = np.where(self.apart[y], NONE, mine[:, None] + mine[None, :])
        return both

    def _set_values(self, y: int, first: IntArray, second: IntArray, gain: FloatArray,
                    lift: FloatArray) -> FloatArray:  # fmt: skip
        """The value of each of youth `y`'s columns (pairs `first`, `second`, -1 none)."""
        value = np.where(first >= 0, gain[np.maximum(first, 0)], 0.0)
        value += np.where(second >= 0, gain[np.maximum(second, 0)], 0.0)
        result: FloatArray = value + lift[y] * (first >= 0)
        return result

    def _tree(self, group: list[tuple[int, int]], gain: FloatArray, lift: FloatArray
              ) -> tuple[dict[int, FloatArray], Back]:  # fmt: skip
        """Per member, the best value of its subtree for each of its columns, leaves first;
        and per member, each child's best column for each of the member's."""
        totals: dict[int, FloatArray] = {}
        back: Back = {}
        for v, _ in reversed(group):
            first, second = self.sets[v]
            total = self._set_values(v, first, second, gain, lift)
            back[v] = []
            for child in [w for w, parent in group if parent == v]:
                message, arg = self._message(v, child, totals[child])
                total = total + message
                back[v].append((child, arg))
            totals[v] = total
        return totals, back

    def _message(self, v: int, child: int, below: FloatArray) -> tuple[FloatArray, IntArray]:
        """For each of `v`'s columns, the best of `child`'s subtree (`below`, per column of
        the child) with the buddy points of the openings the two share, and which column."""
        points = self.buddies[v][child]
        mine = [self._openings(e) for e in self.sets[v]]
        theirs = [self._openings(e) for e in self.sets[child]]
        k = int(np.argmax(below))
        value, arg = np.full(len(mine[0]), below[k]), np.full(len(mine[0]), k)
        best_at, arg_at = np.full(self.n_openings + 1, NONE), np.full(self.n_openings + 1, -1)
        for side in theirs:  # the child's best column holding each opening
            has = np.flatnonzero(side >= 0)
            has = has[np.lexsort((-below[has], side[has]))]
            _, first = np.unique(side[has], return_index=True)
            at = side[has[first]]
            better = below[has[first]] > best_at[at]
            best_at[at[better]], arg_at[at[better]] = below[has[first]][better], has[first][better]
        for side in mine:
            shared = (side >= 0) & self.roomy[np.maximum(side, 0)]
            here = np.where(shared, side, self.n_openings)
            value, arg = _better(value, arg, best_at[here] + points, arg_at[here])
        # Both of v's openings in one column of the child: twice the points where roomy.
        keys = _pair_keys(theirs[0], theirs[1], self.n_openings)
        by_key = np.argsort(keys, kind="stable")
        wanted = _pair_keys(mine[0], mine[1], self.n_openings)
        at = np.minimum(np.searchsorted(keys[by_key], wanted), len(keys) - 1)
        hit = (wanted >= 0) & (keys[by_key][at] == wanted)
        twice = points * sum(((s >= 0) & self.roomy[np.maximum(s, 0)]) for s in mine)
        return _better(value, arg, np.where(hit, below[by_key[at]] + twice, NONE), by_key[at])

    def _openings(self, pairs: IntArray) -> IntArray:
        """The local openings of local pairs (-1 stays -1)."""
        return np.where(pairs >= 0, self.opening[np.maximum(pairs, 0)], -1)

    def _assignment(self, group: list[tuple[int, int]], k: int,
                    back: Back) -> Column:  # fmt: skip
        """The group's column with its root's column `k`, its members' from `back`."""
        column: Column = {}
        stack = [(group[0][0], k)]
        while stack:
            v, k = stack.pop()
            first, second = self.sets[v]
            column[v] = tuple(int(e) for e in (first[k], second[k]) if e >= 0)
            stack += [(child, int(arg[k])) for child, arg in back[v]]
        return column

    def slacks(self, duals: Duals) -> FloatArray:
        """Per local pair, how much less than the block's best any column holding it is
        worth at `duals` (a solution using the pair is worth at most the Lagrangian value
        less that); pairs in no column get `-NONE`."""
        gain, lift = self._gains(duals)
        values, _ = self._lone_values(gain, lift)
        holding = np.where(~self.grouped[self.youth] & ~self.fixed_youth[self.youth]
                           & (self.max_jobs[self.youth] >= 1),
                           gain + lift[self.youth], NONE)  # fmt: skip
        for y in np.flatnonzero(~self.grouped & self.fixed_youth).tolist():
            first, second = self.sets[y]
            _hold(holding, first, second, self._set_values(y, first, second, gain, lift))
        for y in self._lone_two_job():
            mine = self.pairs_of(y)
            holding[mine] = np.maximum(holding[mine], self._both(y, gain).max(axis=1) + lift[y])
        best = values[self.youth]
        for group in self.groups:
            for member, _ in group:
                rerooted = self._rooted(member)
                totals, _ = self._tree(rerooted, gain, lift)
                first, second = self.sets[member]
                _hold(holding, first, second, totals[member])
                best[self.pairs_of(member)] = float(totals[member].max())
        slack: FloatArray = np.where(holding > NONE / 2, best - holding, -NONE)
        return slack


def _better(value: FloatArray, arg: IntArray, other: FloatArray, other_arg: IntArray
            ) -> tuple[FloatArray, IntArray]:  # fmt: skip
    """The larger of two values per entry with its argument, the first on ties."""
    take = other > value
    return np.where(take, other, value), np.where(take, other_arg, arg)


def _pair_keys(first: IntArray, second: IntArray, n: int) -> IntArray:
    """One key per two openings, whichever order (-1 where either is missing)."""
    both = (first >= 0) & (second >= 0)
    keys: IntArray = np.where(both, np.minimum(first, second) * n + np.maximum(first, second), -1)
    return keys


def _hold(holding: FloatArray, first: IntArray, second: IntArray, value: FloatArray) -> None:
    """Raise each pair's `holding` to the best `value` of the columns holding it."""
    for side in (first, second):
        has = side >= 0
        np.maximum.at(holding, side[has], value[has])
