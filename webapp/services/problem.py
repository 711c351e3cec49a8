"""The whole jobmatch/1 document of a run, built from the board's rows in this one place.

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
- **Held jobs** (`build_run_problem`): proposals sent to an employer and not
  yet answered hold a position, like placements; running placements and sent
  proposals that no longer fit the rules are set aside (kept out of `fixed`,
  their position and job still counted) and listed for the coordinator.
- **Distances not checked** (`build_run_problem`): the youths with a travel
  radius but no coordinates and the openings without coordinates, listed with
  the run (`problem_warnings`): the library cannot check a radius for them.

The rows are read into a `_Draft` (the people, the openings, their positions
and jobs left, the fixed and forbidden pairs); the held jobs adjust the draft,
and the document is written from it once, at the end. An opening left with
no position is not written, nor is any reference to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy.orm import Session, scoped_session

import jobmatch

from ..models import Opening, Youth
from . import problem_rows as rows
from .matching import ProblemBuildError, names_of
from .pair_rules import PairIds, stored_pair_rules
from .problem_records import opening_record, youth_record
from .problem_warnings import distance_not_checked

METHODS = ("optimal", "stable")
DEFAULT_TIME_LIMIT_S = 30.0

AnySession = Session | scoped_session[Any]
Document = dict[str, Any]
Pair = dict[str, str]  # {"youth": public id, "opening": public id}


@dataclass(frozen=True)
class RunProblem:
    """A run's document, the held jobs set aside from it (each with its reason codes), and
    the youths and openings whose distances it cannot check (`problem_warnings`)."""

    document: Document
    set_aside: list[dict[str, Any]] = field(default_factory=list)
    distance_not_checked: dict[str, list[str]] = field(default_factory=dict)


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
    options = {"time_limit_s": float(time_limit_s), "method": method}
    draft = _Draft.read(session, start_date, period, area_ids, options, forbidden, pinned)
    return draft.document()


def build_run_problem(
    session: AnySession,
    *,
    start_date: dt.date,
    period: Literal["school", "holiday"],
    area_ids: Iterable[int] | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    method: str = "optimal",
    part_pairs: int | None = None,
) -> RunProblem:
    """The document of a run: as `build_problem`, with the stored pair rules and the held jobs.

    `part_pairs`, when given, is the least eligible pairs of an independent part
    (``options.part_pairs``; the library's default otherwise).

    Raises:
        ValueError: an unknown method or period.
        ProblemBuildError: a pinned pair whose youth or opening is not in the problem.
    """
    forbidden, pinned = stored_pair_rules(session)
    options: dict[str, Any] = {"time_limit_s": float(time_limit_s), "method": method}
    if part_pairs is not None:
        options["part_pairs"] = int(part_pairs)
    draft = _Draft.read(session, start_date, period, area_ids, options, forbidden, pinned)
    draft.hold_sent_proposals(rows.sent_proposals(session))
    set_aside = draft.set_aside_broken(session)
    offered = [o for o in draft.openings if draft.positions[o.public_id] > 0]
    unlocated = distance_not_checked(draft.youths, offered)
    return RunProblem(draft.document(), set_aside, unlocated)


@dataclass
class _Draft:
    """What a document will hold, before it is written: rows, positions and jobs left, pairs."""

    start_date: dt.date
    period: str
    options: dict[str, Any]
    youths: list[Youth]
    openings: list[Opening]  # those with shifts and a position, before the held jobs
    positions: dict[str, int]  # by opening public id
    max_jobs: dict[str, int]  # by youth public id
    fixed: list[Pair]
    forbidden: list[PairIds]
    had_job: set[int]
    steps: dict[str, list[str]]

    @classmethod
    def read(
        cls,
        session: AnySession,
        start_date: dt.date,
        period: str,
        area_ids: Iterable[int] | None,
        options: dict[str, Any],
        forbidden: Iterable[PairIds],
        pinned: Iterable[PairIds],
    ) -> _Draft:
        """Read the rows: youths, openings, running placements; pinned pairs join `fixed`."""
        if options["method"] not in METHODS:
            raise ValueError(
                f"method must be one of {', '.join(METHODS)}, got {options['method']!r}"
            )
        if period not in ("school", "holiday"):
            raise ValueError(f"period must be 'school' or 'holiday', got {period!r}")
        areas = None if area_ids is None else sorted(set(area_ids))
        youths = rows.active_youths(session, areas)
        youth_ids = {y.id for y in youths}
        held = rows.active_placements(session)
        fixed = [(y, o) for y, o in held if y in youth_ids]
        taken = Counter(o for _, o in held)
        fixed_at = Counter(o for _, o in fixed)
        openings = rows.openings_for(session, areas, {o for _, o in fixed})
        positions = {
            o.id: fixed_at[o.id] + max(o.positions - taken[o.id], 0) * rows.offered(o, areas)
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
        in_problem = ({y.public_id for y in youths}, {o.public_id for o in openings})
        pairs += _pinned(session, pinned, pairs, in_problem)
        return cls(
            start_date=start_date,
            period=period,
            options=options,
            youths=youths,
            openings=openings,
            positions={o.public_id: positions[o.id] for o in openings},
            max_jobs={y.public_id: y.max_jobs for y in youths},
            fixed=pairs,
            forbidden=[
                (y, o)
                for y, o in dict.fromkeys(forbidden)
                if y in in_problem[0] and o in in_problem[1]
            ],
            had_job=rows.had_job(session, youth_ids),
            steps=rows.step_codes(session),
        )

    def hold_sent_proposals(self, sent: list[PairIds]) -> None:
        """Proposals sent to employers hold a position, as placements do.

        A sent pair whose youth and opening are both in the problem becomes
        fixed; one whose youth is outside takes a position off its opening;
        one whose opening is outside takes a job off its youth's `max_jobs`.
        """
        youths = {y.public_id for y in self.youths}
        openings = set(self.positions)
        fixed = {(p["youth"], p["opening"]) for p in self.fixed}
        for youth, opening in sent:
            if youth in youths and opening in openings:
                if (youth, opening) not in fixed:
                    self.fixed.append({"youth": youth, "opening": opening})
                    fixed.add((youth, opening))
            elif opening in openings:
                self.positions[opening] -= 1
            elif youth in youths:
                self.max_jobs[youth] = max(self.max_jobs[youth] - 1, 0)

    def set_aside_broken(self, session: AnySession) -> list[dict[str, Any]]:
        """Take held jobs that no longer fit the rules out of `fixed`, their positions kept.

        A running placement or a sent proposal whose youth changed (availability,
        travel) may break a rule now; the library refuses such a fixed pair, which
        would stop every run. Such a pair leaves `fixed`, its opening keeps the
        position taken and its youth the job counted, and the run lists it for the
        coordinator. A pinned pair that breaks a rule still fails the run.

        Returns:
            Each pair set aside with its reason codes.
        """
        if not self.fixed:
            return []
        try:
            problem = jobmatch.load(self.document(fixed=[]))
        except jobmatch.ProblemError:
            return []  # the solve reports it with every issue
        youths = {y.id: y for y in problem.youths}
        openings = {o.id: o for o in problem.openings}
        held = rows.held_pairs(session)
        kept, aside = [], []
        for pair in self.fixed:
            codes = jobmatch.reasons_for(problem, youths[pair["youth"]], openings[pair["opening"]])
            if codes and (pair["youth"], pair["opening"]) in held:
                aside.append({**pair, "codes": codes})
            else:
                kept.append(pair)
        for pair in aside:
            self.positions[pair["opening"]] -= 1
            self.max_jobs[pair["youth"]] = max(self.max_jobs[pair["youth"]] - 1, 0)
        self.fixed = kept
        return aside

    def document(self, *, fixed: list[Pair] | None = None) -> Document:
        """The jobmatch/1 document: openings left with no position are not in it."""
        openings = [o for o in self.openings if self.positions[o.public_id] > 0]
        in_problem = ({y.public_id for y in self.youths}, {o.public_id for o in openings})
        return {
            "format": "jobmatch/1",
            "start_date": self.start_date.isoformat(),
            "period": self.period,
            "youths": [
                youth_record(
                    y, self.start_date, in_problem, self.had_job, self.max_jobs[y.public_id]
                )
                for y in self.youths
            ],
            "openings": [
                opening_record(o, self.positions[o.public_id], self.steps) for o in openings
            ],
            "fixed": list(self.fixed if fixed is None else fixed),
            "forbidden": [
                {"youth": y, "opening": o} for y, o in self.forbidden if o in in_problem[1]
            ],
            "options": dict(self.options),
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
        names = names_of(session, {y for y, _ in outside}, {o for _, o in outside})
        raise ProblemBuildError(
            _(
                "%(youth)s cannot be pinned to %(opening)s: the youth is not active in the "
                "chosen areas, or the job has no free position.",
                youth=names.get(outside[0][0], "?"),
                opening=names.get(outside[0][1], "?"),
            )
        )
    return [{"youth": y, "opening": o} for y, o in extra]
