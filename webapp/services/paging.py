"""Lists cut into pages in SQL: one page of rows, how many pages, and the pager's numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select

from ..extensions import db

T = TypeVar("T")

PAGER_REACH = 2  # page numbers shown on each side of the current one


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number (from 1), the number of pages and of rows."""

    items: list[T]
    page: int
    pages: int
    total: int

    def numbers(self, reach: int = PAGER_REACH) -> list[int | None]:
        """The pager's numbers: the first, the last and `reach` on each side; None is a gap."""
        shown = sorted({1, self.pages, *range(self.page - reach, self.page + reach + 1)})
        numbers: list[int | None] = []
        for number in (n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def paged(query: Select[Any], *, page: int, per_page: int, total: int | None = None) -> Page[Any]:
    """Page `page` of `query`'s rows, `per_page` a page; before the first or past the last
    page, the first or the last. The query must have its full ORDER BY (ties broken by id).
    A caller that has counted the rows already gives `total`: then they are not counted again."""
    if total is not None:
        shown = page_of(range(total), page=page, per_page=per_page)
        start = (shown.page - 1) * per_page
        rows = db.session.scalars(query.limit(per_page).offset(start)) if total else []
        return Page(list(rows), shown.page, shown.pages, total)
    found = db.paginate(query, page=max(1, page), per_page=per_page, error_out=False)
    last = max(1, found.pages)
    if found.page > last:
        found = db.paginate(query, page=last, per_page=per_page, error_out=False)
    return Page(list(found.items), found.page, last, found.total or 0)


def page_of(items: Sequence[T], *, page: int, per_page: int) -> Page[T]:
    """Page `page` of a list already in memory, as `paged` cuts a query's rows."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(1, page), pages)
    return Page(
        list(items[(number - 1) * per_page : number * per_page]), number, pages, len(items)
    )
