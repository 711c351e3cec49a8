"""The independent validator: each rule at its exact edges, the document's structure,
and agreement with `expected.json` on every pair of the shipped examples."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobmatch import load
from jobmatch.check import REASON_CODES, Violation, check
from jobmatch.eligibility import Eligibility
from jobmatch.model import Problem
from jobmatch.scoring import edge_scores

from .factories import solution_document
from .strategies import problems

DATA = Path(__file__).parent.parent / "data"
ZERO_WEIGHTS = dict.fromkeys(
    (
        "assignment",
        "interest",
        "youth_preference",
        "employer_preference",
        "distance",
        "distance_per_km",
        "onboarding",
        "buddy",
    ),
    0,
)


def shift(day: str, start: str, end: str) -> dict[str, str]:
    return {"day": day, "start": start, "end": end}


def youth(ident: str = "y", age: int = 16, **fields: Any) -> dict[str, Any]:
    return {"id": ident, "age": age, **fields}


def opening(ident: str = "o", *shifts: dict[str, str], **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "employer": f"e-{ident}",
        "light_work": True,
        "onboarding_steps": [],
        "shifts": list(shifts) or [shift("sat", "10:00", "12:00")],
        **fields,
    }


def problem(youths: list[dict[str, Any]], openings: list[dict[str, Any]], **extra: Any) -> Problem:
    """A problem with every score weight zero, so that only the hard rules matter."""
    return load(
        {
            "format": "jobmatch/1",
            "period": "holiday",
            "weights": ZERO_WEIGHTS,
            "youths": youths,
            "openings": openings,
            **extra,
        }
    )


def broken(problem: Problem, pairs: Iterable[tuple[str, str]]) -> list[Violation]:
    return check(problem, solution_document(problem, pairs))


def rules(violations: Iterable[Violation]) -> list[tuple[str, str | None, str | None]]:
    return [(v.rule, v.youth, v.opening) for v in violations]


def single(
    youth_fields: dict[str, Any],
    *shifts: dict[str, str],
    period: str = "holiday",
    **opening_fields: Any,
) -> list[Violation]:
    """The violations of a one-youth, one-opening problem with the pair assigned."""
    p = problem([youth(**youth_fields)], [opening("o", *shifts, **opening_fields)], period=period)
    return broken(p, [("y", "o")])


GROUP_A = {"age": 14}
GROUP_B = {"age": 16, "in_compulsory_school": False}
ADULT = {"age": 18}


def week(text: str) -> list[dict[str, str]]:
    """Shifts from text like "mon 15:00-17:00, sat 10:00-12:00"."""
    return [shift(day, *hours.split("-")) for day, hours in (s.split() for s in text.split(","))]


FIVE_DAYS = "mon 10:00-11:00, tue 10:00-11:00, wed 10:00-11:00, thu 10:00-11:00, fri 10:00-11:00"
SCHOOL_WEEK = "mon 16:00-18:00, tue 16:00-18:00, wed 16:00-18:00, thu 16:00-18:00"
ADULT_WEEK = "mon 08:00-20:00, wed 08:00-20:00, fri 08:00-20:00"
BAKERY, SHOP = {"workplace": "bakery"}, {"workplace": "shop"}
HOTEL = {"workplace": "hotel_restaurant"}
HEAVY = {"light_work": False}
OTHER_SHIFT = "sat 10:00-12:00"

# id, youth, the opening's shifts, its other fields, period, the one rule broken (or None)
# and a fragment of the violation's message.
EDGES = [
    ("A ends 20:00", GROUP_A, "sat 18:00-20:00", {}, "holiday", None, ""),
    ("A ends 20:01", GROUP_A, "sat 18:00-20:01", {}, "holiday", "working_window",
     "shift sat 18:00-20:01 lies outside 06:00-20:00, the window of group A"),
    ("A starts 06:00", GROUP_A, "sat 06:00-08:00", {}, "holiday", None, ""),
    ("A starts 05:59", GROUP_A, "sat 05:59-08:00", {}, "holiday", "working_window", "06:00"),
    ("school day 2 h", GROUP_A, "mon 15:00-17:00", {}, "school", None, ""),
    ("school day 2 h 01", GROUP_A, "mon 15:00-17:01", {}, "school", "legal_hours",
     "2:01 h on mon, over the 2:00 h a school day of group A"),
    ("holiday Monday 2 h 01", GROUP_A, "mon 15:00-17:01", {}, "holiday", None, ""),
    ("school week Saturday 7 h", GROUP_A, "sat 10:00-17:00", {}, "school", None, ""),
    ("under 15 other day 7 h 01", GROUP_A, "sat 10:00-17:01", {}, "holiday", "legal_hours",
     "7:01 h on sat, over the 7:00 h a day of group A"),
    ("15 other day 8 h", {"age": 15}, "sat 10:00-18:00", {}, "holiday", None, ""),
    ("A rest 14 h", GROUP_A, "mon 18:00-20:00, tue 10:00-12:00", {}, "holiday", None, ""),
    ("A rest 13:59", GROUP_A, "mon 18:00-20:00, tue 09:59-11:59", {}, "holiday", "rest",
     "13:59 h rest from mon 20:00 to tue 09:59, under the 14:00 h of group A"),
    ("A rest Sun to Mon", GROUP_A, "mon 09:59-11:59, sun 18:00-20:00", {}, "holiday", "rest",
     "13:59 h rest from sun 20:00 to mon 09:59"),
    ("B rest 12 h", GROUP_B, "mon 20:00-22:00, tue 10:00-12:00", SHOP, "school", None, ""),
    ("B rest 11:59", GROUP_B, "mon 20:00-22:00, tue 09:59-11:59", SHOP, "school", "rest",
     "11:59 h rest from mon 22:00 to tue 09:59, under the 12:00 h of group B"),
    ("B 5 days", GROUP_B, FIVE_DAYS, {}, "school", None, ""),
    ("B 6 days", GROUP_B, FIVE_DAYS + ", sat 10:00-11:00", {}, "school", "legal_hours",
     "6 working days, over the 5 of group B"),
    ("A school week 12 h", GROUP_A, SCHOOL_WEEK + ", sat 10:00-14:00", {}, "school", None, ""),
    ("A school week 12 h 01", GROUP_A, SCHOOL_WEEK + ", sat 10:00-14:01", {}, "school",
     "legal_hours", "12:01 h in the week, over the 12:00 h of group A"),
    ("A holiday week 12 h 01", GROUP_A, SCHOOL_WEEK + ", sat 10:00-14:01", {}, "holiday",
     None, ""),
    ("B day 8 h 01", GROUP_B, "sat 08:00-16:01", {}, "school", "legal_hours",
     "8:01 h on sat, over the 8:00 h a day of group B"),
    ("B bakery 04:00", GROUP_B, "sat 04:00-08:00", BAKERY, "holiday", None, ""),
    ("B bakery 03:59", GROUP_B, "sat 03:59-08:00", BAKERY, "holiday", "working_window",
     "outside 04:00-20:00, the window of group B at workplace 'bakery'"),
    ("A bakery 04:00", GROUP_A, "sat 04:00-08:00", BAKERY, "holiday", "working_window",
     "outside 06:00-20:00"),
    ("B newspaper 05:00", GROUP_B, "sat 05:00-07:00", {"workplace": "newspaper_delivery"},
     "holiday", None, ""),
    ("B shop 22:00", GROUP_B, "sat 18:00-22:00", SHOP, "holiday", None, ""),
    ("B shop 22:01", GROUP_B, "sat 18:00-22:01", SHOP, "holiday", "working_window",
     "06:00-22:00"),
    ("B hotel 24:00", GROUP_B, "sat 20:00-24:00", HOTEL, "holiday", None, ""),
    ("B other 24:00", GROUP_B, "sat 20:00-24:00", {}, "holiday", "working_window",
     "06:00-20:00"),
    ("A hotel 24:00", GROUP_A, "sat 20:00-24:00", HOTEL, "holiday", "working_window",
     "group A at workplace 'hotel_restaurant'"),
    ("B alcohol food", GROUP_B, OTHER_SHIFT, {"alcohol": "food"}, "holiday", None, ""),
    ("B alcohol bar", GROUP_B, OTHER_SHIFT, {"alcohol": "bar"}, "holiday", "alcohol",
     "a youth in group B may not work where alcohol is served ('bar')"),
    ("A alcohol food", GROUP_A, OTHER_SHIFT, {"alcohol": "food"}, "holiday", "alcohol",
     "group A"),
    ("adult alcohol bar", ADULT, OTHER_SHIFT, {"alcohol": "bar"}, "holiday", None, ""),
    ("A heavy work", GROUP_A, OTHER_SHIFT, HEAVY, "holiday", "not_light_work",
     "a youth in group A may only do light work"),
    ("B heavy work", GROUP_B, OTHER_SHIFT, HEAVY, "holiday", None, ""),
    ("15 in school", {"age": 15}, OTHER_SHIFT, HEAVY, "holiday", "not_light_work", "group A"),
    ("15 out of school", {"age": 15, "in_compulsory_school": False}, OTHER_SHIFT, HEAVY,
     "holiday", None, ""),
    ("16 in school", {"age": 16, "in_compulsory_school": True}, OTHER_SHIFT, HEAVY, "holiday",
     "not_light_work", "group A"),
    ("adult 13 h", ADULT, "sat 06:00-19:00", HEAVY, "school", None, ""),
    ("adult 13 h 01", ADULT, "sat 06:00-19:01", {}, "school", "legal_hours",
     "13:01 h on sat, over the 13:00 h a day of group adult"),
    ("adult no window", ADULT, "sat 00:00-24:00", {}, "school", "legal_hours", "24:00 h on sat"),
    ("adult 7 days", ADULT, FIVE_DAYS + ", sat 10:00-11:00, sun 10:00-11:00", {}, "school",
     None, ""),
    ("adult rest 11 h", ADULT, "mon 13:00-24:00, tue 11:00-12:00", {}, "school", None, ""),
    ("adult rest 10:59", ADULT, "mon 13:00-24:00, tue 10:59-12:00", {}, "school", "rest",
     "10:59 h rest"),
    ("adult 48 h", ADULT, ADULT_WEEK + ", sun 08:00-20:00", {}, "school", None, ""),
    ("adult 48 h 01", ADULT, ADULT_WEEK + ", sun 08:00-20:01", {}, "school", "legal_hours",
     "48:01 h in the week, over the 48:00 h of group adult"),
    ("too young", {"age": 12}, OTHER_SHIFT, {}, "holiday", "too_young",
     "the youth is 12; nobody under 13 may work"),
    ("min_age", GROUP_A, OTHER_SHIFT, {"min_age": 15}, "holiday", "too_young",
     "the youth is 14; the opening's min_age is 15"),
    ("max_age", GROUP_B, OTHER_SHIFT, {"max_age": 15}, "holiday", "too_old",
     "the youth is 16; the opening's max_age is 15"),
    ("available exactly", {"availability": week("sat 10:00-12:00")}, "sat 10:00-12:00", {},
     "holiday", None, ""),
    ("available a minute short", {"availability": week("sat 10:00-12:00")}, "sat 10:00-12:01",
     {}, "holiday", "unavailable", "shift sat 10:00-12:01 lies outside the youth's availability"),
    ("available another day", {"availability": week("sun 10:00-12:00, sat 12:00-14:00")},
     "sat 10:00-12:00, sun 10:00-11:00", {}, "holiday", "unavailable",
     "shift sat 10:00-12:00 lies outside"),
    ("language", {"languages": ["da"]}, OTHER_SHIFT, {"requires": {"languages": ["da", "en"]}},
     "holiday", "language", "the opening requires en, which the youth lacks"),
    ("certificate", {}, OTHER_SHIFT, {"requires": {"certificates": ["hygiejnebevis"]}},
     "holiday", "certificate", "requires hygiejnebevis"),
    ("excluded", {"exclude_employers": ["e-o"]}, OTHER_SHIFT, {}, "holiday", "excluded",
     "the youth excludes employer 'e-o'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("youth_fields", "shifts", "opening_fields", "period", "rule", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in EDGES],
)
def test_rule_at_its_edge(
    youth_fields: dict[str, Any],
    shifts: str,
    opening_fields: dict[str, Any],
    period: str,
    rule: str | None,
    fragment: str,
) -> None:
    violations = single(youth_fields, *week(shifts), period=period, **opening_fields)
    assert rules(violations) == ([] if rule is None else [(rule, "y", "o")])
    assert fragment in (violations[0].message if violations else "")


@pytest.mark.parametrize(
    ("birth_date", "light_work", "expected"),
    [
        ("2011-08-03", False, []),  # 15 on the start date, out of compulsory school: group B
        ("2011-08-04", False, ["not_light_work"]),  # still 14: group A
        ("2013-08-03", True, []),  # 13 on the start date
        ("2013-08-04", True, ["too_young"]),
        ("2008-08-03", False, []),  # 18 on the start date: adult, 10 h is fine
        ("2008-08-04", False, ["legal_hours"]),  # still 17: 8 h a day
    ],
)
def test_birthday_on_the_start_date(
    birth_date: str, light_work: bool, expected: list[str]
) -> None:
    p = problem(
        [{"id": "y", "birth_date": birth_date, "in_compulsory_school": False}],
        [
            opening(
                "o",
                shift("sat", "08:00", "18:00" if birth_date.startswith("2008") else "10:00"),
                light_work=light_work,
            )
        ],
        start_date="2026-08-03",
    )
    assert [v.rule for v in broken(p, [("y", "o")])] == expected


def test_distance_is_haversine_with_earth_radius_6371() -> None:
    one_degree = 6371.0 * math.pi / 180

    def at(travel: float) -> list[Violation]:
        home = {"lat": 55.0, "lon": 12.0}
        p = problem(
            [youth(location=home, max_travel_km=travel)],
            [opening("o", location={"lat": 56.0, "lon": 12.0})],
        )
        return broken(p, [("y", "o")])

    assert at(one_degree + 1e-6) == []
    [far] = at(one_degree - 1e-3)
    assert (far.rule, far.message) == ("too_far", "111.19 km from home, max_travel_km is 111.194")


def test_forbidden_pair() -> None:
    p = problem([youth()], [opening()], forbidden=[{"youth": "y", "opening": "o"}])
    assert rules(broken(p, [("y", "o")])) == [("forbidden", "y", "o")]


def test_a_pair_breaking_several_rules_names_them_all() -> None:
    violations = single(
        {"age": 13, "languages": []},
        shift("mon", "19:00", "21:30"),
        period="school",
        light_work=False,
        alcohol="food",
        requires={"languages": ["da"]},
    )
    assert sorted(v.rule for v in violations) == [
        "alcohol",
        "language",
        "legal_hours",
        "not_light_work",
        "working_window",
    ]


def two_jobs(
    first: list[dict[str, str]],
    second: list[dict[str, str]],
    period: str = "school",
    **youth_fields: Any,
) -> list[Violation]:
    """The violations when one youth holds two openings with these shifts."""
    fields = {"age": 14, "max_jobs": 2, **youth_fields}
    p = problem([youth(**fields)], [opening("o1", *first), opening("o2", *second)], period=period)
    return broken(p, [("y", "o1"), ("y", "o2")])


def test_day_cap_is_summed_over_all_placements() -> None:
    assert two_jobs([shift("mon", "15:00", "16:00")], [shift("mon", "16:00", "17:00")]) == []
    [over] = two_jobs([shift("mon", "15:00", "16:00")], [shift("mon", "16:00", "17:01")])
    assert rules([over]) == [("legal_hours", "y", None)]
    assert over.message == (
        "over all placements (o1, o2): 2:01 h on mon, over the 2:00 h a school day of group A"
    )


def test_week_cap_is_summed_over_all_placements() -> None:
    week = [shift(d, "16:00", "18:00") for d in ("mon", "tue", "wed", "thu")]
    assert two_jobs(week, [shift("sat", "10:00", "14:00")]) == []
    [over] = two_jobs(week, [shift("sat", "10:00", "14:01")])
    assert (over.rule, over.opening) == ("legal_hours", None)
    assert "12:01 h in the week" in over.message


def test_rest_and_days_off_span_placements() -> None:
    [rest] = two_jobs(
        [shift("sun", "18:00", "20:00")], [shift("mon", "09:59", "11:00")], period="holiday"
    )
    assert (rest.rule, rest.youth) == ("rest", "y")
    days = [shift(d, "10:00", "11:00") for d in ("mon", "tue", "wed")]
    [off] = two_jobs(
        days, [shift(d, "10:00", "11:00") for d in ("thu", "fri", "sat")], period="holiday"
    )
    assert off.rule == "legal_hours"
    assert "6 working days" in off.message


def test_a_rule_broken_by_one_placement_is_not_repeated_for_the_whole_week() -> None:
    violations = two_jobs([shift("mon", "15:00", "17:01")], [shift("tue", "15:00", "16:00")])
    assert rules(violations) == [("legal_hours", "y", "o1")]


def test_overlapping_shifts_of_two_placements() -> None:
    violations = two_jobs(
        [shift("sat", "10:00", "12:00")],
        [shift("sat", "11:59", "13:00")],
        age=16,
        in_compulsory_school=False,
    )
    assert rules(violations) == [("overlap", "y", None)]
    assert (
        violations[0].message == "shift sat 10:00-12:00 of o1 overlaps shift sat 11:59-13:00 of o2"
    )
    touching = two_jobs(
        [shift("sat", "10:00", "12:00")],
        [shift("sat", "12:00", "13:00")],
        age=16,
        in_compulsory_school=False,
    )
    assert touching == []


def test_positions_and_max_jobs() -> None:
    p = problem(
        [youth("a"), youth("b")], [opening("o1"), opening("o2", shift("sun", "10:00", "11:00"))]
    )
    assert rules(broken(p, [("a", "o1"), ("b", "o1")])) == [("positions", None, "o1")]
    assert rules(broken(p, [("a", "o1"), ("a", "o2")])) == [("max_jobs", "a", None)]


def test_every_fixed_pair_must_be_assigned() -> None:
    p = problem([youth("a"), youth("b")], [opening("o1")], fixed=[{"youth": "a", "opening": "o1"}])
    assert broken(p, [("a", "o1")]) == []
    [missing] = broken(p, [("b", "o1")])
    assert str(missing) == "fixed (youth 'a', opening 'o1'): the fixed pair is not assigned"


def test_youth_with_max_jobs_zero_may_not_be_placed() -> None:
    p = problem([youth(max_jobs=0)], [opening()])
    assert rules(broken(p, [("y", "o")])) == [("max_jobs", "y", None)]


def test_unknown_ids_and_duplicates() -> None:
    p = problem([youth()], [opening()])
    doc = solution_document(p, [("y", "o")])
    doc["assignments"] += [
        dict(doc["assignments"][0]),
        {**doc["assignments"][0], "youth": "ghost"},
        {**doc["assignments"][0], "opening": "nowhere"},
    ]
    assert rules(check(p, doc)) == [
        ("duplicate", "y", "o"),
        ("unknown_youth", "ghost", None),
        ("unknown_opening", "y", "nowhere"),
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], ["document: must be a JSON object, got a list"]),
        (
            {},
            [
                "document: solution.format is missing",
                "document: solution.status is missing",
                "document: solution.assignments is missing",
                "document: solution.objective is missing",
                "document: solution.unmatched is missing",
            ],
        ),
        (
            {
                "format": "jobmatch/1",
                "status": "done",
                "objective": [],
                "assignments": {},
                "unmatched": None,
                "stats": 3,
            },
            [
                "document: solution.format must be 'jobmatch-solution/1', got 'jobmatch/1'",
                "status: must be one of optimal, feasible, infeasible, got 'done'",
                "document: solution.stats must be an object, got a whole number",
                "document: solution.assignments must be a list, got an object",
                "document: solution.objective must be an object, got a list",
                "document: solution.unmatched must be a list, got null",
            ],
        ),
    ],
)
def test_malformed_documents_are_violations(document: Any, expected: list[str]) -> None:
    p = problem([], [opening()])
    assert [str(v) for v in check(p, document)] == expected


def test_malformed_entries_are_violations() -> None:
    p = problem([youth()], [opening()])
    doc = solution_document(p, [("y", "o")])
    doc["assignments"] = [
        7,
        {"youth": "y", "opening": "o", "score": "high", "missing_onboarding": [1]},
    ]
    doc["objective"]["matched"] = True
    doc["unmatched"] = ["y", {"youth": "z", "reasons": [{"code": "bored"}, 4]}]
    assert [str(v) for v in check(p, doc)] == [
        "document: assignments[0] must be an object, got a whole number",
        "document (youth 'y'): assignments[1].score must be a whole number, got a string",
        "document (youth 'y'): assignments[1].missing_onboarding must list strings",
        "document: objective.matched must be a whole number, got a boolean",
        "document: unmatched[0] must be an object, got a string",
        "unknown_youth (youth 'z'): unmatched[1] names unknown youth 'z'",
        "document (youth 'z'): unmatched[1].reasons[0].detail is missing",
        "reason_code (youth 'z'): unmatched[1].reasons[0].code 'bored' is not a spec reason code",
        "document (youth 'z'): unmatched[1].reasons[1] must be an object, got a whole number",
    ]


def test_objective_counts_distinct_youths_and_priorities() -> None:
    p = problem(
        [youth("a", priority=3, max_jobs=2), youth("b", priority=2)],
        [opening("o1"), opening("o2", shift("sun", "10:00", "11:00"))],
    )
    doc = solution_document(p, [("a", "o1"), ("a", "o2")])
    assert doc["objective"] == {"priority_matched": 3, "matched": 1, "score": 0}
    assert check(p, doc) == []
    doc["objective"] = {"priority_matched": 6, "matched": 2, "score": 1}
    assert [str(v) for v in check(p, doc)] == [
        "objective: objective.priority_matched is 6, the assignments give 3",
        "objective: objective.matched is 2, the assignments give 1",
        "objective: objective.score is 1, the assignments give 0",
    ]


def test_scores_follow_the_weights_and_buddies() -> None:
    p = load(
        {
            "format": "jobmatch/1",
            "youths": [
                youth("a", interests=["shop"], buddies=["b"], preferences=["o"]),
                youth("b", buddies=["a"]),
            ],
            "openings": [opening("o", category="shop", positions=2, preferences=["b", "a"])],
        }
    )
    # a: 1 + interest 30 + first of one 40 + second of two 20 * 1 // 2 + no steps 10;
    # b: 1 + 20 + 10;
    # each names the other, so each assignment earns a buddy's 15 on top.
    doc = solution_document(p, [("a", "o"), ("b", "o")], scores={("a", "o"): 106, ("b", "o"): 46})
    assert check(p, doc) == []
    doc["assignments"][1]["score"] = 47
    doc["objective"]["score"] += 1
    assert [str(v) for v in check(p, doc)] == [
        "score (youth 'b', opening 'o'): assignments[1].score is 47, the pair scores 46 "
        "(buddies at the same opening included)",
        "objective: objective.score is 153, the assignments give 152",
    ]


def test_missing_onboarding_in_the_openings_order() -> None:
    p = problem(
        [youth(onboarding=["mitid"])],
        [opening(onboarding_steps=["tax_card", "mitid", "bank_account"])],
    )
    doc = solution_document(p, [("y", "o")])
    assert doc["assignments"][0]["missing_onboarding"] == ["tax_card", "bank_account"]
    assert check(p, doc) == []
    doc["assignments"][0]["missing_onboarding"] = ["bank_account", "tax_card"]
    assert rules(check(p, doc)) == [("missing_onboarding", "y", "o")]


def test_unmatched_lists_exactly_the_unplaced_youths() -> None:
    p = problem([youth("a"), youth("b"), youth("c")], [opening()])
    doc = solution_document(p, [("a", "o")])
    assert [u["youth"] for u in doc["unmatched"]] == ["b", "c"]
    doc["unmatched"] = [
        {"youth": "a", "reasons": [{"code": "forbidden", "detail": "-"}]},
        {"youth": "b", "reasons": []},
        {"youth": "b", "reasons": [{"code": "too_far", "opening": "x", "detail": "-"}]},
    ]
    assert [str(v) for v in check(p, doc)] == [
        "unmatched (youth 'a'): unmatched[0] lists a youth who is placed",
        "unmatched (youth 'b'): unmatched[1].reasons is empty; say why",
        "unknown_opening (youth 'b', opening 'x'): unmatched[2].reasons[0] names unknown opening "
        "'x'",
        "unmatched (youth 'b'): the youth is listed 2 times",
        "unmatched (youth 'c'): the youth is not placed but not listed in unmatched",
    ]


def test_status_and_bound() -> None:
    p = problem([youth()], [opening()])
    doc = solution_document(p, [("y", "o")])
    doc["status"] = "feasible"
    assert [str(v) for v in check(p, doc)] == [
        "bound: a feasible (not proven optimal) solution must give its bound"
    ]
    doc["bound"] = {"priority_matched": 1, "matched": 1, "score": 0}
    assert check(p, doc) == []
    doc["bound"] = {"priority_matched": 0, "matched": 1, "score": 0}
    assert [v.rule for v in check(p, doc)] == ["bound"]


def test_a_correct_solution_passes() -> None:
    p = problem(
        [youth("a", age=14, max_jobs=2), youth("b", **GROUP_B), youth("c", **ADULT, max_jobs=2)],
        [
            opening("o1", shift("mon", "15:00", "17:00")),
            opening("o2", shift("sat", "10:00", "17:00")),
            opening(
                "o3",
                shift("fri", "20:00", "24:00"),
                workplace="culture",
                light_work=False,
                positions=2,
            ),
            opening("o4", shift("sun", "08:00", "21:00"), alcohol="bar", light_work=False),
        ],
        period="school",
    )
    doc = solution_document(p, [("a", "o1"), ("a", "o2"), ("b", "o3"), ("c", "o3"), ("c", "o4")])
    assert check(p, doc) == []


def sample_pairs() -> list[tuple[str, str, list[str]]]:
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    return [
        (name, *key.split(), codes)
        for name, sample in expected.items()
        for key, codes in sample["reasons"].items()
    ]


@pytest.fixture(scope="module")
def samples() -> dict[str, tuple[Problem, dict[tuple[str, str], int]]]:
    """Each example without its fixed pairs (so one pair alone can be a solution) and the
    library's scores of its eligible pairs."""
    result = {}
    for name in ("sample-holiday", "sample-school"):
        raw = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        p = load({key: value for key, value in raw.items() if key != "fixed"})
        eligibility = Eligibility(p)
        candidates = eligibility.candidates()
        scores = edge_scores(eligibility, candidates)
        result[name] = (
            p,
            {
                (p.youths[y].id, p.openings[o].id): int(s)
                for y, o, s in zip(candidates.youth, candidates.opening, scores, strict=True)
            },
        )
    return result


def test_checker_agrees_with_expected_json_on_every_pair(
    samples: dict[str, tuple[Problem, dict[tuple[str, str], int]]],
) -> None:
    pairs = sample_pairs()
    assert len(pairs) == 60 * 30 + 30 * 15
    disagreements = []
    for name, y, o, codes in pairs:
        p, scores = samples[name]
        found = {v.rule for v in check(p, solution_document(p, [(y, o)], scores))}
        if codes:  # the document's score and objective are not what is compared here
            found &= set(REASON_CODES)
        elif next(youth.max_jobs for youth in p.youths if youth.id == y) == 0:
            found -= {"max_jobs"}
        if found != set(codes):
            disagreements.append((name, y, o, codes, found))
    assert disagreements == []


def test_an_infeasible_solution_is_one_line_naming_the_clash() -> None:
    p = problem(
        [youth("a"), youth("b"), youth("c")],
        [opening("o1")],
        fixed=[{"youth": "a", "opening": "o1"}, {"youth": "b", "opening": "o1"}],
    )
    doc = {**solution_document(p, []), "status": "infeasible", "unmatched": []}
    assert [str(v) for v in check(p, doc)] == [
        "status: the solution is infeasible: the fixed pairs cannot all hold (positions "
        "(opening 'o1'): holds 2 youths, positions is 1)"
    ]


def test_a_wrong_claim_of_infeasibility() -> None:
    p = problem([youth("a")], [opening("o1")], fixed=[{"youth": "a", "opening": "o1"}])
    doc = {**solution_document(p, []), "status": "infeasible", "unmatched": []}
    assert [str(v) for v in check(p, doc)] == [
        "status: the solution says infeasible, but the fixed pairs hold together"
    ]


@settings(max_examples=50, deadline=None)
@given(problems())
def test_checker_agrees_with_eligibility_on_random_problems(document: dict[str, Any]) -> None:
    p = load({key: value for key, value in document.items() if key != "fixed"})
    eligibility = Eligibility(p)
    for y, youth in enumerate(p.youths):
        for o, opening in enumerate(p.openings):
            found = {
                v.rule
                for v in check(p, {"assignments": [{"youth": youth.id, "opening": opening.id}]})
            }
            assert sorted(found & set(REASON_CODES)) == eligibility.pair_reasons(y, o)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**30, -(10**4000), "x" * 5000])
    | st.floats()
    | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
PLACES = ((), ("assignments", 0), ("objective",), ("unmatched", 0), ("unmatched", 0, "reasons", 0))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(PLACES),
    st.text(max_size=8)
    | st.sampled_from(
        (
            "format",
            "status",
            "objective",
            "bound",
            "assignments",
            "unmatched",
            "stats",
            "youth",
            "opening",
            "score",
            "missing_onboarding",
            "reasons",
            "code",
            "detail",
            "matched",
        )
    ),
    JSON,
)
def test_any_malformed_document_gives_violations_not_a_traceback(
    place: tuple[Any, ...], key: str, value: Any
) -> None:
    p = problem([youth("a"), youth("b")], [opening("o")])
    doc = solution_document(p, [("a", "o")])
    doc["unmatched"][0]["reasons"][0]["opening"] = "o"
    target: Any = doc
    for step in place:
        target = target[step]
    target[key] = value
    assert all(isinstance(v, Violation) and str(v) for v in check(p, doc))
    assert check(p, value)  # no JSON value is a solution of its own


def test_buddies_sharing_two_openings_earn_their_points_at_each() -> None:
    weights = {**ZERO_WEIGHTS, "buddy": 15}
    youths = [youth("a", max_jobs=2, buddies=["b"]), youth("b", max_jobs=2)]
    openings = [
        opening("o1", positions=2),
        opening("o2", shift("sun", "10:00", "12:00"), positions=2),
    ]
    p = problem(youths, openings, weights=weights)
    pairs = [("a", "o1"), ("a", "o2"), ("b", "o1"), ("b", "o2")]
    doc = solution_document(p, pairs, scores={("a", "o1"): 15, ("a", "o2"): 15})
    assert doc["objective"]["score"] == 30
    assert check(p, doc) == []


@pytest.mark.parametrize(
    ("place", "key", "value", "shown"),
    [
        (("objective",), "score", 10**5000, "10**5000 or more"),
        (("bound",), "score", -(10**5000), "-10**5000 or less"),
        (("assignments", 0), "score", 10**5000, "10**5000 or more"),
    ],
    ids=["objective", "bound", "assignment"],
)
def test_a_number_of_5000_digits_is_a_violation(
    place: tuple[Any, ...], key: str, value: int, shown: str
) -> None:
    """Too long for `str()` (Python's 4,300 digits): a dict from a program may hold one."""
    p = problem([youth("a")], [opening("o")])
    doc = solution_document(p, [("a", "o")])
    doc["bound"] = dict(doc["objective"])
    target: Any = doc
    for step in place:
        target = target[step]
    target[key] = value
    assert any(shown in str(v) for v in check(p, doc))
