"""An employer's change of an approved opening waits for a coordinator; the live one stays.

An open (approved) opening is live: on the public board, in every matching run
and in the placement guard. When its employer changes what the law or the match
depends on, or what youths read about the job (`WAITING`: title, description,
category, kind, ages, light work, workplace, alcohol, shifts, place and area,
required languages and certificates, onboarding steps), the change is stored on
the opening (`Opening.pending_changes`, the changed columns only) and the live
columns stay as approved. The number of positions and the hourly wage apply at
once: neither makes the job unlawful for anyone or moves a youth's week. An
opening that was never approved is edited directly (`openings.update_opening`).

A coordinator sees the change beside the live values, with the running
placements (confirmed or started) and the proposals sent to the employer that
the changed opening would break: the one guard (`placement_guard.refusal_words`)
is asked with the opening as it would be after the change, built as a transient
copy that is never added to the session.

Approval is refused while the change would break any of them. The law has no
override: the coordinator ends those placements or withdraws those proposals
first, or rejects the change. Approve and reject hold the opening's row for the
transaction and name the version of the change the coordinator saw
(`Opening.changes_version`, bumped whenever the employer replaces or withdraws
it): of two approvals at once one applies the change and the other is told
calmly it is done; a change the employer replaced meanwhile is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    Area,
    Opening,
    OpeningStatus,
    Placement,
    Proposal,
    ProposalStatus,
    Shift,
    Youth,
    utcnow,
)
from .errors import AlreadyDoneError, InvalidStateError
from .notifications import queue_opening_change_answer
from .openings import OpeningData, apply_opening, check_positions, update_opening
from .placement_guard import refusal_words

# The columns a change waits for; "shifts" beside them stands for the shift rows.
WAITING = (
    "title", "description", "category", "kind", "min_age", "max_age", "light_work",
    "workplace", "alcohol", "address", "postcode", "town", "lat", "lon", "area_id",
    "required_languages", "required_certificates", "onboarding_steps",
)  # fmt: skip
SHIFTS = "shifts"
# How a changed column is shown: one row per item, in the order of the opening's page.
ITEMS = {
    "title": "title", "description": "description", "category": "category", "kind": "kind",
    "min_age": "age", "max_age": "age", "light_work": "light_work", "workplace": "workplace",
    "alcohol": "alcohol", SHIFTS: "shifts", "address": "place", "postcode": "place",
    "town": "place", "lat": "place", "lon": "place", "area_id": "area",
    "required_languages": "required_languages",
    "required_certificates": "required_certificates", "onboarding_steps": "onboarding_steps",
}  # fmt: skip


@dataclass(frozen=True)
class Broken:
    """A running placement or a sent proposal that the changed opening would not allow."""

    first_name: str
    youth_public_id: str
    proposal: bool  # a proposal sent to the employer, else a placement
    status: str
    rules: str
    run_public_id: str | None = None


@dataclass(frozen=True)
class PendingChange:
    """The change waiting on an opening, for the employer's and the coordinator's pages."""

    live: Opening
    changed: Opening  # transient: the opening as it would be after approval
    items: list[str]  # what changes, as `ITEMS` names, each once, in the page's order
    version: int
    requested_at: dt.datetime | None
    broken: list[Broken]


def _copy(opening: Opening) -> Opening:
    """A transient copy of the opening: columns, employer, area and shifts (never in a session)."""
    copy = Opening()
    for column in Opening.__table__.columns:
        value = getattr(opening, column.key)
        setattr(copy, column.key, list(value) if isinstance(value, list) else value)
    # Without events: a backref would put the copy into the employer's openings.
    set_committed_value(copy, "employer", opening.employer)
    set_committed_value(copy, "area", opening.area)
    copy.shifts = _shifts(_shift_rows(opening))
    return copy


def _shift_rows(opening: Opening) -> list[list[int]]:
    return [[s.day_index, s.start_min, s.end_min] for s in opening.shifts]


def _shifts(rows: list[list[int]]) -> list[Shift]:
    return [Shift(day_index=d, start_min=s, end_min=e) for d, s, e in rows]


def _differences(live: Opening, changed: Opening) -> dict[str, Any]:
    """The waiting columns (and shifts) where `changed` differs from `live`, with new values."""
    found = {n: getattr(changed, n) for n in WAITING if getattr(changed, n) != getattr(live, n)}
    if _shift_rows(changed) != _shift_rows(live):
        found[SHIFTS] = _shift_rows(changed)
    return found


def _changed_opening(live: Opening, changes: dict[str, Any]) -> Opening:
    """The live opening with `changes` applied, as a transient copy."""
    changed = _copy(live)
    for name, value in changes.items():
        if name in WAITING:
            setattr(changed, name, value)
    if SHIFTS in changes:
        changed.shifts = _shifts(changes[SHIFTS])
    if "area_id" in changes:
        area = db.session.get(Area, changes["area_id"]) if changes["area_id"] else None
        set_committed_value(changed, "area", area)
    return changed


def _items(changes: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(item for name, item in ITEMS.items() if name in changes))


def _codes(youth: Youth, changed: Opening, on: dt.date, besides: Placement | Proposal) -> str:
    """Why the youth could not hold the changed opening, with the figures ("" when allowed)."""
    try:
        return refusal_words(youth, changed, on=on, besides=besides)
    except jobmatch.ProblemError:
        return str(_("the records are incomplete: the rules cannot be checked"))


def _broken(held: Placement | Proposal, rules: str) -> Broken:
    run = held.run.public_id if isinstance(held, Proposal) else None
    return Broken(
        first_name=held.youth.first_name,
        youth_public_id=held.youth.public_id,
        proposal=run is not None,
        status=held.status,
        rules=rules,
        run_public_id=run,
    )


def broken_by(live: Opening, changed: Opening) -> list[Broken]:
    """The running placements and sent proposals of `live` that `changed` would not allow.

    A placement is checked on its first day when that is still ahead, else today;
    a proposal on its run's start date (today when that has passed).
    """
    today = board_day.today()
    broken: list[Broken] = []
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.opening_id == live.id, Placement.status.in_(ACTIVE_PLACEMENTS))
        .options(joinedload(Placement.youth))
        .order_by(Placement.id)
    ).all()
    for placement in placements:
        on = max(today, placement.start_date or today)
        if rules := _codes(placement.youth, changed, on, placement):
            broken.append(_broken(placement, rules))
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.opening_id == live.id, Proposal.status == ProposalStatus.SENT)
        .options(joinedload(Proposal.youth), joinedload(Proposal.run))
        .order_by(Proposal.id)
    ).all()
    for proposal in proposals:
        on = max(today, proposal.run.start_date or today)
        if rules := _codes(proposal.youth, changed, on, proposal):
            broken.append(_broken(proposal, rules))
    return broken


def pending_change(opening: Opening, *, with_broken: bool = False) -> PendingChange | None:
    """The change waiting on `opening`, or None; with what it would break when `with_broken`."""
    if not opening.pending_changes:
        return None
    changed = _changed_opening(opening, opening.pending_changes)
    return PendingChange(
        live=opening,
        changed=changed,
        items=_items(opening.pending_changes),
        version=opening.changes_version,
        requested_at=opening.changes_requested_at,
        broken=broken_by(opening, changed) if with_broken else [],
    )


def openings_with_changes() -> list[Opening]:
    """Open openings with a change waiting for a coordinator, the longest waiting first."""
    return list(
        db.session.scalars(
            select(Opening)
            .where(Opening.status == OpeningStatus.OPEN, Opening.pending_changes.is_not(None))
            .options(joinedload(Opening.employer))
            .order_by(Opening.changes_requested_at, Opening.id)
        )
    )


def edit_by_employer(opening: Opening, data: OpeningData) -> bool:
    """Save an employer's edit: at once, or, for an approved opening, partly as a waiting change.

    Positions and the hourly wage of an open opening change at once; every
    other difference from the live opening replaces the waiting change (an
    edit back to the live values withdraws it). Other openings change directly.

    Returns:
        Whether a change now waits for a coordinator.

    Raises:
        InvalidStateError: as `openings.update_opening` (closed, too few
            positions, no or overlapping shifts, ages reversed).
    """
    if opening.status != OpeningStatus.OPEN:
        update_opening(opening, data)
        return False
    check_positions(opening, data.positions)
    changed = _copy(opening)
    apply_opening(changed, data)
    changes = _differences(opening, changed) or None
    opening.positions = data.positions
    opening.hourly_wage_dkk = data.hourly_wage_dkk
    if changes != opening.pending_changes:
        db.session.execute(
            update(Opening)
            .where(Opening.id == opening.id)
            .values(
                pending_changes=changes,
                changes_requested_at=utcnow() if changes else None,
                changes_version=Opening.changes_version + 1,
            )
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    db.session.expire(opening)
    return changes is not None


def withdraw_change(opening: Opening) -> None:
    """The employer takes the waiting change back; the live opening is unchanged.

    Raises:
        AlreadyDoneError: nothing waits (withdrawn or decided already).
    """
    result = db.session.execute(
        update(Opening)
        .where(Opening.id == opening.id, Opening.pending_changes.is_not(None))
        .values(
            pending_changes=None,
            changes_requested_at=None,
            changes_version=Opening.changes_version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise AlreadyDoneError(_("No change waits for approval."))
    db.session.commit()
    db.session.expire(opening)


def _claim(opening: Opening, version: int | None) -> dict[str, Any]:
    """Hold the opening's row; the waiting change of `version`, read after the hold.

    Raises:
        AlreadyDoneError: that change is approved or rejected already.
        InvalidStateError: the employer replaced or withdrew it, or the opening is not open.
    """
    db.session.execute(
        update(Opening)
        .where(Opening.id == opening.id)
        .values(changes_version=Opening.changes_version)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(
        select(Opening.status, Opening.pending_changes, Opening.changes_version).where(
            Opening.id == opening.id
        )
    ).one()
    refusal: InvalidStateError | None = None
    if row.changes_version != version:
        refusal = InvalidStateError(
            _("The employer has changed or withdrawn the change since you saw it: look again.")
        )
    elif not row.pending_changes:
        refusal = AlreadyDoneError(_("This change is decided already."))
    elif row.status != OpeningStatus.OPEN:
        refusal = InvalidStateError(_("The opening is not open: its change cannot be decided."))
    if refusal is not None:
        db.session.rollback()
        raise refusal
    db.session.expire(opening)
    changes: dict[str, Any] = row.pending_changes
    return changes


def approve_change(opening: Opening, *, version: int | None) -> None:
    """Apply the waiting change of `version` to the live opening and tell the employer.

    Raises:
        AlreadyDoneError: the change is approved or rejected already.
        InvalidStateError: the employer replaced or withdrew it; or it would
            break running placements or sent proposals (they are named); or the
            changed opening is not valid (no shift, ages reversed).
    """
    changes = _claim(opening, version)
    changed = _changed_opening(opening, changes)
    try:
        _check(changed)
        if broken := broken_by(opening, changed):
            raise InvalidStateError(
                _(
                    "The change would break what runs now (%(names)s): end those placements or "
                    "withdraw those proposals first, or reject the change.",
                    names=", ".join(b.first_name for b in broken),
                )
            )
    except InvalidStateError:
        db.session.rollback()
        raise
    for name in WAITING:
        if name in changes:
            setattr(opening, name, changes[name])
    if SHIFTS in changes:
        opening.shifts = _shifts(changes[SHIFTS])
    opening.pending_changes = None
    opening.changes_requested_at = None
    queue_opening_change_answer(opening, approved=True)
    db.session.commit()


def _check(changed: Opening) -> None:
    """The changed opening is still valid (the live values may have moved since the request)."""
    if not changed.shifts:
        raise InvalidStateError(_("Add at least one shift."))
    if changed.max_age is not None and changed.max_age < changed.min_age:
        raise InvalidStateError(_("The maximum age must not be below the minimum age."))


def reject_change(opening: Opening, *, version: int | None) -> None:
    """Discard the waiting change of `version` and tell the employer; the live opening stays.

    Raises:
        AlreadyDoneError: the change is approved or rejected already.
        InvalidStateError: the employer replaced or withdrew it.
    """
    _claim(opening, version)
    opening.pending_changes = None
    opening.changes_requested_at = None
    queue_opening_change_answer(opening, approved=False)
    db.session.commit()
