"""Finding one record by its public id, under the acting user's conditions."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select

from ..extensions import db
from .errors import NotFoundError

T = TypeVar("T")


def by_public_id(model: type[T], public_id: str, *conditions: ColumnElement[bool]) -> T:
    """The `model` row with this public id that meets every condition.

    Raises:
        NotFoundError: no such row, or one the conditions exclude (the caller
            may not see it, so it does not exist for them).
    """
    column: Any = model.public_id  # type: ignore[attr-defined]
    row = db.session.scalar(select(model).where(column == public_id, *conditions))
    if row is None:
        raise NotFoundError(model.__name__.lower())
    return row
