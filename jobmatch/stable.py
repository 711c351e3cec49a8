"""Stable matching: youth-proposing deferred acceptance with capacities, and blocking pairs.

The game (hospitals/residents) is played over the eligible pairs only, by the
youths with `max_jobs` >= 1; a youth with `max_jobs` above 1 still takes one
opening here, since stability is defined for one job per youth. Fixed pairs are
placed first and use up a position; their youths do not take part.

Both sides rank strictly:

- a youth ranks the eligible openings of its `preferences` first, in that order,
  then the other eligible openings by pair score (higher first), ties by the
  opening's input order;
- an opening ranks the eligible youths of its `preferences` first, in that
  order, then the others by pair score, ties by priority (higher first), then
  by the youth's input order.

The result is the youth-optimal stable matching, the one every youth likes at
least as well as any other stable matching.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .eligibility import Candidates, Eligibility, IntArray
from .errors import Issue, ProblemError
from .lexorder import lexorder
from .model import Pair, Problem
from .scoring import edge_scores


@dataclass(frozen=True, slots=True)
class Rankings:
    """Both sides' rankings over the candidate pairs (0 = first choice).

    `by_youth` lists the candidate indices youth by youth, best first, and
    `youth_start[y]:youth_start[y + 1]` is youth y's slice of it.
    """

    youth_rank: IntArray
    opening_rank: IntArray
    by_youth: IntArray
    youth_start: IntArray


def rankings(problem: Problem, candidates: Candidates, scores: IntArray) -> Rankings:
    """Each candidate pair's place in its youth's and in its opening's ranking."""
    youths, openings = problem.youths, problem.openings
    youth_index = {y.id: i for i, y in enumerate(youths)}
    opening_index = {o.id: i for i, o in enumerate(openings)}
    n_youths = len(youths)
    pair_keys = candidates.opening * n_youths + candidates.youth  # ascending: opening-major
    # A part of a problem (`jobmatch.parts`) keeps whole rankings: other parts' ids are skipped.
    youth_listed = _listed_rank(pair_keys, (
        (opening_index[name] * n_youths + y, rank)
        for y, youth in enumerate(youths) for rank, name in enumerate(youth.preferences)
        if name in opening_index
    ))  # fmt: skip
    opening_listed = _listed_rank(pair_keys, (
        (o * n_youths + youth_index[name], rank)
        for o, opening in enumerate(openings) for rank, name in enumerate(opening.preferences)
        if name in youth_index
    ))  # fmt: skip
    priority = np.array([y.priority for y in youths], dtype=np.int64)[candidates.youth]
    # The last ties go by index: by opening within a youth, by youth within an opening.
    by_youth = lexorder(candidates.youth, youth_listed, -scores)
    by_opening = lexorder(candidates.opening, opening_listed, -scores, -priority)
    youth_rank, youth_start = _ranks(candidates.youth, by_youth, len(youths))
    opening_rank, _ = _ranks(candidates.opening, by_opening, len(openings))
    return Rankings(youth_rank, opening_rank, by_youth, youth_start)


def _listed_rank(pair_keys: IntArray, listed: Iterable[tuple[int, int]]) -> IntArray:
    """Each pair's rank in a side's `preferences`, or one past any rank when not listed
    (`pair_keys` ascending: each listed pair is looked up, not each pair)."""
    entries = np.array(list(listed), dtype=np.int64).reshape(-1, 2)
    result = np.full(len(pair_keys), entries[:, 1].max(initial=-1) + 1, dtype=np.int64)
    if not len(entries) or not len(pair_keys):
        return result
    keys, ranks = entries[:, 0], entries[:, 1]
    at = np.minimum(np.searchsorted(pair_keys, keys), len(pair_keys) - 1)
    hit = pair_keys[at] == keys
    result[at[hit]] = ranks[hit]
    return result


def _ranks(owner: IntArray, order: IntArray, owners: int) -> tuple[IntArray, IntArray]:
    """Rank of each pair within its owner's run of `order`, and the runs' start offsets."""
    starts = np.zeros(owners + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=owners), out=starts[1:])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - starts[owner[order]]
    return rank, starts


def stable_assignments(
    problem: Problem,
    eligibility: Eligibility,
    candidates: Candidates,
    scores: IntArray,
    *,
    ranks: Rankings | None = None,
) -> list[tuple[int, int]]:
    """The youth-optimal stable matching, fixed pairs included.

    Args:
        problem: the problem.
        eligibility: its eligibility (for the id indices).
        candidates: its eligible pairs.
        scores: the score of each candidate pair (`scoring.edge_scores`).
        ranks: their `rankings` when the caller has them already.

    Returns:
        (youth index, opening index) pairs, sorted; the same input always gives
        the same pairs.
    """
    fixed = _fixed(problem, eligibility)
    capacity = [opening.positions for opening in problem.openings]
    for _, o in fixed:
        capacity[o] -= 1
    proposing = _proposing(problem, fixed)
    if ranks is None:
        ranks = rankings(problem, candidates, scores)
    # Each youth's list as the openings and the youth's rank at each, in order of choice
    # (read through their memoryviews: most of the lists are never reached).
    choice_opening = candidates.opening[ranks.by_youth].data
    choice_rank = ranks.opening_rank[ranks.by_youth].data
    starts = ranks.youth_start.tolist()
    following = starts[:-1]
    held: list[list[tuple[int, int]]] = [[] for _ in problem.openings]  # heaps of (-rank, youth)
    # An opening takes a proposal ranked above its threshold: anyone while it has room,
    # then only youths it prefers to its worst.
    room = len(candidates) + 1
    threshold = [room if c > 0 else -1 for c in capacity]
    free = [y for y in range(len(problem.youths) - 1, -1, -1) if proposing[y]]
    while free:
        y = free.pop()
        i, end = following[y], starts[y + 1]
        while i < end and choice_rank[i] >= threshold[choice_opening[i]]:
            i += 1
        following[y] = i + 1
        if i == end:
            continue
        o, heap = choice_opening[i], held[choice_opening[i]]
        if len(heap) < capacity[o]:
            heapq.heappush(heap, (-choice_rank[i], y))
        else:
            free.append(heapq.heapreplace(heap, (-choice_rank[i], y))[1])
        if len(heap) == capacity[o]:
            threshold[o] = -heap[0][0]
    matched = [(y, o) for o, heap in enumerate(held) for _, y in heap]
    return sorted(fixed + matched)


def _proposing(problem: Problem, fixed: Sequence[tuple[int, int]]) -> list[bool]:
    """Which youths take part: `max_jobs` >= 1 and no fixed pair."""
    taking_part = [youth.max_jobs >= 1 for youth in problem.youths]
    for y, _ in fixed:
        taking_part[y] = False
    return taking_part


def blocking_pairs(
    problem: Problem,
    assignments: Iterable[tuple[str, str]],
    *,
    eligibility: Eligibility | None = None,
    candidates: Candidates | None = None,
    scores: IntArray | None = None,
    ranks: Rankings | None = None,
) -> list[Pair]:
    """The blocking pairs of any solution, under the rankings of `stable_assignments`.

    A pair blocks when it is eligible and not assigned; its youth takes part
    (`max_jobs` >= 1, no fixed pair) and is unassigned or prefers the opening to
    the worst it holds; and the opening has a free position or prefers the youth
    to the worst youth it holds outside its fixed pairs. An assigned pair that is
    not eligible ranks below every eligible one on both sides.

    Args:
        problem: the problem.
        assignments: (youth id, opening id) pairs, e.g. from a solution.
        eligibility, candidates, scores, ranks: the problem's eligibility, eligible
            pairs, their scores and `rankings` when the caller has them already (computed
            otherwise).

    Returns:
        The blocking pairs, by youth then opening in input order.

    Raises:
        ProblemError: an assignment names an unknown youth or opening.
    """
    if eligibility is None:
        eligibility = Eligibility(problem)
    ys, os = _indices(eligibility, assignments)
    if candidates is None:
        candidates = eligibility.candidates()
    if not len(candidates):
        return []
    if scores is None:
        scores = edge_scores(eligibility, candidates)
    if ranks is None:
        ranks = rankings(problem, candidates, scores)
    n_openings, n_youths = len(problem.openings), len(problem.youths)
    pair_keys = candidates.opening * n_youths + candidates.youth  # ascending: opening-major
    held_keys = os * n_youths + ys
    held_pair = np.minimum(np.searchsorted(pair_keys, held_keys), len(pair_keys) - 1)
    eligible = pair_keys[held_pair] == held_keys
    worse = len(candidates)  # below every eligible pair's rank
    held_youth_rank = np.where(eligible, ranks.youth_rank[held_pair], worse)
    held_opening_rank = np.where(eligible, ranks.opening_rank[held_pair], worse)
    # The worst place each youth holds (unassigned: below every opening), and the worst
    # youth each opening holds outside its fixed pairs (none: -1, nobody ranks above).
    youth_worst = np.full(len(problem.youths), worse, dtype=np.int64)
    youth_worst[ys] = -1
    np.maximum.at(youth_worst, ys, held_youth_rank)
    fixed = _fixed(problem, eligibility)
    kept = set(fixed)
    movable = np.array([pair not in kept for pair in zip(ys.tolist(), os.tolist(), strict=True)],
                       dtype=bool)  # fmt: skip
    opening_worst = np.full(n_openings, -1, dtype=np.int64)
    np.maximum.at(opening_worst, os[movable], held_opening_rank[movable])
    positions = np.array([o.positions for o in problem.openings], dtype=np.int64)
    full = np.bincount(os, minlength=n_openings) >= positions
    taking_part = np.array(_proposing(problem, fixed), dtype=bool)
    blocking = (
        taking_part[candidates.youth]
        & (ranks.youth_rank < youth_worst[candidates.youth])
        & (~full[candidates.opening] | (ranks.opening_rank < opening_worst[candidates.opening]))
    )
    blocking[held_pair[eligible]] = False
    found = np.flatnonzero(blocking)
    found = found[np.lexsort((candidates.opening[found], candidates.youth[found]))]
    return [Pair(problem.youths[y].id, problem.openings[o].id)
            for y, o in zip(candidates.youth[found].tolist(), candidates.opening[found].tolist(),
                            strict=True)]  # fmt: skip


def _fixed(problem: Problem, eligibility: Eligibility) -> list[tuple[int, int]]:
    """The fixed pairs as (youth index, opening index)."""
    return [(eligibility.youth_index[p.youth], eligibility.opening_index[p.opening])
            for p in problem.fixed]  # fmt: skip


def _indices(
    eligibility: Eligibility, assignments: Iterable[tuple[str, str]]
) -> tuple[IntArray, IntArray]:
    """Youth and opening indices of the distinct assignments; unknown ids are an error."""
    pairs = list(dict.fromkeys(assignments))
    issues = []
    for i, (youth, opening) in enumerate(pairs):
        if youth not in eligibility.youth_index:
            message = f"names unknown youth {youth!r}"
            issues.append(Issue(f"assignments[{i}].youth", None, "unknown_reference", message))
        if opening not in eligibility.opening_index:
            message = f"names unknown opening {opening!r}"
            issues.append(Issue(f"assignments[{i}].opening", youth, "unknown_reference", message))
    if issues:
        raise ProblemError(issues)
    ys = np.array([eligibility.youth_index[y] for y, _ in pairs], dtype=np.int64)
    os = np.array([eligibility.opening_index[o] for _, o in pairs], dtype=np.int64)
    return ys, os
