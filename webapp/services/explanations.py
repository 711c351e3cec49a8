"""Why a youth was not placed, in short translated sentences for a coordinator.

The library gives each unplaced youth `Reason`s with a code, an optional
opening and typed facts (`jobmatch.facts`): the rule's own figures, such as
the distance and the travel limit, the window the law allows, the missing
certificate, who took the positions and why they came first. Every sentence
here is written from those facts through the translation catalogue; the
library's English `Reason.detail` is never read. A stored run's solution is
read back with `jobmatch.load_solution`, which gives its reasons their facts.

The messages live in `reason_messages` (code -> msgid); people are named by
first name only, jobs by title and employer.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session, selectinload

import jobmatch

from ..extensions import db
from ..models import Opening, Youth
from ..ui.numbers import one_decimal
from ..ui.vocabulary import CERTIFICATES, DAY_LABELS, LANGUAGES
from .reason_messages import (
    FULL_MISS,
    NEAR_MISS,
    NO_OPENINGS,
    NO_WINDOWS,
    RULE_NAMES,
    SUMMARY,
    SUMMARY_OTHER,
    TAKEN,
    UNKNOWN_TRAVEL,
    Message,
)

AnySession = Session | scoped_session[Any]


@dataclass(frozen=True)
class Sentence:
    """One reason as a sentence, with the job it is about (None for a summary).

    `kind` says what the reason is, for the one line the run page gives a youth:
    "taken" (the youth could take the job, its positions went to others), "miss"
    (the job fails on this one rule and has a position free: the change would
    place the youth), "full" (likewise, but no position is free), "summary" (a
    rule over `count` jobs, or `count` more jobs taken) or "other".
    """

    code: str
    text: str
    opening: Opening | None = None
    kind: str = "other"
    count: int = 0


@dataclass(frozen=True)
class YouthExplanation:
    """An unplaced youth and the sentences that say why."""

    youth: Youth
    sentences: list[Sentence]


@dataclass(frozen=True)
class Unexplained:
    """An unplaced youth's reasons as a run gave them (with their facts), before wording.

    `availability` is the youth's record's, which the summary of `unavailable` names.
    """

    youth: str
    reasons: Sequence[jobmatch.Reason]
    availability: Sequence[jobmatch.Shift] = ()


# A job's title and employer's name as the run's problem had them, by the opening's id:
# what a sentence names once the opening's row is gone.
JobNames = Mapping[str, tuple[str, str]]


@dataclass(frozen=True)
class _Job:
    """The job a sentence is about: its row (None once erased) and its names in the run."""

    row: Opening | None
    names_then: tuple[str, str]

    def names(self) -> dict[str, str]:
        """The job's title and employer's name, for a message."""
        if self.row is not None:
            return {"title": self.row.title, "employer": self.row.employer.name}
        title, employer = self.names_then
        return {"title": title, "employer": employer}


def rule_names(codes: Iterable[str]) -> str:
    """The translated short names of reason codes, comma-separated."""
    return ", ".join(str(RULE_NAMES.get(code, code)) for code in codes)


def explain_unplaced(
    problem: jobmatch.Problem,
    solution: jobmatch.Solution | Mapping[str, Any],
    *,
    session: AnySession | None = None,
    only: Collection[str] | None = None,
) -> list[YouthExplanation]:
    """Every unplaced youth with a sentence per reason, in the solution's order.

    Args:
        problem: the solved problem (`jobmatch.load` of the run's document).
        solution: its solution, or the stored jobmatch-solution/1 document
            (read back with `jobmatch.load_solution`).
        session: the session to read rows with; default the app's.
        only: the public ids of the youths to explain (a page of them); default all.

    Returns:
        One entry per unplaced youth found in the database (a youth erased since
        the run is left out), sentences in the order of the reasons.
    """
    if not isinstance(solution, jobmatch.Solution):
        solution = jobmatch.load_solution(solution, problem)
    youths = {y.id: y for y in problem.youths}
    entries = [
        Unexplained(u.youth, u.reasons, youths[u.youth].availability or ())
        for u in solution.unmatched
        if (only is None or u.youth in only) and u.youth in youths
    ]
    names = {o.id: (o.title, o.employer) for o in problem.openings}
    return explain(entries, names, session=session)


def explain(
    entries: Sequence[Unexplained], job_names: JobNames, *, session: AnySession | None = None
) -> list[YouthExplanation]:
    """Unplaced youths with a sentence per reason, in the order given.

    Args:
        entries: the youths and their reasons, with facts.
        job_names: the names the run had for the openings the reasons are about.
        session: the session to read rows with; default the app's.

    Returns:
        One entry per youth found in the database (a youth erased since the run is
        left out), sentences in the order of the reasons.
    """
    rows_from = session or db.session
    reasons = [r for u in entries for r in u.reasons]
    taken = [r.facts for r in reasons if isinstance(r.facts, jobmatch.PositionsTaken)]
    holders = {h.youth for facts in taken for h in facts.holders}
    youth_rows = _rows(rows_from, Youth, {u.youth for u in entries})
    opening_rows = _rows(rows_from, Opening, {r.opening for r in reasons if r.opening})
    first_names = _first_names(rows_from, holders)
    result = []
    for entry in entries:
        if entry.youth not in youth_rows:
            continue
        sentences = []
        for reason in entry.reasons:
            if reason.opening is None:
                text = _summary(reason, entry.availability)
                sentences.append(Sentence(reason.code, text, None, *_summary_kind(reason)))
            else:
                names = job_names.get(reason.opening, ("?", "?"))
                job = _Job(opening_rows.get(reason.opening), names)
                text = _about_job(reason, job, first_names)
                sentences.append(Sentence(reason.code, text, job.row, _job_kind(reason)))
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

    `what_would_changes` worded by `change_sentences`: up to `attempts` solves of
    `time_limit_s` each, so never inside a page's request (`services.what_would`
    runs it in the background).
    """
    changes = what_would_changes(problem, youth_id, attempts=attempts, time_limit_s=time_limit_s)
    return change_sentences(changes, session=session)


def what_would_changes(
    problem: jobmatch.Problem, youth_id: str, *, attempts: int = 6, time_limit_s: float = 5.0
) -> list[dict[str, Any]]:
    """Single changes to a youth's record that would get the youth placed, as plain JSON.

    Each change (a longer travel distance, one more availability window, a
    certificate or a language) is tried by solving again (`jobmatch.what_would_place`).
    A change holds its code, the job it places the youth at (id, title, employer
    as the problem has them) and what the changed record adds (`km` and `max_km`,
    `windows` as [day, start, end], or the `added` languages or certificates).
    """
    youth = next(y for y in problem.youths if y.id == youth_id)
    openings = {o.id: o for o in problem.openings}
    found = jobmatch.what_would_place(
        problem, youth_id, attempts=attempts, time_limit_s=time_limit_s
    )
    return [_change_json(w.code, openings[w.opening], youth, w.youth) for w in found]


def change_sentences(
    changes: Iterable[Mapping[str, Any]], *, session: AnySession | None = None
) -> list[Sentence]:
    """The sentences of stored changes (`what_would_changes`), with the new figures."""
    known = [c for c in changes if c.get("code") in NEAR_MISS]
    rows = _rows(session or db.session, Opening, {str(c["opening"]) for c in known})
    sentences = []
    for change in known:
        row = rows.get(change["opening"])
        names = (
            {"title": row.title, "employer": row.employer.name}
            if row is not None
            else {"title": str(change["title"]), "employer": str(change["employer"])}
        )
        values = _stored_change_values(change)
        text = _fill(NEAR_MISS[change["code"]], **names, **values)
        sentences.append(Sentence(change["code"], text, row, "miss"))
    return sentences


def _job_kind(reason: jobmatch.Reason) -> str:
    """What a reason about one job is: positions taken, or a near miss with or without room."""
    facts = reason.facts
    if isinstance(facts, jobmatch.PositionsTaken):
        return "taken"
    if isinstance(facts, jobmatch.PairFacts):
        return "miss" if facts.free_positions > 0 else "full"
    return "other"


def _summary_kind(reason: jobmatch.Reason) -> tuple[str, int]:
    """What a reason about no single job is, and how many jobs it is about."""
    facts = reason.facts
    if isinstance(facts, jobmatch.RuledOut | jobmatch.MoreTaken):
        return "summary", facts.count
    return "other", 0


def _about_job(reason: jobmatch.Reason, job: _Job, first_names: Mapping[str, str]) -> str:
    """The sentence of a reason about one job: a near miss, or positions that went to others."""
    facts = reason.facts
    if isinstance(facts, jobmatch.PositionsTaken):
        names = ", ".join(first_names.get(h.youth, "?") for h in facts.holders)
        return _fill(TAKEN[facts.why], **job.names(), names=names)
    if not isinstance(facts, jobmatch.PairFacts):
        return _rule_sentence(reason.code)
    if facts.free_positions <= 0:  # "would get a job" would not be true: say it is full
        return _fill(FULL_MISS, **job.names(), rule=rule_names([reason.code]))
    return _fill(NEAR_MISS[reason.code], **job.names(), **_pair_values(reason.code, facts))


def _summary(reason: jobmatch.Reason, availability: Sequence[jobmatch.Shift]) -> str:
    """The sentence of a reason about no single job (the youth's windows fill in its own)."""
    facts = reason.facts
    if isinstance(facts, jobmatch.NotLooking):
        return str(SUMMARY["max_jobs_zero"])
    if isinstance(facts, jobmatch.MoreTaken):
        return _fill(SUMMARY["positions_taken"], count=str(facts.count))
    if isinstance(facts, jobmatch.NoOpenings):
        return str(NO_OPENINGS)
    if not isinstance(facts, jobmatch.RuledOut):
        return _rule_sentence(reason.code)
    values = {
        "count": str(facts.count),
        "total": str(facts.total),
        "rule": rule_names([reason.code]),
        "km": _travel(facts.limit_km),
        "windows": _shift_text(availability) or str(NO_WINDOWS),
    }
    return _fill(SUMMARY.get(reason.code, SUMMARY_OTHER), **values)


def _shift_text(shifts: Iterable[jobmatch.Shift]) -> str:
    """Shifts as "Wednesday 19:00-21:00, ..." with translated day names."""
    return ", ".join(
        f"{DAY_LABELS[jobmatch.DAYS[s.day]]} {jobmatch.format_time(s.start)}-"
        f"{jobmatch.format_time(s.end)}"
        for s in shifts
    )


def shift_text(shifts: Iterable[jobmatch.Shift]) -> str:
    """Shifts as "Wednesday 19:00-21:00, ..." with translated day names (for other services)."""
    return _shift_text(shifts)


# -- values for the messages ---------------------------------------------------


def _rows(session: AnySession, model: type[Any], ids: set[str]) -> dict[str, Any]:
    """Rows by public id (openings with their employer)."""
    if not ids:
        return {}
    query = select(model).where(model.public_id.in_(ids))
    if model is Opening:
        query = query.options(selectinload(Opening.employer))
    return {row.public_id: row for row in session.scalars(query)}


def _first_names(session: AnySession, ids: set[str]) -> dict[str, str]:
    """The first names of youths by public id (the holders a sentence names)."""
    if not ids:
        return {}
    found = session.execute(
        select(Youth.public_id, Youth.first_name).where(Youth.public_id.in_(ids))
    )
    return dict(found.all())  # type: ignore[arg-type]


def _fill(message: Message, **values: str) -> str:
    """A translated message with its placeholders filled in."""
    return str(message) % values


def _rule_sentence(code: str) -> str:
    """A reason without facts (made by hand, not by the library): its rule's name."""
    rule = rule_names([code])
    return rule[:1].upper() + rule[1:] + "."


def _travel(limit_km: float | None) -> str:
    return one_decimal(limit_km) if limit_km is not None else str(UNKNOWN_TRAVEL)


def _labels(vocabulary: Mapping[str, Message], codes: Iterable[str]) -> str:
    """The translated labels of the codes."""
    return ", ".join(str(vocabulary.get(x, x)) for x in codes)


def _missing(code: str, missing: Sequence[str]) -> dict[str, str]:
    """The languages or certificates a youth lacks, as their message names them."""
    if code == "language":
        return {"languages": _labels(LANGUAGES, missing)}
    return {"certificates": _labels(CERTIFICATES, missing)}


def _pair_values(code: str, facts: jobmatch.PairFacts) -> dict[str, str]:
    """The figures of a near miss's message, from its facts."""
    match facts:
        case jobmatch.TooYoung(min_age=age) | jobmatch.TooOld(max_age=age):
            return {"age": str(age)}
        case jobmatch.Unavailable(shifts=shifts):
            return {"shifts": _shift_text(shifts)}
        case (
            jobmatch.OverHours(weekly_minutes=minutes)
            | jobmatch.TooManyDays(weekly_minutes=minutes)
        ):
            return {"hours": one_decimal(minutes / 60)}
        case jobmatch.OutsideWindow(window_start=start, window_end=end):
            return {"window": f"{jobmatch.format_time(start)}-{jobmatch.format_time(end)}"}
        case jobmatch.ShortRest(min_rest_minutes=rest):
            return {"hours": str(rest // 60)}
        case jobmatch.TooFar(distance_km=km, limit_km=limit):
            # Rounded up, as `jobmatch.what_would_place` does: travelling that far reaches the job.
            return {"km": one_decimal(math.ceil(km * 10) / 10), "max_km": one_decimal(limit)}
        case jobmatch.Missing(missing=missing):
            return _missing(code, missing)
    return {}


def _change_json(
    code: str, opening: jobmatch.Opening, was: jobmatch.Youth, now: jobmatch.Youth
) -> dict[str, Any]:
    """A what-if change as plain JSON: the job, and what the changed record adds."""
    change: dict[str, Any] = {
        "code": code,
        "opening": opening.id,
        "title": opening.title,
        "employer": opening.employer,
    }
    if code == "too_far":
        change.update(km=now.max_travel_km, max_km=was.max_travel_km)
    elif code == "unavailable":
        before = was.availability or ()
        added = [w for w in now.availability or () if w not in before]
        change["windows"] = [[w.day, w.start, w.end] for w in added]
    elif code == "language":
        change["added"] = [x for x in now.languages if x not in was.languages]
    else:
        change["added"] = [x for x in now.certificates if x not in was.certificates]
    return change


def _stored_change_values(change: Mapping[str, Any]) -> dict[str, str]:
    """The figures of a stored what-if change's message."""
    code = change["code"]
    if code == "too_far":
        return {"km": _travel(change.get("km")), "max_km": _travel(change.get("max_km"))}
    if code == "unavailable":
        return {"shifts": _shift_text(jobmatch.Shift(*w) for w in change.get("windows", []))}
    return _missing(code, [str(x) for x in change.get("added", [])])
