"""Why a youth was not placed, in terms a coordinator can act on.

For every unplaced youth: how many openings each rule rules out, the nearest
misses (openings that fail on one rule only, and what would fix it), and for
openings the youth was eligible for, who took the positions and why they came
first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from .eligibility import REASON_CODES, BoolArray, Candidates, Eligibility, IntArray
from .model import Opening, Problem, Reason, Shift, Unmatched, Youth, format_time
from .rules import Limits

MAX_LISTED = 10
NEAR_MISS_KM = 10.0  # how much farther than a youth travels a job may be to count as a near miss


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
    holders: dict[int, list[int]] = defaultdict(list)
    score_of: dict[tuple[int, int], int] = {}
    for e in np.flatnonzero(chosen).tolist():
        y, o = int(candidates.youth[e]), int(candidates.opening[e])
        holders[o].append(y)
        score_of[(y, o)] = int(scores[e])
    eligible_at: dict[int, list[int]] = defaultdict(list)
    for e in np.flatnonzero(~placed[candidates.youth]).tolist():
        y, o = int(candidates.youth[e]), int(candidates.opening[e])
        eligible_at[y].append(o)
        score_of[(y, o)] = int(scores[e])
    counts, misses = _blocking_counts(problem, eligibility, unplaced)
    free = {
        o: problem.openings[o].positions - len(holders[o]) for o in range(len(problem.openings))
    }
    result = []
    for row, y in enumerate(unplaced.tolist()):
        youth = problem.youths[y]
        reasons: list[Reason] = []
        if youth.max_jobs == 0:
            reasons.append(
                Reason("max_jobs_zero", "the youth's max_jobs is 0: not looking for a job")
            )
        else:
            for o in eligible_at[y][:MAX_LISTED]:
                reasons.append(_taken(problem, youth, y, o, holders[o], score_of))
            if len(eligible_at[y]) > MAX_LISTED:
                reasons.append(
                    Reason(
                        "positions_taken",
                        f"and {len(eligible_at[y]) - MAX_LISTED}"
                        " more openings the youth was eligible for, all full",
                    )
                )
            for o, code in misses[row][:MAX_LISTED]:
                detail = describe(problem, eligibility, y, o, code)
                if free[o] > 0:
                    detail += f"; the only rule broken, and {free[o]} position(s) are still free"
                else:
                    detail += "; the only rule broken, but the positions are taken"
                reasons.append(Reason(code, detail, problem.openings[o].id))
            total = len(problem.openings)
            reach = total - counts[row].get("too_far", 0)
            for code, count in sorted(counts[row].items()):
                if code == "too_far":
                    detail = f"{count} of {total} openings are farther than the youth travels"
                else:
                    detail = f"rules out {count} of the {reach} openings within reach"
                reasons.append(Reason(code, detail))
            if not reasons:
                reasons.append(Reason("positions_taken", "there are no openings in the problem"))
        result.append(Unmatched(youth.id, tuple(reasons)))
    return tuple(result)


def _blocking_counts(
    problem: Problem, eligibility: Eligibility, unplaced: IntArray
) -> tuple[list[dict[str, int]], list[list[tuple[int, str]]]]:
    """Per unplaced youth: how many openings each code rules out, and the first one-rule
    misses. `too_far` counts every opening; the other codes count the openings within
    the youth's reach, as the rest are out of the question anyway (and a country-wide
    problem has thousands of them)."""
    codes = REASON_CODES
    too_far = codes.index("too_far")
    counts = np.zeros((len(codes), len(unplaced)), dtype=np.int64)
    row_of = np.full(len(problem.youths), -1, dtype=np.int64)
    row_of[unplaced] = np.arange(len(unplaced))
    miss_rows, miss_openings, miss_codes = [], [], []
    for o in range(len(problem.openings)):
        near = eligibility.within_reach(o, margin_km=NEAR_MISS_KM)
        rows = row_of[near]
        near, rows = near[rows >= 0], rows[rows >= 0]
        counts[too_far] += 1  # out of reach, unless found within it below
        counts[too_far, rows] -= 1
        masks = eligibility.reasons(o, near)
        stacked = np.stack([masks[code] for code in codes])
        counts[:, rows] += stacked & ~stacked[too_far]
        counts[too_far, rows] += stacked[too_far]
        single = np.flatnonzero(stacked.sum(axis=0) == 1)
        if len(single):
            miss_rows.append(rows[single])
            miss_openings.append(np.full(len(single), o))
            miss_codes.append(stacked[:, single].argmax(axis=0))
    misses: list[list[tuple[int, str]]] = [[] for _ in unplaced]
    if miss_rows:
        rows = np.concatenate(miss_rows)
        order = np.argsort(rows, kind="stable")
        openings, found = np.concatenate(miss_openings)[order], np.concatenate(miss_codes)[order]
        rows = rows[order]
        starts = np.searchsorted(rows, np.arange(len(unplaced)))
        for row, first in enumerate(starts.tolist()):
            last = first
            while last < len(rows) and rows[last] == row and last - first < MAX_LISTED:
                misses[row].append((int(openings[last]), codes[int(found[last])]))
                last += 1
    per_youth = [
        {code: int(counts[c, row]) for c, code in enumerate(codes) if counts[c, row]}
        for row in range(len(unplaced))
    ]
    return per_youth, misses


def _taken(
    problem: Problem,
    youth: Youth,
    y: int,
    o: int,
    holders: list[int],
    score_of: dict[tuple[int, int], int],
) -> Reason:
    """A `positions_taken` reason: who holds the opening, and why they came first."""
    opening = problem.openings[o]
    others = [problem.youths[h] for h in holders]
    names = ", ".join(
        f"{h.id} (priority {h.priority}, score {score_of[(i, o)]})"
        for h, i in zip(others, holders, strict=True)
    )
    if not others:
        why = "it was left empty because the youth's other constraints made that best overall"
    elif all(h.priority > youth.priority for h in others):
        why = "they have a higher priority"
    elif all(h.priority >= youth.priority for h in others):
        why = (
            "they have the same or higher priority, and giving them the position placed more "
            "youths or a better fit overall"
        )
    else:
        why = (
            "the youth could take this position only by leaving someone with more priority "
            "without a job, or fewer youths placed overall"
        )
    detail = (
        f"eligible (score {score_of[(y, o)]}), but the {opening.positions} position(s) went "
        f"to {names}: {why}"
    )
    return Reason("positions_taken", detail, opening.id)


def describe(problem: Problem, eligibility: Eligibility, y: int, o: int, code: str) -> str:
    """A sentence for a coordinator: what exactly breaks `code` for this pair."""
    youth, opening = problem.youths[y], problem.openings[o]
    limits = eligibility.limits[y]
    if code == "too_young":
        least = max(opening.min_age, eligibility.min_age)
        return f"the youth is {youth.age}; the opening needs {least} or older"
    if code == "too_old":
        return f"the youth is {youth.age}; the opening takes youths up to {opening.max_age}"
    if code == "not_light_work":
        return (
            "the tasks are not light work, which youths under 15 or in compulsory school "
            "may only do"
        )
    if code == "alcohol":
        return f"alcohol is served ({opening.alcohol}), which the law rules out for this youth"
    if code == "unavailable":
        return "the youth is not available for " + _shift_list(_uncovered(youth, opening))
    if code == "too_far":
        km = float(eligibility.distances(o, np.array([y]))[0])
        return (
            f"the job is {km:.2f} km from home; the youth travels at most "
            f"{youth.max_travel_km:g} km"
        )
    if code == "language":
        missing = [x for x in opening.required_languages if x not in youth.languages]
        return "requires the language(s) " + ", ".join(missing)
    if code == "certificate":
        missing = [x for x in opening.required_certificates if x not in youth.certificates]
        return "requires the certificate(s) " + ", ".join(missing)
    if code == "excluded":
        return f"the youth has excluded the employer {opening.employer}"
    if code == "forbidden":
        return "a coordinator has ruled this pair out"
    if code == "working_window" and limits is not None:
        window = limits.window(opening.workplace)
        outside = [
            s for s in opening.shifts if window and (s.start < window[0] or s.end > window[1])
        ]
        span = f"{format_time(window[0])}-{format_time(window[1])}" if window else ""
        return f"{_shift_list(outside)} lies outside the {span} the youth may work"
    if code == "legal_hours" and limits is not None:
        return _hours_detail(opening, limits)
    if code == "rest" and limits is not None:
        return f"leaves less than {limits.rest_minutes // 60} h rest between two working days"
    return code


def _uncovered(youth: Youth, opening: Opening) -> list[Shift]:
    windows = youth.availability or ()
    return [s for s in opening.shifts if not any(w.contains(s) for w in windows)]


def _shift_list(shifts: list[Shift]) -> str:
    return ", ".join(str(s) for s in shifts)


def _hours_detail(opening: Opening, limits: Limits) -> str:
    per_day = [0] * 7
    for shift in opening.shifts:
        per_day[shift.day] += shift.minutes
    for day, minutes in enumerate(per_day):
        cap = limits.day_cap(day)
        if minutes > cap:
            kind = "school day" if cap != limits.day_minutes else "day"
            return f"{minutes / 60:g} h on a {kind} where the youth may work {cap / 60:g} h"
    total = sum(per_day)
    if total > limits.week_minutes:
        return f"{total / 60:g} h a week where the youth may work {limits.week_minutes / 60:g} h"
    return f"{sum(1 for m in per_day if m)} working days a week; at most {limits.max_days} allowed"


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One change to a youth's record that would get the youth placed."""

    change: str
    opening: str
    youth: Youth


def what_would_place(problem: Problem, youth_id: str, *, attempts: int = 6,
                     time_limit_s: float = 5.0) -> list[WhatIf]:  # fmt: skip
    """Single changes (a longer travel distance, one more availability window, a certificate
    or language) after which solving again places the youth; each is tried by solving."""
    from .solver import solve

    eligibility = Eligibility(problem)
    y = eligibility.youth_index[youth_id]
    youth = problem.youths[y]
    found: list[WhatIf] = []
    for change, changed in _single_changes(problem, eligibility, y)[:attempts]:
        if changed.max_travel_km != youth.max_travel_km and any(
            w.youth.max_travel_km != youth.max_travel_km for w in found
        ):
            continue  # a shorter extra distance already places the youth
        youths = tuple(changed if i == y else other for i, other in enumerate(problem.youths))
        solution = solve(replace(problem, youths=youths), time_limit_s=time_limit_s)
        held = [a.opening for a in solution.assignments if a.youth == youth.id]
        if held:
            found.append(WhatIf(change, held[0], changed))
    return found


def _single_changes(problem: Problem, eligibility: Eligibility, y: int) -> list[tuple[str, Youth]]:
    """The youth's record changed so that one more opening becomes eligible, nearest first."""
    youth = problem.youths[y]
    changes: dict[str, Youth] = {}
    one = np.array([y], dtype=np.int64)
    for o, opening in enumerate(problem.openings):
        failed = [code for code, mask in eligibility.reasons(o, one).items() if mask[0]]
        if len(failed) != 1:
            continue
        code = failed[0]
        if code == "too_far":
            km = math.ceil(float(eligibility.distances(o, one)[0]) * 10) / 10
            changes.setdefault(f"travel up to {km:g} km", replace(youth, max_travel_km=km))
        elif code == "unavailable":
            extra = _uncovered(youth, opening)
            windows = tuple(sorted((*(youth.availability or ()), *extra)))
            changes.setdefault(f"also available {_shift_list(extra)}",
                               replace(youth, availability=windows))  # fmt: skip
        elif code == "certificate":
            missing = tuple(
                x for x in opening.required_certificates if x not in youth.certificates
            )
            changes.setdefault(
                f"with the certificate {', '.join(missing)}",
                replace(youth, certificates=(*youth.certificates, *missing)),
            )
        elif code == "language":
            missing = tuple(x for x in opening.required_languages if x not in youth.languages)
            changes.setdefault(
                f"speaking {', '.join(missing)}",
                replace(youth, languages=(*youth.languages, *missing)),
            )
    return sorted(changes.items(), key=lambda item: _travel_first(item[0]))


def _travel_first(change: str) -> tuple[int, float, str]:
    if change.startswith("travel up to "):
        return (0, float(change.split()[3]), change)
    return (1, 0.0, change)
