"""Hypothesis strategies for random, valid jobmatch/1 problems (as plain dicts)."""

from __future__ import annotations

from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from jobmatch import load
from jobmatch.check import pair_violations
from jobmatch.model import DAYS, WORKPLACES

START_DATE = "2026-08-03"
CATEGORIES = ("shop", "cafe", "gardening", "cleaning")
LANGUAGES = ("da", "en", "ar")
CERTIFICATES = ("hygiejnebevis", "first_aid")
STEPS = ("bank_account", "mitid", "tax_card", "parental_consent")


def _time(hour: int) -> str:
    return f"{hour:02d}:00"


@st.composite
def shifts(
    draw: st.DrawFn,
    *,
    max_days: int = 3,
    earliest: int = 4,
    latest: int = 24,
    longest: int = 9,
) -> list[dict[str, str]]:
    """Up to one shift a day on whole hours, on distinct days, so they never overlap."""
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=max_days, unique=True))
    result = []
    for day in sorted(days, key=DAYS.index):
        start = draw(st.integers(earliest, latest - 1))
        end = draw(st.integers(start + 1, min(latest, start + longest)))
        result.append({"day": day, "start": _time(start), "end": _time(end)})
    return result


@st.composite
def availability(draw: st.DrawFn) -> list[dict[str, str]]:
    """Broad windows on four days or more, so that availability blocks some pairs, not most."""
    days = draw(st.lists(st.sampled_from(DAYS), min_size=4, max_size=7, unique=True))
    return [
        {
            "day": day,
            "start": _time(draw(st.integers(6, 12))),
            "end": _time(draw(st.integers(17, 24))),
        }
        for day in sorted(days, key=DAYS.index)
    ]


def _location() -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries({"lat": st.floats(55.60, 55.70), "lon": st.floats(12.50, 12.65)})


def _ranking(ids: list[str]) -> st.SearchStrategy[list[str]]:
    """Some of the ids, in a random order."""
    return st.permutations(ids).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda k: order[:k])
    )


# Hard limits are drawn less often than wishes, so that a fair share of pairs is eligible.
_RARE = frozenset(
    (
        "in_compulsory_school",
        "availability",
        "max_travel_km",
        "exclude_employers",
        "min_age",
        "max_age",
        "alcohol",
        "requires",
    )
)


def _fill(
    draw: st.DrawFn, record: dict[str, Any], optional: dict[str, st.SearchStrategy[Any]]
) -> dict[str, Any]:
    """The record with some of the optional keys drawn."""
    for key, strategy in optional.items():
        if draw(st.integers(0, 3)) < (1 if key in _RARE else 2):
            record[key] = draw(strategy)
    return record


def _some(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    if not values:
        return st.just([])
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values))


@st.composite
def youths(
    draw: st.DrawFn, ident: str, opening_ids: list[str], youth_ids: list[str]
) -> dict[str, Any]:
    """One youth: an age or a birth date, schooling, availability, place and wishes."""
    youth: dict[str, Any] = {"id": ident}
    age = draw(st.one_of(st.integers(13, 18), st.integers(12, 19)))
    if draw(st.booleans()):
        year = 2026 - age - draw(st.sampled_from((0, 1)))
        youth["birth_date"] = f"{year}-{draw(st.sampled_from(('08-03', '08-04', '01-15')))}"
    else:
        youth["age"] = age
    optional = {
        "in_compulsory_school": st.booleans(),
        "availability": availability(),
        "location": _location(),
        "max_travel_km": st.integers(1, 10),
        "interests": _some(CATEGORIES),
        "languages": _some(LANGUAGES),
        "certificates": _some(CERTIFICATES),
        "onboarding": _some(STEPS),
        "priority": st.integers(1, 3),
        "exclude_employers": st.lists(st.sampled_from(("e0", "e1", "e2")), max_size=1),
        "preferences": _ranking(opening_ids),
        "buddies": _some(tuple(y for y in youth_ids if y != ident)),
    }
    youth["max_jobs"] = draw(st.sampled_from((1, 1, 1, 2, 0)))
    return _fill(draw, youth, optional)


@st.composite
def openings(draw: st.DrawFn, ident: str, youth_ids: list[str]) -> dict[str, Any]:
    """One opening: employer, kind of work, shifts, place, needs and ranking."""
    opening: dict[str, Any] = {
        "id": ident,
        "employer": draw(st.sampled_from(("e0", "e1", "e2", "e3"))),
        # Mostly short afternoon shifts that many youths may work, sometimes any hours.
        "shifts": draw(st.one_of(*[shifts(earliest=10, latest=19, longest=2)] * 2, shifts())),
        "light_work": draw(st.sampled_from((True, True, False))),
        "positions": draw(st.sampled_from((1, 1, 2, 3))),
    }
    optional = {
        "category": st.sampled_from(CATEGORIES),
        "kind": st.sampled_from(("fritidsjob", "lommepengejob")),
        "min_age": st.integers(13, 16),
        "max_age": st.integers(16, 20),
        "workplace": st.sampled_from(WORKPLACES),
        "alcohol": st.sampled_from(("none", "none", "food", "bar")),
        "location": _location(),
        "requires": st.fixed_dictionaries(
            {},
            optional={
                "languages": st.lists(st.sampled_from(LANGUAGES[:2]), max_size=1),
                "certificates": st.lists(st.sampled_from(CERTIFICATES), max_size=1),
            },
        ),
        "onboarding_steps": _some(STEPS),
        "preferences": _ranking(youth_ids),
    }
    return _fill(draw, opening, optional)


@st.composite
def problems(draw: st.DrawFn, *, max_youths: int = 8, max_openings: int = 5) -> dict[str, Any]:
    """A valid jobmatch/1 document with a pair left that can be matched.

    The pair is eligible (as the independent checker judges it) and its youth's
    `max_jobs` is at least 1; a draw without one is rejected. Fixed and forbidden
    pairs are drawn among those pairs, leaving one free. The fixed pairs never
    conflict: at most one per youth and no more than an opening's positions.
    """
    youth_ids = [f"y{i}" for i in range(draw(st.integers(1, max_youths)))]
    opening_ids = [f"o{j}" for j in range(draw(st.integers(1, max_openings)))]
    document: dict[str, Any] = {
        "format": "jobmatch/1",
        "start_date": START_DATE,
        "period": draw(st.sampled_from(("school", "holiday"))),
        "youths": [draw(youths(y, opening_ids, youth_ids)) for y in youth_ids],
        "openings": [draw(openings(o, youth_ids)) for o in opening_ids],
    }
    problem = load(document)
    eligible = [
        (youth, opening)
        for opening in problem.openings
        for youth in problem.youths
        if youth.max_jobs and not pair_violations(problem, youth, opening)
    ]
    if not eligible:
        reject()
    picked = draw(st.lists(st.sampled_from(eligible), unique=True, max_size=4))
    fixed: list[dict[str, str]] = []
    held = {opening.id: 0 for _, opening in eligible}
    for youth, opening in picked[: len(picked) // 2]:
        if held[opening.id] < opening.positions and all(
            pair["youth"] != youth.id for pair in fixed
        ):
            held[opening.id] += 1
            fixed.append({"youth": youth.id, "opening": opening.id})
    # Forbidding every eligible pair would leave nothing to match: keep one back.
    forbid = picked[len(picked) // 2 :][: len(eligible) - 1]
    forbidden = [{"youth": youth.id, "opening": opening.id} for youth, opening in forbid]
    return {**document, "fixed": fixed, "forbidden": forbidden}
