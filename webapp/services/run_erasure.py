"""Taking an erased youth out of the stored runs: their problem, solution and parameters.

A run stores its jobmatch/1 problem (each youth's birth date, home location,
availability, interests, languages), its solution and its parameters (pairs
set aside or refused) under the youths' public ids. Erasing a youth removes
the youth's record and every mention of the public id from them: assignments,
unplaced entries, friends of other youths, held positions, and sentences
that name it (another youth's reason: "the positions went to <id>"). What is left is
still a problem and a solution the library reads (the run's page shows the
other youths as before). Proposals' reasons of other youths are cleaned the
same way. Each changed run's documents version (a parameter) goes up, so that
no process keeps showing the old documents from its cache (`run_documents`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Text, cast, select, update

from ..extensions import Base, db
from ..models import MatchRun, RunDocuments
from .run_documents import DOCUMENTS_VERSION

ID_KEYS = ("id", "youth")  # a record, or an entry about a youth, is dropped whole
# What a sentence that named the youth's id says instead ("the positions went to ...").
ERASED = "(erased)"
# The audit trail keeps its public ids (it records the erasure); the youth's row is
# stripped by youth_rights itself.
NOT_SCANNED = ("audit_entry", "youth")


def without(value: Any, public_id: str) -> Any:
    """`value` (a JSON document) with every mention of `public_id` taken out."""
    if isinstance(value, dict):
        if any(value.get(key) == public_id for key in ID_KEYS):
            return None
        kept = {k: without(v, public_id) for k, v in value.items() if k != public_id}
        return {k: v for k, v in kept.items() if v is not None or value[k] is None}
    if isinstance(value, list):
        items = [without(item, public_id) for item in value if item != public_id]
        return [item for item in items if item is not None]
    if isinstance(value, str):
        return value.replace(public_id, ERASED)
    return value


def _mentions(column: Any, public_id: str) -> Any:
    # Anywhere, not only as a whole value: sentences name youths by id too.
    return cast(column, Text).contains(public_id, autoescape=True)


def _json_columns() -> list[Column[Any]]:
    """Every JSON column of the board's tables but the trail's and the youth's own."""
    return [
        column
        for table in Base.metadata.sorted_tables
        if table.name not in NOT_SCANNED
        for column in table.columns
        if isinstance(column.type, JSON)
    ]


def forget(public_id: str) -> int:
    """Take the youth `public_id` out of every stored document; return the runs changed.

    Every JSON column is searched (runs' documents and parameters, proposals'
    reasons, other youths' timelines, what a run left unplaced). Does not commit.
    """
    runs: set[int] = set()
    for column in _json_columns():
        table = column.table
        key = next(iter(table.primary_key.columns))
        found = db.session.execute(select(key, column).where(_mentions(column, public_id))).all()
        for row_id, document in found:
            cleaned = without(document, public_id)
            if cleaned is None:  # the whole document was about the youth
                cleaned = type(document)()
            db.session.execute(update(table).where(key == row_id).values({column.name: cleaned}))
        if table in (MatchRun.__table__, RunDocuments.__table__):  # keyed by the run's id
            runs |= {row_id for row_id, _ in found}
    for run_id in runs:
        parameters = db.session.scalar(select(MatchRun.parameters).where(MatchRun.id == run_id))
        version = int((parameters or {}).get(DOCUMENTS_VERSION, 0)) + 1
        db.session.execute(
            update(MatchRun)
            .where(MatchRun.id == run_id)
            .values(parameters={**(parameters or {}), DOCUMENTS_VERSION: version})
        )
    return len(runs)
