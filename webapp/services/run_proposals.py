"""The proposals a solved run writes: one per new pair that the placement guard lets through.

Worked out (`new_proposals`) before the run's write begins, written in one INSERT
(`insert_proposals`): on SQLite a write holds the database's one write lock until its commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import MatchRun, Opening, Proposal, Youth
from . import refusals
from .lookup import by_public_ids
from .pair_rules import stored_pair_rules
from .placement_guard import refused_pairs


@dataclass(frozen=True)
class NewProposals:
    """What a solved run is to write: its new proposals as rows, and the pairs refused."""

    rows: list[dict[str, Any]]  # Proposal columns but the run's id
    refused: list[dict[str, Any]]  # {"youth", "opening", "refusals"}, kept in the run's parameters
    proposed: set[str] = field(default_factory=set)  # public ids of the youths proposed


def new_proposals(
    run: MatchRun, problem: jobmatch.Problem, solution: jobmatch.Solution
) -> NewProposals:
    """A proposal per assignment that no placement or sent proposal holds yet. Reads only.

    Each new pair passes the guard against what its youth holds now
    (`placement_guard.refused_pairs`): one the guard refuses, e.g. beside a job
    placed by hand while the run was solving, is not proposed; it is kept in the
    run's parameters (``refused``, with its reasons and their figures) and the run
    page shows its youth as not placed, with the reasons. A proposal places nobody:
    accepting one passes the same guard again.
    """
    held = {(p["youth"], p["opening"]) for p in run.problem.get("fixed", [])}
    pinned = set(stored_pair_rules(db.session)[1])
    new = [a for a in solution.assignments if (a.youth, a.opening) not in held - pinned]
    if not new:
        return NewProposals(rows=[], refused=[])
    youths = by_public_ids(Youth, {a.youth for a in new})
    openings = by_public_ids(Opening, {a.opening for a in new})
    # Erased or deleted while the run was solving: left out.
    new = [a for a in new if a.youth in youths and a.opening in openings]
    refused = refused_pairs(
        [(youths[a.youth], openings[a.opening]) for a in new],
        start_date=run.start_date or board_day.today(),
        period=run.period,
    )
    youth_records = {y.id: y for y in problem.youths}
    opening_records = {o.id: o for o in problem.openings}
    made = NewProposals(rows=[], refused=[])
    for a in new:
        ids = (youths[a.youth].id, openings[a.opening].id)
        if ids in refused:
            reasons = [refusals.to_json(r) for r in refused[ids]]
            made.refused.append({"youth": a.youth, "opening": a.opening, "refusals": reasons})
            continue
        made.proposed.add(a.youth)
        made.rows.append(
            {
                "youth_id": ids[0],
                "opening_id": ids[1],
                "score": a.score,
                "missing_onboarding": list(a.missing_onboarding),
                "reasons": _fit(
                    youth_records[a.youth],
                    opening_records[a.opening],
                    pinned=(a.youth, a.opening) in pinned,
                ),
            }
        )
    return made


def insert_proposals(run_id: int, new: NewProposals) -> None:
    """Write the proposals of `new` for the run, in one statement."""
    if new.rows:
        db.session.execute(insert(Proposal), [{"run_id": run_id, **row} for row in new.rows])


def _fit(youth: jobmatch.Youth, opening: jobmatch.Opening, *, pinned: bool) -> dict[str, Any]:
    """Why a pair fits: shared interests, distance, ranks on both sides."""
    fit: dict[str, Any] = {
        "interest": opening.category in youth.interests,
        "pinned": pinned,
    }
    if youth.location is not None and opening.location is not None:
        fit["distance_km"] = round(jobmatch.distance_km(youth.location, opening.location), 1)
    if opening.id in youth.preferences:
        fit["youth_rank"] = youth.preferences.index(opening.id) + 1
    if youth.id in opening.preferences:
        fit["employer_rank"] = opening.preferences.index(youth.id) + 1
    return fit
