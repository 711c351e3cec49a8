"""Properties over random problems: every solution keeps every rule (by the independent
checker), and on tiny problems the objective equals the best found by brute force over
every pair, each judged by the independent checker alone."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, assume, given, settings

import jobmatch
from jobmatch.check import check, pair_score, pair_violations
from jobmatch.scoring import edge_scores

from .factories import solution_document
from .strategies import problems

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_BRUTE_PAIRS = 10  # 2**10 subsets, each checked in full


@SETTINGS
@given(problems())
def test_every_solution_keeps_every_rule(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    solution = jobmatch.solve(problem)
    assert solution.status is jobmatch.Status.OPTIMAL
    assert solution.assignments or not problem.openings
    assert check(problem, jobmatch.solution_to_dict(solution)) == []


@SETTINGS
@given(problems())
def test_the_stable_method_keeps_every_rule(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    solution = jobmatch.solve(problem, method="stable")
    assert check(problem, jobmatch.solution_to_dict(solution)) == []
    assert solution.stats["blocking_pairs"] == 0


@SETTINGS
@given(problems())
def test_the_eligible_pairs_are_those_the_checker_allows(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    candidates = jobmatch.Eligibility(problem).candidates()
    ids = zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True)
    got = {(problem.youths[y].id, problem.openings[o].id) for y, o in ids}
    assert got == set(allowed_pairs(problem))


@SETTINGS
@given(problems())
def test_every_eligible_pair_scores_what_the_checker_says(document: dict[str, Any]) -> None:
    problem = jobmatch.load(document)
    eligibility = jobmatch.Eligibility(problem)
    candidates = eligibility.candidates()
    scores = edge_scores(eligibility, candidates).tolist()
    ids = zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True)
    expected = [pair_score(problem, problem.youths[y], problem.openings[o]) for y, o in ids]
    assert scores == expected


def allowed_pairs(problem: jobmatch.Problem) -> list[tuple[str, str]]:
    """Every (youth, opening) pair that breaks no rule on its own, by the checker."""
    return [
        (youth.id, opening.id)
        for youth in problem.youths
        for opening in problem.openings
        if not pair_violations(problem, youth, opening)
    ]


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
    return solution_document(problem, pairs, scores)


def brute_force(problem: jobmatch.Problem, pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """The lexicographic optimum over every set of the pairs the checker accepts in full."""
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
    pairs = allowed_pairs(problem)
    assume(len(pairs) <= MAX_BRUTE_PAIRS)
    solution = jobmatch.solve(problem)
    objective = solution.objective
    assert (objective.priority_matched, objective.score) == brute_force(problem, pairs)
