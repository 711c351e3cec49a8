"""`jobmatch.placement_reasons`: one more job for a youth, judged with the jobs held."""

from __future__ import annotations

import jobmatch
from tests.jobmatch.factories import document, opening, shift, youth


def _problem(*openings: dict[str, object], **fields: object) -> jobmatch.Problem:
    return jobmatch.load(document([youth(max_jobs=3, **fields)], list(openings)))


def test_an_eligible_job_beside_none_has_no_reasons() -> None:
    problem = _problem(opening())
    assert jobmatch.placement_reasons(problem, "y1", "o1") == []


def test_the_pairs_own_reasons_come_from_reasons_for() -> None:
    problem = _problem(opening(min_age=18, light_work=False), age=13, in_compulsory_school=True)
    codes = jobmatch.placement_reasons(problem, "y1", "o1")
    assert codes == jobmatch.reasons_for(problem, problem.youths[0], problem.openings[0])
    assert "too_young" in codes


def test_shifts_at_the_same_time_as_a_held_job_overlap() -> None:
    problem = _problem(opening("o1"), opening("o2", employer="e2"))
    assert jobmatch.placement_reasons(problem, "y1", "o2") == []
    assert jobmatch.placement_reasons(problem, "y1", "o2", held=["o1"]) == ["overlap"]


def test_the_day_over_every_held_job_keeps_the_hours() -> None:
    """A 13-year-old in school may work 2 hours on a school day: 1.5 and 1 hours are too many."""
    first = opening("o1", shifts=[shift("mon", "15:00", "16:30")])
    second = opening("o2", employer="e2", shifts=[shift("mon", "17:00", "18:00")])
    problem = _problem(first, second, age=13, in_compulsory_school=True)
    assert jobmatch.placement_reasons(problem, "y1", "o2") == []
    assert jobmatch.placement_reasons(problem, "y1", "o2", held=["o1"]) == ["legal_hours"]
