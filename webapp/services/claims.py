"""Compare-and-set of a status, and a youth's row held for one transaction.

A change of a proposal or placement is one conditional ``UPDATE ... SET
status = :to WHERE id = :id AND status IN (:expected)`` in the caller's
transaction: of two requests that arrive together exactly one sees a row
change, on PostgreSQL (the second UPDATE waits for the first's row lock and
then finds the new status) and on SQLite (writes are serialised). Whatever the
change brings along (a seat, a placement, an email, a timeline entry) comes
after the claim, so it happens once. The request that lost is told calmly when
the record already holds the status it asked for (`AlreadyDoneError`), and
refused otherwise.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import LazyString
from sqlalchemy import select, update

from ..extensions import db
from ..models import Opening, Youth
from .errors import AlreadyDoneError, InvalidStateError


def claim_status(
    record: Any,
    to: StrEnum,
    *,
    expected: tuple[StrEnum, ...],
    done: str | LazyString,
    refusal: str | LazyString,
    **values: Any,
) -> None:
    """Move `record` from one of `expected` to `to` (with `values`), in the current transaction.

    Raises:
        AlreadyDoneError: with `done`, when the record has status `to` already.
        InvalidStateError: with `refusal`, when it has another status (the
            transaction is rolled back in both cases).
    """
    model = type(record)
    result = db.session.execute(
        update(model)
        .where(model.id == record.id, model.status.in_(expected))
        .values(status=to, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        now = db.session.scalar(select(model.status).where(model.id == record.id))
        raise AlreadyDoneError(str(done)) if now == to else InvalidStateError(str(refusal))
    db.session.expire(record, ["status", *values])


def hold_youth(youth: Youth) -> None:
    """Hold the youth's row until the transaction ends, so that what the youth holds stays put.

    What is read after it (jobs held, the week's hours) is what the database holds now.
    """
    _hold(youth)


def hold_opening(opening: Opening) -> None:
    """Hold the opening's row until the transaction ends, and read it again.

    An approval of the employer's change holds the row too: it either comes
    first, and a placement is judged by the changed opening, or waits, and then
    sees the placement it would break.
    """
    _hold(opening)


def _hold(record: Youth | Opening) -> None:
    """An UPDATE that changes nothing, then `record` expired.

    On PostgreSQL it takes the row's lock (a second one waits for the commit),
    on SQLite the database's write lock; the record is read again after it.
    """
    model = type(record)
    db.session.execute(
        update(model)
        .where(model.id == record.id)
        .values(updated_at=model.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(record)
