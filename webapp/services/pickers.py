"""The searches behind a youth's profile: a few youths to name as friends, a few openings to
place the youth in. Each gives at most `PICKER_LIMIT` rows, so the page never lists them all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Employer, Opening, OpeningStatus, Youth, YouthStatus
from .lookup import by_public_id

PICKER_LIMIT = 20  # rows a search shows at most
MAX_TERM = 100  # characters of a search term that count
MAX_WORDS = 4  # words of a search term that count
MAX_CHOSEN = 100  # public ids of one form looked up at most
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")  # what `new_public_id` makes; nothing else is one


@dataclass(frozen=True)
class Found:
    """What one search found: at most `PICKER_LIMIT` rows, and whether there were more."""

    rows: list[Any]
    more: bool


def search_words(term: str) -> list[str]:
    """The words of a search term that count, lowercased; none for a blank term."""
    return term[:MAX_TERM].lower().split()[:MAX_WORDS]


def _every_word(words: Iterable[str], *columns: Any) -> ColumnElement[bool]:
    """Each word is part of one of `columns` (case-insensitive; % and _ are plain characters)."""
    return and_(
        *(or_(*(func.lower(c).contains(word, autoescape=True) for c in columns)) for word in words)
    )


def _first(query: Select[Any], limit: int) -> Found:
    rows = list(db.session.scalars(query.limit(limit + 1)))
    return Found(rows[:limit], len(rows) > limit)


def youth_with_friends(public_id: str) -> Youth:
    """The youth whose friends are chosen, with its friends (no more of the profile).

    Raises:
        NotFoundError: no such youth.
    """
    return by_public_id(Youth, public_id, options=[selectinload(Youth.buddies)])


def friend_matches(youth: Youth, term: str, *, limit: int = PICKER_LIMIT) -> Found:
    """Active youths whose name holds every word of `term`, not `youth` nor a friend already;
    by first name, then surname."""
    words = search_words(term)
    if not words:
        return Found([], False)
    query = (
        select(Youth)
        .where(
            Youth.status == YouthStatus.ACTIVE,
            Youth.id.not_in([youth.id, *(b.id for b in youth.buddies)]),
            *(Youth.sort_name.contains(word, autoescape=True) for word in words),
        )
        .options(joinedload(Youth.area))
        .order_by(Youth.sort_name, Youth.id)
    )
    return _first(query, limit)


def chosen_friends(youth: Youth, public_ids: Iterable[str]) -> list[Youth]:
    """The active youths among `public_ids` that `youth` may name as friends (never itself)."""
    wanted = [i for i in dict.fromkeys(public_ids) if PUBLIC_ID.fullmatch(i)][:MAX_CHOSEN]
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Youth)
            .where(
                Youth.public_id.in_(wanted),
                Youth.id != youth.id,
                Youth.status == YouthStatus.ACTIVE,
            )
            .order_by(Youth.sort_name, Youth.id)
        )
    )


def opening_matches(term: str, *, limit: int = PICKER_LIMIT) -> Found:
    """Open openings whose title, employer or town holds every word of `term`; by title."""
    words = search_words(term)
    if not words:
        return Found([], False)
    query = (
        select(Opening)
        .join(Employer)
        .where(
            Opening.status == OpeningStatus.OPEN,
            _every_word(words, Opening.title, Employer.name, Opening.town),
        )
        .options(joinedload(Opening.employer))
        .order_by(func.lower(Opening.title), Opening.id)
    )
    return _first(query, limit)


def open_opening(public_id: str) -> Opening | None:
    """The open opening with this public id, if there is one."""
    if not PUBLIC_ID.fullmatch(public_id):
        return None
    return db.session.scalar(
        select(Opening)
        .where(Opening.public_id == public_id, Opening.status == OpeningStatus.OPEN)
        .options(joinedload(Opening.employer))
    )
