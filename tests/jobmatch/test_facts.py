"""The typed facts of every reason code, against figures computed here or by the validator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import jobmatch
from jobmatch.check import distance_km as checker_distance_km
from jobmatch.check import pair_score
from jobmatch.check import youth_limits as checker_limits
from jobmatch.facts import (
    AlcoholServed,
    Excluded,
    Forbidden,
    Holder,
    Missing,
    MoreTaken,
    NoOpenings,
    NotLightWork,
    NotLooking,
    OutsideWindow,
    OverHours,
    PairFacts,
    PositionsTaken,
    RuledOut,
    ShortRest,
    TooFar,
    TooManyDays,
    TooOld,
    TooYoung,
    Unavailable,
)
from jobmatch.rules import rule_table
from jobmatch.sentences import detail

from .factories import document, opening, shift, youth

DEMO = Path(__file__).parents[2] / "jobmatch" / "data" / "demo-problem.json"
SAT = 5
HOME = {"lat": 55.0, "lon": 12.0}
WORK = {"lat": 55.1, "lon": 12.0}  # about 11 km north of HOME


def reasons_of(doc: dict[str, Any], youth_id: str = "y1") -> tuple[jobmatch.Reason, ...]:
    solution = jobmatch.solve(jobmatch.load(doc))
    [entry] = [u for u in solution.unmatched if u.youth == youth_id]
    return entry.reasons


def near_miss(doc: dict[str, Any], code: str) -> PairFacts:
    """The facts of the one-rule miss of y1 at o1, whose sentence they write."""
    [found] = [r for r in reasons_of(doc) if r.code == code and r.opening == "o1"]
    assert isinstance(found.facts, PairFacts)
    assert found.detail == detail(code, found.facts)
    return found.facts


def school_youth(age: int = 14, **fields: Any) -> dict[str, Any]:
    return youth(age=age, in_compulsory_school=True, **fields)


def limits_of(doc: dict[str, Any]) -> jobmatch.Limits:
    problem = jobmatch.load(doc)
    limits = checker_limits(rule_table(), problem.youths[0], problem.period == "school")
    assert limits is not None
    return limits


@pytest.mark.parametrize(
    ("record", "job", "code", "expected"),
    [
        (school_youth(12), opening(), "too_young", TooYoung(1, 12, 13)),
        (school_youth(14), opening(min_age=15), "too_young", TooYoung(1, 14, 15)),
        (youth(age=17), opening(max_age=16), "too_old", TooOld(1, 17, 16)),
        (school_youth(), opening(light_work=False), "not_light_work", NotLightWork(1, "A")),
        (youth(), opening(alcohol="bar"), "alcohol", AlcoholServed(1, "bar", "B")),
        (youth(certificates=["first_aid"]),
         opening(requires={"certificates": ["hygiejnebevis", "first_aid"]}),
         "certificate", Missing(1, ("hygiejnebevis",))),
        (youth(languages=["da"]), opening(requires={"languages": ["da", "en", "ar"]}),
         "language", Missing(1, ("en", "ar"))),
        (youth(exclude_employers=["e1"]), opening(), "excluded", Excluded(1, "e1")),
    ],
)  # fmt: skip
def test_the_facts_of_a_rule_on_the_records(
    record: dict[str, Any], job: dict[str, Any], code: str, expected: PairFacts
) -> None:
    assert near_miss(document([record], [job]), code) == expected


def test_forbidden() -> None:
    doc = document(forbidden=[{"youth": "y1", "opening": "o1"}])
    assert near_miss(doc, "forbidden") == Forbidden(1)


def test_unavailable_names_the_shifts_outside_the_windows() -> None:
    shifts = [shift("fri", "16:00", "18:00"), shift("sat", "10:00", "14:00")]
    record = youth(availability=[shift("fri", "15:00", "19:00"), shift("sat", "10:00", "12:00")])
    facts = near_miss(document([record], [opening(shifts=shifts)]), "unavailable")
    assert facts == Unavailable(1, (jobmatch.Shift(SAT, 10 * 60, 14 * 60),))


def test_the_working_window_is_the_groups_at_the_workplace() -> None:
    doc = document(
        [youth()], [opening(workplace="other", shifts=[shift("sat", "19:00", "21:00")])]
    )
    start, end = limits_of(doc).window("other") or (0, 0)
    facts = near_miss(doc, "working_window")
    assert facts == OutsideWindow(1, (jobmatch.Shift(SAT, 19 * 60, 21 * 60),), start, end, "B")
    assert (start, end) == (6 * 60, 20 * 60)


def test_hours_over_the_cap_of_a_day() -> None:
    doc = document([youth()], [opening(shifts=[shift("sat", "08:00", "17:00")])])
    cap = limits_of(doc).day_cap(SAT)
    facts = near_miss(doc, "legal_hours")
    assert facts == OverHours(1, "day", SAT, 9 * 60, cap, 9 * 60, "B")
    assert cap == 8 * 60


def test_hours_over_the_cap_of_a_school_day() -> None:
    doc = document([school_youth()], [opening(shifts=[shift("mon", "15:00", "18:00")])])
    cap = limits_of(doc).day_cap(0)
    assert near_miss(doc, "legal_hours") == OverHours(1, "school_day", 0, 180, cap, 180, "A")
    assert cap == 2 * 60


def test_hours_over_the_cap_of_a_week() -> None:
    shifts = [shift("sat", "10:00", "17:00"), shift("sun", "10:00", "17:00")]
    doc = document([school_youth()], [opening(shifts=shifts)])
    cap = limits_of(doc).week_minutes
    assert near_miss(doc, "legal_hours") == OverHours(1, "week", None, 14 * 60, cap, 14 * 60, "A")
    assert cap == 12 * 60


def test_too_many_working_days() -> None:
    days = ["mon", "tue", "wed", "thu", "fri", "sat"]
    doc = document([youth()], [opening(shifts=[shift(d, "10:00", "12:00") for d in days])])
    limit = limits_of(doc).max_days
    assert near_miss(doc, "legal_hours") == TooManyDays(1, 6, 5, 12 * 60, "B")
    assert limit == 5


def test_rest_between_two_working_days() -> None:
    shifts = [shift("fri", "16:00", "20:00"), shift("sat", "06:00", "10:00")]
    doc = document([youth()], [opening(shifts=shifts)])
    needed = limits_of(doc).rest_minutes
    assert near_miss(doc, "rest") == ShortRest(1, 10 * 60, needed, 4, SAT, "B")
    assert needed == 12 * 60


def test_too_far_gives_the_distance_and_the_limit() -> None:
    doc = document([youth(location=HOME, max_travel_km=5)], [opening(location=WORK)])
    facts = near_miss(doc, "too_far")
    expected = checker_distance_km(jobmatch.Location(55.0, 12.0), jobmatch.Location(55.1, 12.0))
    assert isinstance(facts, TooFar)
    assert facts.distance_km == pytest.approx(expected, rel=1e-12)
    assert (facts.free_positions, facts.limit_km) == (1, 5.0)
    assert 11.1 < facts.distance_km < 11.2


def test_a_job_far_beyond_the_limit_is_no_near_miss() -> None:
    """Only jobs at most `NEAR_MISS_KM` (10 km) beyond the youth's limit are listed as
    near misses, whichever way they lie; the rest are counted in the summary."""
    east = {"lat": 55.0, "lon": 12.5}  # about 32 km east, at the same latitude
    north = {"lat": 55.2, "lon": 12.0}  # about 22 km north
    doc = document(
        [youth(location=HOME, max_travel_km=2)],
        [opening("o1", location=WORK), opening("o2", location=north),
         opening("o3", location=east)],
    )  # fmt: skip
    reasons = reasons_of(doc)
    assert [r.opening for r in reasons if r.code == "too_far" and r.opening] == ["o1"]
    assert [r.facts for r in reasons if r.opening is None] == [RuledOut(3, 3, 2.0)]


def test_near_misses_of_youths_with_other_limits_side_by_side() -> None:
    """The limit plus `NEAR_MISS_KM` is each youth's own, and a pair that breaks another
    rule only stays a near miss beside pairs that are too far."""
    east, north = {"lat": 55.0, "lon": 12.5}, {"lat": 55.2, "lon": 12.0}  # 32 and 22 km
    doc = document(
        [youth("y1", age=17, location=HOME, max_travel_km=2),
         youth("y2", location=HOME, max_travel_km=15)],
        [opening("o1", location=WORK, min_age=17), opening("o2", location=north),
         opening("o3", location=east)],
    )  # fmt: skip
    solution = jobmatch.solve(jobmatch.load(doc))
    misses = {
        entry.youth: [(r.code, r.opening) for r in entry.reasons if r.opening]
        for entry in solution.unmatched
    }
    assert misses == {"y1": [("too_far", "o1")], "y2": [("too_young", "o1"), ("too_far", "o2")]}


def test_youths_alike_share_their_reasons() -> None:
    """Each distinct reason is made once: a dense city's youths repeat most of them."""
    sunday = shift("sun", "10:00", "12:00")
    twins = [youth(f"y{i}", age=17, availability=[sunday]) for i in (1, 2)]
    doc = document(twins, [opening("o1", max_age=16, shifts=[sunday]), opening("o2")])
    first, second = jobmatch.solve(jobmatch.load(doc)).unmatched
    assert [(r.code, r.opening) for r in first.reasons] == [
        ("too_old", "o1"), ("unavailable", "o2"), ("too_old", None), ("unavailable", None),
    ]  # fmt: skip
    assert all(a is b for a, b in zip(first.reasons, second.reasons, strict=True))


def test_a_near_miss_at_a_full_opening_has_no_free_position() -> None:
    doc = document([youth("y1", age=17), youth("y2")], [opening(max_age=16)])
    assert near_miss(doc, "too_old") == TooOld(0, 17, 16)
    assert reasons_of(doc)[0].detail.endswith("but the positions are taken")


def test_summaries_count_the_openings_each_rule_rules_out() -> None:
    far = [opening(f"o{i}", location=WORK) for i in range(3)]
    near = [opening(f"o{i}", min_age=17) for i in range(3, 5)]
    doc = document([youth(location=HOME, max_travel_km=5)], far + near)
    summaries = {r.code: r.facts for r in reasons_of(doc) if r.opening is None}
    assert summaries == {"too_far": RuledOut(3, 5, 5.0), "too_young": RuledOut(2, 2)}


def test_positions_taken_names_the_holders_and_why() -> None:
    doc = document([youth("y1"), youth("y2", priority=2)], [opening()])
    problem = jobmatch.load(doc)
    [taken] = [r for r in reasons_of(doc) if r.code == "positions_taken"]
    y1, y2 = problem.youths
    score = pair_score(problem, y1, problem.openings[0])
    holder = Holder("y2", 2, pair_score(problem, y2, problem.openings[0]))
    assert taken.opening == "o1"
    assert taken.facts == PositionsTaken(score, 1, (holder,), "higher")
    assert taken.detail.endswith("went to y2 (priority 2, score 1): they have a higher priority")


@pytest.mark.parametrize(("own", "why"), [(1, "same"), (2, "mixed")])
def test_why_a_fixed_holder_came_first(own: int, why: str) -> None:
    doc = document(
        [youth("y1", priority=own), youth("y2")],
        [opening()],
        fixed=[{"youth": "y2", "opening": "o1"}],
    )
    [taken] = [r.facts for r in reasons_of(doc) if isinstance(r.facts, PositionsTaken)]
    assert (taken.why, [h.youth for h in taken.holders]) == (why, ["y2"])


def test_more_full_openings_than_listed_are_counted() -> None:
    openings = [opening(f"o{i}") for i in range(12)]
    youths = [youth("y0")] + [youth(f"h{i}", priority=2) for i in range(12)]
    reasons = reasons_of(document(youths, openings), "y0")
    assert [r.facts for r in reasons if r.opening is None] == [MoreTaken(2)]
    assert sum(isinstance(r.facts, PositionsTaken) for r in reasons) == 10


def test_no_openings_and_not_looking() -> None:
    assert [r.facts for r in reasons_of(document(openings=[]))] == [NoOpenings()]
    assert [r.facts for r in reasons_of(document([youth(max_jobs=0)]))] == [NotLooking()]


def test_every_reason_of_the_demo_has_facts_of_its_code() -> None:
    problem = jobmatch.load(DEMO)
    solution = jobmatch.solve(problem, time_limit_s=5)
    kinds = {
        "too_young": TooYoung, "too_old": TooOld, "not_light_work": NotLightWork,
        "alcohol": AlcoholServed, "unavailable": Unavailable, "working_window": OutsideWindow,
        "legal_hours": (OverHours, TooManyDays), "rest": ShortRest, "too_far": TooFar,
        "language": Missing, "certificate": Missing, "excluded": Excluded,
        "forbidden": Forbidden, "positions_taken": PositionsTaken, "max_jobs_zero": NotLooking,
    }  # fmt: skip
    reasons = [r for u in solution.unmatched for r in u.reasons]
    assert len({r.code for r in reasons}) >= 5
    for reason in reasons:
        assert reason.facts is not None
        assert reason.detail == detail(reason.code, reason.facts)
        if reason.opening is not None:
            assert isinstance(reason.facts, kinds[reason.code])
        elif reason.code == "positions_taken":
            assert isinstance(reason.facts, MoreTaken | NoOpenings)
        elif reason.code != "max_jobs_zero":
            assert isinstance(reason.facts, RuledOut)


def test_a_stored_solution_reads_back_with_its_facts() -> None:
    problem = jobmatch.load(DEMO)
    solution = jobmatch.solve(problem, time_limit_s=5)
    stored = jobmatch.solution_to_dict(solution)
    again = jobmatch.load_solution(stored, problem)
    assert again.unmatched == solution.unmatched
    assert (again.status, again.objective, again.bound) == (
        solution.status,
        solution.objective,
        solution.bound,
    )
    assert again.assignments == solution.assignments
    assert jobmatch.solution_to_dict(again) == stored


def test_a_stored_solution_of_another_problem_is_refused() -> None:
    problem = jobmatch.load(document([youth()], [opening(light_work=False)]))
    stored = {
        "format": "jobmatch-solution/1",
        "status": "optimal",
        "objective": {"priority_matched": 1, "matched": 1, "score": 1},
        "assignments": [
            {"youth": "y1", "opening": "o1", "score": 1, "missing_onboarding": []},
            {"youth": "nobody", "opening": "o1", "score": 1, "missing_onboarding": []},
        ],
        "unmatched": [],
    }
    schooled = jobmatch.load(document([school_youth()], [opening(light_work=False)]))
    assert jobmatch.load_solution(stored | {"assignments": stored["assignments"][:1]}, problem)
    with pytest.raises(jobmatch.ProblemError) as raised:
        jobmatch.load_solution(stored, schooled)
    assert [(i.location, i.record_id, i.code) for i in raised.value.issues] == [
        ("assignments[0]", "y1", "not_eligible"),
        ("assignments[1].youth", None, "unknown_reference"),
    ]


def test_what_would_place_names_the_rule_each_change_lifts() -> None:
    doc = document(
        [youth(location=HOME, max_travel_km=5)],
        [opening("o1", location=WORK), opening("o2", requires={"languages": ["en"]})],
    )
    found = jobmatch.what_would_place(jobmatch.load(doc), "y1")
    assert [(w.code, w.opening, w.change) for w in found] == [
        ("too_far", "o1", "travel up to 11.2 km"),
        ("language", "o2", "speaking en"),
    ]
    assert (found[0].youth.max_travel_km, found[1].youth.languages) == (11.2, ("en",))
