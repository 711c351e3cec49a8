"""What `solve` derives from a problem before any solver runs; the clashes of fixed pairs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..crossjob import WeekProfiles, combination_codes
from ..eligibility import BoolArray, Candidates, Eligibility, IntArray
from ..lexorder import lexorder
from ..model import Problem
from ..rules import Limits
from ..scoring import buddy_pairs, edge_scores

# The most cells of one shared conflict matrix (its int64 planes take 8 bytes a cell).
SHARED_CELLS = 6_000_000


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything derived from a problem before any solver runs.

    `keys` is `opening * n_youths + youth` per pair, ascending because the candidates are
    opening-major with youths in input order: pairs are found by binary search, never
    through a Python set of all pairs.
    """

    eligibility: Eligibility
    candidates: Candidates
    scores: IntArray
    fixed: BoolArray
    limits: list[Limits]
    profiles: WeekProfiles
    buddies: list[tuple[int, int, int]]
    keys: IntArray
    by_youth: IntArray
    youth_starts: IntArray
    _conflicts: dict[int, BoolArray] = field(default_factory=dict, compare=False, repr=False)
    _shared: dict[int, tuple[IntArray, BoolArray] | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _plans: dict[int, tuple[IntArray, bool, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def pairs_of(self, y: int) -> IntArray:
        """The pairs of youth `y`, ascending."""
        return self.by_youth[self.youth_starts[y] : self.youth_starts[y + 1]]

    def find(self, youth: IntArray, opening: IntArray) -> IntArray:
        """The pair index of each (youth, opening), -1 where it is not an eligible pair."""
        wanted = opening * len(self.eligibility.problem.youths) + youth
        at = np.minimum(np.searchsorted(self.keys, wanted), max(len(self.keys) - 1, 0))
        found = (self.keys[at] == wanted) if len(self.keys) else np.zeros(len(wanted), bool)
        return np.where(found, at, -1)

    def conflicts_of(self, y: int) -> BoolArray:
        """Which of youth `y`'s pairs (`pairs_of(y)`) may not be held together, computed once.

        Youths with the same limits share one matrix over all their openings when that
        is smaller than their own matrices together (in a dense city, where each may
        reach most openings); elsewhere each youth gets its own.
        """
        if y not in self._conflicts:
            limits = self.limits[y]
            if id(limits) not in self._shared:
                self._shared[id(limits)] = self._shared_matrix(limits)
            openings = self.candidates.opening[self.pairs_of(y)]
            shared = self._shared[id(limits)]
            if shared is None:
                self._conflicts[y] = self.profiles.conflicts(openings, limits)
            else:
                at = np.searchsorted(shared[0], openings)
                self._conflicts[y] = shared[1][np.ix_(at, at)]
        return self._conflicts[y]

    def knows_conflicts(self, y: int) -> bool:
        """Whether youth `y`'s conflict matrix is worked out already."""
        return y in self._conflicts

    def conflict_cells(self) -> tuple[int, int]:
        """What `conflicts_of` costs for every youth who may hold two jobs (for the time
        limit): the matrix cells it works out, and the cells of the youths' own matrices
        (copied out of a shared one, or the same as those worked out)."""
        youths = self._two_job_youths()
        classes = {id(self.limits[y]): self.limits[y] for y in youths.tolist()}
        computed = sum(self._plan(limits)[2] for limits in classes.values())
        return computed, int((np.diff(self.youth_starts)[youths] ** 2).sum())

    def _two_job_youths(self) -> IntArray:
        counts = np.diff(self.youth_starts)
        max_jobs = np.array([youth.max_jobs for youth in self.eligibility.problem.youths])
        return np.flatnonzero((max_jobs >= 2) & (counts >= 2))

    def _plan(self, limits: Limits) -> tuple[IntArray, bool, int]:
        """For the youths with these limits who may hold two jobs: the openings they reach,
        whether one shared matrix over them is cheaper, and the cells worked out either way
        (worked out once per limits)."""
        if id(limits) not in self._plans:
            members = [y for y in self._two_job_youths().tolist() if self.limits[y] is limits]
            own = sum(len(self.pairs_of(y)) ** 2 for y in members)
            reached = [self.candidates.opening[self.pairs_of(y)] for y in members]
            openings = np.unique(np.concatenate(reached or [np.zeros(0, np.int64)]))
            shared = 0 < len(openings) ** 2 < own and len(openings) ** 2 <= SHARED_CELLS
            self._plans[id(limits)] = (openings, shared, len(openings) ** 2 if shared else own)
        return self._plans[id(limits)]

    def _shared_matrix(self, limits: Limits) -> tuple[IntArray, BoolArray] | None:
        """The openings of the youths with these limits who may hold two jobs and their
        conflict matrix, when it has fewer cells than the youths' own matrices together."""
        openings, shared, _ = self._plan(limits)
        return (openings, self.profiles.conflicts(openings, limits)) if shared else None


def prepare(problem: Problem, known: tuple[Candidates, IntArray] | None = None) -> Prepared:
    """Eligibility, the eligible pairs and their scores, and what is found through them;
    `known`: the pairs and scores already worked out (a part's, by the whole's `prepare`)."""
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates() if known is None else known[0]
    n_youths = len(problem.youths)
    keys = candidates.opening * n_youths + candidates.youth
    by_youth = lexorder(candidates.youth)
    youth_starts = np.searchsorted(candidates.youth[by_youth], np.arange(n_youths + 1))
    prepared = Prepared(
        eligibility,
        candidates,
        edge_scores(eligibility, candidates) if known is None else known[1],
        np.zeros(len(candidates), dtype=bool),
        eligibility.limits,
        WeekProfiles.of(problem.openings),
        buddy_pairs(problem),
        keys,
        by_youth,
        youth_starts,
    )
    if problem.fixed:
        youths = np.array([eligibility.youth_index[p.youth] for p in problem.fixed])
        openings = np.array([eligibility.opening_index[p.opening] for p in problem.fixed])
        at = prepared.find(youths, openings)
        prepared.fixed[at[at >= 0]] = True
    return prepared


def fixed_clashes(problem: Problem, prepared: Prepared) -> list[str]:
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


def priority_unit(problem: Problem, prepared: Prepared) -> int:
    """A weight for one unit of priority larger than any solution's whole score."""
    return 1 + score_ceiling(problem, prepared, buddy_bonus(problem, prepared))


def buddy_bonus(problem: Problem, prepared: Prepared) -> IntArray:
    """Per pair, the buddy points it would earn if every buddy eligible there joined
    (only where the opening has room for two)."""
    candidates = prepared.candidates
    bonus = np.zeros(len(candidates), dtype=np.int64)
    index = prepared.eligibility.youth_index
    roomy = np.array([o.positions >= 2 for o in problem.openings], dtype=bool)
    for y, youth in enumerate(problem.youths):
        if not youth.buddies:
            continue
        pairs = prepared.pairs_of(y)
        pairs = pairs[roomy[candidates.opening[pairs]]]
        for name in youth.buddies:
            buddy = np.full(len(pairs), index[name], dtype=np.int64)
            joined = prepared.find(buddy, candidates.opening[pairs]) >= 0
            bonus[pairs[joined]] += problem.weights.buddy
    return bonus


def score_ceiling(problem: Problem, prepared: Prepared, bonus: IntArray) -> int:
    """A plain upper bound on any solution's score: each youth's best pairs, buddies included."""
    best = np.zeros(len(problem.youths), dtype=np.int64)
    np.maximum.at(best, prepared.candidates.youth, prepared.scores + bonus)
    jobs = np.array([y.max_jobs for y in problem.youths], dtype=np.int64)
    return int((best * jobs).sum())
