"""Dense cities at a small size: every youth reaches most openings, one component.

The same shape as the benchmark's dense region and city (bench/generate.py, density
"dense"), small enough to prove: the optimum is checked against an independent flow and
the validator, and a binding time limit still gives a checked, repeatable answer.
"""

from __future__ import annotations

import pytest

import jobmatch
from bench.anchors import flow_anchor
from bench.generate import generate
from jobmatch.check import check

from .test_stable import reference


@pytest.fixture(scope="module")
def city() -> jobmatch.Problem:
    return jobmatch.load(generate(400, 150, towns=4, density="dense", seed=11))


def test_a_small_dense_city_is_one_component_solved_to_proven_optimality(
    city: jobmatch.Problem,
) -> None:
    solution = jobmatch.solve(city)
    assert int(solution.stats["eligible_pairs"]) > 0.1 * 400 * 150
    assert solution.stats["cp_components"] == 1  # two-job youths and buddies in one city
    assert solution.status is jobmatch.Status.OPTIMAL
    assert check(city, jobmatch.solution_to_dict(solution)) == []
    floor = flow_anchor(city)
    assert solution.objective.priority_matched == floor["objective"]["priority_matched"]


@pytest.mark.parametrize("limit", [0.0, 0.05])
def test_a_binding_limit_gives_a_checked_bounded_repeatable_answer(
    city: jobmatch.Problem, limit: float
) -> None:
    first = jobmatch.solve(city, time_limit_s=limit)
    second = jobmatch.solve(city, time_limit_s=limit)
    assert first.assignments == second.assignments
    assert check(city, jobmatch.solution_to_dict(first)) == []
    stats = first.stats
    assert stats["limit_reached"] is True
    assert stats["time_limit_s"] == limit
    assert stats["excluded_phases"] == ["prepare_seconds", "flow_seconds", "explain_seconds"]
    assert first.status is jobmatch.Status.FEASIBLE
    assert first.bound is not None
    assert first.bound.score >= first.objective.score
    # The first objective is the flow's, exact whatever the limit.
    optimum = jobmatch.solve(city)
    assert first.objective.priority_matched == optimum.objective.priority_matched
    assert first.objective.score <= optimum.objective.score <= first.bound.score


def test_a_dense_city_without_buddies_is_proven_optimal_when_its_first_flow_is_the_ceiling() -> (
    None
):
    # Seed 13: the first bounding flow is no better than the flow's own value (there are no
    # buddy points to split), and its slacks must still let CP-SAT leave pairs out: else
    # CP-SAT waits for a round of every pair, which a limit of a second does not afford.
    document = generate(400, 150, towns=4, density="dense", seed=13)
    for youth in document["youths"]:
        youth.pop("buddies", None)
    problem = jobmatch.load(document)
    solution = jobmatch.solve(problem, time_limit_s=1)
    assert solution.status is jobmatch.Status.OPTIMAL
    assert int(solution.stats["cp_pairs"]) > 0
    assert check(problem, jobmatch.solution_to_dict(solution)) == []


def test_the_stable_method_on_a_dense_city_is_the_youth_optimal_stable_matching() -> None:
    """The same matching as the `matching` package's, no blocking pair, checked, and its price
    of stability measured against the optimal method's first objective (a smaller city: the
    package copies its game recursively)."""
    city = jobmatch.load(generate(150, 60, towns=2, density="dense", seed=11))
    stable = jobmatch.solve(city, method="stable")
    assert sorted((a.youth, a.opening) for a in stable.assignments) == reference(city)
    assert stable.stats["blocking_pairs"] == 0
    assert check(city, jobmatch.solution_to_dict(stable)) == []
    optimal = jobmatch.solve(city)
    price = stable.stats["price_of_stability"]
    assert price["priority_matched"] == (
        optimal.objective.priority_matched - stable.objective.priority_matched
    )
    assert price["priority_matched"] > 0  # on this city, stability costs priority
