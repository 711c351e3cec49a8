"""The soft preference score of each eligible pair, in integer points (see docs/scoring.md).

Points per assignment, with the problem's `weights`:

- `assignment` for every assignment;
- `interest` when the opening's category is one of the youth's interests;
- `youth_preference * (L - r) // L` for the opening at rank r (0 = first) of the
  youth's L-long ranking, and likewise `employer_preference` for the youth's place
  in the opening's ranking;
- `max(0, distance - distance_per_km * floor(km))` when both locations are known;
- `onboarding * done // needed` for the opening's onboarding steps the youth has
  done (the full weight when the opening needs none).

A buddy placed at the same opening adds `buddy` for each youth who named the
other (see `buddy_pairs`); that term depends on two assignments, not one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .eligibility import Candidates, Eligibility, IntArray
from .model import Problem, Weights


def edge_scores(eligibility: Eligibility, candidates: Candidates) -> IntArray:
    """The score of every candidate pair, without the buddy term."""
    problem = eligibility.problem
    weights = problem.weights
    scores = np.full(len(candidates), weights.assignment, dtype=np.int64)
    if not len(candidates):
        return scores
    openings = problem.openings
    for o, start, stop in _opening_slices(candidates.opening):
        opening = openings[o]
        ys = candidates.youth[start:stop]
        part = scores[start:stop]
        if opening.category:
            part += weights.interest * eligibility.has("interests", opening.category)[ys]
        steps = opening.onboarding_steps
        if steps:
            done = sum(eligibility.has("onboarding", step)[ys].astype(np.int64) for step in steps)
            part += weights.onboarding * done // len(steps)
        else:
            part += weights.onboarding
    km = candidates.distance_km
    known = ~np.isnan(km)
    scores[known] += np.maximum(
        0, weights.distance - weights.distance_per_km * np.floor(km[known]).astype(np.int64)
    )
    scores += _ranking_points(eligibility, candidates, weights)
    return scores


def _opening_slices(opening: IntArray) -> Iterable[tuple[int, int, int]]:
    """(opening, start, stop) for each run of equal opening indices."""
    if not len(opening):
        return
    bounds = np.flatnonzero(np.diff(opening)) + 1
    starts = np.concatenate(([0], bounds))
    stops = np.concatenate((bounds, [len(opening)]))
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        yield int(opening[start]), start, stop


def rank_points(weight: int, rank: int, length: int) -> int:
    """Points for place `rank` (0 = first) in a ranking of `length` entries."""
    return weight * (length - rank) // length


def _ranking_points(
    eligibility: Eligibility, candidates: Candidates, weights: Weights
) -> IntArray:
    """Points from both sides' rankings: each ranked pair looked up among the eligible ones."""
    problem = eligibility.problem
    n_youths = len(problem.youths)
    keys: list[int] = []
    points: list[int] = []
    # A part of a problem (`jobmatch.parts`) keeps whole rankings: other parts' ids are skipped.
    opening_index, youth_index = eligibility.opening_index, eligibility.youth_index
    for y, youth in enumerate(problem.youths):
        for rank, opening_id in enumerate(youth.preferences):
            if opening_id in opening_index:
                keys.append(opening_index[opening_id] * n_youths + y)
                points.append(rank_points(weights.youth_preference, rank, len(youth.preferences)))
    for o, opening in enumerate(problem.openings):
        for rank, youth_id in enumerate(opening.preferences):
            if youth_id in youth_index:
                keys.append(o * n_youths + youth_index[youth_id])
                points.append(
                    rank_points(weights.employer_preference, rank, len(opening.preferences))
                )
    result = np.zeros(len(candidates), dtype=np.int64)
    if not keys or not len(candidates):
        return result
    key_array = np.asarray(keys, dtype=np.int64)
    point_array = np.asarray(points, dtype=np.int64)
    order = np.argsort(key_array, kind="stable")
    unique_keys, first = np.unique(key_array[order], return_index=True)
    summed = np.add.reduceat(point_array[order], first)
    edge_keys = candidates.opening * n_youths + candidates.youth  # ascending: opening-major
    at = np.minimum(np.searchsorted(edge_keys, unique_keys), len(edge_keys) - 1)
    hit = edge_keys[at] == unique_keys
    result[at[hit]] = summed[hit]
    return result


def buddy_pairs(problem: Problem) -> list[tuple[int, int, int]]:
    """(youth a, youth b, points) for each unordered pair of buddies, a < b.

    Each youth who names the other adds `weights.buddy`, so mutual friends count twice.
    """
    index = {y.id: i for i, y in enumerate(problem.youths)}
    points: dict[tuple[int, int], int] = {}
    for a, youth in enumerate(problem.youths):
        for name in youth.buddies:
            b = index[name]
            key = (min(a, b), max(a, b))
            points[key] = points.get(key, 0) + problem.weights.buddy
    return [(a, b, p) for (a, b), p in sorted(points.items()) if p > 0]


def buddy_score(problem: Problem, placed_at: Sequence[Iterable[int]]) -> int:
    """The buddy term of a solution, given the openings (indices) each youth holds.

    Each pair of buddies earns its points once for every opening both hold.
    """
    holds = [set(openings) for openings in placed_at]
    return sum(p * len(holds[a] & holds[b]) for a, b, p in buddy_pairs(problem))
