"""The run page's sentence for every reason code, written from the library's facts.

Each case builds rows that leave Amira unplaced with one reason of a code,
solves, and checks the facts the library gives and the Danish and English
sentences the board writes from them: the figures of the facts are in the
sentence, in the locale's way (the Danish decimal comma). The last tests
change the library's English sentences and show that the board's do not move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

import jobmatch
from jobmatch import sentences, unmatched
from jobmatch.check import REASON_CODES
from tests.factories import AvailabilityFactory, EmployerFactory, OpeningFactory, YouthFactory
from webapp.extensions import db
from webapp.models import Employer, Opening, Shift, Youth
from webapp.services.explanations import explain_unplaced
from webapp.services.problem import build_problem

START = dt.date(2026, 9, 7)  # a Monday of a school week
IKAST = (56.1388, 9.1580)
HERNING = (56.1393, 8.9738)  # 11.41 km west of Ikast: "11.5 km" rounded up

Build = dict[str, Any]  # extra arguments of `build_problem`


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def _employer() -> Employer:
    return EmployerFactory(name="Ikast Dagligvarer")


def _job(employer: Employer | None = None, **kw: Any) -> Opening:
    """An open job in Ikast, Tuesday 16:00-18:00 (light work, no alcohol), one position."""
    values: dict[str, Any] = {
        "title": "Kasseassistent",
        "positions": 1,
        "lat": IKAST[0],
        "lon": IKAST[1],
    }
    return OpeningFactory(employer=employer or _employer(), **(values | kw))


def _youth(first_name: str = "Amira", **kw: Any) -> Youth:
    """A youth of 15 in compulsory school in Ikast, free on Tuesdays 15:00-19:00."""
    values: dict[str, Any] = {
        "last_name": "Surname",
        "lat": IKAST[0],
        "lon": IKAST[1],
        "max_travel_km": 5.0,
        "languages": ["da"],
        "priority": 1,
        "age": 15,
    }
    return YouthFactory(first_name=first_name, as_of=START, **(values | kw))


def _window(day: int, start: str, end: str) -> Any:
    return AvailabilityFactory(
        day_index=day, start_min=jobmatch.parse_time(start), end_min=jobmatch.parse_time(end)
    )


def _shift(day: int, start: str, end: str) -> Shift:
    return Shift(
        day_index=day, start_min=jobmatch.parse_time(start), end_min=jobmatch.parse_time(end)
    )


@dataclass(frozen=True)
class Case:
    """Rows that leave Amira unplaced with a reason of `code`, and what it must say.

    `figures` are fields of the reason's facts; `da` and `en` are parts of its sentence.
    """

    name: str
    code: str
    facts: type
    rows: Callable[[], tuple[Youth, Build]]
    figures: dict[str, Any] = field(default_factory=dict)
    da: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    about_a_job: bool = True


def _alone(**job: Any) -> Callable[[], tuple[Youth, Build]]:
    """Amira and one job with these fields; `shifts` as (day, start, end), made per test."""

    def rows() -> tuple[Youth, Build]:
        shifts = {"shifts": [_shift(*s) for s in job["shifts"]]} if "shifts" in job else {}
        _job(**(job | shifts))
        return _youth(), {}

    return rows


def _with_youth(**youth: Any) -> Callable[[], tuple[Youth, Build]]:
    """Amira with these fields, and one default job."""

    def rows() -> tuple[Youth, Build]:
        _job()
        return _youth(**youth), {}

    return rows


def _full_job_too_young() -> tuple[Youth, Build]:
    _job(min_age=16)
    _youth("Sara", age=16)
    return _youth(), {}


def _working_window() -> tuple[Youth, Build]:
    _job(shifts=[_shift(1, "19:00", "21:00")])
    return _youth(availability=[_window(1, "15:00", "22:00")]), {}


def _rest() -> tuple[Youth, Build]:
    _job(shifts=[_shift(1, "18:00", "19:00"), _shift(2, "06:00", "07:00")])
    availability = [_window(1, "15:00", "19:00"), _window(2, "06:00", "08:00")]
    return _youth(availability=availability), {}


def _too_far() -> tuple[Youth, Build]:
    _job(lat=HERNING[0], lon=HERNING[1])
    return _youth(max_travel_km=7.5), {}


def _excluded() -> tuple[Youth, Build]:
    employer = _employer()
    _job(employer)
    return _youth(excluded_employers=[employer]), {}


def _forbidden() -> tuple[Youth, Build]:
    job = _job()
    amira = _youth()
    return amira, {"forbidden": [(amira.public_id, job.public_id)]}


def _taken_by_higher_priority() -> tuple[Youth, Build]:
    _job()
    _youth("Sara", priority=5)
    return _youth(), {}


def _more_taken() -> tuple[Youth, Build]:
    employer = _employer()
    for number in range(11):
        _job(employer, title=f"Job {number}")
        _youth(f"Sara{number}", priority=5)
    return _youth(), {}


def _no_openings() -> tuple[Youth, Build]:
    return _youth(), {}


CASES = [
    Case("too_young", "too_young", jobmatch.TooYoung, _alone(min_age=16),
         {"age": 15, "min_age": 16, "free_positions": 1},
         ("Ville få job hos Ikast Dagligvarer (Kasseassistent) fra 16 år.",),
         ("Would get a job at Ikast Dagligvarer (Kasseassistent) from the age of 16.",)),
    Case("too_young_full", "too_young", jobmatch.TooYoung, _full_job_too_young,
         {"min_age": 16, "free_positions": 0},
         ("passer på nær én regel (for ung til jobbet), men alle pladser er besat lige nu.",),
         ("fits except for one rule (too young for the job), but all its positions are "
          "taken for now.",)),
    Case("too_old", "too_old", jobmatch.TooOld, _alone(max_age=14),
         {"age": 15, "max_age": 14},
         ("hvis jobbet tog unge over 14.",), ("if it took youths over 14.",)),
    Case("not_light_work", "not_light_work", jobmatch.NotLightWork, _alone(light_work=False),
         {"group": "A"},
         ("hvis opgaverne var lettere arbejde",), ("if the tasks were light work",)),
    Case("alcohol", "alcohol", jobmatch.AlcoholServed, _alone(alcohol="food"),
         {"alcohol": "food", "group": "A"},
         ("hvis der ikke blev serveret alkohol.",), ("if no alcohol were served there.",)),
    Case("unavailable", "unavailable", jobmatch.Unavailable,
         _alone(shifts=[(2, "16:00", "18:00")]),
         {"shifts": (jobmatch.Shift(2, 16 * 60, 18 * 60),)},
         ("hvis den unge kunne Onsdag 16:00-18:00.",), ("if available Wednesday 16:00-18:00.",)),
    Case("legal_hours", "legal_hours", jobmatch.OverHours,
         _alone(shifts=[(1, "15:00", "17:30")]),
         {"limit": "school_day", "minutes": 150, "cap_minutes": 120, "weekly_minutes": 150},
         ("(nu 2,5 timer om ugen)",), ("(now 2.5 hours a week)",)),
    Case("working_window", "working_window", jobmatch.OutsideWindow, _working_window,
         {"window_start": 6 * 60, "window_end": 20 * 60},
         ("hvis vagterne lå inden for 06:00-20:00,",), ("if its shifts lay within 06:00-20:00,",)),
    Case("rest", "rest", jobmatch.ShortRest, _rest,
         {"rest_minutes": 11 * 60, "min_rest_minutes": 14 * 60, "day": 1, "next_day": 2},
         ("hvis vagterne gav 14 timers hvile",), ("if its shifts left 14 hours of rest",)),
    Case("too_far", "too_far", jobmatch.TooFar, _too_far,
         {"distance_km": pytest.approx(11.41, abs=0.01), "limit_km": 7.5},
         ("ved at rejse 11,5 km i stedet for 7,5 km.",),
         ("if travelling 11.5 km instead of 7.5 km.",)),
    Case("too_far_summary", "too_far", jobmatch.RuledOut, _too_far,
         {"count": 1, "total": 1, "limit_km": 7.5},
         ("1 af 1 åbne job ligger længere end 7,5 km hjemmefra.",),
         ("1 of 1 open jobs are farther than 7.5 km from home.",), about_a_job=False),
    Case("unavailable_summary", "unavailable", jobmatch.RuledOut,
         _alone(shifts=[(2, "16:00", "18:00")]),
         {"count": 1, "total": 1, "limit_km": None},
         ("1 af de 1 job inden for rækkevidde har vagter uden for den unges tider",
          "Tirsdag 15:00-19:00"),
         ("1 of the 1 jobs within reach have shifts outside the youth's available times "
          "(Tuesday 15:00-19:00).",), about_a_job=False),
    Case("too_young_summary", "too_young", jobmatch.RuledOut, _alone(min_age=16),
         {"count": 1, "total": 1},
         ("Udelukker 1 af de 1 job inden for rækkevidde: for ung til jobbet.",),
         ("Rules out 1 of the 1 jobs within reach: too young for the job.",), about_a_job=False),
    Case("language", "language", jobmatch.Missing, _alone(required_languages=["de"]),
         {"missing": ("de",)}, ("hvis den unge talte Tysk.",), ("if speaking German.",)),
    Case("certificate", "certificate", jobmatch.Missing,
         _alone(required_certificates=["hygiejnebevis"]), {"missing": ("hygiejnebevis",)},
         ("med beviset Hygiejnebevis.",), ("with the certificate Food hygiene certificate.",)),
    Case("excluded", "excluded", jobmatch.Excluded, _excluded, {},
         ("Ikast Dagligvarer", "ikke havde fravalgt denne arbejdsgiver."),
         ("Ikast Dagligvarer", "if the youth had not ruled out this employer.")),
    Case("forbidden", "forbidden", jobmatch.Forbidden, _forbidden, {},
         ("hvis en koordinator ikke havde udelukket parret.",),
         ("if a coordinator had not ruled out the pair.",)),
    Case("positions_taken", "positions_taken", jobmatch.PositionsTaken,
         _taken_by_higher_priority, {"why": "higher", "positions": 1},
         ("Kunne tage Kasseassistent hos Ikast Dagligvarer, men Sara kom først: højere "
          "prioritet",),
         ("Could take Kasseassistent at Ikast Dagligvarer, but Sara came first: a higher "
          "priority, e.g. no job yet.",)),
    Case("more_taken", "positions_taken", jobmatch.MoreTaken, _more_taken, {"count": 1},
         ("1 job mere, som den unge kunne tage, er alle besat.",),
         ("1 more jobs the youth could take are all full.",), about_a_job=False),
    Case("no_openings", "positions_taken", jobmatch.NoOpenings, _no_openings, {},
         ("Der er ingen åbne job i denne kørsel.",), ("There are no open jobs in this run.",),
         about_a_job=False),
    Case("max_jobs_zero", "max_jobs_zero", jobmatch.NotLooking, _with_youth(max_jobs=0), {},
         ("Søger ikke job: må slet ikke have job.",),
         ("Not looking for a job: may hold no jobs at all.",), about_a_job=False),
]  # fmt: skip


@dataclass(frozen=True)
class Solved:
    """A case's problem and solution, and Amira's public id and reasons."""

    problem: jobmatch.Problem
    solution: jobmatch.Solution
    youth: str
    reasons: tuple[jobmatch.Reason, ...]


def _solved(case: Case) -> Solved:
    amira, build = case.rows()
    db.session.commit()
    document = build_problem(db.session, start_date=START, period="school", **build)
    problem = jobmatch.load(document)
    solution = jobmatch.solve(problem)
    [unplaced] = [u for u in solution.unmatched if u.youth == amira.public_id]
    return Solved(problem, solution, amira.public_id, unplaced.reasons)


def _texts(problem: jobmatch.Problem, solution: Any, youth_id: str) -> dict[str, list[str]]:
    """The board's sentences for the youth, in Danish and in English."""
    texts = {}
    for locale in ("da", "en"):
        with force_locale(locale):
            explained = explain_unplaced(problem, solution)
        [sentences] = [
            [s.text for s in e.sentences] for e in explained if e.youth.public_id == youth_id
        ]
        texts[locale] = sentences
    return texts


def _one_of(solved: Solved, case: Case) -> int:
    """The index of the case's reason among Amira's."""
    found = [
        i
        for i, r in enumerate(solved.reasons)
        if r.code == case.code
        and (r.opening is not None) == case.about_a_job
        and isinstance(r.facts, case.facts)
    ]
    assert len(found) == 1, solved.reasons
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_sentence_of_each_reason_carries_the_figures_of_its_facts(
    ctx: Flask, case: Case
) -> None:
    solved = _solved(case)
    index = _one_of(solved, case)
    reason = solved.reasons[index]
    for name, value in case.figures.items():
        assert getattr(reason.facts, name) == value, (name, reason.facts)
    texts = _texts(solved.problem, solved.solution, solved.youth)
    for locale, parts in (("da", case.da), ("en", case.en)):
        assert len(texts[locale]) == len(solved.reasons)
        sentence = texts[locale][index]
        for part in parts:
            assert part in sentence, (locale, sentence)
        assert "%(" not in sentence
        assert reason.detail not in sentence


def test_every_reason_code_has_a_case() -> None:
    assert {c.code for c in CASES} == set(REASON_CODES)
    kinds = {c.facts for c in CASES}
    assert kinds >= {jobmatch.RuledOut, jobmatch.MoreTaken, jobmatch.NoOpenings}


def _rewritten_detail(code: str, _facts: jobmatch.Facts) -> str:
    """Another English sentence for every reason, with figures of its own."""
    return f"REWRITTEN {code}: 99 of the 98 openings, 0.01 km, 77 more, no 12:34-23:45"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_new_english_sentence_in_the_library_leaves_the_board_unchanged(
    ctx: Flask, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _solved(case)
    was = _texts(before.problem, before.solution, before.youth)
    monkeypatch.setattr(sentences, "detail", _rewritten_detail)
    monkeypatch.setattr(unmatched, "detail", _rewritten_detail)
    solution = jobmatch.solve(before.problem)
    assert all(r.detail.startswith("REWRITTEN") for u in solution.unmatched for r in u.reasons)
    assert _texts(before.problem, solution, before.youth) == was
    # A stored run whose sentences say something else again reads the same.
    stored = jobmatch.solution_to_dict(solution)
    for entry in stored["unmatched"]:
        for reason in entry["reasons"]:
            reason["detail"] = "3 of the 4 openings are 55.5 km away, and 6 more openings"
    assert _texts(before.problem, stored, before.youth) == was
