"""Each rule of the dk-2026 table at its exact edges, one youth and one opening at a time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import jobmatch
from tests.jobmatch.factories import document, opening, shift, youth


def codes(y: dict[str, Any], o: dict[str, Any], **top: Any) -> list[str]:
    problem = jobmatch.load(document([y], [o], **top))
    return jobmatch.reasons_for(problem, problem.youths[0], problem.openings[0])


SCHOOL_PUPIL = {"age": 14, "in_compulsory_school": True}


@pytest.mark.parametrize(
    ("end", "expected"),
    [("20:00", []), ("20:01", ["working_window"])],
)
def test_group_a_window_ends_at_20(end: str, expected: list[str]) -> None:
    o = opening(shifts=[shift("sat", "16:00", end)])
    assert codes(youth(**SCHOOL_PUPIL), o) == expected


@pytest.mark.parametrize(
    ("end", "expected"),
    [("17:00", []), ("17:01", ["legal_hours"])],
)
def test_two_hours_on_a_school_day(end: str, expected: list[str]) -> None:
    o = opening(shifts=[shift("tue", "15:00", end)])
    assert codes(youth(**SCHOOL_PUPIL), o, period="school") == expected


def test_a_school_day_cap_does_not_apply_in_a_holiday_week() -> None:
    o = opening(shifts=[shift("tue", "09:00", "15:00")])
    assert codes(youth(**SCHOOL_PUPIL), o, period="holiday") == []


def test_a_school_day_cap_does_not_apply_to_a_youth_out_of_compulsory_school() -> None:
    o = opening(shifts=[shift("tue", "10:00", "15:00")])
    assert codes(youth(age=15, in_compulsory_school=False), o) == []


@pytest.mark.parametrize(
    ("start", "expected"),
    [("10:00", []), ("09:59", ["rest"])],
)
def test_fourteen_hours_rest_for_group_a(start: str, expected: list[str]) -> None:
    o = opening(shifts=[shift("sat", "18:00", "20:00"), shift("sun", start, "12:00")])
    assert codes(youth(**SCHOOL_PUPIL), o) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [("08:00", []), ("07:59", ["rest"])],
)
def test_twelve_hours_rest_for_group_b(start: str, expected: list[str]) -> None:
    o = opening(shifts=[shift("sat", "18:00", "20:00"), shift("sun", start, "10:00")])
    assert codes(youth(), o) == expected


def test_rest_wraps_from_sunday_to_monday() -> None:
    o = opening(shifts=[shift("sun", "16:00", "20:00"), shift("mon", "06:00", "07:00")])
    assert codes(youth(), o) == ["rest"]


def test_at_most_five_working_days() -> None:
    days = ["mon", "tue", "wed", "thu", "fri", "sat"]
    five = opening(shifts=[shift(d, "16:00", "17:00") for d in days[:5]])
    six = opening(shifts=[shift(d, "16:00", "17:00") for d in days])
    assert codes(youth(), five) == []
    assert codes(youth(), six) == ["legal_hours"]


@pytest.mark.parametrize(
    ("end", "expected"),
    [("14:01", []), ("14:02", ["legal_hours"])],
)
def test_twelve_hours_in_a_school_week_for_a_pupil(end: str, expected: list[str]) -> None:
    weekend = [shift("sat", "08:00", "14:00"), shift("sun", "08:00", "13:59")]
    o = opening(shifts=[*weekend, shift("mon", "14:00", end)])
    assert codes(youth(**SCHOOL_PUPIL), o) == expected


@pytest.mark.parametrize(
    ("age", "end", "expected"),
    [(14, "15:00", []), (14, "15:01", ["legal_hours"]), (15, "16:00", [])],
)
def test_seven_or_eight_hours_on_other_days(age: int, end: str, expected: list[str]) -> None:
    o = opening(shifts=[shift("sat", "08:00", end)])
    y = youth(age=age, in_compulsory_school=True)
    assert codes(y, o, period="holiday") == expected


def test_an_adult_may_work_thirteen_hours_late_at_a_bar() -> None:
    o = opening(alcohol="bar", light_work=False, shifts=[shift("sat", "10:00", "23:00")])
    assert codes(youth(age=18), o) == []


@pytest.mark.parametrize(
    ("workplace", "start", "end", "expected"),
    [
        ("shop", "18:00", "22:00", []),
        ("shop", "18:00", "22:01", ["working_window"]),
        ("other", "18:00", "20:01", ["working_window"]),
        ("hotel_restaurant", "19:00", "24:00", []),
        ("culture", "19:00", "24:00", []),
        ("bakery", "04:00", "08:00", []),
        ("bakery", "03:59", "08:00", ["working_window"]),
        ("farm", "04:00", "08:00", []),
        ("newspaper_delivery", "05:00", "07:00", []),
        ("newspaper_delivery", "04:59", "07:00", ["working_window"]),
        ("office", "17:00", "22:00", []),
        ("service_station", "17:00", "22:00", []),
    ],
)
def test_group_b_windows_by_workplace(
    workplace: str, start: str, end: str, expected: list[str]
) -> None:
    o = opening(workplace=workplace, shifts=[shift("sat", start, end)])
    assert codes(youth(), o) == expected


def test_group_a_window_does_not_move_with_the_workplace() -> None:
    o = opening(workplace="bakery", shifts=[shift("sat", "04:00", "08:00")])
    assert codes(youth(**SCHOOL_PUPIL), o) == ["working_window"]


@pytest.mark.parametrize(
    ("in_school", "expected"),
    [(True, ["not_light_work"]), (False, [])],
)
def test_a_fifteen_year_old_in_and_out_of_compulsory_school(
    in_school: bool, expected: list[str]
) -> None:
    o = opening(light_work=False)
    assert codes(youth(age=15, in_compulsory_school=in_school), o) == expected


def test_compulsory_school_defaults_to_under_sixteen() -> None:
    o = opening(light_work=False)
    assert codes({"id": "y", "age": 15}, o) == ["not_light_work"]
    assert codes({"id": "y", "age": 16}, o) == []


@pytest.mark.parametrize(
    ("alcohol", "pupil", "adult_b"),
    [("none", [], []), ("food", ["alcohol"], []), ("bar", ["alcohol"], ["alcohol"])],
)
def test_alcohol(alcohol: str, pupil: list[str], adult_b: list[str]) -> None:
    o = opening(alcohol=alcohol)
    assert codes(youth(**SCHOOL_PUPIL), o) == pupil
    assert codes(youth(), o) == adult_b


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [("2012-03-01", []), ("2012-03-02", ["too_young"])],
)
def test_a_birthday_on_the_start_date_counts(birth_date: str, expected: list[str]) -> None:
    y = {"id": "y", "birth_date": birth_date}
    assert codes(y, opening(), start_date="2025-03-01") == expected


def test_a_birthday_moves_a_youth_from_group_a_to_group_b() -> None:
    o = opening(light_work=False)
    y = {"id": "y", "birth_date": "2010-03-01", "in_compulsory_school": False}
    assert codes(y, o, start_date="2025-03-01") == []
    assert codes(y, o, start_date="2025-02-28") == ["not_light_work"]


def test_under_thirteen_is_never_placed() -> None:
    assert codes(youth(age=12, in_compulsory_school=True), opening(min_age=0)) == ["too_young"]


def test_the_employers_own_age_bounds() -> None:
    o = opening(min_age=15, max_age=16)
    assert codes(youth(age=14, in_compulsory_school=True), o) == ["too_young"]
    assert codes(youth(age=17), o) == ["too_old"]


def test_availability_must_contain_every_shift() -> None:
    o = opening(shifts=[shift("sat", "10:00", "12:00"), shift("sun", "10:00", "12:00")])
    inside = youth(availability=[shift("sat", "09:00", "12:00"), shift("sun", "10:00", "12:00")])
    one_short = youth(availability=[shift("sat", "09:00", "12:00")])
    assert codes(inside, o) == []
    assert codes(one_short, o) == ["unavailable"]


def test_distance_language_certificate_exclusion_and_forbidden_pairs_all_reported() -> None:
    y = youth(location={"lat": 56.0, "lon": 9.0}, max_travel_km=5, exclude_employers=["e1"])
    o = opening(
        location={"lat": 56.1, "lon": 9.0},
        requires={"languages": ["de"], "certificates": ["hygiejnebevis"]},
    )
    forbidden = [{"youth": "y1", "opening": "o1"}]
    assert codes(y, o, forbidden=forbidden) == [
        "certificate",
        "excluded",
        "forbidden",
        "language",
        "too_far",
    ]


def test_distance_is_great_circle_on_a_6371_km_sphere() -> None:
    # 0.1 degree of latitude is 11.119 km on that sphere.
    near = youth(location={"lat": 56.0, "lon": 9.0}, max_travel_km=11.12)
    far = youth(location={"lat": 56.0, "lon": 9.0}, max_travel_km=11.11)
    o = opening(location={"lat": 56.1, "lon": 9.0})
    assert codes(near, o) == []
    assert codes(far, o) == ["too_far"]


def test_an_unknown_rule_table_is_named() -> None:
    with pytest.raises(jobmatch.ProblemError, match=r"options\.rules.*dk-2026"):
        jobmatch.load(document(options={"rules": "dk-1999"}))


def test_openings_judged_together_get_each_pair_its_own_codes() -> None:
    sat, sun = shift("sat", "10:00", "12:00"), shift("sun", "10:00", "12:00")
    openings = [
        opening("o1", shifts=[sat]),
        opening("o2", shifts=[sat, sun], employer="e2"),
        opening("o3", shifts=[sun], employer="e2"),
        opening("o4", shifts=[shift("sat", "09:00", "12:00"), sun]),
    ]
    youths = [
        youth("y1", availability=[sat, sun]),
        youth("y2", availability=[shift("sat", "09:00", "13:00")], exclude_employers=["e2"]),
        youth("y3", availability=[sun, shift("sat", "08:00", "12:00")]),
        youth("y4", exclude_employers=["e1", "e2"]),
    ]
    forbidden = [{"youth": "y3", "opening": "o2"}, {"youth": "y1", "opening": "o4"}]
    problem = jobmatch.load(document(youths, openings, forbidden=forbidden))
    eligibility = jobmatch.Eligibility(problem)
    masks = eligibility.reasons_at(np.arange(4), np.arange(4))
    for o, job in enumerate(problem.openings):
        for y, person in enumerate(problem.youths):
            together = sorted(code for code, mask in masks.items() if mask[o, y])
            assert together == jobmatch.reasons_for(problem, person, job), (person.id, job.id)
    assert masks["unavailable"].T.tolist() == [
        [False, False, False, True],
        [False, True, True, True],
        [False, False, False, False],
        [False, False, False, False],
    ]
    assert np.argwhere(masks["excluded"] | masks["forbidden"]).tolist() == [
        [0, 3], [1, 1], [1, 2], [1, 3], [2, 1], [2, 3], [3, 0], [3, 3],
    ]  # fmt: skip
