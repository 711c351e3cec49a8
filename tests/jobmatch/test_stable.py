"""Stable matching: no blocking pairs, youth-optimal (as the `matching` package finds it),
and blocking pairs of hand-made unstable assignments."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from matching.games import HospitalResident

from jobmatch import load
from jobmatch.eligibility import Eligibility
from jobmatch.errors import ProblemError
from jobmatch.model import Pair, Problem
from jobmatch.scoring import edge_scores
from jobmatch.stable import blocking_pairs, stable_assignments

from .strategies import problems

SETTINGS = settings(max_examples=60, deadline=None)


def solve(problem: Problem) -> list[tuple[str, str]]:
    """The stable matching as id pairs."""
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates()
    pairs = stable_assignments(
        problem, eligibility, candidates, edge_scores(eligibility, candidates)
    )
    return [(problem.youths[y].id, problem.openings[o].id) for y, o in pairs]


def preference_lists(problem: Problem) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Both sides' rankings, written out plainly from the module's documented definition."""
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates()
    scores = edge_scores(eligibility, candidates)
    score = {
        (problem.youths[y].id, problem.openings[o].id): int(s)
        for y, o, s in zip(candidates.youth, candidates.opening, scores, strict=True)
    }
    youth_order = {y.id: i for i, y in enumerate(problem.youths)}
    opening_order = {o.id: i for i, o in enumerate(problem.openings)}
    priority = {y.id: y.priority for y in problem.youths}

    def ranked(listed: tuple[str, ...], others: list[str], key: Any) -> list[str]:
        first = [name for name in listed if name in others]
        return first + sorted((name for name in others if name not in first), key=key)

    youths = {
        youth.id: ranked(
            youth.preferences,
            [o for y, o in score if y == youth.id],
            lambda o, y=youth.id: (-score[y, o], opening_order[o]),
        )
        for youth in problem.youths
    }
    openings = {
        opening.id: ranked(
            opening.preferences,
            [y for y, o in score if o == opening.id],
            lambda y, o=opening.id: (-score[y, o], -priority[y], youth_order[y]),
        )
        for opening in problem.openings
    }
    return youths, openings


def reference(problem: Problem) -> list[tuple[str, str]]:
    """The `matching` package's resident-optimal solution of the same game, fixed pairs added."""
    youths, openings = preference_lists(problem)
    fixed = [(p.youth, p.opening) for p in problem.fixed]
    capacity = {o.id: o.positions - sum(f == o.id for _, f in fixed) for o in problem.openings}
    taking_part = {y.id for y in problem.youths if y.max_jobs >= 1} - {y for y, _ in fixed}
    residents = {
        y: [o for o in ranking if capacity[o] > 0]
        for y, ranking in youths.items()
        if y in taking_part
    }
    residents = {y: ranking for y, ranking in residents.items() if ranking}
    hospitals = {o: [y for y in ranking if y in residents] for o, ranking in openings.items()}
    hospitals = {o: ranking for o, ranking in hospitals.items() if ranking and capacity[o] > 0}
    if not residents:
        return sorted(fixed)
    game = HospitalResident.create_from_dictionaries(
        residents, hospitals, {o: capacity[o] for o in hospitals}
    )
    matching = game.solve(optimal="resident")
    pairs = [(r.name, h.name) for h, matched in matching.items() for r in matched]
    return sorted(fixed + pairs)


@SETTINGS
@given(problems(max_youths=10, max_openings=4))
def test_stable_matching_has_no_blocking_pairs_and_keeps_capacities(
    document: dict[str, Any],
) -> None:
    problem = load(document)
    pairs = solve(problem)
    assert blocking_pairs(problem, pairs) == []
    assert {(p.youth, p.opening) for p in problem.fixed} <= set(pairs)
    positions = {o.id: o.positions for o in problem.openings}
    for opening, limit in positions.items():
        assert sum(o == opening for _, o in pairs) <= limit
    youths = [y for y, _ in pairs]
    assert len(youths) == len(set(youths))
    eligible = Eligibility(problem)
    assert all(
        eligible.pair_reasons(eligible.youth_index[y], eligible.opening_index[o]) == []
        for y, o in pairs
    )


@SETTINGS
@given(problems(max_youths=10, max_openings=4))
def test_stable_matching_is_youth_optimal(document: dict[str, Any]) -> None:
    problem = load(document)
    assert sorted(solve(problem)) == reference(problem)


def game(positions: int = 1, **changes: Any) -> Problem:
    """Three youths and two openings; a and b want o1 most, both openings want b, then a;
    c takes no job."""
    document: dict[str, Any] = {
        "format": "jobmatch/1",
        "weights": {"distance": 0, "onboarding": 0},
        "youths": [
            {"id": "a", "age": 16, "preferences": ["o1", "o2"]},
            {"id": "b", "age": 16, "preferences": ["o1", "o2"]},
            {"id": "c", "age": 16, "max_jobs": 0},
        ],
        "openings": [
            {
                "id": f"o{j}",
                "employer": "e",
                "shifts": [{"day": "sat", "start": "10:00", "end": "12:00"}],
                "preferences": ["b", "a"],
                "positions": positions,
            }
            for j in (1, 2)
        ],
    }
    return load({**document, **changes})


def test_stable_matching_of_a_small_game() -> None:
    assert solve(game()) == [("a", "o2"), ("b", "o1")]


def test_blocking_pairs_of_an_unstable_assignment() -> None:
    problem = game()
    assert blocking_pairs(problem, [("a", "o2"), ("b", "o1")]) == []
    # a holds o1, which prefers b; b is left out and prefers o1 to nothing.
    assert blocking_pairs(problem, [("a", "o1"), ("b", "o2")]) == [Pair("b", "o1")]
    # Nobody placed: every eligible pair of a taking-part youth blocks; c never does.
    assert blocking_pairs(problem, []) == [
        Pair("a", "o1"),
        Pair("a", "o2"),
        Pair("b", "o1"),
        Pair("b", "o2"),
    ]
    # A free position blocks even a youth the opening ranks last.
    assert blocking_pairs(problem, [("b", "o1")]) == [Pair("a", "o2")]


def test_blocking_pairs_reuses_what_the_caller_computed() -> None:
    problem = game()
    eligibility = Eligibility(problem)
    candidates = eligibility.candidates()
    scores = edge_scores(eligibility, candidates)
    found = blocking_pairs(
        problem,
        [("b", "o1"), ("a", "o2")],
        eligibility=eligibility,
        candidates=candidates,
        scores=scores,
    )
    assert found == []
    assert blocking_pairs(problem, [("b", "o2")], eligibility=eligibility) == [
        Pair("a", "o1"),
        Pair("b", "o1"),
    ]


def test_fixed_youths_never_block_and_fixed_places_cannot_be_taken() -> None:
    problem = game(fixed=[{"youth": "a", "opening": "o1"}])
    assert solve(problem) == [("a", "o1"), ("b", "o2")]
    assert blocking_pairs(problem, [("a", "o1"), ("b", "o2")]) == []
    assert blocking_pairs(problem, [("a", "o1")]) == [Pair("b", "o2")]


def test_an_ineligible_assignment_ranks_below_every_eligible_pair() -> None:
    problem = game(forbidden=[{"youth": "b", "opening": "o1"}])
    assert solve(problem) == [("a", "o1"), ("b", "o2")]
    assert blocking_pairs(problem, [("b", "o1"), ("a", "o2")]) == [
        Pair("a", "o1"),
        Pair("b", "o2"),
    ]


def test_youths_with_several_jobs_take_one_here() -> None:
    several = [
        {"id": "a", "age": 16, "max_jobs": 2, "preferences": ["o1", "o2"]},
        {"id": "b", "age": 16},
    ]
    assert solve(game(youths=several)) == [("a", "o2"), ("b", "o1")]
    # a holds both openings (as an optimal solution may give it): b blocks with each, and
    # a never blocks with what it holds, though o1 has a free position.
    held = [("a", "o1"), ("a", "o2")]
    assert blocking_pairs(game(youths=several), held) == [Pair("b", "o1"), Pair("b", "o2")]
    assert blocking_pairs(game(2, youths=several), held) == [Pair("b", "o1"), Pair("b", "o2")]


def test_ties_go_by_score_then_priority_then_input_order() -> None:
    youths = [
        {"id": name, "age": 16, "priority": priority}
        for name, priority in (("a", 1), ("b", 2), ("c", 2))
    ]
    openings = [
        {"id": o, "employer": "e", "shifts": [{"day": "sat", "start": "10:00", "end": "12:00"}]}
        for o in ("o1", "o2", "o3")
    ]
    problem = game(youths=youths, openings=openings)
    # Equal scores: each youth ranks o1 first; o1 takes b (priority 2, before c), then
    # c tries o2 (before o3), and a goes to o3.
    assert solve(problem) == [("a", "o3"), ("b", "o1"), ("c", "o2")]
    # An interest lifts a's score for o3 above the rest.
    openings[2]["category"] = "cafe"
    interested = [{**youths[0], "interests": ["cafe"]}, *youths[1:]]
    assert solve(game(youths=interested, openings=openings)) == [
        ("a", "o3"),
        ("b", "o1"),
        ("c", "o2"),
    ]


def test_blocking_pairs_rejects_unknown_ids() -> None:
    with pytest.raises(ProblemError, match="names unknown opening 'o9'"):
        blocking_pairs(game(), [("a", "o9")])
