"""A finished run's problem and solution, read back once per process and kept.

A large run's documents are megabytes of JSON, and reading them back as the
library's objects (`jobmatch.load`, then `jobmatch.load_solution`, which
derives every unplaced youth's reasons again) takes seconds. A finished run's
documents never change, so each process keeps the last few it read, by the
run's public id (never reused, unlike a row id after a test empties a table):
only a run's first page view in a process pays for them. An erasure rewrites
a run's documents and counts it in the run's parameters (`DOCUMENTS_VERSION`),
which the cache goes by too: no process shows an erased youth from its cache.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

import jobmatch

from ..extensions import db
from ..models import MatchRun, RunDocuments, RunStatus

# The parameter counting the times an erasure rewrote the run's documents (run_erasure).
DOCUMENTS_VERSION = "documents_version"
RUNS_KEPT = 4  # a run and the one before it, for two coordinators at once (25 MB each at 5,000)

Documents = tuple[jobmatch.Problem, jobmatch.Solution]


def loaded(run: MatchRun) -> Documents | None:
    """The finished run's problem and solution as the library's objects.

    Returns:
        None when the run is not finished, or when this version of the library no
        longer reads its documents.
    """
    if run.status != RunStatus.DONE:
        return None
    return _read(run.public_id, int(run.parameters.get(DOCUMENTS_VERSION, 0)))


@lru_cache(maxsize=RUNS_KEPT)
def _read(public_id: str, version: int) -> Documents | None:
    """The documents of the finished run `public_id` (at `version`), read from the database."""
    found = db.session.execute(
        select(RunDocuments.problem, RunDocuments.solution)
        .join(MatchRun, MatchRun.id == RunDocuments.run_id)
        .where(MatchRun.public_id == public_id)
    ).first()
    if found is None:
        return None
    try:
        problem = jobmatch.load(found.problem)
        return problem, jobmatch.load_solution(found.solution, problem)
    except jobmatch.ProblemError:
        return None
