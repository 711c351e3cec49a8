"""Likely duplicates of the pending registrations: the same contact, or the same name and birth.

A pending registration is a likely duplicate of another youth (pending, active
or archived) when the youth's emails match, or the parents' emails, or the
phones (or the parents' phones) once spaces, dashes, dots, brackets and a +45
or 0045 prefix are taken away, or the names (case and spaces ignored) and the
birth dates. The database computes the keys: those of the registrations on the
page first, then, in one pass over the table, the youths that share one of
them, so a board of thousands of youths is never loaded to find them (two
queries, however many registrations wait). A join of the table with itself would
compare every pair and take seconds at 5,000 youths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, false, func, or_, select

from ..extensions import db
from ..models import Youth, YouthStatus

# Why a registration is flagged, in the order a coordinator reads them.
REASONS = ("email", "parent_email", "phone", "parent_phone", "name_birth_date")


@dataclass
class Duplicate:
    """Another youth a pending registration is likely to be, and why."""

    public_id: str
    first_name: str
    last_name: str
    status: str
    # The merge keeps the older record: offered when this one is not pending, or older.
    can_merge_into: bool
    reasons: list[str] = field(default_factory=list)


def email_key(column: Any) -> ColumnElement[str]:
    """An email as compared: trimmed, lower case."""
    return func.lower(func.trim(column))


def phone_key(column: Any) -> ColumnElement[str]:
    """A phone number as compared: no spaces, dashes, dots or brackets, no +45 / 0045 prefix."""
    digits: Any = func.trim(column)
    for sign in (" ", "-", ".", "(", ")"):
        digits = func.replace(digits, sign, "")
    return case(
        (digits.like("+45%"), func.substr(digits, 4)),
        (digits.like("0045%"), func.substr(digits, 5)),
        else_=digits,
    )


def name_key(*parts: Any) -> ColumnElement[str]:
    """A whole name as compared: lower case, without spaces ("Amira Hassan" = "amira  hassan")."""
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.concat(part)
    return func.replace(func.lower(joined), " ", "")


@dataclass(frozen=True)
class _Keys:
    """A youth's row as compared: the keys the database computed, and what the page shows."""

    id: int
    public_id: str
    first_name: str
    last_name: str
    status: str
    created_at: dt.datetime
    birth_date: dt.date
    email: str
    parent_email: str
    phone: str
    parent_phone: str
    name: str
    first: str
    no_last_name: bool

    def reasons(self, other: _Keys) -> list[str]:
        """Why `other` is likely the same youth as this one, in the order of `REASONS`."""
        found = [
            r for r in REASONS[:4] if getattr(self, r) and getattr(self, r) == getattr(other, r)
        ]
        if self.birth_date == other.birth_date and (
            self.name == other.name or (self.no_last_name and self.first == other.first)
        ):
            found.append("name_birth_date")
        return found


def _keys() -> list[Any]:
    return [
        Youth.id,
        Youth.public_id,
        Youth.first_name,
        Youth.last_name,
        Youth.status,
        Youth.created_at,
        Youth.birth_date,
        email_key(Youth.email),
        email_key(Youth.parent_email),
        phone_key(Youth.phone),
        phone_key(Youth.parent_phone),
        name_key(Youth.first_name, Youth.last_name),
        name_key(Youth.first_name),
        func.trim(Youth.last_name) == "",
    ]


def likely_duplicates(registrations: Sequence[Youth]) -> dict[int, list[Duplicate]]:
    """For each of these pending registrations (by youth id) with likely duplicates, those
    youths (a page of registrations: the work is the page's, not every registration's).

    Two queries, whatever the number of youths: the keys of the pending
    registrations, then the youths that share one of them (one pass over the
    table; only those rows come back). The youths are ordered as created
    (oldest first), each with its reasons in the order of `REASONS`.
    """
    pending = [
        _Keys(*row)
        for row in db.session.execute(
            select(*_keys()).where(
                Youth.status == YouthStatus.PENDING, Youth.id.in_([y.id for y in registrations])
            )
        )
    ]
    if not pending:
        return {}

    def among(position: int, column: Any) -> ColumnElement[bool]:
        values = {getattr(p, REASONS[position]) for p in pending} - {""}
        return column.in_(sorted(values)) if values else false()

    key_columns = _keys()
    shares_a_key = or_(
        *(among(i, key_columns[7 + i]) for i in range(4)),
        Youth.birth_date.in_(sorted({p.birth_date for p in pending})),
    )
    candidates = sorted(
        (_Keys(*row) for row in db.session.execute(select(*key_columns).where(shares_a_key))),
        key=lambda o: (o.created_at, o.id),
    )
    result: dict[int, list[Duplicate]] = {}
    for registration in pending:
        found = []
        for other in candidates:
            reasons = registration.reasons(other) if other.id != registration.id else []
            if reasons:
                older = (other.created_at, other.id) < (registration.created_at, registration.id)
                found.append(
                    Duplicate(
                        public_id=other.public_id,
                        first_name=other.first_name,
                        last_name=other.last_name,
                        status=other.status,
                        can_merge_into=other.status != YouthStatus.PENDING or older,
                        reasons=reasons,
                    )
                )
        if found:
            result[registration.id] = found
    return result
