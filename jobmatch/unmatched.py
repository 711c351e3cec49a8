"""Why each youth was not placed, with the figures a coordinator can act on.

For every unplaced youth: how many openings each rule rules out, the nearest
misses (openings that fail on one rule only), and for openings the youth was
eligible for, who took the positions and why they came first. Each `Reason`
carries its facts (`jobmatch.facts`) and a sentence written from them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .eligibility import REASON_CODES, BoolArray, Candidates, Eligibility, IntArray
from .facts import Facts, Holder, MoreTaken, NoOpenings, NotLooking, RuledOut
from .lexorder import lexorder
from .model import Problem, Reason, Unmatched
from .nearmiss import pair_facts, positions_taken
from .sentences import detail

MAX_LISTED = 10
NEAR_MISS_KM = 10.0  # how much farther than a youth travels a job may be to count as a near miss


_Made = dict[tuple[str, Facts, str | None], Reason]
"""The reasons made so far, by code, facts and opening."""


def reason(made: _Made, code: str, facts: Facts, opening: str | None = None) -> Reason:
    """A reason with its facts and the sentence written from them, made once: the youths of
    a dense city share most of theirs (and each full garbage collection walks every one)."""
    key = (code, facts, opening)
    if key not in made:
        made[key] = Reason(code, detail(code, facts), opening, facts)
    return made[key]


def explain_unmatched(
    problem: Problem,
    eligibility: Eligibility,
    candidates: Candidates,
    chosen: BoolArray,
    scores: IntArray,
) -> tuple[Unmatched, ...]:
    """The reasons of every youth who holds no assignment, in input order."""
    placed = np.zeros(len(problem.youths), dtype=bool)
    placed[candidates.youth[chosen]] = True
    unplaced = np.flatnonzero(~placed)
    if not len(unplaced):
        return ()
    holding: dict[int, list[Holder]] = defaultdict(list)
    for e in np.flatnonzero(chosen).tolist():
        y, o = int(candidates.youth[e]), int(candidates.opening[e])
        youth = problem.youths[y]
        holding[o].append(Holder(youth.id, youth.priority, int(scores[e])))
    # One tuple per opening, shared by the reasons of every youth who could take it.
    holders: dict[int, tuple[Holder, ...]] = defaultdict(tuple)
    holders.update((o, tuple(found)) for o, found in holding.items())
    eligible_at, eligible_count = _first_pairs(candidates, scores, ~placed[candidates.youth])
    counts, misses = _blocking_counts(problem, eligibility, unplaced)
    made: _Made = {}
    # The reason at an opening one could take, by opening, score and priority (all it reads).
    taken: dict[tuple[int, int, int], Reason] = {}
    result = []
    for row, y in enumerate(unplaced.tolist()):
        youth = problem.youths[y]
        reasons: list[Reason] = []
        if youth.max_jobs == 0:
            reasons.append(reason(made, "max_jobs_zero", NotLooking()))
        else:
            for o, score in eligible_at[y]:
                key = (o, score, youth.priority)
                if key not in taken:
                    opening = problem.openings[o]
                    held = positions_taken(youth, score, opening, holders[o])
                    taken[key] = reason(made, "positions_taken", held, opening.id)
                reasons.append(taken[key])
            if eligible_count.get(y, 0) > MAX_LISTED:
                more = MoreTaken(eligible_count[y] - MAX_LISTED)
                reasons.append(reason(made, "positions_taken", more))
            for o, code in misses[row][:MAX_LISTED]:
                opening = problem.openings[o]
                free = opening.positions - len(holders[o])
                facts = pair_facts(eligibility, y, o, code, free)
                reasons.append(reason(made, code, facts, opening.id))
            total = len(problem.openings)
            reach = total - counts[row].get("too_far", 0)
            for code, count in sorted(counts[row].items()):
                if code == "too_far":
                    ruled_out = RuledOut(count, total, youth.max_travel_km)
                else:
                    ruled_out = RuledOut(count, reach)
                reasons.append(reason(made, code, ruled_out))
            if not reasons:
                reasons.append(reason(made, "positions_taken", NoOpenings()))
        result.append(Unmatched(youth.id, tuple(reasons)))
    return tuple(result)


def _first_pairs(candidates: Candidates, scores: IntArray, wanted: BoolArray
                 ) -> tuple[dict[int, list[tuple[int, int]]], dict[int, int]]:  # fmt: skip
    """Per youth of the `wanted` pairs: its first `MAX_LISTED` (opening, score) in opening
    order, and how many it has."""
    picked = np.flatnonzero(wanted)
    picked = picked[np.argsort(candidates.youth[picked], kind="stable")]  # opening order kept
    youth = candidates.youth[picked]
    youths, first, count = np.unique(youth, return_index=True, return_counts=True)
    rank = np.arange(len(picked)) - np.repeat(first, count)
    listed = picked[rank < MAX_LISTED]
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for y, o, score in zip(candidates.youth[listed].tolist(), candidates.opening[listed].tolist(),
                           scores[listed].tolist(), strict=True):  # fmt: skip
        pairs[y].append((o, score))
    return pairs, dict(zip(youths.tolist(), count.tolist(), strict=True))


def _blocking_counts(
    problem: Problem, eligibility: Eligibility, unplaced: IntArray
) -> tuple[list[dict[str, int]], list[list[tuple[int, str]]]]:
    """Per unplaced youth: how many openings each code rules out, and the first one-rule
    misses (a job out of reach only by up to `NEAR_MISS_KM`). `too_far` counts every
    opening; the other codes count the openings within the youth's reach, as the rest
    are out of the question anyway (and a country-wide problem has thousands of them)."""
    codes = REASON_CODES
    too_far = codes.index("too_far")
    row_of = np.full(len(problem.youths), -1, dtype=np.int64)
    row_of[unplaced] = np.arange(len(unplaced))
    among = row_of >= 0
    # [code, youth]: openings a code rules out, an opening out of reach counted as too_far
    # only; and per youth, how many openings were looked at (all others are out of reach).
    counts = np.zeros((len(codes), len(unplaced)), dtype=np.int64)
    seen = np.zeros(len(unplaced), dtype=np.int64)
    miss_rows, miss_openings, miss_codes = [], [], []
    for os, ys in eligibility.nearby.groups(NEAR_MISS_KM, among):
        rows = row_of[ys]
        masks = eligibility.reasons_at(os, ys)
        far = masks["too_far"]
        near = ~far
        # [opening, youth]: how many codes rule the pair out, and the last of them.
        ruling = np.zeros(far.shape, dtype=np.uint8)
        last = np.zeros(far.shape, dtype=np.uint8)
        for c, code in enumerate(codes):
            mask = masks[code]
            counted = mask if c == too_far else mask & near
            counts[c, rows] += counted.sum(axis=0, dtype=np.int32)  # int32: twice as quick
            ruling += mask
            np.copyto(last, c, where=mask)
        seen[rows] += len(os)
        single = ruling == 1
        # A job farther than the youth travels plus NEAR_MISS_KM is no near miss (worked out
        # where the distance is the one rule broken: a few of the pairs).
        far_only = single & far
        if far_only.any():
            far_openings = np.flatnonzero(far_only.any(axis=1))
            far_youths = np.flatnonzero(far_only.any(axis=0))
            limit_km = eligibility.travel[ys[far_youths]] + NEAR_MISS_KM
            beyond = eligibility.farther_than(os[far_openings], ys[far_youths], limit_km)
            box = np.ix_(far_openings, far_youths)
            single[box] &= ~(far[box] & beyond)
        # Each youth's first misses here, by opening: no other can be among its listed ones.
        who, at = np.nonzero(np.ascontiguousarray(single.T))
        begins = np.searchsorted(who, np.arange(len(ys)))
        kept = np.arange(len(who)) - begins[who] < MAX_LISTED
        who, at = who[kept], at[kept]
        miss_rows.append(rows[who])
        miss_openings.append(os[at])
        miss_codes.append(last[at, who])
    counts[too_far] += len(problem.openings) - seen
    misses: list[list[tuple[int, str]]] = [[] for _ in unplaced]
    if miss_rows:
        rows, openings = np.concatenate(miss_rows), np.concatenate(miss_openings)
        found = np.concatenate(miss_codes)
        order = lexorder(rows, openings)
        rows, openings, found = rows[order], openings[order], found[order]
        starts = np.searchsorted(rows, np.arange(len(unplaced) + 1))
        for row, (first, end) in enumerate(zip(starts[:-1].tolist(), starts[1:].tolist(),
                                               strict=True)):  # fmt: skip
            listed = slice(first, min(end, first + MAX_LISTED))
            pairs = zip(openings[listed].tolist(), found[listed].tolist(), strict=True)
            misses[row] = [(o, codes[c]) for o, c in pairs]
    per_youth = [
        {code: int(counts[c, row]) for c, code in enumerate(codes) if counts[c, row]}
        for row in range(len(unplaced))
    ]
    return per_youth, misses
