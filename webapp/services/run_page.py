"""The run page's view model: a finished run's proposals, unplaced youths, figures and pins."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

import jobmatch

from ..extensions import db
from ..models import (
    MatchRun,
    Opening,
    PairRule,
    Proposal,
    ProposalStatus,
    RunStatus,
    RunUnplaced,
    Youth,
)
from ..ui.numbers import one_decimal
from . import run_outcome, run_summary
from .explanations import Sentence, YouthExplanation, explain, rule_names
from .first_day import next_first_day
from .lookup import by_public_ids
from .paging import Page, paged
from .problem_records import opening_record
from .problem_rows import step_codes
from .refusals import from_json, words
from .run_documents import DOCUMENTS_VERSION
from .run_outcome import REFUSED

NOT_PROPOSED = _l("Not proposed for %(title)s at %(employer)s: %(reasons)s.")
REFUSED_LABEL = _l("a proposal the rules refused")
UNPLACED_SHOWN = 10  # unplaced youths on the run page itself; the rest a page at a time


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
    """The run page: the figures, a page of proposals, how many youths are unplaced.

    The first unplaced youths themselves are a part of the page of their own
    (`first_unplaced`, kept under `unplaced_part_key`).
    """

    run: MatchRun
    proposals: Page[ProposalRow]
    figures: Figures | None
    status: str | None = None  # the proposals shown: of this status, or all
    by_status: dict[str, int] = field(default_factory=dict)  # the run's proposals per status
    unplaced_total: int = 0  # the unplaced youths still on the board
    set_aside: list[tuple[str, str, str]] = field(default_factory=list)
    # The stored documents no longer read under this version of the library.
    outdated: bool = False
    change: run_summary.Change | None = None  # against the previous finished run

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


@dataclass(frozen=True)
class Unplaced:
    """A page of a run's unplaced youths, each in one line, and all of them counted by reason."""

    lines: Page[run_summary.UnplacedLine]
    by_reason: list[tuple[str, str, int]]  # the main reason's code, its name, how many youths
    reason: str | None = None  # the youths shown: of this main reason, or all

    @property
    def total(self) -> int:
        """How many youths the run left unplaced."""
        return sum(count for _code, _label, count in self.by_reason)

    def __len__(self) -> int:
        """The unplaced youths counted (as `flask match` prints them)."""
        return self.total


def result(
    run: MatchRun, *, status: str | None = None, page: int = 1, per_page: int = 25
) -> RunResult:
    """A finished run's figures, page `page` of its proposals (of `status`, or all), and how
    many youths it left unplaced.

    Everything but the proposals was kept when the run was written (`run_outcome`).
    What would place a youth is never worked out here (`services.what_would`).
    """
    empty = Page([], 1, 1, 0)
    if run.status != RunStatus.DONE:
        return RunResult(run, empty, None)
    by_status = _proposal_counts(run)
    shown = by_status.get(status, 0) if status else sum(by_status.values())
    proposals = _proposal_rows(run, status, page, per_page, shown)
    kept = run_outcome.recorded(run)
    if kept is None:
        return RunResult(run, proposals, None, status, by_status, outdated=True)
    figures = Figures(**kept, new_proposals=sum(by_status.values()))
    return RunResult(
        run,
        proposals,
        figures,
        status,
        by_status,
        _unplaced_total(run),
        set_aside_pairs(run),
        change=run_summary.compare(run, figures.placed),
    )


def first_unplaced(run: MatchRun) -> Unplaced:
    """The first `UNPLACED_SHOWN` unplaced youths of a finished run, worded, and all counted."""
    return _unplaced_page(run, None, 1, UNPLACED_SHOWN)


def unplaced_part_key(result: RunResult, locale: str) -> str:
    """The cache key of the run page's unplaced youths: a new one whenever they may differ.

    What a run left unplaced is fixed when it is written, but for the rows: erasing a
    youth counts a new version of the run's documents, and a youth who left the board
    is counted no more. A name changed since shows when the part is made again.
    """
    run = result.run
    version = run.parameters.get(DOCUMENTS_VERSION, 0)
    return f"run-unplaced:{run.id}:{locale}:{version}:{result.unplaced_total}"


def unplaced(
    run: MatchRun, *, reason: str | None = None, page: int = 1, per_page: int = 25
) -> Unplaced | None:
    """Page `page` of a finished run's unplaced youths (of main reason `reason`, or all).

    Returns:
        None when the run is not done or its documents no longer read.
    """
    if run.status != RunStatus.DONE or run_outcome.recorded(run) is None:
        return None
    return _unplaced_page(run, reason, page, per_page)


def youth_line(run: MatchRun, youth: str) -> run_summary.UnplacedLine | None:
    """One unplaced youth of a finished run in one line, with every sentence; None if placed."""
    if run.status != RunStatus.DONE or run_outcome.recorded(run) is None:
        return None
    row = db.session.scalar(
        _unplaced_rows(run)
        .where(Youth.public_id == youth)
        .options(selectinload(RunUnplaced.youth))
    )
    lines = _lines(run, [row] if row is not None else [])
    return lines[0] if lines else None


def _unplaced_rows(run: MatchRun) -> Any:
    """The query of the run's unplaced youths still on the board, in the page's order."""
    return (
        select(RunUnplaced)
        .join(Youth, Youth.id == RunUnplaced.youth_id)
        .where(RunUnplaced.run_id == run.id)
        .order_by(RunUnplaced.position)
    )


def _unplaced_total(run: MatchRun) -> int:
    """How many youths of the run are unplaced and still on the board."""
    counted = db.session.scalar(_unplaced_rows(run).with_only_columns(func.count()).order_by(None))
    return counted or 0


def _unplaced_page(run: MatchRun, reason: str | None, page: int, per_page: int) -> Unplaced:
    """A page of the unplaced youths of `reason` (or all), worded, and all counted by reason."""
    counted = db.session.execute(
        select(RunUnplaced.code, func.count())
        .join(Youth, Youth.id == RunUnplaced.youth_id)
        .where(RunUnplaced.run_id == run.id)
        .group_by(RunUnplaced.code)
        .order_by(func.count().desc(), func.min(RunUnplaced.position))
    ).all()
    by_reason = [(code, reason_label(code), n) for code, n in counted]
    query = _unplaced_rows(run).options(selectinload(RunUnplaced.youth))
    if reason is not None:
        query = query.where(RunUnplaced.code == reason)
    chosen = paged(query, page=page, per_page=per_page)
    lines = Page(_lines(run, chosen.items), chosen.page, chosen.pages, chosen.total)
    return Unplaced(lines, by_reason, reason)


def reason_label(code: str) -> str:
    """The short name of an unplaced youth's main reason, for the counts and the filter."""
    return str(REFUSED_LABEL) if code == REFUSED else rule_names([code])


def _proposal_counts(run: MatchRun) -> dict[str, int]:
    """How many proposals of the run have each status."""
    counted = db.session.execute(
        select(Proposal.status, func.count())
        .where(Proposal.run_id == run.id)
        .group_by(Proposal.status)
    )
    return dict(counted.all())  # type: ignore[arg-type]


def _proposal_rows(
    run: MatchRun, status: str | None, page: int, per_page: int, total: int
) -> Page[ProposalRow]:
    """Page `page` of the run's `total` proposals (of `status`, or all), each with its stored
    rule, the actions that apply and its first day."""
    query = select(Proposal).where(Proposal.run_id == run.id)
    if status:
        query = query.where(Proposal.status == status)
    found = paged(
        query.options(
            selectinload(Proposal.youth),
            selectinload(Proposal.opening).selectinload(Opening.employer),
            selectinload(Proposal.opening).selectinload(Opening.shifts),
        ).order_by(Proposal.id),
        page=page,
        per_page=per_page,
        total=total,
    )
    rules = {
        (r.youth_id, r.opening_id): r.rule
        for r in db.session.scalars(
            select(PairRule).where(PairRule.youth_id.in_({p.youth_id for p in found.items}))
        )
    }
    rows = []
    for p in found.items:
        rule = rules.get((p.youth_id, p.opening_id))
        day = next_first_day(p.opening, not_before=run.start_date)
        rows.append(ProposalRow(p, rule, row_actions(p.status, rule), day))
    return Page(rows, found.page, found.pages, found.total)


def _lines(run: MatchRun, rows: list[RunUnplaced]) -> list[run_summary.UnplacedLine]:
    """The youths in one line each, with all their sentences, in the order given."""
    entries, names = run_outcome.unexplained(rows)
    ids = {row.youth.public_id for row in rows}
    explained = explain(entries, names) + refused_proposals(run, only=ids)
    by_youth = {e.youth.public_id: e for e in explained}
    listed = [by_youth.get(row.youth.public_id) for row in rows]
    return [run_summary.line(e) for e in listed if e is not None]


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


def refused_proposals(run: MatchRun, *, only: Collection[str]) -> list[YouthExplanation]:
    """The run's pairs the guard refused when its proposals were written, for the youths `only`.

    Each sentence names the job and the reasons with their figures, as of then.
    """
    refused = [p for p in run.parameters.get("refused") or [] if p["youth"] in only]
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
