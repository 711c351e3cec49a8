"""Why a youth may not hold a job, with its figures, in the board's language.

The guard (`placement_guard`) and the run page word the library's
`jobmatch.Refusal`s here: each broken rule becomes a clause written from its
typed facts ("18 hours a week; the law allows a 13-year-old at most 12 in a
school week"), never from the library's English. A clause says "the law" only
for a rule of the law (ages, light work, alcohol, working hours, rest); the
youth's availability, travel radius, languages, certificates, the employer's
age limit and the coordinator's rules are named as what they are. A run stores
its refusals as plain JSON (`to_json`) and words them when its page is shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

import jobmatch

from ..ui.numbers import one_decimal
from ..ui.vocabulary import CERTIFICATES, DAY_LABELS, LANGUAGES
from . import facts_json
from .explanations import rule_names, shift_text

Message = Any  # a lazy msgid from `_l`

CLAUSES: dict[str, Message] = {
    "too_young": _l("the youth is %(age)s; the job takes youths from %(min_age)s"),
    "too_old": _l("the youth is %(age)s; the job takes youths up to %(max_age)s"),
    "not_light_work": _l(
        "the tasks are not light work, and the law lets a %(age)s-year-old in compulsory "
        "school or under 15 do light work only"
    ),
    "alcohol": _l("alcohol is served, which the law does not allow a %(age)s-year-old"),
    "working_window": _l(
        "%(shifts)s lies outside %(window)s, the hours the law allows a %(age)s-year-old"
    ),
    "rest": _l(
        "%(rest)s hours of rest from %(day)s to %(next_day)s; the law requires %(least)s "
        "for a %(age)s-year-old"
    ),
    "unavailable": _l("%(shifts)s lies outside the times the youth is available"),
    "too_far": _l("the job is %(km)s km from home; the youth travels at most %(max_km)s km"),
    "language": _l("the job requires %(languages)s, which the youth does not speak"),
    "certificate": _l("the job requires %(certificates)s, which the youth does not have"),
    "excluded": _l("the youth has ruled out this employer"),
    "forbidden": _l("a coordinator has ruled out this youth for this job"),
    "overlap": _l("its shifts lie at the same time as another job the youth holds"),
    "held": _l("the youth holds this job already"),
    "max_jobs": _l("the youth already holds as many jobs as allowed"),
}
HOURS: dict[tuple[str, bool], Message] = {
    ("week", True): _l(
        "%(hours)s hours a week; the law allows a %(age)s-year-old at most %(cap)s "
        "in a school week"
    ),
    ("week", False): _l(
        "%(hours)s hours a week; the law allows a %(age)s-year-old at most %(cap)s"
    ),
    ("school_day", True): _l(
        "%(hours)s hours on %(day)s; the law allows a %(age)s-year-old at most %(cap)s "
        "on a school day"
    ),
    ("day", True): _l(
        "%(hours)s hours on %(day)s; the law allows a %(age)s-year-old at most %(cap)s a day"
    ),
}
DAYS_OFF: Message = _l(
    "%(days)s working days a week; the law allows a %(age)s-year-old at most %(most)s"
)
WITH_HELD: Message = _l("%(reason)s, with the jobs the youth holds")


def words(refusals: Iterable[jobmatch.Refusal], *, age: int, school_week: bool) -> str:
    """The refusals as clauses with their figures, "; "-separated.

    Args:
        refusals: what the library found (`jobmatch.placement_refusals`).
        age: the youth's age on the day judged.
        school_week: whether that day is in a school week (the hour caps differ).
    """
    return "; ".join(clause(r, age=age, school_week=school_week) for r in refusals)


def clause(refusal: jobmatch.Refusal, *, age: int, school_week: bool) -> str:
    """One refusal as a clause: the rule's figures, and whether the jobs held add to it."""
    facts = refusal.facts
    values = {"age": str(age), **_values(facts)}
    if isinstance(facts, jobmatch.OverHours):
        key = (facts.limit, school_week) if facts.limit == "week" else (facts.limit, True)
        text = str(HOURS[key]) % values
    elif isinstance(facts, jobmatch.TooManyDays):
        text = str(DAYS_OFF) % values
    elif refusal.code in CLAUSES and (facts is not None or refusal.code in _WITHOUT_FIGURES):
        text = str(CLAUSES[refusal.code]) % values
    else:  # a code this board does not know, or facts missing: the rule's name
        text = rule_names([refusal.code])
    # Two jobs at once is about the jobs held already.
    return (
        str(WITH_HELD) % {"reason": text} if refusal.week and refusal.code != "overlap" else text
    )


_WITHOUT_FIGURES = {
    "not_light_work",
    "alcohol",
    "excluded",
    "forbidden",
    "overlap",
    "held",
    "max_jobs",
}


def _day(day: int) -> str:
    return str(DAY_LABELS[jobmatch.DAYS[day]])


def _hours(minutes: int) -> str:
    return one_decimal(minutes / 60)


def _labels(vocabulary: Mapping[str, Message], codes: Sequence[str]) -> str:
    return ", ".join(str(vocabulary.get(code, code)) for code in codes)


def _values(facts: jobmatch.PairFacts | None) -> dict[str, str]:
    """The figures of a clause, from its facts."""
    match facts:
        case jobmatch.TooYoung(min_age=least):
            return {"min_age": str(least)}
        case jobmatch.TooOld(max_age=most):
            return {"max_age": str(most)}
        case jobmatch.Unavailable(shifts=shifts):
            return {"shifts": shift_text(shifts)}
        case jobmatch.OutsideWindow(shifts=shifts, window_start=start, window_end=end):
            window = f"{jobmatch.format_time(start)}-{jobmatch.format_time(end)}"
            return {"shifts": shift_text(shifts), "window": window}
        case jobmatch.OverHours(day=day, minutes=minutes, cap_minutes=cap):
            return {
                "hours": _hours(minutes),
                "cap": _hours(cap),
                "day": _day(day) if day is not None else "",
            }
        case jobmatch.TooManyDays(working_days=days, max_days=most):
            return {"days": str(days), "most": str(most)}
        case jobmatch.ShortRest(rest_minutes=rest, min_rest_minutes=least, day=day, next_day=nxt):
            return {
                "rest": _hours(rest),
                "least": _hours(least),
                "day": _day(day),
                "next_day": _day(nxt),
            }
        case jobmatch.TooFar(distance_km=km, limit_km=limit):
            # Rounded up, as the run page's near misses: travelling that far reaches the job.
            return {"km": one_decimal(math.ceil(km * 10) / 10), "max_km": one_decimal(limit)}
        case jobmatch.Missing(missing=missing):
            return {
                "languages": _labels(LANGUAGES, missing),
                "certificates": _labels(CERTIFICATES, missing),
            }
    return {}


# -- stored with a run ----------------------------------------------------------


def to_json(refusal: jobmatch.Refusal) -> dict[str, Any]:
    """A refusal as plain JSON: its code, whether the week breaks it, its facts by kind."""
    return {"code": refusal.code, "week": refusal.week, "facts": facts_json.to_json(refusal.facts)}


def from_json(stored: Mapping[str, Any]) -> jobmatch.Refusal:
    """A refusal `to_json` wrote; facts of a kind this library no longer has are dropped."""
    facts = facts_json.from_json(stored.get("facts"))
    if not isinstance(facts, jobmatch.PairFacts):
        facts = None
    return jobmatch.Refusal(str(stored["code"]), facts, bool(stored.get("week")))
