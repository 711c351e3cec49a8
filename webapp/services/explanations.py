"""Why a youth was not placed, in short translated sentences for a coordinator.

The library gives each unplaced youth `Reason`s with a code, an optional
opening and an English detail. The sentences here are built from the problem
itself (distances, windows, languages, who holds a position), not by parsing
that detail, except for the counts of the summary reasons, which only the
detail carries. Every code has a sentence; the messages live in the dicts
below (code -> msgid), and the values that fill them in `_FACTS`.

People are named by first name only, jobs by title and employer.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session, selectinload

import jobmatch
from jobmatch import explain
from jobmatch.check import distance_km, youth_limits
from jobmatch.model import DAYS, format_time
from jobmatch.rules import rule_table

from ..extensions import db
from ..models import Opening, Youth
from ..ui.vocabulary import CERTIFICATES, DAY_LABELS, LANGUAGES

AnySession = Session | scoped_session[Any]
Message = Any  # a lazy msgid from `_l`

# Short names of the rules, for lists ("too young, alcohol is served").
RULE_NAMES: dict[str, Message] = {
    "too_young": _l("too young for the job"),
    "too_old": _l("older than the job takes"),
    "not_light_work": _l("not light work, which the youth may only do"),
    "alcohol": _l("alcohol is served"),
    "unavailable": _l("shifts outside the youth's available times"),
    "legal_hours": _l("more hours or days than the law allows the youth"),
    "working_window": _l("shifts outside the hours the law allows the youth"),
    "rest": _l("too little rest between working days"),
    "too_far": _l("farther from home than the youth travels"),
    "language": _l("a language the youth does not speak"),
    "certificate": _l("a certificate the youth does not have"),
    "excluded": _l("an employer the youth has ruled out"),
    "forbidden": _l("ruled out by a coordinator"),
    "positions_taken": _l("the positions went to others"),
    "max_jobs_zero": _l("the youth is not looking for a job"),
}

# A nearest miss: the job fails on this one rule only.
NEAR_MISS: dict[str, Message] = {
    "too_young": _l("Would get a job at %(employer)s (%(title)s) from the age of %(age)s."),
    "too_old": _l("Would get a job at %(employer)s (%(title)s) if it took youths over %(age)s."),
    "not_light_work": _l(
        "Would get a job at %(employer)s (%(title)s) if the tasks were light work: "
        "the youth is under 15 or in compulsory school."
    ),
    "alcohol": _l("Would get a job at %(employer)s (%(title)s) if no alcohol were served there."),
    "unavailable": _l("Would get a job at %(employer)s (%(title)s) if available %(shifts)s."),
    "legal_hours": _l(
        "Would get a job at %(employer)s (%(title)s) with fewer hours a day or a week "
        "(now %(hours)s hours a week), as the law limits the youth's hours."
    ),
    "working_window": _l(
        "Would get a job at %(employer)s (%(title)s) if its shifts lay within %(window)s, "
        "the hours the law allows the youth."
    ),
    "rest": _l(
        "Would get a job at %(employer)s (%(title)s) if its shifts left %(hours)s hours "
        "of rest between working days."
    ),
    "too_far": _l(
        "Would get a job at %(employer)s (%(title)s) if travelling %(km)s km instead of "
        "%(max_km)s km."
    ),
    "language": _l("Would get a job at %(employer)s (%(title)s) if speaking %(languages)s."),
    "certificate": _l(
        "Would get a job at %(employer)s (%(title)s) with the certificate %(certificates)s."
    ),
    "excluded": _l(
        "Would get a job at %(employer)s (%(title)s) if the youth had not ruled out this employer."
    ),
    "forbidden": _l(
        "Would get a job at %(employer)s (%(title)s) if a coordinator had not ruled out the pair."
    ),
}
POSITIONS_FULL: Message = _l("All its positions are taken for now.")

# Eligible for a job, but its positions went to others: why they came first.
TAKEN: dict[str, Message] = {
    "higher": _l(
        "Could take %(title)s at %(employer)s, but %(names)s came first: "
        "a higher priority, e.g. no job yet."
    ),
    "same": _l(
        "Could take %(title)s at %(employer)s, but %(names)s came first: the same or a "
        "higher priority, and more youths placed or a better fit overall."
    ),
    "mixed": _l(
        "Could take %(title)s at %(employer)s, but the positions went to %(names)s: "
        "giving one to this youth would leave someone with more priority without a job."
    ),
    "empty": _l(
        "Could take %(title)s at %(employer)s; it was left empty because that placed "
        "more youths overall."
    ),
}

# A reason about no single job: how many jobs a rule rules out, and the like.
SUMMARY: dict[str, Message] = {
    "too_far": _l("%(count)s of %(total)s open jobs are farther than %(km)s km from home."),
    "unavailable": _l(
        "%(count)s of the %(total)s jobs within reach have shifts outside the youth's "
        "available times (%(windows)s)."
    ),
    "positions_taken": _l("%(count)s more jobs the youth could take are all full."),
    "max_jobs_zero": _l("Not looking for a job: may hold no jobs at all."),
}
SUMMARY_OTHER: Message = _l("Rules out %(count)s of the %(total)s jobs within reach: %(rule)s.")
NO_OPENINGS: Message = _l("There are no open jobs in this run.")
NO_WINDOWS: Message = _l("none registered")
UNKNOWN_TRAVEL: Message = _l("any distance")

_COUNTS = re.compile(r"(\d+) of (?:the )?(\d+)")
_MORE = re.compile(r"(\d+) more")


@dataclass(frozen=True)
class Sentence:
    """One reason as a sentence, with the job it is about (None for a summary)."""

    code: str
    text: str
    opening: Opening | None = None


@dataclass(frozen=True)
class YouthExplanation:
    """An unplaced youth and the sentences that say why."""

    youth: Youth
    sentences: list[Sentence]


@dataclass(frozen=True)
class _Context:
    """What a sentence may draw on for one reason."""

    problem: jobmatch.Problem
    youth: jobmatch.Youth
    opening: jobmatch.Opening | None
    row: Opening | None
    holders: list[jobmatch.Youth]
    first_names: Mapping[str, str]
    detail: str


def rule_names(codes: Iterable[str]) -> str:
    """The translated short names of reason codes, comma-separated."""
    return ", ".join(str(RULE_NAMES.get(code, code)) for code in codes)


def unmatched_of(
    solution: jobmatch.Solution | Mapping[str, Any],
) -> tuple[jobmatch.Unmatched, ...]:
    """The unplaced youths of a solution, or of its stored jobmatch-solution/1 document."""
    if isinstance(solution, jobmatch.Solution):
        return solution.unmatched
    return tuple(
        jobmatch.Unmatched(
            u["youth"],
            tuple(
                jobmatch.Reason(r["code"], r.get("detail", ""), r.get("opening"))
                for r in u.get("reasons", [])
            ),
        )
        for u in solution.get("unmatched", [])
    )


def assignments_of(solution: jobmatch.Solution | Mapping[str, Any]) -> list[tuple[str, str]]:
    """(youth id, opening id) of every assignment of a solution or its document."""
    if isinstance(solution, jobmatch.Solution):
        return [(a.youth, a.opening) for a in solution.assignments]
    return [(a["youth"], a["opening"]) for a in solution.get("assignments", [])]


def explain_unplaced(
    problem: jobmatch.Problem,
    solution: jobmatch.Solution | Mapping[str, Any],
    *,
    session: AnySession | None = None,
) -> list[YouthExplanation]:
    """Every unplaced youth with a sentence per reason, in the solution's order.

    Args:
        problem: the solved problem (`jobmatch.load` of the run's document).
        solution: its solution, or the stored solution document.
        session: the session to read rows with; default the app's.

    Returns:
        One entry per unplaced youth found in the database (a youth erased since
        the run is left out), sentences in the order of the reasons.
    """
    rows_from = session or db.session
    unmatched = unmatched_of(solution)
    held: dict[str, list[str]] = defaultdict(list)
    for youth_id, opening_id in assignments_of(solution):
        held[opening_id].append(youth_id)
    opening_ids = {r.opening for u in unmatched for r in u.reasons if r.opening}
    youth_ids = {u.youth for u in unmatched} | {y for o in opening_ids for y in held[o]}
    youth_rows = _rows(rows_from, Youth, youth_ids)
    opening_rows = _rows(rows_from, Opening, opening_ids)
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    first_names = {ident: row.first_name for ident, row in youth_rows.items()}
    result = []
    for entry in unmatched:
        if entry.youth not in youth_rows or entry.youth not in youths:
            continue
        sentences = []
        for reason in entry.reasons:
            opening = openings.get(reason.opening) if reason.opening else None
            context = _Context(
                problem,
                youths[entry.youth],
                opening,
                opening_rows.get(reason.opening) if reason.opening else None,
                [youths[y] for y in held[reason.opening or ""] if y in youths],
                first_names,
                reason.detail,
            )
            sentences.append(Sentence(reason.code, sentence(reason.code, context), context.row))
        result.append(YouthExplanation(youth_rows[entry.youth], sentences))
    return result


def what_would_place(
    problem: jobmatch.Problem,
    youth_id: str,
    *,
    session: AnySession | None = None,
    attempts: int = 6,
    time_limit_s: float = 5.0,
) -> list[Sentence]:
    """Single changes to a youth's record that would get the youth placed, as sentences.

    Each change (a longer travel distance, one more availability window, a
    certificate or a language) is tried by solving again (`jobmatch.explain`),
    so this takes up to `attempts` solves of `time_limit_s` each: for a
    coordinator's click on one youth, not for a whole run's result page.
    """
    youth = next(y for y in problem.youths if y.id == youth_id)
    found = explain.what_would_place(
        problem, youth_id, attempts=attempts, time_limit_s=time_limit_s
    )
    rows = _rows(session or db.session, Opening, {w.opening for w in found})
    openings = {o.id: o for o in problem.openings}
    sentences = []
    for what in found:
        code = next(c for f, c in _CHANGED.items() if getattr(what.youth, f) != getattr(youth, f))
        context = _Context(
            problem, youth, openings[what.opening], rows.get(what.opening), [], {}, what.change
        )
        facts = _CHANGE_FACTS[code](youth, what.youth)
        text = _fill(NEAR_MISS[code], **_job(context), **facts)
        sentences.append(Sentence(code, text, context.row))
    return sentences


def sentence(code: str, context: _Context) -> str:
    """The sentence of one reason."""
    if context.opening is None:
        return _summary(code, context)
    if code == "positions_taken":
        why = _why_taken(context.youth, context.holders)
        return _fill(TAKEN[why], **_job(context), names=_first_names(context))
    facts = _FACTS.get(code, _no_facts)(context)
    text = _fill(NEAR_MISS[code], **_job(context), **facts)
    if len(context.holders) >= context.opening.positions:
        text = f"{text} {POSITIONS_FULL}"
    return text


# -- values for the messages ---------------------------------------------------


def _rows(session: AnySession, model: type[Any], ids: set[str]) -> dict[str, Any]:
    """Rows by public id (openings with their employer)."""
    if not ids:
        return {}
    query = select(model).where(model.public_id.in_(ids))
    if model is Opening:
        query = query.options(selectinload(Opening.employer))
    return {row.public_id: row for row in session.scalars(query)}


def _job(context: _Context) -> dict[str, str]:
    row, opening = context.row, context.opening
    title = row.title if row is not None else opening.title if opening else ""
    employer = row.employer.name if row is not None else opening.employer if opening else ""
    return {"title": title, "employer": employer}


def _first_names(context: _Context) -> str:
    return ", ".join(context.first_names.get(h.id, "?") for h in context.holders)


def _why_taken(youth: jobmatch.Youth, holders: Sequence[jobmatch.Youth]) -> str:
    """Why the holders came first (the library's own classification, on its data)."""
    if not holders:
        return "empty"
    if all(h.priority > youth.priority for h in holders):
        return "higher"
    if all(h.priority >= youth.priority for h in holders):
        return "same"
    return "mixed"


def _fill(message: Message, **values: str) -> str:
    """A translated message with its placeholders filled in."""
    return str(message) % values


def _summary(code: str, context: _Context) -> str:
    if code == "max_jobs_zero":
        return str(SUMMARY[code])
    if code == "positions_taken":
        more = _MORE.search(context.detail)
        return _fill(SUMMARY[code], count=more[1]) if more else str(NO_OPENINGS)
    counts = _COUNTS.search(context.detail)
    if counts is None:
        rule = rule_names([code])
        return rule[:1].upper() + rule[1:] + "."
    values = {"count": counts[1], "total": counts[2], "rule": rule_names([code])}
    return _fill(SUMMARY.get(code, SUMMARY_OTHER), **values, **_youth_facts(context.youth))


def _youth_facts(youth: jobmatch.Youth) -> dict[str, str]:
    windows = _shift_text(youth.availability or ()) or str(NO_WINDOWS)
    km = _km(youth.max_travel_km) if youth.max_travel_km is not None else str(UNKNOWN_TRAVEL)
    return {"windows": windows, "km": km}


def _km(value: float) -> str:
    return str(format_decimal(value, format="#,##0.#"))


def _shift_text(shifts: Iterable[jobmatch.Shift]) -> str:
    return ", ".join(
        f"{DAY_LABELS[DAYS[s.day]]} {format_time(s.start)}-{format_time(s.end)}" for s in shifts
    )


def _limits(context: _Context) -> Any:
    table = rule_table(context.problem.options.rules)
    return youth_limits(table, context.youth, context.problem.period == "school")


def _no_facts(_context: _Context) -> dict[str, str]:
    return {}


def _too_young(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    least = max(context.opening.min_age, rule_table(context.problem.options.rules).min_age)
    return {"age": str(least)}


def _too_old(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    return {"age": str(context.opening.max_age)}


def _unavailable(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    windows = context.youth.availability or ()
    missing = [s for s in context.opening.shifts if not any(w.contains(s) for w in windows)]
    return {"shifts": _shift_text(missing)}


def _legal_hours(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    return {"hours": _km(context.opening.weekly_minutes / 60)}


def _working_window(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    limits = _limits(context)
    window = limits.window(context.opening.workplace) if limits is not None else None
    span = f"{format_time(window[0])}-{format_time(window[1])}" if window else "-"
    return {"window": span}


def _rest(context: _Context) -> dict[str, str]:
    limits = _limits(context)
    return {"hours": str(limits.rest_minutes // 60) if limits is not None else "-"}


def _too_far(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    home, work = context.youth.location, context.opening.location
    km = distance_km(home, work) if home and work else 0.0
    # Rounded up, as `jobmatch.explain` does: travelling that far does reach the job.
    return {"km": _km(math.ceil(km * 10) / 10), "max_km": _youth_facts(context.youth)["km"]}


def _labels(vocabulary: Mapping[str, Message], codes: Iterable[str], have: Sequence[str]) -> str:
    """The translated labels of the codes not in `have`."""
    return ", ".join(str(vocabulary.get(x, x)) for x in codes if x not in have)


def _language(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    wanted = context.opening.required_languages
    return {"languages": _labels(LANGUAGES, wanted, context.youth.languages)}


def _certificate(context: _Context) -> dict[str, str]:
    assert context.opening is not None
    wanted = context.opening.required_certificates
    return {"certificates": _labels(CERTIFICATES, wanted, context.youth.certificates)}


_FACTS: dict[str, Callable[[_Context], dict[str, str]]] = {
    "too_young": _too_young,
    "too_old": _too_old,
    "unavailable": _unavailable,
    "legal_hours": _legal_hours,
    "working_window": _working_window,
    "rest": _rest,
    "too_far": _too_far,
    "language": _language,
    "certificate": _certificate,
}

# A what-if change: which field changed, which rule it lifts, and the values of its sentence.
_CHANGED = {
    "max_travel_km": "too_far",
    "availability": "unavailable",
    "certificates": "certificate",
    "languages": "language",
}
_Change = Callable[[jobmatch.Youth, jobmatch.Youth], dict[str, str]]
_CHANGE_FACTS: dict[str, _Change] = {
    "too_far": lambda was, now: {
        "km": _km(now.max_travel_km or 0.0),
        "max_km": _youth_facts(was)["km"],
    },
    "unavailable": lambda was, now: {
        "shifts": _shift_text(
            w for w in now.availability or () if w not in (was.availability or ())
        )
    },
    "certificate": lambda was, now: {
        "certificates": _labels(CERTIFICATES, now.certificates, was.certificates)
    },
    "language": lambda was, now: {"languages": _labels(LANGUAGES, now.languages, was.languages)},
}
