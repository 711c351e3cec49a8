"""The CP-SAT phase: the hard components decided by CP-SAT, keeping the flow's first
objective, within a budget of deterministic time shared by component size."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..cpsat import CpResult, ScoreModel
from ..eligibility import BoolArray, IntArray
from ..model import Problem
from .bounds import TOWN_PAIRS, Relaxation, choice_value, relax
from .budget import MODEL_SECONDS_PER_PAIR, Budget
from .prepare import Prepared

SMALL_MODEL = 6_000  # pairs: about as many as CP-SAT proves in a second or two
# A dense component's first round (the dense city's 7,525 pairs of least slack reach its
# optimum in 0.8 deterministic seconds; its 6,627 stopped 11 points short, and the round
# after them needed 3.8).
DENSE_MODEL = 7_500
PAIRS_PER_WORK = 20_000  # pairs CP-SAT gets far with per deterministic second (measured)
# A component of a town (under 200,000 pairs: the country's 50 have 180 to 141,000): on
# its sparser models CP-SAT gets twice as far per deterministic second. Where its share
# of the budget reaches fewer than `TIGHT_REACH` times its pairs at that pace, the first
# round is `TOWN_MODEL` pairs, which raises the start more cheaply (measured on the
# country at the default limit: 0.185 % -> 0.09 % below its bound in the same time;
# medium, with seven times the budget per pair, is proven as fast as before). The dense
# region (500,000 pairs) and city (1.3 million) keep the pace above and `DENSE_MODEL`:
# there the small round cost 3x the gap.
TOWN_MODEL = 2_000
TOWN_PAIRS_PER_WORK = 40_000
TIGHT_REACH = 2
ROUND_GROWTH = 4  # each round decides up to this many times the pairs of the one before
MIN_CP_WORK = 0.02  # less deterministic time than this is not worth building a model for


def improve_with_cp(problem: Problem, prepared: Prepared, chosen: BoolArray,
                    components: list[IntArray], big: int, budget: Budget,
                    stats: dict[str, object]) -> tuple[BoolArray, bool, int]:  # fmt: skip
    """Replace the flow's choice on each hard component by CP-SAT's, keeping objective 1,
    within `budget`, shared by component size (the small ones first, so that what they
    leave rolls on). Where it does not reach, a component keeps the flow's choice
    repaired to keep the cross-job rules.

    Returns the choice, whether every component is proven optimal, and how far the
    score may be below its optimum at most.
    """
    proven, score_gap, cp_seconds, kept_pairs, cp_work = True, 0, 0.0, 0, 0.0
    started = time.perf_counter()
    edges_left = sum(len(c) for c in components)
    for edges in sorted(components, key=len):
        share = Budget(budget.left * len(edges) / edges_left)
        edges_left -= len(edges)
        relaxation = relax(problem, prepared, edges, big, chosen[edges], share)
        outcome = _solve_hard_component(problem, prepared, edges, relaxation, big, share)
        budget.absorb(share)
        chosen[edges] = outcome.chosen
        proven &= outcome.gap == 0
        score_gap += outcome.gap
        cp_seconds += outcome.seconds
        cp_work += outcome.work
        kept_pairs += outcome.pairs
    stats["cp_seconds"] = round(cp_seconds, 3)
    stats["cp_work"] = round(cp_work, 3)
    stats["hard_components_seconds"] = round(time.perf_counter() - started, 3)
    stats["cp_pairs"] = kept_pairs
    return chosen, proven, score_gap


@dataclass(frozen=True, slots=True)
class Outcome:
    """One hard component solved: the choice over its pairs, the score's proven gap,
    CP-SAT's seconds and deterministic work, and the most pairs it decided at once."""

    chosen: BoolArray
    gap: int
    seconds: float
    work: float
    pairs: int


def _solve_hard_component(problem: Problem, prepared: Prepared, edges: IntArray,
                          relaxation: Relaxation, big: int,
                          budget: Budget) -> Outcome:  # fmt: skip
    """CP-SAT on the pairs of a component that can still matter, in rounds.

    `relax` bounds the component's value from above (`upper`) and gives a feasible start
    (`lower`). A solution using a pair whose slack exceeds t is worth less than
    `upper - t`, so a solution better than `lower` uses none whose slack exceeds
    `upper - lower - 1` (values are integers). CP-SAT first decides only the pairs of least
    slack (`_pace`), from the best solution so far, which often already proves the
    optimum and else raises `lower` cheaply; each round after it decides up to
    `ROUND_GROWTH` times as many, until the pairs that can still improve on `lower` fit
    in one (the final round, whose optimum is the component's), as far as the budget
    allows.
    """
    upper, slack, best = relaxation.upper, relaxation.slack, relaxation.start
    known = choice_value(problem, prepared, edges[best], big, priority_only=True)
    lower = relaxation.lower
    seconds, work, pairs, bound = 0.0, 0.0, 0, upper
    first_round, pace = _pace(len(edges), budget.cp_work())
    # A model CP-SAT cannot get far with in its budget is not worth building.
    affordable = min(first_round, int(budget.cp_work() * pace))
    if bound > lower and affordable < 1:
        budget.fall_short()  # no time for CP-SAT
        return Outcome(best, bound - lower, seconds, work, pairs)
    size = affordable
    while bound > lower:
        final_threshold = float(upper - lower - 1)  # beyond it, no pair can improve on lower
        threshold = final_threshold
        if (slack <= threshold).sum() > size:  # as many pairs as CP-SAT proves at once
            threshold = float(np.partition(slack, size)[size])
        final = threshold == final_threshold
        keep = (slack <= threshold) | best
        if not budget.affords(MODEL_SECONDS_PER_PAIR * int(keep.sum())):
            break
        budget.charge(MODEL_SECONDS_PER_PAIR * int(keep.sum()))
        share = budget.cp_work(1 if final else 0.5)
        if share < MIN_CP_WORK or keep.sum() > 2 * share * pace:
            budget.fall_short()  # the round does not fit
            break
        pairs = max(pairs, int(keep.sum()))
        result = _solve_component(problem, prepared, edges[keep], best[keep], share)
        seconds += result.wall_seconds
        work += result.work
        budget.charge_cp(result.work)
        best = np.zeros(len(edges), dtype=bool)
        best[np.flatnonzero(keep)[result.chosen]] = True
        lower = max(lower, known + result.score)
        # What any solution using a pair left out (slack above `threshold`) is worth at most.
        outside = int(np.ceil(upper - threshold)) - 1
        if result.optimal:
            bound = min(bound, max(lower, outside))
        else:
            bound = min(bound, max(known + result.score_bound, outside))
        size *= ROUND_GROWTH
    return Outcome(best, max(bound - lower, 0), seconds, work, pairs)


def _pace(pairs: int, work: float) -> tuple[int, int]:
    """For a component of `pairs` pairs with `work` deterministic seconds for CP-SAT: the
    pairs of CP-SAT's first round, and how many pairs it gets far with per deterministic
    second."""
    if pairs >= TOWN_PAIRS:
        return DENSE_MODEL, PAIRS_PER_WORK
    tight = work * TOWN_PAIRS_PER_WORK < TIGHT_REACH * pairs
    return (TOWN_MODEL if tight else SMALL_MODEL), TOWN_PAIRS_PER_WORK


def _solve_component(problem: Problem, prepared: Prepared, edges: IntArray, hint: BoolArray,
                     work_limit: float) -> CpResult:  # fmt: skip
    """CP-SAT on one component's pairs, from a feasible hint."""
    candidates = prepared.candidates
    youth = candidates.youth[edges]
    members = set(youth.tolist())
    model = ScoreModel(
        problem, youth, candidates.opening[edges], prepared.scores[edges],
        fixed=prepared.fixed[edges],
        opening_capacity=np.array([o.positions for o in problem.openings], dtype=np.int64),
        limits=prepared.limits, profiles=prepared.profiles,
        buddies=[b for b in prepared.buddies if b[0] in members],
    )  # fmt: skip
    return model.solve(priority_target=_priority_of(problem, youth[hint]), hint=hint,
                       work_limit=work_limit, workers=problem.options.workers)  # fmt: skip


def _priority_of(problem: Problem, youths: IntArray) -> int:
    return sum(problem.youths[y].priority for y in set(youths.tolist()))
