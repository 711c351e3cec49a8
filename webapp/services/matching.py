"""Matching: the board's rows as a jobmatch/1 problem, and the library's solve around it.

`build_problem` reads the database and writes a plain jobmatch/1 document that
names youths, openings and employers by their opaque public ids only: no names,
contact details, notes or school status beyond the format's
`in_compulsory_school` ever go into it (it is stored with the run). What goes in:

- **Youths**: every `active` youth of the chosen areas (all areas when
  `area_ids` is None). A youth with no availability windows gets an empty
  list, which means "never available" (the format reads a missing list as "no
  limit"; the board never assumes that a minor can work at any time).
  Onboarding counts a step as done when its status is `done` or `not_needed`.
  **Priority** is the youth's own priority (which a coordinator can raise)
  plus `NEVER_PLACED_BONUS` when the youth never had a job: no placement of
  any status and no external job on the timeline.
- **Openings**: `open` openings of approved employers that serve the chosen
  areas (their area or none) and have shifts and a position left. Positions
  left are the positions minus the confirmed and started placements.
- **Fixed**: every confirmed or started placement of a youth in the problem.
  Its opening is then in the problem too, whatever its status or area, so
  that the youth's hours and jobs are counted; it offers nobody else a
  position unless it is open with a position left. Such a placement's
  position is counted *inside* the document's `positions` (the solver places
  fixed pairs first), so `positions = fixed + free`, never `free` alone.
- **Forbidden** and **pinned** pairs come from the caller (see
  `stored_pair_rules`); pinned pairs join `fixed`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, scoped_session, selectinload

import jobmatch
from jobmatch.model import format_time

from ..extensions import db
from ..models import (
    DAYS,
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    PairRule,
    Placement,
    TimelineEvent,
    Youth,
    YouthPreference,
)
from .errors import ServiceError
from .explanations import rule_names
from .onboarding import needed_for
from .openings import ACTIVE_PLACEMENT

NEVER_PLACED_BONUS = 1  # added to the priority of a youth who never had a job
MAX_PRIORITY = 1000  # the format's upper bound
DONE_STEPS = ("done", "not_needed")
METHODS = ("optimal", "stable")
DEFAULT_TIME_LIMIT_S = 30.0

AnySession = Session | scoped_session[Any]
PairIds = tuple[str, str]  # (youth public id, opening public id)
Document = dict[str, Any]
_FIXED_ISSUE = re.compile(r"^fixed\[(\d+)\]$")


@dataclass(frozen=True)
class PairIssue:
    """A fixed or pinned pair that breaks a rule: who, which job, which reason codes."""

    youth_first_name: str
    opening_title: str
    codes: tuple[str, ...]
    running: bool


class ProblemBuildError(ServiceError):
    """The matching data cannot be solved as it stands; the message is translated.

    `issues` names each fixed or pinned pair that breaks a rule, when that is
    the cause.
    """

    def __init__(self, message: str, *, issues: Sequence[PairIssue] = ()) -> None:
        super().__init__(message)
        self.issues = tuple(issues)


def build_problem(
    session: AnySession,
    *,
    start_date: dt.date,
    period: Literal["school", "holiday"],
    area_ids: Iterable[int] | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    method: str = "optimal",
    forbidden: Iterable[PairIds] = (),
    pinned: Iterable[PairIds] = (),
) -> Document:
    """The jobmatch/1 document of the youths and openings in the database.

    Args:
        session: the SQLAlchemy session to read with.
        start_date: the day placements start (ages and school status are taken then).
        period: ``"school"`` or ``"holiday"`` week.
        area_ids: the areas whose youths are matched; None for every youth.
        time_limit_s: the solver's time limit, into ``options``.
        method: ``"optimal"`` or ``"stable"``, into ``options``.
        forbidden: (youth, opening) public id pairs the coordinator ruled out;
            pairs outside the problem are left out, as they cannot happen anyway.
        pinned: (youth, opening) public id pairs that must be placed.

    Returns:
        The document, ready for `jobmatch.load` and for storing as JSON.

    Raises:
        ValueError: an unknown method or period.
        ProblemBuildError: a pinned pair whose youth or opening is not in the problem.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if period not in ("school", "holiday"):
        raise ValueError(f"period must be 'school' or 'holiday', got {period!r}")
    areas = None if area_ids is None else sorted(set(area_ids))
    youths = _youths(session, areas)
    youth_ids = {y.id for y in youths}
    held = _active_placements(session)
    fixed = [(y, o) for y, o in held if y in youth_ids]
    taken = Counter(o for _, o in held)
    fixed_at = Counter(o for _, o in fixed)
    openings = _openings(session, areas, {o for _, o in fixed})
    positions = {
        o.id: fixed_at[o.id] + max(o.positions - taken[o.id], 0) * _offered(o, areas)
        for o in openings
    }
    openings = [o for o in openings if positions[o.id] > 0 and o.shifts]
    opening_of = {o.id: o for o in openings}
    youth_of = {y.id: y for y in youths}
    pairs = [
        {"youth": youth_of[y].public_id, "opening": opening_of[o].public_id}
        for y, o in fixed
        if o in opening_of
    ]
    in_problem = (
        {y.public_id for y in youths},
        {o.public_id for o in openings},
    )
    pairs += _pinned(session, pinned, pairs, in_problem)
    had_job = _had_job(session, youth_ids)
    steps = _step_codes(session)
    document: Document = {
        "format": "jobmatch/1",
        "start_date": start_date.isoformat(),
        "period": period,
        "youths": [_youth_record(y, start_date, in_problem, had_job) for y in youths],
        "openings": [_opening_record(o, positions[o.id], steps) for o in openings],
        "fixed": pairs,
        "forbidden": [
            {"youth": y, "opening": o}
            for y, o in dict.fromkeys(forbidden)
            if y in in_problem[0] and o in in_problem[1]
        ],
        "options": {"time_limit_s": float(time_limit_s), "method": method},
    }
    return document


def stored_pair_rules(session: AnySession) -> tuple[list[PairIds], list[PairIds]]:
    """The coordinators' stored pair rules as public id pairs: (forbidden, pinned)."""
    rows = session.execute(
        select(PairRule.rule, Youth.public_id, Opening.public_id)
        .join(Youth, Youth.id == PairRule.youth_id)
        .join(Opening, Opening.id == PairRule.opening_id)
        .order_by(PairRule.id)
    )
    rules: dict[str, list[PairIds]] = {"forbid": [], "pin": []}
    for rule, youth, opening in rows:
        rules.setdefault(rule, []).append((youth, opening))
    return rules["forbid"], rules["pin"]


def load_problem(
    document: Mapping[str, Any], *, session: AnySession | None = None
) -> jobmatch.Problem:
    """Validate a document with `jobmatch.load`.

    Raises:
        ProblemBuildError: the document does not load; when a fixed or pinned
            pair breaks a rule, the message names the youth (first name), the
            job (title) and the rules, for the coordinator.
    """
    try:
        return jobmatch.load(document)
    except jobmatch.ProblemError as error:
        raise _load_error(session or db.session, document, error) from error


def solve_problem(
    document: Mapping[str, Any], *, session: AnySession | None = None
) -> jobmatch.Solution:
    """Load and solve a document with its own options.

    Returns:
        The solution (status ``optimal`` or ``feasible``).

    Raises:
        ProblemBuildError: the document does not load (see `load_problem`), or
            its fixed pairs cannot all hold together (positions, jobs, hours).
    """
    problem = load_problem(document, session=session)
    solution = jobmatch.solve(problem)
    if solution.status is jobmatch.Status.INFEASIBLE:
        found = solution.stats.get("infeasible")
        reasons = [str(r) for r in found] if isinstance(found, list) else []
        names = _names(session or db.session, document)
        raise ProblemBuildError(
            _(
                "The confirmed jobs cannot all be kept together: %(details)s",
                details="; ".join(_replace_ids(r, names) for r in reasons),
            )
        )
    return solution


# -- reading rows --------------------------------------------------------------


def _youths(session: AnySession, areas: list[int] | None) -> list[Youth]:
    query = (
        select(Youth)
        .where(Youth.status == "active")
        .options(
            selectinload(Youth.availability),
            selectinload(Youth.steps).selectinload(OnboardingStep.kind),
            selectinload(Youth.buddies),
            selectinload(Youth.excluded_employers),
            selectinload(Youth.preferences).selectinload(YouthPreference.opening),
        )
        .order_by(Youth.id)
    )
    if areas is not None:
        query = query.where(Youth.area_id.in_(areas))
    return list(session.scalars(query))


def _active_placements(session: AnySession) -> list[tuple[int, int]]:
    """(youth id, opening id) of every confirmed or started placement, oldest first."""
    rows = session.execute(
        select(Placement.youth_id, Placement.opening_id)
        .where(Placement.status.in_(ACTIVE_PLACEMENT))
        .order_by(Placement.id)
    )
    return list(dict.fromkeys((y, o) for y, o in rows))


def _openings(session: AnySession, areas: list[int] | None, held: set[int]) -> list[Opening]:
    """Open openings of approved employers in the areas, and every opening in `held`."""
    offered = _offered_clause(areas)
    return list(
        session.scalars(
            select(Opening)
            .join(Employer, Employer.id == Opening.employer_id)
            .where(or_(offered, Opening.id.in_(held)))
            .options(selectinload(Opening.shifts), selectinload(Opening.employer))
            .order_by(Opening.id)
        )
    )


def _offered_clause(areas: list[int] | None) -> ColumnElement[bool]:
    clause = and_(Opening.status == "open", Employer.status == "approved")
    if areas is not None:
        clause = and_(clause, or_(Opening.area_id.is_(None), Opening.area_id.in_(areas)))
    return clause


def _offered(opening: Opening, areas: list[int] | None) -> bool:
    """Whether the opening takes new youths in this run (mirrors `_offered_clause`)."""
    return (
        opening.status == "open"
        and opening.employer.status == "approved"
        and (areas is None or opening.area_id is None or opening.area_id in areas)
    )


def _had_job(session: AnySession, youth_ids: set[int]) -> set[int]:
    """The youths who ever held a placement or an external job."""
    placed = select(Placement.youth_id).where(Placement.youth_id.in_(youth_ids))
    external = select(TimelineEvent.youth_id).where(
        TimelineEvent.youth_id.in_(youth_ids), TimelineEvent.kind == "external_job"
    )
    return set(session.scalars(placed.union(external)))


def _step_codes(session: AnySession) -> dict[str, list[str]]:
    """The step codes each kind of job needs by default, in checklist order."""
    kinds = session.scalars(
        select(OnboardingStepKind).order_by(OnboardingStepKind.position, OnboardingStepKind.id)
    ).all()
    return {
        job: [k.code for k in kinds if needed_for(k, job)]
        for job in ("fritidsjob", "lommepengejob")
    }


def _pinned(
    session: AnySession,
    pinned: Iterable[PairIds],
    fixed: list[dict[str, str]],
    in_problem: tuple[set[str], set[str]],
) -> list[dict[str, str]]:
    """Pinned pairs as fixed pairs; one outside the problem is an error."""
    known = {(p["youth"], p["opening"]) for p in fixed}
    extra = [pair for pair in dict.fromkeys(pinned) if pair not in known]
    outside = [(y, o) for y, o in extra if y not in in_problem[0] or o not in in_problem[1]]
    if outside:
        names = _names_of(session, {y for y, _ in outside}, {o for _, o in outside})
        raise ProblemBuildError(
            _(
                "%(youth)s cannot be pinned to %(opening)s: the youth is not active in the "
                "chosen areas, or the job has no free position.",
                youth=names.get(outside[0][0], "?"),
                opening=names.get(outside[0][1], "?"),
            )
        )
    return [{"youth": y, "opening": o} for y, o in extra]


# -- writing records -----------------------------------------------------------


def _shifts(windows: Iterable[Any]) -> list[dict[str, str]]:
    return [
        {
            "day": DAYS[w.day_index],
            "start": format_time(w.start_min),
            "end": format_time(w.end_min),
        }
        for w in windows
    ]


def _location(row: Youth | Opening) -> dict[str, float] | None:
    if row.lat is None or row.lon is None:
        return None
    return {"lat": row.lat, "lon": row.lon}


def _distinct(values: Iterable[str]) -> list[str]:
    """Non-empty values once each, in order (the format rejects repeats)."""
    return list(dict.fromkeys(v for v in values if v and v.strip()))


def _youth_record(
    youth: Youth, start_date: dt.date, in_problem: tuple[set[str], set[str]], had_job: set[int]
) -> dict[str, Any]:
    youths, openings = in_problem
    bonus = 0 if youth.id in had_job else NEVER_PLACED_BONUS
    record: dict[str, Any] = {
        "id": youth.public_id,
        "birth_date": youth.birth_date.isoformat(),
        "in_compulsory_school": youth.in_compulsory_school(start_date),
        "availability": _shifts(youth.availability),
    }
    if (location := _location(youth)) is not None:
        record["location"] = location
    if youth.max_travel_km is not None:
        record["max_travel_km"] = youth.max_travel_km
    record |= {
        "interests": _distinct(youth.interests or []),
        "languages": _distinct(youth.languages or []),
        "certificates": _distinct(youth.certificates or []),
        "onboarding": _distinct(s.kind.code for s in youth.steps if s.status in DONE_STEPS),
        "priority": min(youth.priority + bonus, MAX_PRIORITY),
        "max_jobs": youth.max_jobs,
        "exclude_employers": _distinct(e.public_id for e in youth.excluded_employers),
        "preferences": _distinct(
            p.opening.public_id for p in youth.preferences if p.opening.public_id in openings
        ),
        "buddies": _distinct(
            b.public_id for b in youth.buddies if b.public_id in youths and b.id != youth.id
        ),
    }
    return record


def _opening_record(
    opening: Opening, positions: int, steps: dict[str, list[str]]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": opening.public_id,
        "employer": opening.employer.public_id,
        "title": opening.title,
        "category": opening.category,
        "kind": opening.kind,
        "positions": positions,
        "min_age": opening.min_age,
        "light_work": opening.light_work,
        "workplace": opening.workplace,
        "alcohol": opening.alcohol,
        "shifts": _shifts(opening.shifts),
    }
    if opening.max_age is not None:
        record["max_age"] = opening.max_age
    if (location := _location(opening)) is not None:
        record["location"] = location
    languages = _distinct(opening.required_languages or [])
    certificates = _distinct(opening.required_certificates or [])
    if languages or certificates:
        record["requires"] = {"languages": languages, "certificates": certificates}
    record["onboarding_steps"] = _distinct(opening.onboarding_steps or steps[opening.kind])
    return record


# -- errors for the coordinator ------------------------------------------------


def _names_of(session: AnySession, youths: set[str], openings: set[str]) -> dict[str, str]:
    """Public id -> a youth's first name or an opening's title."""
    names: dict[str, str] = {}
    for ident, name, wanted in (
        (Youth.public_id, Youth.first_name, youths),
        (Opening.public_id, Opening.title, openings),
    ):
        if wanted:
            names.update(session.execute(select(ident, name).where(ident.in_(wanted))).all())
    return names


def _names(session: AnySession, document: Mapping[str, Any]) -> dict[str, str]:
    """Names of the records in the document's fixed pairs."""
    pairs = [p for p in document.get("fixed", []) if isinstance(p, Mapping)]
    return _names_of(
        session, {str(p.get("youth")) for p in pairs}, {str(p.get("opening")) for p in pairs}
    )


def _replace_ids(text: str, names: Mapping[str, str]) -> str:
    for ident, name in names.items():
        text = text.replace(ident, name)
    return text


def _load_error(
    session: AnySession, document: Mapping[str, Any], error: jobmatch.ProblemError
) -> ProblemBuildError:
    """The error to show: the fixed or pinned pairs that break a rule, else the issues."""
    fixed = list(document.get("fixed", []))
    bad = sorted(
        {int(m[1]) for issue in error.issues if (m := _FIXED_ISSUE.match(issue.location))}
    )
    if bad and len(bad) == len(error.issues):
        try:
            problem = jobmatch.load({**document, "fixed": []})
        except jobmatch.ProblemError:
            problem = None
        if problem is not None:
            issues = _pair_issues(session, problem, [fixed[i] for i in bad])
            return ProblemBuildError(
                " ".join(_pair_issue_text(issue) for issue in issues), issues=issues
            )
    return ProblemBuildError(
        _("The matching data is not valid: %(details)s", details="; ".join(map(str, error.issues)))
    )


def _pair_issues(
    session: AnySession, problem: jobmatch.Problem, pairs: list[Mapping[str, str]]
) -> list[PairIssue]:
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    names = _names_of(session, {p["youth"] for p in pairs}, {p["opening"] for p in pairs})
    running = {
        (youth, opening)
        for youth, opening in session.execute(
            select(Youth.public_id, Opening.public_id)
            .join(Placement, Placement.youth_id == Youth.id)
            .join(Opening, Opening.id == Placement.opening_id)
            .where(
                Placement.status.in_(ACTIVE_PLACEMENT),
                Youth.public_id.in_({p["youth"] for p in pairs}),
            )
        )
    }
    return [
        PairIssue(
            names.get(p["youth"], "?"),
            names.get(p["opening"], "?"),
            tuple(jobmatch.reasons_for(problem, youths[p["youth"]], openings[p["opening"]])),
            (p["youth"], p["opening"]) in running,
        )
        for p in pairs
    ]


def _pair_issue_text(issue: PairIssue) -> str:
    values = {
        "youth": issue.youth_first_name,
        "opening": issue.opening_title,
        "rules": rule_names(issue.codes),
    }
    if issue.running:
        return str(_("%(youth)s can no longer keep the job %(opening)s: %(rules)s.", **values))
    return str(_("%(youth)s cannot be pinned to %(opening)s: %(rules)s.", **values))
