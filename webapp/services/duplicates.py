"""Likely duplicates of the pending registrations: the same contact, or the same name and birth.

A pending registration is a likely duplicate of another youth (pending, active
or archived) when the youth's emails match, or the parents' emails, or the
phones (or the parents' phones) once spaces, dashes, dots, brackets and a +45
or 0045 prefix are taken away, or the names (case and spaces ignored) and the
birth dates. Every comparison is made by the database in one statement (a
UNION ALL of one join per reason), so a board of thousands of youths is never
loaded to find them; the page asks once, however many registrations wait.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

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


def likely_duplicates() -> dict[int, list[Duplicate]]:
    """For each pending registration (by youth id) with likely duplicates, those youths.

    One query. The youths are ordered as created (oldest first), each with its
    reasons in the order of `REASONS`.
    """
    new = aliased(Youth, name="registration")
    other = aliased(Youth, name="other")

    def same(reason: str, condition: ColumnElement[bool]) -> Any:
        return (
            select(
                new.id.label("registration_id"),
                new.created_at.label("registration_created"),
                other.id.label("other_id"),
                other.public_id,
                other.first_name,
                other.last_name,
                other.status,
                other.created_at,
                literal_column(f"'{reason}'").label("reason"),
            )
            .select_from(new)
            .join(other, and_(other.id != new.id, condition))
            .where(new.status == YouthStatus.PENDING)
        )

    def contact(key: Any, column: str) -> ColumnElement[bool]:
        mine, theirs = key(getattr(new, column)), key(getattr(other, column))
        return and_(mine == theirs, mine != "")

    name_match = or_(
        name_key(new.first_name, new.last_name) == name_key(other.first_name, other.last_name),
        # A form with one name field: "Amira" is likely "Amira Hassan" born the same day.
        and_(
            func.trim(new.last_name) == "",
            name_key(new.first_name) == name_key(other.first_name),
        ),
    )
    query = union_all(
        same("email", contact(email_key, "email")),
        same("parent_email", contact(email_key, "parent_email")),
        same("phone", contact(phone_key, "phone")),
        same("parent_phone", contact(phone_key, "parent_phone")),
        same("name_birth_date", and_(new.birth_date == other.birth_date, name_match)),
    )
    found: dict[int, dict[int, Duplicate]] = {}
    order: dict[int, tuple[dt.datetime, int]] = {}
    for row in db.session.execute(query):
        by_other = found.setdefault(row.registration_id, {})
        if row.other_id not in by_other:
            older = (row.created_at, row.other_id) < (
                row.registration_created,
                row.registration_id,
            )
            by_other[row.other_id] = Duplicate(
                public_id=row.public_id,
                first_name=row.first_name,
                last_name=row.last_name,
                status=row.status,
                can_merge_into=row.status != YouthStatus.PENDING or older,
            )
            order[row.other_id] = (row.created_at, row.other_id)
        by_other[row.other_id].reasons.append(row.reason)
    result: dict[int, list[Duplicate]] = {}
    for registration_id, by_other in found.items():
        for duplicate in by_other.values():
            duplicate.reasons.sort(key=REASONS.index)
        result[registration_id] = [by_other[i] for i in sorted(by_other, key=order.__getitem__)]
    return result
