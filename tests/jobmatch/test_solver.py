"""The solver on small hand-made problems: each objective, each cross-job rule, fixed pairs."""

from __future__ import annotations

from typing import Any

import pytest

import jobmatch
from jobmatch.check import check
from tests.jobmatch.factories import document, opening, shift, youth


def solve(doc: dict[str, Any], **options: Any) -> jobmatch.Solution:
    problem = jobmatch.load(doc)
    solution = jobmatch.solve(problem, **options)
    if solution.status is not jobmatch.Status.INFEASIBLE:
        assert check(problem, jobmatch.solution_to_dict(solution)) == []
    return solution


def pairs(solution: jobmatch.Solution) -> set[tuple[str, str]]:
    return {(a.youth, a.opening) for a in solution.assignments}


def test_priority_comes_before_the_score() -> None:
    doc = document(
        [youth("keen", interests=["shop"], priority=1), youth("needs", priority=3)],
        [opening(category="shop")],
    )
    assert pairs(solve(doc)) == {("needs", "o1")}


def test_the_first_objective_is_the_total_priority_placed() -> None:
    doc = document(
        [youth("a", priority=3), youth("b", priority=2), youth("c", priority=2)],
        [opening("o1"), opening("o2", shifts=[shift("sun", "10:00", "12:00")])],
    )
    # a can take either opening, b only o1, c only o2: a and one of them, 3 + 2.
    doc["youths"][1]["availability"] = [shift("sat", "00:00", "24:00")]
    doc["youths"][2]["availability"] = [shift("sun", "00:00", "24:00")]
    solution = solve(doc)
    assert solution.objective.priority_matched == 5
    assert "a" in {youth for youth, _ in pairs(solution)}


def test_the_score_breaks_ties_between_equal_priorities() -> None:
    doc = document([youth("a"), youth("b", interests=["shop"])], [opening(category="shop")])
    assert pairs(solve(doc)) == {("b", "o1")}


def test_a_second_job_is_taken_when_the_rules_allow_it() -> None:
    doc = document(
        [youth(max_jobs=2)],
        [opening("o1"), opening("o2", shifts=[shift("sun", "10:00", "14:00")])],
    )
    solution = solve(doc)
    assert pairs(solution) == {("y1", "o1"), ("y1", "o2")}
    assert solution.objective.matched == 1


@pytest.mark.parametrize(
    ("second", "why"),
    [
        (shift("sat", "13:00", "15:00"), "overlap"),
        (shift("sat", "14:00", "19:00"), "8 h a day"),
        (shift("sun", "06:00", "08:00"), "12 h rest"),
    ],
)
def test_two_jobs_that_break_a_rule_together_are_not_combined(
    second: dict[str, str], why: str
) -> None:
    first = opening("o1", shifts=[shift("sat", "10:00", "14:00")])
    if why == "12 h rest":
        first = opening("o1", shifts=[shift("sat", "16:00", "20:00")])
    doc = document([youth(max_jobs=2)], [first, opening("o2", shifts=[second])])
    solution = solve(doc)
    assert len(solution.assignments) == 1, why
    assert solution.status is jobmatch.Status.OPTIMAL


def test_three_jobs_keep_the_weekly_cap_together() -> None:
    days = ["mon", "tue", "wed"]
    openings = [opening(f"o{d}", shifts=[shift(d, "15:00", "17:00")]) for d in days]
    pupil = youth(age=14, in_compulsory_school=True, max_jobs=3)
    doc = document([pupil], openings, period="school")
    assert len(solve(doc).assignments) == 3
    openings.append(opening("osat", shifts=[shift("sat", "08:00", "15:00")]))
    pupil["max_jobs"] = 4
    # 3 x 2 h + 7 h = 13 h > 12 h in a school week: one of them must go.
    assert len(solve(document([pupil], openings, period="school")).assignments) == 3


def test_buddies_are_placed_together_when_it_costs_nothing() -> None:
    doc = document(
        [youth("a", buddies=["b"]), youth("b")],
        [opening("o1", positions=2), opening("o2", positions=1)],
    )
    solution = solve(doc)
    assert pairs(solution) == {("a", "o1"), ("b", "o1")}
    assert solution.stats["solver"] == "min_cost_flow+cp_sat"


def test_fixed_pairs_are_kept_even_against_the_objective() -> None:
    doc = document(
        [youth("low", priority=1), youth("high", priority=3)],
        [opening()],
        fixed=[{"youth": "low", "opening": "o1"}],
    )
    solution = solve(doc)
    assert pairs(solution) == {("low", "o1")}
    assert solution.unmatched[0].reasons[0].code == "positions_taken"


def test_forbidden_pairs_are_never_used() -> None:
    doc = document(forbidden=[{"youth": "y1", "opening": "o1"}])
    solution = solve(doc)
    assert solution.assignments == ()
    assert [r.code for r in solution.unmatched[0].reasons] == ["forbidden", "forbidden"]


@pytest.mark.parametrize(
    ("youths", "fixed", "message"),
    [
        (
            [youth("a"), youth("b")],
            [("a", "o1"), ("b", "o1")],
            "opening o1 has 1 position(s) but 2 fixed youths: a, b",
        ),
        ([youth("a")], [("a", "o1"), ("a", "o2")], "youth a may hold 1 job(s) but is fixed to 2"),
        (
            [youth("a", max_jobs=2)],
            [("a", "o1"), ("a", "o2")],
            "youth a cannot hold o1, o2 together: breaks overlap",
        ),
    ],
)
def test_fixed_pairs_that_cannot_hold_together_make_the_problem_infeasible(
    youths: list[dict[str, Any]], fixed: list[tuple[str, str]], message: str
) -> None:
    doc = document(
        youths,
        [opening("o1"), opening("o2")],
        fixed=[{"youth": y, "opening": o} for y, o in fixed],
    )
    solution = solve(doc)
    assert solution.status is jobmatch.Status.INFEASIBLE
    assert any(message in line for line in solution.stats["infeasible"])  # type: ignore[attr-defined]


def test_missing_onboarding_is_reported_per_assignment() -> None:
    doc = document([youth(onboarding=["mitid"])], [opening()])
    assert solve(doc).assignments[0].missing_onboarding == ("bank_account", "tax_card")


def test_max_jobs_zero_is_its_own_reason() -> None:
    solution = solve(document([youth(max_jobs=0)]))
    assert [r.code for r in solution.unmatched[0].reasons] == ["max_jobs_zero"]


def test_a_nearest_miss_says_what_would_place_the_youth() -> None:
    doc = document(
        [youth(location={"lat": 56.0, "lon": 9.0}, max_travel_km=3)],
        [opening(location={"lat": 56.05, "lon": 9.0})],
    )
    reasons = solve(doc).unmatched[0].reasons
    assert reasons[0].code == "too_far"
    assert reasons[0].opening == "o1"
    assert "5.56 km from home; the youth travels at most 3 km" in reasons[0].detail
    assert "the only rule broken, and 1 position(s) are still free" in reasons[0].detail
    assert (reasons[1].code, reasons[1].detail) == (
        "too_far",
        "1 of 1 openings are farther than the youth travels",
    )


def test_an_empty_problem_solves() -> None:
    solution = solve(document([], []))
    assert (solution.status, solution.assignments, solution.unmatched) == (
        jobmatch.Status.OPTIMAL,
        (),
        (),
    )


def test_a_time_limit_that_stops_cp_sat_reports_a_bound() -> None:
    openings = [
        opening(f"o{i}", positions=2, shifts=[shift(d, "16:00", "19:00")])
        for i, d in enumerate(["mon", "tue", "wed", "thu", "fri", "sat"] * 3)
    ]
    youths = [youth(f"y{i}", max_jobs=3, buddies=[f"y{(i + 1) % 30}"]) for i in range(30)]
    # The limit is CP-SAT's deterministic time, so the outcome does not depend on the machine.
    solution = solve(document(youths, openings), time_limit_s=0.001)
    assert solution.status is jobmatch.Status.FEASIBLE
    assert solution.bound is not None
    assert solution.bound.score > solution.objective.score
    assert solution.bound.priority_matched == solution.objective.priority_matched


def test_the_stable_method_reports_the_price_of_stability() -> None:
    doc = document(
        [
            youth("a", preferences=["o1"]),
            youth("b", availability=[shift("sat", "09:00", "15:00")]),
        ],
        [opening("o1"), opening("o2", shifts=[shift("sun", "10:00", "12:00")])],
    )
    doc["youths"][1]["preferences"] = ["o1"]
    doc["openings"][0]["preferences"] = ["b", "a"]
    solution = solve(doc, method="stable")
    assert solution.stats["blocking_pairs"] == 0
    assert solution.bound is not None
    assert "price_of_stability" in solution.stats


def test_a_binding_time_limit_still_gives_the_same_answer_twice() -> None:
    from bench.generate import generate

    problem = jobmatch.load(generate(300, 120, towns=1, seed=3))
    first = jobmatch.solve(problem, time_limit_s=0.3)
    second = jobmatch.solve(problem, time_limit_s=0.3)
    assert first.assignments == second.assignments
    assert first.unmatched == second.unmatched
    assert check(problem, jobmatch.solution_to_dict(first)) == []
