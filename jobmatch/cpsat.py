"""The CP-SAT model for the parts of a problem that a flow cannot solve exactly.

Used where a youth may hold several jobs whose rules bind each other, or where
buddies could work side by side. The first objective is already known (the flow
solves it exactly); this model keeps it and maximises the score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from .crossjob import WeekProfiles
from .eligibility import BoolArray, IntArray
from .errors import SolverError
from .model import Problem
from .rules import Limits


@dataclass(frozen=True, slots=True)
class CpResult:
    """The pairs chosen, the score reached and proven bound, and whether it is optimal."""

    chosen: BoolArray
    score: int
    score_bound: int
    optimal: bool
    wall_seconds: float
    work: float


class ScoreModel:
    """One CP-SAT model over a subset of candidate pairs (edges), owned by this class."""

    def __init__(
        self,
        problem: Problem,
        youth: IntArray,
        opening: IntArray,
        score: IntArray,
        *,
        fixed: BoolArray,
        opening_capacity: IntArray,
        limits: list[Limits],
        profiles: WeekProfiles,
        buddies: list[tuple[int, int, int]],
    ) -> None:
        self.problem = problem
        self.youth, self.opening, self.score = youth, opening, score
        self.model = cp_model.CpModel()
        self.x = [self.model.new_bool_var(f"x{e}") for e in range(len(youth))]
        self.by_youth: dict[int, list[int]] = defaultdict(list)
        self.by_opening: dict[int, list[int]] = defaultdict(list)
        for e, (y, o) in enumerate(zip(youth.tolist(), opening.tolist(), strict=True)):
            self.by_youth[y].append(e)
            self.by_opening[o].append(e)
        self.placed = {y: self.model.new_bool_var(f"placed{y}") for y in self.by_youth}
        self.buddy_terms: list[tuple[cp_model.IntVar, int]] = []
        self.buddy_edges: dict[int, set[int]] = {}
        self._add_fixed(fixed)
        self._add_capacities(opening_capacity)
        self._add_cross_job_rules(limits, profiles)
        self._add_buddies(buddies)

    def _add_fixed(self, fixed: BoolArray) -> None:
        """Fixed pairs are kept."""
        for e in np.flatnonzero(fixed).tolist():
            self.model.add(self.x[e] == 1)

    def _add_capacities(self, opening_capacity: IntArray) -> None:
        """Positions per opening, max_jobs per youth, and `placed` only with a job."""
        for o, edges in self.by_opening.items():
            self.model.add(sum(self.x[e] for e in edges) <= int(opening_capacity[o]))
        for y, edges in self.by_youth.items():
            self.model.add(sum(self.x[e] for e in edges) <= self.problem.youths[y].max_jobs)
            self.model.add(self.placed[y] <= sum(self.x[e] for e in edges))

    def _add_cross_job_rules(self, limits: list[Limits], profiles: WeekProfiles) -> None:
        """No two conflicting jobs together; day, week and day-count limits over all jobs."""
        for y, edges in self.by_youth.items():
            if self.problem.youths[y].max_jobs < 2 or len(edges) < 2:
                continue
            idx = self.opening[edges]
            conflicts = profiles.conflicts(idx, limits[y])
            for i, j in zip(*np.nonzero(np.triu(conflicts)), strict=True):
                self.model.add_bool_or([~self.x[edges[i]], ~self.x[edges[j]]])
            if self.problem.youths[y].max_jobs < 3:
                continue
            minutes = profiles.minutes[idx]
            chosen = [self.x[e] for e in edges]
            for d in range(7):
                self.model.add(
                    sum(int(m) * x for m, x in zip(minutes[:, d], chosen, strict=True) if m)
                    <= limits[y].day_cap(d)
                )
            self.model.add(
                sum(int(m) * x for m, x in zip(minutes.sum(axis=1), chosen, strict=True))
                <= limits[y].week_minutes
            )
            max_days = limits[y].max_days
            if max_days is not None:
                works = [self.model.new_bool_var(f"w{y}_{d}") for d in range(7)]
                for d in range(7):
                    for k in np.flatnonzero(minutes[:, d]).tolist():
                        self.model.add_implication(chosen[k], works[d])
                self.model.add(sum(works) <= max_days)

    def _add_buddies(self, buddies: list[tuple[int, int, int]]) -> None:
        """A bonus for each opening that two buddies hold together."""
        for a, b, points in buddies:
            held_by_a = {int(self.opening[e]): e for e in self.by_youth.get(a, [])}
            for e in self.by_youth.get(b, []):
                o = int(self.opening[e])
                if o in held_by_a:
                    both = self.model.new_bool_var(f"both{a}_{b}_{o}")
                    self.model.add_implication(both, self.x[held_by_a[o]])
                    self.model.add_implication(both, self.x[e])
                    self.buddy_terms.append((both, points))
                    self.buddy_edges[both.index] = {held_by_a[o], e}

    def solve(self, *, priority_target: int, hint: BoolArray, work_limit: float,
              workers: int) -> CpResult:  # fmt: skip
        """Maximise the lexicographic objective, whose first part is known to be
        `priority_target` (the flow's, exact): one objective, `big` times the priority
        placed plus the score, proves faster than a constraint on the first part."""
        score = sum(int(s) * x for s, x in zip(self.score, self.x, strict=True)) + sum(
            points * v for v, points in self.buddy_terms
        )
        big = 1 + int(self.score.sum()) + sum(points for _, points in self.buddy_terms)
        priority = sum(self.problem.youths[y].priority * v for y, v in self.placed.items())
        self.model.maximize(big * priority + score)
        self._add_complete_hint(hint)
        solver = cp_model.CpSolver()
        # The budget is deterministic work, so that the same input gives the same result
        # however busy the machine is; the wall-clock stop only guards against the absurd.
        solver.parameters.max_deterministic_time = max(work_limit, 0.05)
        solver.parameters.max_time_in_seconds = 20 * work_limit + 10
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 0
        solver.parameters.linearization_level = 2  # the LP bound proves these models fast
        # Measured on the benchmark's region: probing and symmetry detection cost more
        # than they save on these matching-shaped models.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        # The proof is the root LP's (with its cuts): every linear constraint in it from the
        # start, not added once violated, and the root LP solved in one go (measured on the
        # dense city's 22,749 pairs: proven in 3.4 deterministic seconds; with the defaults,
        # 10 did not prove it). One presolve pass does as well as three, for less.
        solver.parameters.add_lp_constraints_lazily = False
        solver.parameters.root_lp_iterations = 100_000
        solver.parameters.max_presolve_iterations = 1
        if workers > 1:
            solver.parameters.interleave_search = True
        status = solver.solve(self.model)
        if status == cp_model.UNKNOWN:
            return self._hint_result(hint, solver.wall_time, solver.deterministic_time)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise SolverError(
                f"CP-SAT says {solver.status_name(status)} although the flow gave a solution; "
                "please report this problem file"
            )
        chosen = np.array([solver.boolean_value(x) for x in self.x], dtype=bool)
        known = big * priority_target
        return CpResult(
            chosen,
            round(solver.objective_value) - known,
            int(solver.best_objective_bound) - known,
            status == cp_model.OPTIMAL,
            solver.wall_time,
            solver.deterministic_time,
        )

    def _add_complete_hint(self, hint: BoolArray) -> None:
        """Hint every variable, so that CP-SAT starts from a whole feasible solution."""
        for e, value in enumerate(hint.tolist()):
            self.model.add_hint(self.x[e], bool(value))
        for y, placed in self.placed.items():
            self.model.add_hint(placed, bool(hint[self.by_youth[y]].any()))
        for both, _ in self.buddy_terms:
            self.model.add_hint(both, all(hint[e] for e in self.buddy_edges[both.index]))

    def _hint_result(self, hint: BoolArray, wall_seconds: float, work: float) -> CpResult:
        """The (feasible) hint itself, when the time ran out before CP-SAT found better."""
        score = int(self.score[hint].sum())
        chosen_edges = set(np.flatnonzero(hint).tolist())
        for both, points in self.buddy_terms:
            edges = self.buddy_edges[both.index]
            if edges <= chosen_edges:
                score += points
        return CpResult(hint, score, 2**62, False, wall_seconds, work)
