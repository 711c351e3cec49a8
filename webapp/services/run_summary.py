"""The run page's decision aids: what changed since the last run, and one line per unplaced youth.

The comparison reads the previous finished run's stored documents (one query):
who was in it and who was placed, so that the page can say "+3 placed" and name
the youths who are newly without a job. The line of an unplaced youth is chosen
from the sentences `explanations.explain_unplaced` already wrote: the main
reason, and the one change that would place the youth (a near miss at a job
with a position free). Nothing is solved again here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

import jobmatch

from ..extensions import db
from ..models import MatchRun, RunStatus, Youth
from . import run_documents
from .explanations import Sentence, YouthExplanation

# The changes a coordinator can make with the youth first, then the pair's own rules.
CHANGE_ORDER = ("unavailable", "too_far", "certificate", "language", "forbidden", "excluded")
NO_CHANGE = _l("No single change found: the jobs that nearly fit have no position free.")


def placed_youths(
    assignments: Iterable[jobmatch.Assignment], parameters: Mapping[str, Any]
) -> set[str]:
    """The youths a run placed: its assignments but the pairs the guard refused."""
    refused = {(p["youth"], p["opening"]) for p in parameters.get("refused") or []}
    return {a.youth for a in assignments if (a.youth, a.opening) not in refused}


@dataclass(frozen=True)
class Change:
    """This run against the previous finished one."""

    previous_at: dt.datetime
    placed_before: int
    placed_delta: int
    newly_unplaced: int  # unplaced now, placed (or not in it) last time
    first_names: list[str]  # of the first `NAMES_SHOWN` of them


NAMES_SHOWN = 10


def compare(run: MatchRun, placed: int, unplaced: Sequence[str]) -> Change | None:
    """This run's figures against the run finished before it, or None for the first run.

    Args:
        run: the run.
        placed: how many youths it placed.
        unplaced: the public ids of its unplaced youths, in the page's order.
    """
    previous = db.session.scalar(
        select(MatchRun)
        .where(MatchRun.status == RunStatus.DONE, MatchRun.id < run.id)
        .order_by(MatchRun.id.desc())
        .limit(1)
    )
    documents = run_documents.loaded(previous) if previous is not None else None
    if previous is None or documents is None:
        return None
    problem, solution = documents
    before = placed_youths(solution.assignments, previous.parameters or {})
    unplaced_before = {y.id for y in problem.youths} - before
    newly = [y for y in unplaced if y not in unplaced_before]
    shown = newly[:NAMES_SHOWN]
    found = db.session.execute(
        select(Youth.public_id, Youth.first_name).where(Youth.public_id.in_(shown))
    )
    names = dict(found.all())  # type: ignore[arg-type]
    return Change(
        previous_at=previous.finished_at or previous.created_at,
        placed_before=len(before),
        placed_delta=placed - len(before),
        newly_unplaced=len(newly),
        first_names=[names[y] for y in shown if y in names],
    )


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


@dataclass(frozen=True)
class UnplacedLine:
    """An unplaced youth in one line: the main reason and the one change that would help."""

    youth: Youth
    reason: str
    change: str
    sentences: list[Sentence]  # all of them, for the details


def line(explained: YouthExplanation) -> UnplacedLine:
    """The youth's line: the main reason and the change that would place the youth."""
    sentences = explained.sentences
    return UnplacedLine(explained.youth, _main_reason(sentences), _change(sentences), sentences)


def _main_reason(sentences: list[Sentence]) -> str:
    """Jobs the youth could take that went to others; else the rule that rules out most jobs."""
    more = [s for s in sentences if s.kind == "summary" and s.code == "positions_taken"]
    taken = sum(1 for s in sentences if s.kind == "taken") + sum(s.count for s in more)
    if taken:
        return str(
            ngettext(
                "Could take %(num)s job, but its positions went to youths who came first.",
                "Could take %(num)s jobs, but their positions went to youths who came first.",
                taken,
            )
        )
    summaries = [s for s in sentences if s.kind == "summary" and s not in more]
    if summaries:
        return max(summaries, key=lambda s: s.count).text
    return sentences[0].text if sentences else ""


def _change(sentences: list[Sentence]) -> str:
    """The near miss at a job with a position free, the youth's own changes first."""
    misses = [s for s in sentences if s.kind == "miss"]
    if not misses:
        return str(NO_CHANGE)

    def rank(s: Sentence) -> int:
        return CHANGE_ORDER.index(s.code) if s.code in CHANGE_ORDER else len(CHANGE_ORDER)

    return min(misses, key=rank).text
