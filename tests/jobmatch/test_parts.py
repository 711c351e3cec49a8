"""Independent parts: a problem solved part by part, in one process or several, or split
and merged by hand, gives one and the same solution, which the validator accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jobmatch
from bench.anchors import flow_anchor
from bench.generate import generate
from jobmatch.check import check
from jobmatch.model import Pair
from jobmatch.phases.prepare import prepare


def with_options(problem: jobmatch.Problem, **options: Any) -> jobmatch.Problem:
    return replace(problem, options=replace(problem.options, **options))


def without_timings(solution: jobmatch.Solution) -> dict[str, Any]:
    """The solution's document with every timing figure blanked (the spec's exception)."""
    document: dict[str, Any] = json.loads(jobmatch.dumps(solution))
    document["stats"] = {
        key: 0 if key.endswith("seconds") else value for key, value in document["stats"].items()
    }
    return document


@pytest.fixture(scope="module")
def towns() -> jobmatch.Problem:
    """Six towns far apart (one part each, and more), with buddies, two-job youths,
    fixed and forbidden pairs; parts as small as one pair."""
    problem = jobmatch.load(generate(360, 130, towns=6, seed=5))
    return with_options(problem, part_pairs=1)


@pytest.fixture(scope="module")
def solved(towns: jobmatch.Problem) -> jobmatch.Solution:
    return jobmatch.solve(towns)


def test_parts_are_disjoint_cover_every_paired_youth_and_share_the_time_limit(
    towns: jobmatch.Problem,
) -> None:
    parts = jobmatch.split(towns, time_limit_s=12.0)
    assert len(parts) >= 6
    youths = [y.id for part in parts for y in part.youths]
    openings = [o.id for part in parts for o in part.openings]
    assert len(youths) == len(set(youths))
    assert len(openings) == len(set(openings))
    prepared = prepare(towns)
    paired = {towns.youths[y].id for y in np.unique(prepared.candidates.youth).tolist()}
    assert set(youths) == paired
    assert sum(part.options.time_limit_s for part in parts) == pytest.approx(12.0)
    # No eligible pair links two parts: every pair of the whole lies inside one part.
    part_of = {y.id: i for i, part in enumerate(parts) for y in part.youths}
    part_of_opening = {o.id: i for i, part in enumerate(parts) for o in part.openings}
    for y, o in zip(
        prepared.candidates.youth.tolist(), prepared.candidates.opening.tolist(), strict=True
    ):
        assert part_of[towns.youths[y].id] == part_of_opening[towns.openings[o].id]
    assert sum(len(prepare(part).candidates) for part in parts) == len(prepared.candidates)


def test_a_problem_solved_by_parts_is_optimal_checked_and_equal_to_the_flow_floor(
    towns: jobmatch.Problem, solved: jobmatch.Solution
) -> None:
    assert solved.stats["parts"] == len(jobmatch.split(towns))
    assert solved.status is jobmatch.Status.OPTIMAL
    assert check(towns, jobmatch.solution_to_dict(solved)) == []
    floor = flow_anchor(towns)
    assert solved.objective.priority_matched == floor["objective"]["priority_matched"]
    unplaced = {u.youth for u in solved.unmatched}
    placed = {a.youth for a in solved.assignments}
    assert unplaced == {y.id for y in towns.youths} - placed
    assert all(u.reasons for u in solved.unmatched)


def test_one_part_and_many_parts_reach_the_same_objective(
    towns: jobmatch.Problem, solved: jobmatch.Solution
) -> None:
    whole = jobmatch.solve(with_options(towns, part_pairs=10**9))
    assert "parts" not in whole.stats
    assert whole.status is jobmatch.Status.OPTIMAL
    assert whole.objective == solved.objective


def test_split_solve_merge_by_hand_is_the_solution_solve_gives(
    towns: jobmatch.Problem, solved: jobmatch.Solution
) -> None:
    parts = jobmatch.split(towns)
    merged = jobmatch.merge(towns, [jobmatch.solve(part, explain=False) for part in parts])
    assert without_timings(merged) == without_timings(solved)


def test_a_problem_of_one_part_is_its_own_part_and_merges_into_its_solution() -> None:
    problem = jobmatch.load(generate(40, 15, towns=1, seed=9))
    assert jobmatch.split(problem) == [problem]
    merged = jobmatch.merge(problem, [jobmatch.solve(problem, explain=False)])
    assert without_timings(merged) == without_timings(jobmatch.solve(problem))


def test_two_processes_give_the_same_bytes_as_one(
    towns: jobmatch.Problem, solved: jobmatch.Solution
) -> None:
    assert without_timings(jobmatch.solve(towns, processes=2)) == without_timings(solved)


def test_a_binding_limit_is_shared_and_still_the_same_in_two_processes(
    towns: jobmatch.Problem,
) -> None:
    one = jobmatch.solve(towns, time_limit_s=0.0)
    two = jobmatch.solve(towns, time_limit_s=0.0, processes=2)
    assert without_timings(one) == without_timings(two)
    assert one.stats["time_limit_s"] == 0.0
    assert check(towns, jobmatch.solution_to_dict(one)) == []
    assert (one.status is jobmatch.Status.OPTIMAL) == (one.bound is None)
    assert one.bound is None or one.bound.score >= one.objective.score


def test_the_stable_method_by_parts_is_the_stable_method_on_the_whole(
    towns: jobmatch.Problem,
) -> None:
    parts = jobmatch.solve(towns, method="stable")
    whole = jobmatch.solve(with_options(towns, part_pairs=10**9), method="stable")
    assert parts.assignments == whole.assignments
    assert parts.stats["blocking_pairs"] == whole.stats["blocking_pairs"] == 0
    assert parts.stats["price_of_stability"] == whole.stats["price_of_stability"]
    assert parts.bound == whole.bound


def test_fixed_pairs_that_clash_in_one_part_make_the_whole_infeasible(
    towns: jobmatch.Problem,
) -> None:
    prepared = prepare(towns)
    fixed = {p.youth for p in towns.fixed}
    youth = next(y for i, y in enumerate(towns.youths) if y.max_jobs == 1 and y.id not in fixed
                 and len(prepared.pairs_of(i)) >= 2)  # fmt: skip
    pairs = prepared.pairs_of(prepared.eligibility.youth_index[youth.id])
    openings = [towns.openings[o].id for o in prepared.candidates.opening[pairs[:2]].tolist()]
    clashing = replace(towns, fixed=towns.fixed + tuple(Pair(youth.id, o)
                                                        for o in openings))  # fmt: skip
    solution = jobmatch.solve(clashing)
    assert solution.status is jobmatch.Status.INFEASIBLE
    assert solution.assignments == ()
    assert solution.unmatched == ()
    assert any(youth.id in text for text in solution.stats["infeasible"])  # type: ignore[attr-defined]


def test_merge_refuses_solutions_of_another_problem(towns: jobmatch.Problem) -> None:
    other = jobmatch.load(generate(40, 15, towns=1, seed=9))
    foreign = jobmatch.solve(other)
    assert foreign.assignments
    with pytest.raises(jobmatch.MergeError, match="not an eligible pair"):
        jobmatch.merge(towns, [foreign])


def test_parts_options_are_read_from_the_document_and_checked() -> None:
    document = generate(20, 8, towns=1, seed=3)
    document["options"] = {"processes": 2, "part_pairs": 50}
    problem = jobmatch.load(document)
    assert (problem.options.processes, problem.options.part_pairs) == (2, 50)
    for bad in ({"processes": 0}, {"processes": 65}, {"part_pairs": 0}, {"part_pairs": "x"}):
        document["options"] = bad
        with pytest.raises(jobmatch.ProblemError, match=f"options.{next(iter(bad))}"):
            jobmatch.load(document)


def test_a_plain_script_solves_in_two_processes(tmp_path: Path) -> None:
    """No `__main__` guard needed: the children never run the caller's script again."""
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(generate(120, 45, towns=3, seed=4)), encoding="utf-8")
    script = tmp_path / "script.py"
    script.write_text(
        "import jobmatch, sys\n"
        f"problem = jobmatch.load({str(problem)!r})\n"
        "problem = jobmatch.Problem(**{**{f: getattr(problem, f) for f in "
        "problem.__dataclass_fields__}, 'options': __import__('dataclasses').replace("
        "problem.options, part_pairs=1)})\n"
        "one = jobmatch.solve(problem)\n"
        "two = jobmatch.solve(problem, processes=2)\n"
        "print(one.stats['parts'], one.assignments == two.assignments)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    parts, same = done.stdout.split()
    assert int(parts) >= 3
    assert same == "True"


def test_a_child_that_fails_is_a_solver_error_naming_it(
    towns: jobmatch.Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(
        jobmatch.SolverError, match="a process solving parts failed: exit status 1"
    ):
        jobmatch.solve(towns, processes=2)
