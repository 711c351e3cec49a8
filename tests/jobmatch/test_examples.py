"""The shared example problems against an independent implementation's figures."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import jobmatch
from jobmatch.check import check

DATA = Path(__file__).parents[1] / "data"
EXPECTED: dict[str, Any] = json.loads((DATA / "expected.json").read_text())


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def example(request: pytest.FixtureRequest) -> tuple[str, jobmatch.Problem]:
    name: str = request.param
    return name, jobmatch.load(DATA / f"{name}.json")


def test_every_pair_has_the_expected_reason_codes(example: tuple[str, jobmatch.Problem]) -> None:
    name, problem = example
    eligibility = jobmatch.Eligibility(problem)
    got = {
        f"{y.id} {o.id}": eligibility.pair_reasons(i, j)
        for i, y in enumerate(problem.youths)
        for j, o in enumerate(problem.openings)
    }
    assert got == EXPECTED[name]["reasons"]


def test_the_eligible_pairs_are_those_without_reasons(
    example: tuple[str, jobmatch.Problem],
) -> None:
    name, problem = example
    candidates = jobmatch.Eligibility(problem).candidates()
    pairs = {f"{problem.youths[y].id} {problem.openings[o].id}"
             for y, o in zip(candidates.youth, candidates.opening, strict=True)}  # fmt: skip
    expected = {pair for pair, codes in EXPECTED[name]["reasons"].items() if not codes}
    assert pairs == expected
    assert len(candidates) == EXPECTED[name]["eligible_pairs"]


def test_the_optimum_of_the_first_objective(example: tuple[str, jobmatch.Problem]) -> None:
    name, problem = example
    solution = jobmatch.solve(problem)
    assert solution.status is jobmatch.Status.OPTIMAL
    assert solution.objective.priority_matched == EXPECTED[name]["optimal_priority_matched"]
    assert check(problem, jobmatch.solution_to_dict(solution)) == []


def test_fixed_pairs_are_kept_and_forbidden_never_used(
    example: tuple[str, jobmatch.Problem],
) -> None:
    _, problem = example
    solution = jobmatch.solve(problem)
    held = {(a.youth, a.opening) for a in solution.assignments}
    assert {(p.youth, p.opening) for p in problem.fixed} <= held
    assert not {(p.youth, p.opening) for p in problem.forbidden} & held


def without_timings(solution: jobmatch.Solution) -> jobmatch.Solution:
    """The solution with its timing figures (the stats keys ending in `seconds`) zeroed: the
    spec lets only those differ between two runs."""
    stats = {key: 0 if key.endswith("seconds") else value for key, value in solution.stats.items()}
    return replace(solution, stats=stats)


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_the_same_input_gives_byte_identical_output(
    example: tuple[str, jobmatch.Problem], method: str
) -> None:
    _, problem = example
    first, second = (jobmatch.solve(problem, method=method) for _ in range(2))
    assert any(key.endswith("seconds") for key in first.stats)
    written = jobmatch.dumps(without_timings(first)).encode()
    assert written == jobmatch.dumps(without_timings(second)).encode()
