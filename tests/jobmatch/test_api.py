"""The public helpers (distance, limits, ages, times), issue fields and the named errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import jobmatch
from jobmatch.check import check
from jobmatch.check import distance_km as checker_distance_km
from jobmatch.jsonkinds import kind_of

from .factories import document, opening, solution_document, youth


def issues_of(doc: dict[str, Any]) -> tuple[jobmatch.Issue, ...]:
    with pytest.raises(jobmatch.ProblemError) as raised:
        jobmatch.load(doc)
    return raised.value.issues


def test_an_unknown_method_is_refused_by_name() -> None:
    problem = jobmatch.load(document())
    with pytest.raises(jobmatch.UnknownMethodError) as raised:
        jobmatch.solve(problem, method="greedy")
    assert isinstance(raised.value, jobmatch.JobmatchError)
    assert (raised.value.method, raised.value.known) == ("greedy", jobmatch.METHODS)
    assert str(raised.value) == "unknown method 'greedy'; known methods: optimal, stable"


def test_a_bad_fixed_pair_is_found_by_its_fields() -> None:
    doc = document(
        [youth("y1"), youth("y2", age=12, in_compulsory_school=True)],
        [opening()],
        fixed=[{"youth": "y1", "opening": "o1"}, {"youth": "y2", "opening": "o1"}],
    )
    [issue] = issues_of(doc)
    assert (issue.location, issue.record_id, issue.code) == (
        "fixed[1]",
        "y2",
        "fixed_not_eligible",
    )
    assert issue.path == ("fixed", 1)
    assert issue.message == "the pair y2/o1 is not eligible: breaks too_young"


def test_issues_carry_location_record_and_code() -> None:
    doc = document(
        [youth(age="14"), youth("y2", shifts=[])],
        [opening(shifts=[{"day": "sat", "start": "10:00", "end": "25:00"}])],
    )
    found = [(i.path, i.record_id, i.code) for i in issues_of(doc)]
    assert found == [
        (("youths", 0, "age"), "y1", "wrong_type"),
        (("youths", 1, "shifts"), "y2", "unknown_key"),
        (("openings", 0, "shifts", 0, "end"), "o1", "bad_time"),
    ]
    assert all(code in jobmatch.ISSUE_CODES for _, _, code in found)


def test_an_unreadable_file_is_an_issue(tmp_path: Any) -> None:
    path = tmp_path / "p.json"
    path.write_text("{")
    with pytest.raises(jobmatch.ProblemError) as raised:
        jobmatch.load(path)
    [issue] = raised.value.issues
    assert (issue.location, issue.record_id, issue.code) == (str(path), None, "unreadable")


def test_the_distance_agrees_with_the_validators_own() -> None:
    a, b = jobmatch.Location(55.6761, 12.5683), jobmatch.Location(56.1629, 10.2039)
    assert jobmatch.distance_km(a, b) == pytest.approx(checker_distance_km(a, b), rel=1e-12)
    assert 156 < jobmatch.distance_km(a, b) < 157  # Copenhagen to Aarhus
    assert jobmatch.distance_km(a, a) == 0.0


@pytest.mark.parametrize(("spare_mm", "eligible"), [(-0.5, True), (0.0, True), (-2.0, False)])
def test_the_travel_limit_has_the_specs_tolerance(spare_mm: float, eligible: bool) -> None:
    home, work = {"lat": 55.0, "lon": 12.0}, {"lat": 55.01, "lon": 12.0}
    km = jobmatch.distance_km(jobmatch.Location(**home), jobmatch.Location(**work))
    limit = km + spare_mm / 1e6
    problem = jobmatch.load(
        document([youth(location=home, max_travel_km=limit)], [opening(location=work)])
    )
    solution = jobmatch.solve(problem)
    assert bool(solution.assignments) is eligible
    assert check(problem, jobmatch.solution_to_dict(solution)) == []
    by_hand = check(problem, solution_document(problem, [("y1", "o1")]))
    assert ("too_far" in {v.rule for v in by_hand}) is not eligible


def test_a_youths_limits_under_a_rule_table() -> None:
    problem = jobmatch.load(
        document(
            [
                youth("y1", age=14, in_compulsory_school=True),
                youth("y2", age=12, in_compulsory_school=True),
            ]
        )
    )
    young, too_young = problem.youths
    school = jobmatch.youth_limits(young)
    holiday = jobmatch.youth_limits(young, school_week=False)
    assert (school.group, school.day_cap(0), school.day_cap(5), school.week_minutes) == (
        "A",
        120,
        7 * 60,
        12 * 60,
    )
    assert (holiday.day_cap(0), holiday.week_minutes) == (7 * 60, 35 * 60)
    assert jobmatch.youth_limits(too_young, rules="dk-2026") is school
    with pytest.raises(jobmatch.UnknownRulesError):
        jobmatch.youth_limits(young, rules="dk-1900")


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        ("2010-06-15", "2026-06-14", 15),
        ("2010-06-15", "2026-06-15", 16),
        ("2012-02-29", "2026-02-28", 13),
        ("2012-02-29", "2026-03-01", 14),
        ("2012-02-29", "2028-02-29", 16),
    ],
)
def test_age_in_whole_years(birth: str, day: str, age: int) -> None:
    assert jobmatch.age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(day)) == age


@pytest.mark.parametrize(
    ("day", "years", "birth"),
    [
        ("2026-06-15", 16, "2010-06-15"),
        ("2028-02-29", 4, "2024-02-29"),
        ("2028-02-29", 1, "2027-02-28"),
        ("2026-03-01", 14, "2012-03-01"),
    ],
)
def test_years_before_is_a_birth_date_of_that_age(day: str, years: int, birth: str) -> None:
    on = dt.date.fromisoformat(day)
    assert jobmatch.years_before(on, years) == dt.date.fromisoformat(birth)
    assert jobmatch.age_on(jobmatch.years_before(on, years), on) == years


@pytest.mark.parametrize(("text", "minutes"), [("00:00", 0), ("07:05", 425), ("23:59", 1439)])
def test_times_parse_and_format_both_ways(text: str, minutes: int) -> None:
    assert jobmatch.parse_time(text) == minutes
    assert jobmatch.format_time(minutes) == text


def test_midnight_is_24_00_only_as_an_end() -> None:
    assert jobmatch.parse_time("24:00", end=True) == 1440
    assert jobmatch.format_time(1440) == "24:00"
    with pytest.raises(ValueError, match="24:00 only as an end"):
        jobmatch.parse_time("24:00")


@pytest.mark.parametrize("text", ["7:05", "07:60", "24:01", "ab:cd", "", "07:05 "])
def test_malformed_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="must be a time HH:MM"):
        jobmatch.parse_time(text, end=True)


@pytest.mark.parametrize(
    ("value", "kind"),
    [(True, "a boolean"), (15, "a whole number"), (15.0, "a number"), ("15", "a string"),
     (None, "null"), ([], "a list"), ({}, "an object")],
)  # fmt: skip
def test_the_reader_and_the_validator_name_a_value_alike(value: Any, kind: str) -> None:
    assert kind_of(value) == kind
    problem = jobmatch.load(document())
    solution = solution_document(problem, [("y1", "o1")])
    solution["assignments"][0]["score"] = value
    from_checker = [str(v) for v in check(problem, solution) if "score must" in str(v)]
    doc = document(openings=[opening(positions=value)])
    if kind == "a whole number":
        assert from_checker == []
        assert jobmatch.load(doc).openings[0].positions == 15
        return
    assert from_checker == [
        f"document (youth 'y1'): assignments[0].score must be a whole number, got {kind}"
    ]
    [issue] = issues_of(doc)
    assert issue.message == f"must be a whole number, got {kind} {value!r}"
