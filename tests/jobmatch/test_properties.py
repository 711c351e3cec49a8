"""Properties over random problems: every solution keeps every rule (by the independent
checker), and on tiny problems the objective equals the best found by brute force."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, given, settings

import jobmatch
from jobmatch.check import check, pair_score
from tests.jobmatch.strategies import problems
from tests.jobmatch.test_check import document

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(problems())
def test_every_solution_keeps_every_rule(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    solution = jobmatch.solve(problem)
    assert solution.status is jobmatch.Status.OPTIMAL
    assert check(problem, jobmatch.solution_to_dict(solution)) == []


@SETTINGS
@given(problems())
def test_the_stable_method_keeps_every_rule(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    solution = jobmatch.solve(problem, method="stable")
    assert check(problem, jobmatch.solution_to_dict(solution)) == []
    assert solution.stats["blocking_pairs"] == 0


def as_document(problem: jobmatch.Problem, pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """A solution document for these pairs with the scores the checker expects."""
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    holders: dict[str, set[str]] = {}
    for y, o in pairs:
        holders.setdefault(o, set()).add(y)
    scores = {
        (y, o): pair_score(problem, youths[y], openings[o])
        + problem.weights.buddy * sum(b in holders[o] for b in youths[y].buddies)
        for y, o in pairs
    }
    return document(problem, pairs, scores)


def brute_force(problem: jobmatch.Problem) -> tuple[int, int]:
    """The lexicographic optimum over every set of eligible pairs the checker accepts."""
    eligibility = jobmatch.Eligibility(problem)
    candidates = eligibility.candidates()
    ids = zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True)
    pairs = [(problem.youths[y].id, problem.openings[o].id) for y, o in ids]
    best = (-1, -1)
    for size in range(len(pairs) + 1):
        for chosen in combinations(pairs, size):
            document = as_document(problem, chosen)
            if not check(problem, document):
                objective = document["objective"]
                best = max(best, (objective["priority_matched"], objective["score"]))
    return best


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_youths=4, max_openings=3))
def test_the_optimum_equals_brute_force_on_tiny_problems(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    if len(jobmatch.Eligibility(problem).candidates()) > 10:
        return
    solution = jobmatch.solve(problem)
    objective = solution.objective
    assert (objective.priority_matched, objective.score) == brute_force(problem)
