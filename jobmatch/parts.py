"""Independent parts of a problem, and the whole's solution merged from theirs.

Youths and openings that no chain of eligible pairs links can be solved apart: the
connected components of the eligible pairs, grouped in input order into parts of at least
`options.part_pairs` pairs (so that a thousand lone pairs are not a thousand solver
calls). `solve` itself solves part by part and merges, so a solution merged from parts
solved elsewhere (other processes, other machines) is the very solution `solve` gives.

A part is a `Problem` of its youths and openings, not a document: its youths and
openings keep their whole rankings, ids of other parts included, so that every place in a
ranking keeps its points; buddies, fixed and forbidden pairs are those inside the part.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from .eligibility import BoolArray, Candidates, IntArray
from .errors import MergeError
from .model import Assignment, Objective, Problem, Solution, Status
from .phases.prepare import Prepared, prepare
from .phases.result import to_result


@dataclass(frozen=True, slots=True)
class Part:
    """One part: its problem, and its eligible pairs and their scores as the whole's
    `prepare` found them (so that the part need not work them out again)."""

    problem: Problem
    candidates: Candidates
    scores: IntArray


def split(problem: Problem, *, time_limit_s: float | None = None) -> list[Problem]:
    """The independent parts of `problem`, each with its share of the time limit.

    Solve each with `jobmatch.solve(part, explain=False)` and give the solutions, in
    this order, to `merge`. A problem of one part is its own only part.

    Args:
        problem: a validated problem.
        time_limit_s: the whole's time limit (default `problem.options.time_limit_s`),
            shared among the parts by their eligible pairs.
    """
    return [part.problem for part in parts_of(problem, prepare(problem), time_limit_s)]


def merge(problem: Problem, solutions: Sequence[Solution]) -> Solution:
    """The solution of `problem` from its parts' solutions (in `split`'s order).

    The assignments are the parts' together, the reasons of every unplaced youth are
    worked out on the whole problem, and the status is the weakest part's; the result is
    what `jobmatch.solve(problem)` gives, the timings under `stats` aside.
    """
    started = time.perf_counter()
    prepared = prepare(problem)
    return merged(problem, prepared, solutions, time.perf_counter() - started, explain=True)


def parts_of(problem: Problem, prepared: Prepared, time_limit_s: float | None) -> list[Part]:
    """`split` with the whole already prepared, each part with its pairs."""
    limit = problem.options.time_limit_s if time_limit_s is None else time_limit_s
    members = part_members(problem, prepared)
    if len(members) <= 1:
        whole = problem if time_limit_s is None else _with_limit(problem, limit)
        return [Part(whole, prepared.candidates, prepared.scores)]
    total = sum(pairs for _, _, pairs in members)
    return [
        Part(_part(problem, youths, openings, limit * pairs / total),
             *_pairs_of(prepared, youths, openings))
        for youths, openings, pairs in members
    ]  # fmt: skip


def _pairs_of(prepared: Prepared, youths: IntArray, openings: IntArray
              ) -> tuple[Candidates, IntArray]:  # fmt: skip
    """The eligible pairs of a part's youths and openings (indices in the whole, ascending)
    and their scores, renumbered as in the part: still opening-major, youths in order."""
    candidates = prepared.candidates
    youth_at = np.full(len(prepared.youth_starts) - 1, -1, dtype=np.int64)
    youth_at[youths] = np.arange(len(youths))
    opening_at = np.full(int(openings.max(initial=-1)) + 1, -1, dtype=np.int64)
    opening_at[openings] = np.arange(len(openings))
    inside = np.flatnonzero(youth_at[candidates.youth] >= 0)
    part = Candidates(
        youth_at[candidates.youth[inside]],
        opening_at[candidates.opening[inside]],
        candidates.distance_km[inside],
    )
    return part, prepared.scores[inside]


def part_members(problem: Problem, prepared: Prepared) -> list[tuple[IntArray, IntArray, int]]:
    """The youths, the openings and the number of eligible pairs of each part, in order of
    their first youth; youths and openings without any eligible pair are in none."""
    candidates = prepared.candidates
    if not len(candidates):
        return []
    n_youths = len(problem.youths)
    n_nodes = n_youths + len(problem.openings)
    # A row per opening, a column per youth: the pairs are opening-major, so nothing to sort.
    rows = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(candidates.opening, minlength=len(problem.openings)),
              out=rows[n_youths + 1 :])  # fmt: skip
    graph = csr_array(
        (np.ones(len(candidates), dtype=np.int8), candidates.youth, rows), shape=(n_nodes, n_nodes)
    )
    count, labels = connected_components(graph, directed=False)
    pairs = np.bincount(labels[candidates.youth], minlength=count)
    paired = np.flatnonzero(np.diff(prepared.youth_starts) > 0)
    _, first = np.unique(labels[paired], return_index=True)
    group = np.full(count, -1, dtype=np.int64)
    sizes: list[int] = []
    for label in labels[paired[np.sort(first)]].tolist():
        if not sizes or sizes[-1] >= problem.options.part_pairs:
            sizes.append(0)
        group[label] = len(sizes) - 1
        sizes[-1] += int(pairs[label])
    youth_group = group[labels[:n_youths]]
    opening_group = group[labels[n_youths:]]
    return [
        (np.flatnonzero(youth_group == g), np.flatnonzero(opening_group == g), size)
        for g, size in enumerate(sizes)
    ]


def merged(
    problem: Problem,
    prepared: Prepared,
    solutions: Sequence[Solution],
    prepare_seconds: float,
    explain: bool,
) -> Solution:
    """`merge` with the whole already prepared (`prepare_seconds` is what that took)."""
    started = time.perf_counter()
    stats = merged_stats([solution.stats for solution in solutions])
    stats["eligible_pairs"] = len(prepared.candidates)
    if len(solutions) > 1:
        stats["parts"] = len(solutions)
    stats["prepare_seconds"] = round(_seconds(stats, "prepare_seconds") + prepare_seconds, 3)
    statuses = {solution.status for solution in solutions}
    if Status.INFEASIBLE in statuses:
        stats["solver"] = "none"
        stats["seconds"] = round(time.perf_counter() - started + prepare_seconds, 3)
        return Solution(Status.INFEASIBLE, Objective(0, 0, 0), (), (), None, stats)
    chosen = _chosen(prepared, [a for solution in solutions for a in solution.assignments])
    status = Status.OPTIMAL if statuses == {Status.OPTIMAL} else Status.FEASIBLE
    solution = to_result(problem, prepared, chosen, status, stats, explain=explain)
    if status is not Status.OPTIMAL:
        bounds = [part.bound or part.objective for part in solutions]
        solution = replace(
            solution,
            bound=Objective(
                sum(b.priority_matched for b in bounds),
                sum(b.matched for b in bounds),
                sum(b.score for b in bounds),
            ),
        )
    excluded = stats.get("excluded_phases", [])
    if isinstance(excluded, list):
        stats["excluded_seconds"] = round(sum(_seconds(stats, k) for k in excluded), 3)
    stats["seconds"] = round(
        _seconds(stats, "seconds") + time.perf_counter() - started + prepare_seconds, 3
    )
    return solution


def _chosen(prepared: Prepared, assignments: Sequence[Assignment]) -> BoolArray:
    """The pairs of `assignments`; `MergeError` names one that is not an eligible pair."""
    youth_index = prepared.eligibility.youth_index
    opening_index = prepared.eligibility.opening_index
    for a in assignments:
        if a.youth not in youth_index or a.opening not in opening_index:
            raise MergeError(a.youth, a.opening)
    youths = np.array([youth_index[a.youth] for a in assignments], dtype=np.int64)
    openings = np.array([opening_index[a.opening] for a in assignments], dtype=np.int64)
    at = prepared.find(youths, openings)
    if (at < 0).any():
        wrong = assignments[int(np.flatnonzero(at < 0)[0])]
        raise MergeError(wrong.youth, wrong.opening)
    chosen = np.zeros(len(prepared.candidates), dtype=bool)
    chosen[at] = True
    return chosen


def _seconds(stats: dict[str, object], key: str) -> float:
    value = stats.get(key, 0.0)
    return float(value) if isinstance(value, int | float) else 0.0


def merged_stats(parts: Sequence[dict[str, object]]) -> dict[str, object]:
    """The parts' `stats` as one: figures summed, flags or-ed, solvers named once each."""
    result: dict[str, object] = {}
    for stats in parts:
        for key, value in stats.items():
            result[key] = _combined(result[key], value) if key in result else value
    return result


def _combined(was: object, value: object) -> object:
    if isinstance(was, bool) and isinstance(value, bool):
        return was or value
    if isinstance(was, int) and isinstance(value, int):
        return was + value
    if isinstance(was, int | float) and isinstance(value, int | float):
        return round(was + value, 3)
    if isinstance(was, str) and isinstance(value, str):
        names = was.split("+") + [n for n in value.split("+") if n not in was.split("+")]
        return "+".join(names)
    if isinstance(was, dict) and isinstance(value, dict):
        return merged_stats([was, value])
    if isinstance(was, list) and isinstance(value, list):
        return was + [item for item in value if item not in was]
    return was


def _part(problem: Problem, youths: IntArray, openings: IntArray, limit: float) -> Problem:
    """The problem of these youths and openings (indices), with time limit `limit`."""
    youth_ids = {problem.youths[y].id for y in youths.tolist()}
    opening_ids = {problem.openings[o].id for o in openings.tolist()}
    return replace(
        problem,
        youths=tuple(
            replace(youth, buddies=tuple(b for b in youth.buddies if b in youth_ids))
            for youth in (problem.youths[y] for y in youths.tolist())
        ),
        openings=tuple(problem.openings[o] for o in openings.tolist()),
        fixed=tuple(p for p in problem.fixed if p.youth in youth_ids),
        forbidden=tuple(
            p for p in problem.forbidden if p.youth in youth_ids and p.opening in opening_ids
        ),
        options=replace(problem.options, time_limit_s=limit),
    )


def _with_limit(problem: Problem, limit: float) -> Problem:
    return replace(problem, options=replace(problem.options, time_limit_s=limit))
