"""Finding records by their ids or public ids (one under the acting user's conditions, or many)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm.interfaces import ORMOption

from ..extensions import db
from .errors import NotFoundError

T = TypeVar("T")


def by_id(model: type[T], row_id: int) -> T:
    """The `model` row with this primary key.

    Raises:
        NotFoundError: no such row.
    """
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFoundError(model.__name__.lower())
    return row


def by_public_id(
    model: type[T],
    public_id: str,
    *conditions: ColumnElement[bool],
    options: Sequence[ORMOption] = (),
) -> T:
    """The `model` row with this public id that meets every condition, loaded with `options`.

    Raises:
        NotFoundError: no such row, or one the conditions exclude (the caller
            may not see it, so it does not exist for them).
    """
    column: Any = model.public_id  # type: ignore[attr-defined]
    row = db.session.scalar(
        select(model).where(column == public_id, *conditions).options(*options)
    )
    if row is None:
        raise NotFoundError(model.__name__.lower())
    return row


def by_public_ids(model: type[T], public_ids: set[str]) -> dict[str, T]:
    """The `model` rows with these public ids, by public id (missing ones left out)."""
    column: Any = model.public_id  # type: ignore[attr-defined]
    rows = db.session.scalars(select(model).where(column.in_(public_ids)))
    return {row.public_id: row for row in rows}  # type: ignore[attr-defined]
