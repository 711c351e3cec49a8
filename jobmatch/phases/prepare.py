"""What `solve` derives from a problem before any solver runs; the clashes of fixed pairs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ..crossjob import WeekProfiles, combination_codes
from ..eligibility import BoolArray, Candidates, Eligibility, IntArray
from ..model import Problem
from ..rules import Limits
from ..scoring import buddy_pairs, edge_scores


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything derived from a problem before any solver runs."""

    eligibility: Eligibility
    candidates: Candidates
    scores: IntArray
    fixed: BoolArray
    limits: list[Limits]
    profiles: WeekProfiles
    buddies: list[tuple[int, int, int]]


def prepare(problem: Problem) -> Prepared:
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates()
    scores = edge_scores(eligibility, candidates)
    fixed = np.zeros(len(candidates), dtype=bool)
    if problem.fixed:
        keys = {
            (eligibility.youth_index[p.youth], eligibility.opening_index[p.opening])
            for p in problem.fixed
        }
        fixed = np.array(
            [
                (y, o) in keys
                for y, o in zip(
                    candidates.youth.tolist(), candidates.opening.tolist(), strict=True
                )
            ],
            dtype=bool,
        )
    return Prepared(
        eligibility,
        candidates,
        scores,
        fixed,
        eligibility.limits,
        WeekProfiles.of(problem.openings),
        buddy_pairs(problem),
    )


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
    if not any(youth.buddies for youth in problem.youths):
        return bonus
    keys = set(zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True))
    index = prepared.eligibility.youth_index
    for e, (y, o) in enumerate(zip(candidates.youth.tolist(), candidates.opening.tolist(),
                                   strict=True)):  # fmt: skip
        if problem.openings[o].positions < 2:
            continue
        for name in problem.youths[y].buddies:
            if (index[name], o) in keys:
                bonus[e] += problem.weights.buddy
    return bonus


def score_ceiling(problem: Problem, prepared: Prepared, bonus: IntArray) -> int:
    """A plain upper bound on any solution's score: each youth's best pairs, buddies included."""
    best = np.zeros(len(problem.youths), dtype=np.int64)
    np.maximum.at(best, prepared.candidates.youth, prepared.scores + bonus)
    jobs = np.array([y.max_jobs for y in problem.youths], dtype=np.int64)
    return int((best * jobs).sum())
