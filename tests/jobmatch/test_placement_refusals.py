"""`jobmatch.placement_refusals`: the codes of `placement_reasons`, each with its figures."""

from __future__ import annotations

import jobmatch
from tests.jobmatch.factories import document, opening, shift, youth


def _problem(*openings: dict[str, object], **fields: object) -> jobmatch.Problem:
    return jobmatch.load(document([youth(max_jobs=3, **fields)], list(openings)))


def test_an_allowed_placement_has_no_refusals() -> None:
    assert jobmatch.placement_refusals(_problem(opening()), "y1", "o1") == []


def test_the_pairs_own_rules_carry_the_pairs_figures() -> None:
    evening = opening(
        min_age=15, light_work=False, shifts=[shift("mon", "18:00", "21:00")], positions=2
    )
    problem = _problem(evening, age=13, in_compulsory_school=True)
    refusals = jobmatch.placement_refusals(problem, "y1", "o1")
    assert [r.code for r in refusals] == jobmatch.placement_reasons(problem, "y1", "o1")
    facts = {r.code: r.facts for r in refusals}
    assert facts["too_young"] == jobmatch.TooYoung(2, 13, 15)
    window = facts["working_window"]
    assert isinstance(window, jobmatch.OutsideWindow)
    assert (window.window_start, window.window_end) == (6 * 60, 20 * 60)
    assert not any(r.week for r in refusals)


def test_unavailable_names_the_shifts_outside_the_windows() -> None:
    problem = _problem(
        opening(shifts=[shift("sat", "10:00", "14:00"), shift("sun", "10:00", "12:00")]),
        availability=[shift("sat", "09:00", "15:00")],
    )
    (refusal,) = jobmatch.placement_refusals(problem, "y1", "o1")
    assert refusal.code == "unavailable"
    assert isinstance(refusal.facts, jobmatch.Unavailable)
    assert [str(s) for s in refusal.facts.shifts] == ["sun 10:00-12:00"]


def test_the_week_over_the_jobs_held_gives_the_weeks_figures() -> None:
    """A 13-year-old in a school week may work 12 hours: 2 x 2 + 3 x 2 + 4 hours are 14."""
    held = opening("o1", shifts=[shift(d, "15:00", "17:00") for d in ("mon", "tue")])
    more = opening(
        "o2",
        employer="e2",
        shifts=[shift(d, "15:00", "17:00") for d in ["wed", "thu", "fri"]]
        + [shift("sat", "10:00", "14:00")],
    )
    problem = _problem(held, more, age=13, in_compulsory_school=True)
    assert jobmatch.placement_refusals(problem, "y1", "o2") == []
    (refusal,) = jobmatch.placement_refusals(problem, "y1", "o2", held=["o1"])
    assert refusal.code == "legal_hours"
    assert refusal.week
    assert refusal.facts == jobmatch.OverHours(1, "week", None, 14 * 60, 12 * 60, 14 * 60, "A")


def test_the_rest_and_the_overlap_of_two_jobs() -> None:
    late = opening("o1", workplace="shop", shifts=[shift("fri", "18:00", "20:00")])
    early = opening("o2", employer="e2", shifts=[shift("sat", "06:00", "08:00")])
    same = opening("o3", employer="e3", shifts=[shift("fri", "18:30", "19:00")])
    problem = _problem(late, early, same, age=14, in_compulsory_school=True)
    (rest,) = jobmatch.placement_refusals(problem, "y1", "o2", held=["o1"])
    assert rest.code == "rest"
    assert rest.week
    assert rest.facts == jobmatch.ShortRest(1, 10 * 60, 14 * 60, 4, 5, "A")
    codes = {r.code: r for r in jobmatch.placement_refusals(problem, "y1", "o3", held=["o1"])}
    assert codes["overlap"].facts is None
