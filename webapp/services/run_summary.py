"""The run page's decision aids: what changed since the last run, and one line per unplaced youth.

The comparison reads what the previous finished run kept (`run_outcome`): how
many it placed and whom it left unplaced, so that the page can say "+3 placed"
and name the youths who are newly without a job. The line of an unplaced youth is chosen
from the sentences `explanations.explain_unplaced` already wrote: the main
reason, and the one change that would place the youth (a near miss at a job
with a position free). Nothing is solved again here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from ..extensions import db
from ..models import MatchRun, RunStatus, RunUnplaced, Youth
from . import run_outcome
from .explanations import Sentence, YouthExplanation

# The changes a coordinator can make with the youth first, then the pair's own rules.
CHANGE_ORDER = ("unavailable", "too_far", "certificate", "language", "forbidden", "excluded")
NO_CHANGE = _l("No single change found: the jobs that nearly fit have no position free.")


@dataclass(frozen=True)
class Change:
    """This run against the previous finished one."""

    previous_at: dt.datetime
    placed_before: int
    placed_delta: int
    newly_unplaced: int  # unplaced now, placed (or not in it) last time
    first_names: list[str]  # of the first `NAMES_SHOWN` of them


NAMES_SHOWN = 10


def compare(run: MatchRun, placed: int) -> Change | None:
    """This run's figures against the run finished before it, or None for the first run.

    Both runs' unplaced youths were kept when they were written (`run_outcome`): a
    youth unplaced now and not among those of the previous run is newly unplaced.

    Args:
        run: the run.
        placed: how many youths it placed.
    """
    previous = db.session.scalar(
        select(MatchRun)
        .where(MatchRun.status == RunStatus.DONE, MatchRun.id < run.id)
        .order_by(MatchRun.id.desc())
        .limit(1)
    )
    kept = run_outcome.recorded(previous) if previous is not None else None
    if previous is None or kept is None:
        return None
    before = select(RunUnplaced.youth_id).where(RunUnplaced.run_id == previous.id)
    newly = (
        select(Youth.first_name)
        .join(RunUnplaced, RunUnplaced.youth_id == Youth.id)
        .where(RunUnplaced.run_id == run.id, RunUnplaced.youth_id.not_in(before))
    )
    count = db.session.scalar(select(func.count()).select_from(newly.subquery())) or 0
    names = db.session.scalars(newly.order_by(RunUnplaced.position).limit(NAMES_SHOWN))
    return Change(
        previous_at=previous.finished_at or previous.created_at,
        placed_before=int(kept["placed"]),
        placed_delta=placed - int(kept["placed"]),
        newly_unplaced=count,
        first_names=list(names),
    )


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
