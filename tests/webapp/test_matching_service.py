"""The matching service: rows to a jobmatch/1 document, the solve, and reasons as sentences."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import event

import jobmatch
from jobmatch.check import REASON_CODES, check
from tests.factories import AreaFactory, EmployerFactory, OpeningFactory, YouthFactory
from webapp import demo
from webapp.extensions import db
from webapp.models import (
    Area,
    AvailabilityWindow,
    Employer,
    OnboardingStep,
    Opening,
    PairRule,
    Placement,
    Shift,
    TimelineEvent,
    Youth,
    YouthPreference,
)
from webapp.services import onboarding
from webapp.services.explanations import (
    NEAR_MISS,
    RULE_NAMES,
    SUMMARY,
    explain_unplaced,
    what_would_place,
)
from webapp.services.matching import ProblemBuildError, load_problem, solve_problem
from webapp.services.pair_rules import stored_pair_rules
from webapp.services.problem import build_problem
from webapp.services.problem_records import NEVER_PLACED_BONUS

START = dt.date(2026, 9, 7)  # a Monday
IKAST = (56.1388, 9.1580)
HERNING = (56.1393, 8.9738)  # 11.44 km west of Ikast


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context on an empty database (with the standard step kinds)."""
    with app.app_context(), force_locale("en"):
        yield app


def _area(name: str = "Stadion Allé") -> Area:
    return AreaFactory(name=name, postcode="", lat=IKAST[0], lon=IKAST[1])


def _employer(name: str = "Ikast Dagligvarer", status: str = "approved") -> Employer:
    return EmployerFactory(
        name=name, status=status, postcode="", contact_email="boss@shop.example"
    )


def _opening(employer: Employer, title: str = "Kasseassistent", **kw: Any) -> Opening:
    values: dict[str, Any] = {
        "positions": 1,
        "postcode": "",
        "town": "",
        "lat": IKAST[0],
        "lon": IKAST[1],
    }
    return OpeningFactory(employer=employer, title=title, **(values | kw))


def _youth(first: str, area: Area | None, age: int = 15, **kw: Any) -> Youth:
    values: dict[str, Any] = {
        "last_name": f"{first}sen-Surname",
        "address": "",
        "postcode": "",
        "town": "",
        "area": area,
        "lat": IKAST[0],
        "lon": IKAST[1],
        "max_travel_km": 5.0,
        "languages": ["da"],
    }
    return YouthFactory(first_name=first, age=age, as_of=START, **(values | kw))


def _build(*, areas: list[Area] | None = None, **kw: Any) -> dict[str, Any]:
    """Commit the rows made so far and build the problem of `areas` (default: all)."""
    db.session.commit()
    if areas is not None:
        kw["area_ids"] = [a.id for a in areas]
    return build_problem(db.session, start_date=START, period="school", **kw)


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def _solved(document: dict[str, Any]) -> tuple[jobmatch.Problem, jobmatch.Solution]:
    problem = jobmatch.load(document)
    solution = solve_problem(document)
    assert check(problem, jobmatch.solution_to_dict(solution)) == []
    return problem, solution


# -- the demo ------------------------------------------------------------------


@pytest.fixture
def seeded(ctx: Flask) -> Flask:
    """The demo data as seeded: every running job passes the guard (`test_demo`)."""
    demo.seed(START)
    return ctx


def test_demo_document_loads_solves_and_checks(seeded: Flask) -> None:
    document = _build(time_limit_s=5, method="optimal")
    problem, solution = _solved(document)
    active = db.session.query(Youth).filter_by(status="active").count()
    assert len(problem.youths) == active
    assert document["options"] == {"time_limit_s": 5.0, "method": "optimal"}
    assert document["fixed"], "the demo has confirmed and started placements"
    placed = {(a.youth, a.opening) for a in solution.assignments}
    assert {(p["youth"], p["opening"]) for p in document["fixed"]} <= placed
    assert solution.unmatched


def test_demo_stable_method_solves_and_checks(seeded: Flask) -> None:
    _, solution = _solved(_build(time_limit_s=5, method="stable"))
    assert solution.stats["solver"] == "deferred_acceptance"


def test_no_personal_data_in_the_document(seeded: Flask) -> None:
    text = json.dumps(_build(), ensure_ascii=False)
    for youth in db.session.query(Youth):
        for value in (
            youth.last_name,
            youth.email,
            youth.phone,
            youth.parent_name,
            youth.parent_email,
            youth.parent_phone,
            youth.address,
            youth.notes,
        ):
            assert not value or value not in text, value
        assert f'"{youth.first_name}"' not in text
        assert f'"{youth.id}"' not in text
    for employer in db.session.query(Employer):
        assert f'"{employer.name}"' not in text
        assert not employer.contact_email or employer.contact_email not in text
    assert "@" not in text


def test_building_takes_a_fixed_number_of_queries(seeded: Flask) -> None:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    db.session.commit()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        document = _build()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(document["youths"]) > 30
    assert len(statements) <= 15, statements


def test_demo_explanations_give_every_unplaced_youth_sentences(seeded: Flask) -> None:
    document = _build(time_limit_s=5)
    problem, solution = _solved(document)
    explained = explain_unplaced(problem, solution)
    assert explained, "the demo leaves no youth unplaced: nothing explained"
    assert [e.youth.public_id for e in explained] == [u.youth for u in solution.unmatched]
    for entry, unmatched in zip(explained, solution.unmatched, strict=True):
        assert len(entry.sentences) == len(unmatched.reasons)
        for sentence in entry.sentences:
            assert sentence.text.strip()
            assert "%(" not in sentence.text
            assert entry.youth.last_name not in sentence.text or not entry.youth.last_name


def test_explanations_of_a_stored_solution_document(seeded: Flask) -> None:
    problem, solution = _solved(_build(time_limit_s=5))
    stored = json.loads(json.dumps(jobmatch.solution_to_dict(solution)))
    from_objects = explain_unplaced(problem, solution)
    from_stored = explain_unplaced(problem, stored)
    assert from_objects, "the demo leaves no youth unplaced: nothing explained"
    assert [[s.text for s in e.sentences] for e in from_stored] == [
        [s.text for s in e.sentences] for e in from_objects
    ]


# -- youths --------------------------------------------------------------------


def test_only_active_youths_of_the_chosen_areas(ctx: Flask) -> None:
    home, other = _area(), _area("Østbyen")
    _opening(_employer())
    amira = _youth("Amira", home)
    emil = _youth("Emil", other)
    _youth("Omar", home, status="pending")
    _youth("Sara", home, status="archived")
    db.session.commit()
    everyone = {y["id"] for y in _build()["youths"]}
    assert everyone == {amira.public_id, emil.public_id}
    assert {y["id"] for y in _build(areas=[home])["youths"]} == {amira.public_id}
    assert _build(areas=[])["youths"] == []


def test_compulsory_school_from_the_ninth_grade_date(ctx: Flask) -> None:
    area = _area()
    never = _youth("Amira", area, age=16)
    later = _youth("Emil", area, age=16, finished_9th_grade_on=START + dt.timedelta(days=1))
    done = _youth("Sara", area, age=16, finished_9th_grade_on=START - dt.timedelta(days=70))
    on_day = _youth("Ali", area, age=16, finished_9th_grade_on=START)
    youths = _by_id(_build()["youths"])
    assert youths[never.public_id]["in_compulsory_school"] is True
    assert youths[later.public_id]["in_compulsory_school"] is True
    assert youths[done.public_id]["in_compulsory_school"] is False
    assert youths[on_day.public_id]["in_compulsory_school"] is False
    assert youths[never.public_id]["birth_date"] == never.birth_date.isoformat()


def test_youth_record_fields(ctx: Flask) -> None:
    area = _area()
    employer, banned = _employer(), _employer("Herning Bager")
    wanted = _opening(employer, "Kasseassistent")
    full = _opening(employer, "Lager", positions=1)
    holder = _youth("Noah", area, max_jobs=1)
    db.session.add(Placement(youth=holder, opening=full, status="started"))
    outside = _youth("Lina", _area("Østbyen"))
    buddy = _youth("Emil", area)
    amira = _youth(
        "Amira",
        area,
        languages=["da", "ar", "da"],
        certificates=["hygiejnebevis"],
        priority=3,
        max_jobs=2,
        max_travel_km=None,
        lat=None,
        lon=None,
        availability=[],
        excluded_employers=[banned],
        buddies=[buddy, outside],
    )
    amira.preferences = [
        YouthPreference(opening=full, rank=1),
        YouthPreference(opening=wanted, rank=2),
    ]
    kinds = {k.code: k for k in onboarding.step_kinds()}
    db.session.add_all(
        [
            OnboardingStep(youth=amira, kind=kinds["mitid"], status="done"),
            OnboardingStep(youth=amira, kind=kinds["bank_account"], status="not_needed"),
            OnboardingStep(youth=amira, kind=kinds["tax_card"], status="in_progress"),
        ]
    )
    record = _by_id(_build(areas=[area])["youths"])[amira.public_id]
    assert record["languages"] == ["da", "ar"]
    assert record["certificates"] == ["hygiejnebevis"]
    assert sorted(record["onboarding"]) == ["bank_account", "mitid"]
    assert record["priority"] == 3 + NEVER_PLACED_BONUS
    assert record["max_jobs"] == 2
    assert record["exclude_employers"] == [banned.public_id]
    assert record["buddies"] == [buddy.public_id]  # Lina is in another area
    # The full opening is held by Noah, a youth of the problem, so it is in the problem.
    assert record["preferences"] == [full.public_id, wanted.public_id]
    assert record["availability"] == []  # none registered: never available
    assert "location" not in record
    assert "max_travel_km" not in record


def test_priority_is_higher_for_a_youth_who_never_had_a_job(ctx: Flask) -> None:
    area = _area()
    opening = _opening(_employer(), status="closed")
    never = _youth("Amira", area)
    ended = _youth("Emil", area)
    external = _youth("Sara", area)
    db.session.add(Placement(youth=ended, opening=opening, status="ended"))
    db.session.add(TimelineEvent(youth=external, kind="external_job", text="Netto"))
    youths = _by_id(_build()["youths"])
    assert youths[never.public_id]["priority"] == 1 + NEVER_PLACED_BONUS
    assert youths[ended.public_id]["priority"] == 1
    assert youths[external.public_id]["priority"] == 1


def test_availability_and_shifts_as_format_times(ctx: Flask) -> None:
    area = _area()
    opening = _opening(
        _employer(),
        shifts=[Shift(day_index=6, start_min=22 * 60, end_min=1440)],
        workplace="culture",
    )
    youth = _youth(
        "Amira",
        area,
        availability=[AvailabilityWindow(day_index=5, start_min=8 * 60 + 30, end_min=1440)],
    )
    document = _build()
    assert _by_id(document["youths"])[youth.public_id]["availability"] == [
        {"day": "sat", "start": "08:30", "end": "24:00"}
    ]
    record = _by_id(document["openings"])[opening.public_id]
    assert record["shifts"] == [{"day": "sun", "start": "22:00", "end": "24:00"}]
    jobmatch.load(document)


# -- openings and positions ----------------------------------------------------


def test_opening_record_fields(ctx: Flask) -> None:
    _youth("Amira", _area())
    employer = _employer()
    opening = _opening(
        employer,
        category="bakery",
        kind="lommepengejob",
        positions=3,
        min_age=14,
        max_age=16,
        light_work=False,
        workplace="bakery",
        alcohol="food",
        required_languages=["da"],
        required_certificates=["hygiejnebevis"],
    )
    own_steps = _opening(employer, "Med trin", onboarding_steps=["mitid"])
    document = _build()
    record = _by_id(document["openings"])[opening.public_id]
    assert record == {
        "id": opening.public_id,
        "employer": employer.public_id,
        "title": "Kasseassistent",
        "category": "bakery",
        "kind": "lommepengejob",
        "positions": 3,
        "min_age": 14,
        "max_age": 16,
        "light_work": False,
        "workplace": "bakery",
        "alcohol": "food",
        "shifts": [{"day": "tue", "start": "16:00", "end": "18:00"}],
        "location": {"lat": IKAST[0], "lon": IKAST[1]},
        "requires": {"languages": ["da"], "certificates": ["hygiejnebevis"]},
        "onboarding_steps": ["parental_consent"],
    }
    assert _by_id(document["openings"])[own_steps.public_id]["onboarding_steps"] == ["mitid"]
    assert _by_id(document["openings"])[own_steps.public_id]["kind"] == "fritidsjob"
    fritid = jobmatch.load(document).openings[1]
    assert set(fritid.onboarding_steps) == {"mitid"}


def test_only_open_openings_of_approved_employers_in_the_areas(ctx: Flask) -> None:
    home, other = _area(), _area("Østbyen")
    employer = _employer()
    anywhere = _opening(employer, "Overalt")
    here = _opening(employer, "Her", area=home)
    _opening(employer, "Der", area=other)
    _opening(employer, "Afventer", status="pending")
    _opening(employer, "Lukket", status="closed")
    _opening(employer, "Ingen vagter", shifts=[])
    _opening(_employer("Ny Frisør", status="pending"), "Frisør")
    _youth("Amira", home)
    openings = {o["id"] for o in _build(areas=[home])["openings"]}
    assert openings == {anywhere.public_id, here.public_id}
    assert len(_build()["openings"]) == 3  # every area


def test_positions_left_and_fixed_placements(ctx: Flask) -> None:
    home, other = _area(), _area("Østbyen")
    employer = _employer()
    three = _opening(employer, "Tre pladser", positions=3)
    thursday = [Shift(day_index=3, start_min=16 * 60, end_min=18 * 60)]
    full_inside = _opening(employer, "Fuld af egne", positions=1, shifts=thursday)
    friday = [Shift(day_index=4, start_min=16 * 60, end_min=18 * 60)]
    full_outside = _opening(employer, "Fuld af andre", positions=1, shifts=friday)
    closed = _opening(employer, "Lukket", status="closed", positions=2)
    amira = _youth("Amira", home, max_jobs=3)
    amira.availability.append(AvailabilityWindow(day_index=3, start_min=900, end_min=1140))
    emil = _youth("Emil", other, max_jobs=2)  # outside the chosen area
    emil.availability.append(AvailabilityWindow(day_index=4, start_min=900, end_min=1140))
    sara = _youth("Sara", home)
    noah = _youth("Noah", home)
    db.session.add_all(
        [
            Placement(youth=amira, opening=three, status="confirmed"),
            Placement(youth=emil, opening=three, status="started"),
            Placement(youth=sara, opening=three, status="ended"),
            Placement(youth=amira, opening=full_inside, status="started"),
            Placement(youth=emil, opening=full_outside, status="confirmed"),
            Placement(youth=noah, opening=closed, status="started"),
        ]
    )
    document = _build(areas=[home])
    openings = _by_id(document["openings"])
    # 3 positions, Emil (outside) holds one: 2 left, one of them Amira's fixed pair.
    assert openings[three.public_id]["positions"] == 2
    # Amira holds the only position: counted inside, not subtracted again.
    assert openings[full_inside.public_id]["positions"] == 1
    assert full_outside.public_id not in openings
    # A closed opening is in only for Noah's running job, with no position for anyone else.
    assert openings[closed.public_id]["positions"] == 1
    fixed = {(p["youth"], p["opening"]) for p in document["fixed"]}
    assert fixed == {
        (amira.public_id, three.public_id),
        (amira.public_id, full_inside.public_id),
        (noah.public_id, closed.public_id),
    }
    _, solution = _solved(document)
    held: dict[str, list[str]] = {}
    for a in solution.assignments:
        held.setdefault(a.opening, []).append(a.youth)
    assert held[full_inside.public_id] == [amira.public_id]
    assert held[closed.public_id] == [noah.public_id]
    assert sorted(held[three.public_id]) == sorted([amira.public_id, sara.public_id])
    # Every area: Emil is in the problem too, and his placements become fixed.
    everyone = _build()
    openings = _by_id(everyone["openings"])
    assert openings[three.public_id]["positions"] == 3
    assert openings[full_outside.public_id]["positions"] == 1
    assert len(everyone["fixed"]) == 5
    _solved(everyone)


# -- pairs ---------------------------------------------------------------------


def test_forbidden_and_pinned_pairs(ctx: Flask) -> None:
    area = _area()
    employer = _employer()
    first, second = _opening(employer, "Første"), _opening(employer, "Anden")
    amira, emil = _youth("Amira", area), _youth("Emil", area)
    db.session.flush()
    db.session.add_all(
        [
            PairRule(youth_id=amira.id, opening_id=first.id, rule="forbid"),
            PairRule(youth_id=emil.id, opening_id=first.id, rule="pin"),
        ]
    )
    db.session.commit()
    forbidden, pinned = stored_pair_rules(db.session)
    assert forbidden == [(amira.public_id, first.public_id)]
    assert pinned == [(emil.public_id, first.public_id)]
    gone = ("no-such-youth", first.public_id)
    document = _build(forbidden=[*forbidden, gone], pinned=pinned)
    assert document["forbidden"] == [{"youth": amira.public_id, "opening": first.public_id}]
    assert document["fixed"] == [{"youth": emil.public_id, "opening": first.public_id}]
    _, solution = _solved(document)
    placed = {(a.youth, a.opening) for a in solution.assignments}
    assert placed == {(emil.public_id, first.public_id), (amira.public_id, second.public_id)}


def test_pinning_outside_the_problem_names_youth_and_job(ctx: Flask) -> None:
    home, other = _area(), _area("Østbyen")
    opening = _opening(_employer())
    emil = _youth("Emil", other)
    _youth("Amira", home)
    with pytest.raises(ProblemBuildError) as raised:
        _build(areas=[home], pinned=[(emil.public_id, opening.public_id)])
    assert "Emil" in str(raised.value)
    assert "Kasseassistent" in str(raised.value)


def test_unknown_method_is_refused(ctx: Flask) -> None:
    with pytest.raises(ValueError, match="method"):
        _build(method="greedy")


def test_a_fixed_pair_no_longer_eligible_names_youth_job_and_rule(ctx: Flask) -> None:
    area = _area()
    opening = _opening(_employer())
    amira = _youth("Amira", area)
    db.session.add(Placement(youth=amira, opening=opening, status="started"))
    db.session.commit()
    amira.availability = [AvailabilityWindow(day_index=3, start_min=15 * 60, end_min=19 * 60)]
    document = _build()
    with pytest.raises(ProblemBuildError) as raised:
        solve_problem(document)
    message = str(raised.value)
    assert "Amira" in message
    assert "Kasseassistent" in message
    assert str(RULE_NAMES["unavailable"]) in message
    assert amira.last_name not in message
    assert amira.public_id not in message
    [issue] = raised.value.issues
    assert issue.codes == ("unavailable",)
    assert issue.running is True
    with pytest.raises(ProblemBuildError):
        load_problem(document)


def test_a_pinned_pair_that_breaks_a_rule(ctx: Flask) -> None:
    area = _area()
    opening = _opening(_employer(), light_work=False)
    amira = _youth("Amira", area, age=14)
    document = _build(pinned=[(amira.public_id, opening.public_id)])
    with pytest.raises(ProblemBuildError) as raised:
        solve_problem(document)
    [issue] = raised.value.issues
    assert issue.running is False
    assert "not_light_work" in issue.codes
    assert "pinned" in str(raised.value)


def test_fixed_pairs_that_cannot_hold_together(ctx: Flask) -> None:
    area = _area()
    employer = _employer()
    first, second = _opening(employer, "Første"), _opening(employer, "Anden")
    amira = _youth("Amira", area, max_jobs=1)
    db.session.add_all(
        [
            Placement(youth=amira, opening=first, status="started"),
            Placement(youth=amira, opening=second, status="confirmed"),
        ]
    )
    with pytest.raises(ProblemBuildError) as raised:
        solve_problem(_build())
    assert "Amira" in str(raised.value)


def test_a_document_with_other_faults_is_reported(ctx: Flask) -> None:
    with pytest.raises(ProblemBuildError, match="not valid"):
        load_problem({"format": "jobmatch/1", "youths": [{"id": "x"}], "openings": []})


# -- explanations --------------------------------------------------------------


def test_every_reason_code_has_a_sentence() -> None:
    assert set(RULE_NAMES) == set(REASON_CODES)
    per_opening = set(REASON_CODES) - {"positions_taken", "max_jobs_zero"}
    assert set(NEAR_MISS) == per_opening
    assert {"positions_taken", "max_jobs_zero"} <= set(SUMMARY)


def _all_reasons(problem: jobmatch.Problem, youth: str, opening: str) -> jobmatch.Solution:
    """A made-up solution giving `youth` one reason of every code, on `opening` and in summary,
    each with facts as the library gives them (the detail is left empty: it is never read)."""
    evening = (jobmatch.Shift(2, 19 * 60, 21 * 60),)
    pair_facts: dict[str, jobmatch.Facts] = {
        "too_young": jobmatch.TooYoung(1, 14, 16),
        "too_old": jobmatch.TooOld(1, 14, 17),
        "not_light_work": jobmatch.NotLightWork(1, "A"),
        "alcohol": jobmatch.AlcoholServed(1, "bar", "A"),
        "unavailable": jobmatch.Unavailable(1, evening),
        "legal_hours": jobmatch.OverHours(1, "week", None, 14 * 60, 12 * 60, 14 * 60, "A"),
        "working_window": jobmatch.OutsideWindow(1, evening, 6 * 60, 20 * 60, "A"),
        "rest": jobmatch.ShortRest(1, 10 * 60, 14 * 60, 2, 3, "A"),
        "too_far": jobmatch.TooFar(1, 11.44, 5.0),
        "language": jobmatch.Missing(1, ("de",)),
        "certificate": jobmatch.Missing(1, ("hygiejnebevis",)),
        "excluded": jobmatch.Excluded(1, "e1"),
        "forbidden": jobmatch.Forbidden(1),
        "positions_taken": jobmatch.PositionsTaken(10, 1, (), "empty"),
    }
    reasons = [jobmatch.Reason(code, "", opening, facts) for code, facts in pair_facts.items()]
    reasons += [
        jobmatch.Reason(
            code, "", None, jobmatch.RuledOut(2, 5, 5.0 if code == "too_far" else None)
        )
        for code in pair_facts
        if code != "positions_taken"
    ]
    reasons.append(jobmatch.Reason("max_jobs_zero", "", None, jobmatch.NotLooking()))
    reasons.append(jobmatch.Reason("positions_taken", "", None, jobmatch.MoreTaken(4)))
    reasons.append(jobmatch.Reason("positions_taken", "", None, jobmatch.NoOpenings()))
    return jobmatch.Solution(
        jobmatch.Status.OPTIMAL,
        jobmatch.Objective(1, 1, 0),
        (),
        (jobmatch.Unmatched(youth, tuple(reasons)),),
    )


def test_sentences_for_every_code(ctx: Flask) -> None:
    area = _area()
    opening = _opening(
        _employer(),
        "Bagerjobber",
        min_age=16,
        max_age=17,
        required_languages=["de"],
        required_certificates=["hygiejnebevis"],
        shifts=[Shift(day_index=2, start_min=19 * 60, end_min=21 * 60)],
    )
    amira = _youth("Amira", area, age=14)
    problem = jobmatch.load(_build())
    solution = _all_reasons(problem, amira.public_id, opening.public_id)
    [explained] = explain_unplaced(problem, solution)
    assert explained.youth.first_name == "Amira"
    texts = [s.text for s in explained.sentences]
    assert len(texts) == len(solution.unmatched[0].reasons)
    for text in texts:
        assert text
        assert "%(" not in text
    by_code = {s.code: s.text for s in explained.sentences if s.opening is not None}
    assert set(by_code) == set(REASON_CODES) - {"max_jobs_zero"}
    assert all(s.opening.public_id == opening.public_id for s in explained.sentences if s.opening)
    assert "from the age of 16" in by_code["too_young"]
    assert "over 17" in by_code["too_old"]
    assert "Wednesday 19:00-21:00" in by_code["unavailable"]
    assert "German" in by_code["language"]
    assert "Food hygiene certificate" in by_code["certificate"]
    assert "06:00-20:00" in by_code["working_window"]
    assert "14 hours" in by_code["rest"]
    assert "Ikast Dagligvarer" in by_code["excluded"]
    summary = [s.text for s in explained.sentences if s.opening is None]
    assert "2 of 5 open jobs are farther than 5 km from home." in summary
    assert any("Tuesday 15:00-19:00" in t for t in summary)
    assert "4 more jobs the youth could take are all full." in summary
    assert "There are no open jobs in this run." in summary
    assert "Not looking for a job: may hold no jobs at all." in summary


def test_sentences_in_danish_keep_the_values(app: Flask) -> None:
    with app.app_context(), force_locale("da"):
        area = _area()
        opening = _opening(_employer(), lat=HERNING[0], lon=HERNING[1])
        amira = _youth("Amira", area)
        document = _build()
        problem, solution = _solved(document)
        [explained] = explain_unplaced(problem, solution)
        text = " ".join(s.text for s in explained.sentences)
        assert "Ikast Dagligvarer" in text
        assert "11,5" in text  # the Danish decimal comma
        assert opening.public_id not in text
        assert amira.public_id not in text


def test_a_near_miss_by_distance_from_a_real_solve(ctx: Flask) -> None:
    area = _area()
    opening = _opening(_employer(), positions=2, lat=HERNING[0], lon=HERNING[1])
    _youth("Amira", area, max_travel_km=10.0)
    problem, solution = _solved(_build())
    [explained] = explain_unplaced(problem, solution)
    near = [s for s in explained.sentences if s.opening is not None]
    assert [s.code for s in near] == ["too_far"]
    assert near[0].opening is not None
    assert near[0].opening.id == opening.id
    expected = (
        "Would get a job at Ikast Dagligvarer (Kasseassistent) if travelling 11.5 km "
        "instead of 10 km."
    )
    assert near[0].text == expected
    [what_if] = what_would_place(problem, explained.youth.public_id, time_limit_s=1)
    assert (what_if.code, what_if.text) == ("too_far", expected)
    assert what_if.opening is not None
    assert what_if.opening.id == opening.id


def test_what_would_place_by_availability_certificate_and_language(ctx: Flask) -> None:
    area = _area()
    employer = _employer()
    _opening(employer, "Lørdag", shifts=[Shift(day_index=5, start_min=600, end_min=720)])
    _opening(employer, "Bager", required_certificates=["hygiejnebevis"])
    _opening(employer, "Tysk", required_languages=["de"])
    amira = _youth("Amira", area)
    problem, solution = _solved(_build())
    assert [u.youth for u in solution.unmatched] == [amira.public_id]
    found = {s.code: s for s in what_would_place(problem, amira.public_id, time_limit_s=1)}
    assert set(found) == {"unavailable", "certificate", "language"}
    assert found["unavailable"].text == (
        "Would get a job at Ikast Dagligvarer (Lørdag) if available Saturday 10:00-12:00."
    )
    assert found["certificate"].text.endswith("with the certificate Food hygiene certificate.")
    assert found["language"].text.endswith("if speaking German.")


def test_positions_taken_names_who_came_first_by_first_name(ctx: Flask) -> None:
    area = _area()
    employer = _employer()
    opening = _opening(employer, positions=1)
    _opening(employer, "Weekend", shifts=[Shift(day_index=5, start_min=600, end_min=720)])
    sara = _youth("Sara", area, priority=1)
    emil = _youth("Emil", area, priority=1)
    earlier = _opening(employer, "Før", status="closed")
    db.session.add(Placement(youth=sara, opening=earlier, status="ended"))
    problem, solution = _solved(_build())
    assert [a.youth for a in solution.assignments] == [emil.public_id]
    [explained] = explain_unplaced(problem, solution)
    taken = [s for s in explained.sentences if s.code == "positions_taken" and s.opening]
    assert [s.opening.id for s in taken if s.opening] == [opening.id]
    assert taken[0].text == (
        "Could take Kasseassistent at Ikast Dagligvarer, but Emil came first: "
        "a higher priority, e.g. no job yet."
    )
    assert emil.last_name not in taken[0].text
