"""Bad documents are rejected with every issue named: location, record id and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import jobmatch
from tests.jobmatch.factories import document, opening, shift, youth


def issues(doc: Any) -> list[str]:
    """The issues as text; each has a known code and its record's id where it names one."""
    with pytest.raises(jobmatch.ProblemError) as caught:
        jobmatch.load(doc)
    found = caught.value.issues
    assert all(issue.code in jobmatch.ISSUE_CODES for issue in found)
    return [str(issue) for issue in found]


def test_a_valid_document_loads_with_the_spec_defaults() -> None:
    problem = jobmatch.load(document([{"id": "y", "age": 14}], [opening(kind="lommepengejob")]))
    y, o = problem.youths[0], problem.openings[0]
    assert (y.in_compulsory_school, y.priority, y.max_jobs, y.availability) == (True, 1, 1, None)
    assert (o.positions, o.min_age, o.alcohol, problem.period) == (1, 13, "none", "school")
    assert o.onboarding_steps == ("parental_consent",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"format": "jobmatch/2"}, "format: must be 'jobmatch/1'"),
        ({"period": "summer"}, "period: must be one of school, holiday; got 'summer'"),
        ({"start_date": "2025-02-30"}, "start_date: must be a date YYYY-MM-DD, got '2025-02-30'"),
        ({"youths": {}}, "youths: must be a list, got an object"),
        ({"surprise": 1}, "document.surprise: unknown key"),
        ({"weights": {"interest": -1}}, "weights.interest: must be from 0 to 10000, got -1"),
        ({"weights": {"charm": 3}}, "weights.charm: unknown key"),
        ({"options": {"time_limit_s": 0}}, "options.time_limit_s: must be from 0.001"),
    ],
)
def test_document_level_issues(change: dict[str, Any], expected: str) -> None:
    assert any(expected in line for line in issues({**document(), **change}))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"age": "15"}, "youths[0].age (id 'y1'): must be a whole number, got a string '15'"),
        ({"age": 15.0}, "youths[0].age (id 'y1'): must be a whole number, got a number 15.0"),
        ({"age": True}, "youths[0].age (id 'y1'): must be a whole number, got a boolean True"),
        ({"age": -1}, "youths[0].age (id 'y1'): must be from 0 to 120, got -1"),
        ({"priority": 0}, "youths[0].priority (id 'y1'): must be from 1 to 1000, got 0"),
        ({"max_jobs": -1}, "youths[0].max_jobs (id 'y1'): must be from 0 to 10, got -1"),
        ({"in_compulsory_school": "no"}, "youths[0].in_compulsory_school (id 'y1'): must be"),
        ({"max_travel_km": -2}, "youths[0].max_travel_km (id 'y1'): must be from 0"),
        ({"location": {"lat": 91, "lon": 9}}, "youths[0].location.lat (id 'y1'): must be from"),
        ({"languages": ["da", "da"]}, "youths[0].languages (id 'y1'): lists 'da' 2 times"),
        ({"languages": [3]}, "youths[0].languages[0] (id 'y1'): must be a non-empty string"),
        ({"preferences": ["o9"]}, "youths[0].preferences[0] (id 'y1'): names unknown opening"),
        ({"buddies": ["y1"]}, "youths[0].buddies (id 'y1'): lists the youth itself"),
        ({"buddies": ["zz"]}, "youths[0].buddies[0] (id 'y1'): names unknown youth 'zz'"),
        ({"nickname": "Al"}, "youths[0].nickname (id 'y1'): unknown key"),
        (
            {"availability": [shift("mon", "16:00", "15:00")]},
            "youths[0].availability[0].end (id 'y1'): must be after the start 16:00, got 15:00",
        ),
        (
            {"availability": [shift("mon", "24:00", "24:00")]},
            "youths[0].availability[0].start (id 'y1'): must be a time HH:MM from 00:00 to 23:59",
        ),
        (
            {"availability": [shift("mon", "9:00", "10:00")]},
            "youths[0].availability[0].start (id 'y1'): must be a time HH:MM",
        ),
        (
            {"availability": [shift("monday", "09:00", "10:00")]},
            "youths[0].availability[0].day (id 'y1'): must be one of mon, tue",
        ),
        (
            {"availability": [shift("mon", "09:00", "24:01")]},
            "youths[0].availability[0].end (id 'y1'): must be a time HH:MM from 00:00 to 24:00",
        ),
    ],
)
def test_youth_issues(fields: dict[str, Any], expected: str) -> None:
    assert expected in "\n".join(issues(document([youth(**fields)])))


def test_a_youth_needs_an_age_and_a_birth_date_needs_a_start_date() -> None:
    found = issues(document([{"id": "a"}, {"id": "b", "birth_date": "2010-01-01"}]))
    assert "youths[0] (id 'a'): needs age or birth_date" in found
    assert "youths[1].birth_date (id 'b'): needs the problem's start_date to compute an age" in (
        found
    )


def test_age_and_birth_date_must_agree() -> None:
    doc = document([youth(age=13, birth_date="2010-01-01")], start_date="2025-01-01")
    assert "youths[0].age (id 'y1'): is 13 but birth_date gives 15 on 2025-01-01" in issues(doc)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"employer": ""}, "openings[0].employer (id 'o1'): must not be empty"),
        ({"positions": 0}, "openings[0].positions (id 'o1'): must be from 1 to 10000, got 0"),
        ({"max_age": 12}, "openings[0].max_age (id 'o1'): must not be below min_age 13"),
        ({"kind": "job"}, "openings[0].kind (id 'o1'): must be one of fritidsjob, lommepengejob"),
        ({"workplace": "bar"}, "openings[0].workplace (id 'o1'): must be one of shop"),
        ({"alcohol": "yes"}, "openings[0].alcohol (id 'o1'): must be one of none, food, bar"),
        ({"shifts": []}, "openings[0].shifts (id 'o1'): must not be empty"),
        ({"requires": {"skills": []}}, "openings[0].requires.skills (id 'o1'): unknown key"),
        ({"preferences": ["nobody"]}, "openings[0].preferences[0] (id 'o1'): names unknown youth"),
        (
            {"shifts": [shift("sat", "10:00", "12:00"), shift("sat", "11:59", "13:00")]},
            "openings[0].shifts[1] (id 'o1'): overlaps the shift sat 10:00-12:00",
        ),
    ],
)
def test_opening_issues(fields: dict[str, Any], expected: str) -> None:
    assert expected in "\n".join(issues(document(openings=[opening(**fields)])))


def test_touching_shifts_do_not_overlap() -> None:
    shifts = [shift("sat", "10:00", "12:00"), shift("sat", "12:00", "13:00")]
    problem = jobmatch.load(document(openings=[opening(shifts=shifts)]))
    assert problem.openings[0].shifts == (jobmatch.Shift(5, 600, 720), jobmatch.Shift(5, 720, 780))


def test_equal_shifts_are_read_as_one_object() -> None:
    saturday = shift("sat", "10:00", "14:00")
    problem = jobmatch.load(
        document([youth("y1", availability=[saturday]), youth("y2", availability=[saturday])])
    )
    (first,), (second,) = (y.availability or () for y in problem.youths)
    assert first is second is problem.openings[0].shifts[0]
    assert first == jobmatch.Shift(5, 10 * 60, 14 * 60)


def test_a_shift_read_before_is_checked_again_where_it_is_written_otherwise() -> None:
    good, bad = shift("sat", "10:00", "12:00"), shift("sat", "12:00", "10:00")
    youths = [
        youth("y1", availability=[good]),
        youth("y2", availability=[good, {**good, "note": "x"}]),
        youth("y3", availability=[bad]),
        youth("y4", availability=[good, bad, {**good, "end": 12}]),
    ]
    assert issues(document(youths)) == [
        "youths[1].availability[1].note (id 'y2'): unknown key; allowed keys: day, end, start",
        "youths[2].availability[0].end (id 'y3'): must be after the start 12:00, got 10:00",
        "youths[3].availability[1].end (id 'y4'): must be after the start 12:00, got 10:00",
        "youths[3].availability[2].end (id 'y4'): must be a time HH:MM from 00:00 to 24:00, "
        "got 12",
    ]


def test_an_opening_without_shifts_or_employer() -> None:
    found = issues(document(openings=[{"id": "o1"}]))
    assert "openings[0].employer (id 'o1'): is required" in found
    assert "openings[0].shifts (id 'o1'): is required" in found


def test_a_shift_without_its_day_start_or_end_names_each_as_required() -> None:
    found = issues(document(openings=[opening("o1", shifts=[{"day": "mon"}, {"start": "10:00"}])]))
    assert "openings[0].shifts[0].start (id 'o1'): is required" in found
    assert "openings[0].shifts[0].end (id 'o1'): is required" in found
    assert "openings[0].shifts[1].day (id 'o1'): is required" in found
    assert not any("object at" in issue for issue in found)


def test_duplicate_ids_name_both_places() -> None:
    found = issues(document([youth("a"), youth("a")], [opening("o"), opening("o")]))
    assert any(
        line.startswith("youths[1].id (id 'a'): repeats the id of youths[0]") for line in found
    )
    assert any(line.startswith("openings[1].id (id 'o'): repeats") for line in found)


def test_pairs_must_name_known_records_once() -> None:
    pair = {"youth": "y1", "opening": "o1"}
    found = issues(
        document(
            fixed=[pair, pair, {"youth": "zz", "opening": "o1"}],
            forbidden=[pair, {"youth": "y1", "opening": "o9"}],
        )
    )
    assert "fixed[1] (id 'y1'): repeats the pair y1/o1" in found
    assert "fixed[2].youth (id 'zz'): names unknown youth 'zz'" in found
    assert "forbidden[1].opening (id 'y1'): names unknown opening 'o9'" in found
    assert "fixed (id 'y1'): the pair y1/o1 is both fixed and forbidden" in found


def test_a_fixed_pair_that_is_not_eligible_names_the_rules() -> None:
    doc = document(
        [youth(age=14, in_compulsory_school=True)],
        [opening(light_work=False)],
        fixed=[{"youth": "y1", "opening": "o1"}],
    )
    assert issues(doc) == [
        "fixed[0] (id 'y1'): the pair y1/o1 is not eligible: breaks not_light_work"
    ]


def test_every_issue_is_reported_not_only_the_first() -> None:
    doc = document(
        [youth(age="x"), youth("y2", priority=0)],
        [opening(positions=0), opening("o2", alcohol="wine")],
    )
    assert len(issues(doc)) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "must hold a JSON object, got a list"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "problem.json"
    path.write_text(text)
    assert expected in issues(path)[0]


def test_a_missing_file() -> None:
    assert issues("/nonexistent/problem.json") == ["/nonexistent/problem.json: no such file"]


def test_a_solution_round_trips_through_json() -> None:
    solution = jobmatch.solve(jobmatch.load(document()))
    data = json.loads(jobmatch.dumps(solution))
    assert data["format"] == "jobmatch-solution/1"
    assert data["assignments"] == [
        {"youth": "y1", "opening": "o1", "score": solution.assignments[0].score,
         "missing_onboarding": ["bank_account", "mitid", "tax_card"]}
    ]  # fmt: skip
