"""Where a youth's rows are: every table with a foreign key to the youth, found from the models.

Found rather than listed, so that a table added later is copied and erased too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Table, or_

from ..extensions import Base
from ..models import Youth


def tables_about_youth() -> list[tuple[Table, list[Column[Any]]]]:
    """Every table with a foreign key to a youth, dependants first, with those columns."""
    found = []
    for table in reversed(Base.metadata.sorted_tables):
        columns = [
            fk.parent for fk in table.foreign_keys if fk.column.table.name == Youth.__tablename__
        ]
        if columns and table.name != Youth.__tablename__:
            found.append((table, columns))
    return found


def about(columns: Iterable[Column[Any]], youth_id: int) -> Any:
    """The condition that a row of these columns is about the youth `youth_id`."""
    return or_(*(column == youth_id for column in columns))
