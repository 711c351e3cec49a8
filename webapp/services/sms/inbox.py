"""The SMS that came in, for the coordinators to read: newest first, a page at a time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from ...extensions import db
from ...models import IncomingSms, Youth
from ..paging import Page, paged


def inbox_page(*, page: int, per_page: int) -> Page[tuple[IncomingSms, Youth | None]]:
    """One page of incoming SMS, each with the youth whose number sent it (None: unknown)."""
    query = select(IncomingSms).order_by(IncomingSms.received_at.desc(), IncomingSms.id.desc())
    found = paged(query, page=page, per_page=per_page)
    ids = {row.youth_id for row in found.items if row.youth_id is not None}
    youths = {y.id: y for y in db.session.scalars(select(Youth).where(Youth.id.in_(ids)))}
    items = [(row, youths.get(row.youth_id) if row.youth_id else None) for row in found.items]
    return Page(items, found.page, found.pages, found.total)


def delete_before(before: dt.datetime) -> int:
    """Delete the SMS that came in before `before` (the outbox's retention); commit; how many."""
    gone = db.session.execute(
        delete(IncomingSms)
        .where(IncomingSms.received_at < before)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    count: int = gone.rowcount  # type: ignore[attr-defined]
    return count
