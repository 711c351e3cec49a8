"""An opening's positions as seats the database counts: never more taken than there are.

`Opening.filled` counts the positions held by proposals sent to the employer
and by confirmed or started placements. It changes only here, with one
conditional UPDATE in the caller's transaction, and the table's CHECK
constraint (`filled <= positions`) stops whatever slips past: two coordinators
confirming the last position at the same moment get one seat between them, on
SQLite (writes are serialised) and on PostgreSQL (the second UPDATE waits for
the first's row lock, then sees the new count).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ACTIVE_PLACEMENTS, Opening, Placement, Proposal, ProposalStatus, Youth
from .errors import InvalidStateError


def take(opening: Opening) -> None:
    """Hold one position of `opening` in the current transaction.

    Raises:
        InvalidStateError: every position is taken (the transaction is rolled
            back when the database itself refused).
    """
    try:
        result = db.session.execute(
            update(Opening)
            .where(Opening.id == opening.id, Opening.filled < Opening.positions)
            .values(filled=Opening.filled + 1)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError as error:
        db.session.rollback()
        raise InvalidStateError(_("The opening has no position left."), field="opening") from error
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidStateError(_("The opening has no position left."), field="opening")
    db.session.expire(opening, ["filled"])


def release(opening: Opening) -> None:
    """Give one position of `opening` back, in the current transaction."""
    db.session.execute(
        update(Opening)
        .where(Opening.id == opening.id, Opening.filled > 0)
        .values(filled=Opening.filled - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(opening, ["filled"])


def recount() -> None:
    """Set every opening's count from its placements and sent proposals (after bulk loads).

    Does not commit.
    """
    placed = (
        select(func.count())
        .select_from(Placement)
        .where(and_(Placement.opening_id == Opening.id, Placement.status.in_(ACTIVE_PLACEMENTS)))
        .scalar_subquery()
    )
    sent = (
        select(func.count())
        .select_from(Proposal)
        .where(and_(Proposal.opening_id == Opening.id, Proposal.status == ProposalStatus.SENT))
        .scalar_subquery()
    )
    held = placed + sent
    db.session.execute(
        update(Opening)
        .values(filled=case((held > Opening.positions, Opening.positions), else_=held))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def release_all_of(youth: Youth) -> None:
    """Give back every position the youth holds (before the youth is deleted); no commit."""
    held = db.session.scalars(
        select(Opening)
        .join(Placement, Placement.opening_id == Opening.id)
        .where(Placement.youth_id == youth.id, Placement.status.in_(ACTIVE_PLACEMENTS))
    ).all()
    sent = db.session.scalars(
        select(Opening)
        .join(Proposal, Proposal.opening_id == Opening.id)
        .where(Proposal.youth_id == youth.id, Proposal.status == ProposalStatus.SENT)
    ).all()
    for opening in [*held, *sent]:
        release(opening)
