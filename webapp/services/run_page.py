"""The run page's view model: a finished run's proposals, unplaced youths, figures and pins."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import jobmatch

from ..extensions import db
from ..models import (
    Area,
    MatchRun,
    Opening,
    PairRule,
    Proposal,
    ProposalStatus,
    RunStatus,
    Youth,
)
from ..ui.numbers import one_decimal
from . import run_summary
from .explanations import (
    Sentence,
    YouthExplanation,
    explain_unplaced,
    rule_names,
    what_would_place,
)
from .first_day import next_first_day
from .lookup import by_public_ids
from .problem_records import opening_record
from .problem_rows import step_codes
from .refusals import from_json, words

NOT_PROPOSED = _l("Not proposed for %(title)s at %(employer)s: %(reasons)s.")


@dataclass(frozen=True)
class Figures:
    """A run's figures for the coordinator."""

    youths: int
    placed: int
    new_proposals: int
    by_priority: list[tuple[int, int, int]]  # (priority, placed, youths)
    by_area: list[tuple[str, int, int]]  # (area, placed, youths)
    seconds: float | None
    optimal: bool
    solver: str
    price_of_stability: dict[str, int] | None = None
    blocking_pairs: int | None = None


@dataclass(frozen=True)
class ProposalRow:
    """A proposal on the run page with its pair's stored rule and the actions that apply."""

    proposal: Proposal
    rule: str | None  # "pin", "forbid" or None, as the database holds it
    actions: tuple[str, ...]  # of "confirm", "withdraw", "pin", "forbid", "clear"
    first_day: dt.date | None = None  # the first shift day from the run's start

    @property
    def distance(self) -> str | None:
        """The distance from home in km, as the locale writes it, or None when unknown."""
        km = self.proposal.reasons.get("distance_km")
        return one_decimal(km) if km is not None else None

    @property
    def selectable(self) -> bool:
        """Whether the row has a box for "confirm the selected"."""
        return "confirm" in self.actions


def row_actions(status: str, rule: str | None) -> tuple[str, ...]:
    """The actions a proposal's row offers, given its status and its pair's stored rule.

    A ruled-out pair is never confirmed; an answered or withdrawn proposal only lets
    the coordinator remove the rule its pair holds.
    """
    if status not in (ProposalStatus.PROPOSED, ProposalStatus.SENT):
        return ("clear",) if rule else ()
    offered = {
        "confirm": status == ProposalStatus.PROPOSED and rule != "forbid",
        "withdraw": status == ProposalStatus.SENT,
        "pin": rule != "pin",
        "forbid": rule != "forbid",
        "clear": rule is not None,
    }
    return tuple(name for name, offer in offered.items() if offer)


@dataclass
class RunResult:
    """Everything the run page shows."""

    run: MatchRun
    proposals: list[Proposal]
    unplaced: list[YouthExplanation]
    figures: Figures | None
    rules: dict[tuple[int, int], PairRule] = field(default_factory=dict)
    what_would: tuple[Youth, list[Sentence]] | None = None
    set_aside: list[tuple[str, str, str]] = field(default_factory=list)
    # The stored documents no longer read under this version of the library.
    outdated: bool = False
    change: run_summary.Change | None = None  # against the previous finished run

    @property
    def rows(self) -> list[ProposalRow]:
        """The proposals in order, each with its stored rule, actions and first day."""
        rows = []
        for p in self.proposals:
            stored = self.rules.get((p.youth_id, p.opening_id))
            rule = stored.rule if stored else None
            day = next_first_day(p.opening, not_before=self.run.start_date)
            rows.append(ProposalRow(p, rule, row_actions(p.status, rule), day))
        return rows

    @property
    def time_limit(self) -> str:
        """The run's time limit in seconds, as the locale writes a number ("30", "2,5")."""
        limit = self.run.parameters.get("time_limit_s")
        return one_decimal(float(limit)) if limit is not None else "—"

    @property
    def seconds(self) -> str:
        """How long the solving took in seconds, as the locale writes it, or a dash."""
        taken = self.figures.seconds if self.figures else None
        return one_decimal(taken) if taken is not None else "—"

    @property
    def lines(self) -> list[run_summary.UnplacedLine]:
        """Each unplaced youth in one line: the main reason and the change that would help."""
        return [run_summary.line(u) for u in self.unplaced]


def result(run: MatchRun, *, explain_youth: str | None = None) -> RunResult:
    """The proposals, unplaced youths with reasons and the figures of a finished run.

    Args:
        run: the run.
        explain_youth: an unplaced youth's public id: also try what would place them
            (a few more solves, so only on request).
    """
    if run.status != RunStatus.DONE:
        return RunResult(run, [], [], None)
    proposals = list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.run_id == run.id)
            .options(
                selectinload(Proposal.youth),
                selectinload(Proposal.opening).selectinload(Opening.employer),
                selectinload(Proposal.opening).selectinload(Opening.shifts),
            )
            .order_by(Proposal.id)
        )
    )
    try:
        problem = jobmatch.load(run.problem)
        explained = explain_unplaced(problem, run.solution)
    except jobmatch.ProblemError:
        return RunResult(run, proposals, [], None, outdated=True)
    # A youth whose only job was set aside is not looking for another: not "unplaced".
    holding = {p["youth"] for p in run.parameters.get("set_aside") or []}
    full = {y.id for y in problem.youths if y.id in holding and y.max_jobs == 0}
    unplaced = [u for u in explained if u.youth.public_id not in full]
    rules = {
        (r.youth_id, r.opening_id): r
        for r in db.session.scalars(
            select(PairRule).where(PairRule.youth_id.in_([p.youth_id for p in proposals]))
        )
    }
    what = None
    if explain_youth and any(u.youth.public_id == explain_youth for u in unplaced):
        youth = next(u.youth for u in unplaced if u.youth.public_id == explain_youth)
        what = (youth, what_would_place(problem, explain_youth))
    proposed = {p.youth_id for p in proposals}
    refused = [e for e in refused_proposals(run) if e.youth.id not in proposed]
    figures = _figures(run, problem, proposals)
    unplaced += refused
    change = run_summary.compare(run, figures.placed, [u.youth for u in unplaced])
    aside = set_aside_pairs(run)
    return RunResult(run, proposals, unplaced, figures, rules, what, aside, change=change)


def _figures(run: MatchRun, problem: jobmatch.Problem, proposals: list[Proposal]) -> Figures:
    """The figures; a pair the guard refused (not proposed) places nobody."""
    solution = run.solution
    placed_ids = run_summary.placed_youths(solution, run.parameters)
    area_of = dict(
        db.session.execute(
            select(Youth.public_id, Area.name)
            .join(Area, Area.id == Youth.area_id)
            .where(Youth.public_id.in_([y.id for y in problem.youths]))
        ).all()
    )
    by_priority: dict[int, Counter[str]] = defaultdict(Counter)
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for y in problem.youths:
        for bucket in (by_priority[y.priority], by_area[area_of.get(y.id, "—")]):
            bucket["youths"] += 1
            bucket["placed"] += y.id in placed_ids
    stats = solution.get("stats", {})
    return Figures(
        youths=len(problem.youths),
        placed=len(placed_ids),
        new_proposals=len(proposals),
        by_priority=[
            (p, c["placed"], c["youths"]) for p, c in sorted(by_priority.items(), reverse=True)
        ],
        by_area=[(a, c["placed"], c["youths"]) for a, c in sorted(by_area.items())],
        seconds=stats.get("seconds"),
        optimal=solution.get("status") == "optimal",
        solver=str(stats.get("solver", "")),
        price_of_stability=stats.get("price_of_stability"),
        blocking_pairs=stats.get("blocking_pairs"),
    )


def set_aside_pairs(run: MatchRun) -> list[tuple[str, str, str]]:
    """The jobs a run kept out as no longer fitting: (first name, job title, the reasons).

    The reasons carry their figures (`refusals.words`): the pair is judged again from
    the records the run stored; without them, the reasons are named only.
    """
    aside = run.parameters.get("set_aside") or []
    if not aside:
        return []
    youths = by_public_ids(Youth, {p["youth"] for p in aside})
    openings = by_public_ids(Opening, {p["opening"] for p in aside})
    return [
        (
            youths[p["youth"]].first_name if p["youth"] in youths else "?",
            openings[p["opening"]].title if p["opening"] in openings else "?",
            _aside_reasons(run, p, openings.get(p["opening"])),
        )
        for p in aside
    ]


def _aside_reasons(run: MatchRun, pair: dict[str, Any], row: Opening | None) -> str:
    """Why a held job was set aside: the pair's reasons with figures, from the run's records."""
    records = run.problem or {}
    youth = next((y for y in records.get("youths", []) if y.get("id") == pair["youth"]), None)
    opening = next(
        (o for o in records.get("openings", []) if o.get("id") == pair["opening"]), None
    )
    if opening is None and row is not None:  # its last position was the held one
        opening = opening_record(row, 1, step_codes(db.session))
    found: list[jobmatch.Refusal] = []
    if youth is not None and opening is not None:
        document = {
            "format": "jobmatch/1",
            "start_date": records.get("start_date"),
            "period": records.get("period", "school"),
            "youths": [{**youth, "preferences": [], "buddies": []}],
            "openings": [{**opening, "preferences": [], "positions": 1}],
        }
        try:
            problem = jobmatch.load(document)
            found = jobmatch.placement_refusals(problem, pair["youth"], pair["opening"])
        except (jobmatch.ProblemError, KeyError):
            found = []
    if not found:
        return rule_names(pair["codes"])
    return words(found, age=problem.youths[0].age, school_week=problem.period == "school")


def refused_proposals(run: MatchRun) -> list[YouthExplanation]:
    """The run's pairs the guard refused when its proposals were written, per youth.

    Each sentence names the job and the reasons with their figures, as of then.
    """
    refused = run.parameters.get("refused") or []
    if not refused:
        return []
    youths = by_public_ids(Youth, {p["youth"] for p in refused})
    openings = by_public_ids(Opening, {p["opening"] for p in refused})
    school_week = run.period == "school"
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    for pair in refused:
        youth, opening = youths.get(pair["youth"]), openings.get(pair["opening"])
        if youth is None or opening is None:
            continue  # erased or deleted since
        found = [from_json(r) for r in pair["refusals"]]
        age = youth.age_on(run.start_date or run.created_at.date())
        text = str(NOT_PROPOSED) % {
            "title": opening.title,
            "employer": opening.employer.name,
            "reasons": words(found, age=age, school_week=school_week),
        }
        sentences[youth.public_id].append(Sentence("refused", text, opening))
    return [YouthExplanation(youths[y], s) for y, s in sentences.items()]
