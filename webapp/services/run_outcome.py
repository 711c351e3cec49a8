"""What a finished run decided, kept when it is written: its figures and its unplaced youths.

The run page shows a run's figures, counts its unplaced youths by main reason,
pages them and words the ones it shows. Worked out from the run's documents,
that meant reading megabytes of JSON back as the library's objects (seconds
per process) and sweeping every youth of the problem on each view. So
`outcome_of` works them out once, from the solution in hand, before the run is
written, and the transaction that writes the run keeps them: the figures on
the run's row (`MatchRun.figures`), and a row per unplaced youth
(`RunUnplaced`) with the main reason's code and every reason with its facts
(`facts_json`), which `explanations.explain` words as it would the library's
own.

A run written before these were kept gets them from its stored documents the
first time its page is shown (`recorded`): a conditional UPDATE on the run's
row lets exactly one request write them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

import jobmatch

from ..extensions import db
from ..models import Area, MatchRun, Proposal, RunUnplaced, Youth
from . import facts_json, run_documents
from .explanations import JobNames, Unexplained

# The main reason of a youth whose pair the guard refused when the proposals were written.
REFUSED = "refused"
# An unplaced youth as kept: public id, main reason's code, every reason, availability windows.
Entry = tuple[str, str, list[dict[str, Any]], list[list[int]]]


@dataclass(frozen=True)
class Outcome:
    """What a solved run decided, ready to write: its figures and its unplaced youths' rows."""

    figures: dict[str, Any]
    unplaced: list[dict[str, Any]]  # RunUnplaced columns but the run's id


def outcome_of(
    run: MatchRun,
    problem: jobmatch.Problem,
    solution: jobmatch.Solution,
    refused: Sequence[Mapping[str, Any]],
    proposed: set[str],
) -> Outcome:
    """The figures and unplaced youths of a solution whose proposals are `proposed` (youths'
    public ids) and whose pairs `refused` the guard refused. Reads only: worked out before the
    run's write begins, since on SQLite a write holds the one write lock until its commit."""
    entries = unplaced_entries(run, problem, solution) + refused_entries(refused, proposed)
    return Outcome(figures_of(problem, solution, refused), _unplaced_rows(entries))


def insert_unplaced(run_id: int, outcome: Outcome) -> None:
    """Write the unplaced youths of `outcome` for the run, in one statement."""
    if outcome.unplaced:
        db.session.execute(
            insert(RunUnplaced), [{"run_id": run_id, **row} for row in outcome.unplaced]
        )


def recorded(run: MatchRun) -> dict[str, Any] | None:
    """The finished run's figures, kept with it (worked out now for an older run).

    Returns:
        None when the run's documents no longer read under this version of the library.
    """
    if run.figures is not None:
        return run.figures
    loaded = run_documents.loaded(run)
    if loaded is None:
        return None
    refused = run.parameters.get("refused") or []
    proposed = set(
        db.session.scalars(select(Youth.public_id).join(Proposal).where(Proposal.run_id == run.id))
    )
    outcome = outcome_of(run, *loaded, refused, proposed)
    claimed = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run.id, MatchRun.figures.is_(None))
        .values(figures=outcome.figures)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount:  # type: ignore[attr-defined]
        insert_unplaced(run.id, outcome)
        db.session.commit()
    else:  # another request wrote them meanwhile
        db.session.rollback()
    db.session.refresh(run)
    return run.figures


def figures_of(
    problem: jobmatch.Problem,
    solution: jobmatch.Solution,
    refused: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The run's figures as JSON; a pair the guard `refused` (not proposed) places nobody."""
    placed_ids = placed_youths(solution.assignments, refused)
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
    stats = solution.stats
    return {
        "youths": len(problem.youths),
        "placed": len(placed_ids),
        "by_priority": [
            [p, c["placed"], c["youths"]] for p, c in sorted(by_priority.items(), reverse=True)
        ],
        "by_area": [[a, c["placed"], c["youths"]] for a, c in sorted(by_area.items())],
        "seconds": stats.get("seconds"),
        "optimal": solution.status == jobmatch.Status.OPTIMAL,
        "solver": str(stats.get("solver", "")),
        "price_of_stability": stats.get("price_of_stability"),
        "blocking_pairs": stats.get("blocking_pairs"),
    }


def placed_youths(
    assignments: Iterable[jobmatch.Assignment], refused: Iterable[Mapping[str, Any]]
) -> set[str]:
    """The youths a run placed: its assignments but the pairs the guard `refused`."""
    pairs = {(p["youth"], p["opening"]) for p in refused}
    return {a.youth for a in assignments if (a.youth, a.opening) not in pairs}


def main_code(reasons: Iterable[jobmatch.Reason]) -> str:
    """The code of an unplaced youth's main reason, as `line` chooses its sentence.

    Jobs the youth could take that went to others come first, then the rule that
    rules out the most jobs, then the first reason.
    """
    listed = list(reasons)
    if any(isinstance(r.facts, jobmatch.PositionsTaken | jobmatch.MoreTaken) for r in listed):
        return "positions_taken"
    ruled_out = [r for r in listed if isinstance(r.facts, jobmatch.RuledOut)]
    if ruled_out:
        return max(ruled_out, key=lambda r: r.facts.count).code  # type: ignore[union-attr]
    return listed[0].code if listed else ""


def unexplained(rows: Iterable[RunUnplaced]) -> tuple[list[Unexplained], JobNames]:
    """Stored unplaced youths (but those refused) as `explanations.explain` takes them."""
    entries: list[Unexplained] = []
    names: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row.code == REFUSED:
            continue
        reasons = []
        for stored in row.reasons:
            opening = stored.get("opening")
            if opening:
                names[opening] = (str(stored.get("title", "?")), str(stored.get("employer", "?")))
            facts = facts_json.from_json(stored.get("facts"))
            reasons.append(jobmatch.Reason(str(stored["code"]), "", opening, facts))
        windows = tuple(jobmatch.Shift(*w) for w in row.availability)
        entries.append(Unexplained(row.youth.public_id, reasons, windows))
    return entries, names


def _unplaced_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """A row per unplaced youth still on the board, in the order of `entries`."""
    ids = dict(
        db.session.execute(
            select(Youth.public_id, Youth.id).where(Youth.public_id.in_([e[0] for e in entries]))
        ).all()
    )
    return [
        {
            "youth_id": ids[youth],
            "position": position,
            "code": code,
            "reasons": reasons,
            "availability": windows,
        }
        for position, (youth, code, reasons, windows) in enumerate(entries)
        if youth in ids  # erased while the run was solving: left out
    ]


def unplaced_entries(
    run: MatchRun, problem: jobmatch.Problem, solution: jobmatch.Solution
) -> list[Entry]:
    """(youth, main code, reasons, availability) per youth the solution left unplaced, in the
    page's order. Reads nothing from the database."""
    # A youth whose only job was set aside is not looking for another: not "unplaced".
    holding = {p["youth"] for p in run.parameters.get("set_aside") or []}
    full = {y.id for y in problem.youths if y.id in holding and y.max_jobs == 0}
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    entries: list[Entry] = [
        (
            u.youth,
            main_code(u.reasons),
            _reasons_json(u.reasons, openings),
            [[w.day, w.start, w.end] for w in youths[u.youth].availability or ()],
        )
        for u in solution.unmatched
        if u.youth not in full and u.youth in youths
    ]
    return entries


def refused_entries(refused: Iterable[Mapping[str, Any]], proposed: set[str]) -> list[Entry]:
    """The youths whose every pair the guard refused when the proposals were written."""
    return [(y, REFUSED, [], []) for y in sorted({p["youth"] for p in refused} - proposed)]


def _reasons_json(
    reasons: Sequence[jobmatch.Reason], openings: dict[str, jobmatch.Opening]
) -> list[dict[str, Any]]:
    """The reasons as JSON, each about a job with the names the problem had for it."""
    stored = []
    for reason in reasons:
        entry: dict[str, Any] = {"code": reason.code, "opening": reason.opening}
        job = openings.get(reason.opening) if reason.opening else None
        if job is not None:
            entry.update(title=job.title, employer=job.employer)
        entry["facts"] = facts_json.to_json(reason.facts)
        stored.append(entry)
    return stored
