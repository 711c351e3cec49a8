"""Employers and their openings: profiles, approval, the shift editor and the public board."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    Area,
    Employer,
    EmployerStatus,
    Opening,
    OpeningStatus,
    Placement,
    Shift,
    User,
    utcnow,
)
from . import geo
from .errors import InvalidStateError, NotFoundError
from .lookup import by_public_id
from .paging import Page, paged
from .youths import Window, overlapping


@dataclass
class EmployerData:
    """An employer's company profile."""

    name: str
    cvr: str = ""
    description: str = ""
    address: str = ""
    postcode: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    is_housing_association: bool = False


@dataclass
class OpeningData:
    """Everything an opening needs, including what the matching library reads."""

    title: str
    category: str
    kind: str = "fritidsjob"
    description: str = ""
    positions: int = 1
    min_age: int = 13
    max_age: int | None = None
    light_work: bool = False
    workplace: str = "other"
    alcohol: str = "none"
    address: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    area_id: int | None = None
    required_languages: list[str] = field(default_factory=list)
    required_certificates: list[str] = field(default_factory=list)
    onboarding_steps: list[str] = field(default_factory=list)
    hourly_wage_dkk: int | None = None
    shifts: list[Window] = field(default_factory=list)


# -- employers ---------------------------------------------------------------


def _apply_employer(employer: Employer, data: EmployerData) -> None:
    for name, value in vars(data).items():
        setattr(employer, name, value.strip() if isinstance(value, str) else value)
    place = geo.place_of(data.address, data.postcode)
    employer.town, employer.lat, employer.lon = place.town, place.lat, place.lon


def create_employer(data: EmployerData, *, approved: bool) -> Employer:
    """Register an employer, approved when a coordinator creates it."""
    status = EmployerStatus.APPROVED if approved else EmployerStatus.PENDING
    employer = Employer(status=status)
    _apply_employer(employer, data)
    db.session.add(employer)
    db.session.commit()
    return employer


def update_employer(employer: Employer, data: EmployerData) -> None:
    """Change an employer's profile."""
    _apply_employer(employer, data)
    db.session.commit()


def approve_employer(employer: Employer) -> None:
    """Approve an employer so that its open openings show on the board.

    Raises:
        InvalidStateError: already approved.
    """
    if employer.status == EmployerStatus.APPROVED:
        raise InvalidStateError(_("This employer is already approved."))
    employer.status = EmployerStatus.APPROVED
    db.session.commit()


def employers_page(*, status: str = "", page: int, per_page: int) -> Page[Employer]:
    """A page of the employers (in `status` when given), pending first, then by name."""
    query = (
        select(Employer)
        .options(selectinload(Employer.openings))
        .order_by(Employer.status.desc(), Employer.name, Employer.id)
    )
    if status:
        query = query.where(Employer.status == status)
    return paged(query, page=page, per_page=per_page)


def approved_employers() -> list[Employer]:
    """Approved employers, by name."""
    return list(
        db.session.scalars(
            select(Employer)
            .where(Employer.status == EmployerStatus.APPROVED)
            .order_by(Employer.name)
        )
    )


def get_employer(public_id: str) -> Employer:
    """The employer with this public id.

    Raises:
        NotFoundError: no such employer.
    """
    return by_public_id(Employer, public_id)


def check_shifts(shifts: list[Window]) -> None:
    """An opening needs at least one shift, and its shifts never overlap.

    Raises:
        InvalidStateError: no shift, or two overlap (field ``shifts``).
    """
    if not shifts:
        raise InvalidStateError(_("Add at least one shift."), field="shifts")
    if overlapping(shifts):
        raise InvalidStateError(_("Two shifts on the same day overlap."), field="shifts")


def apply_opening(opening: Opening, data: OpeningData) -> None:
    """Set the opening's columns and shifts from `data` (not committed).

    Raises:
        InvalidStateError: see `check_shifts`, or the age bounds are reversed (field ``max_age``).
    """
    check_shifts(data.shifts)
    if data.max_age is not None and data.max_age < data.min_age:
        raise InvalidStateError(
            _("The maximum age must not be below the minimum age."), field="max_age"
        )
    for name, value in vars(data).items():
        if name != "shifts":
            setattr(opening, name, value.strip() if isinstance(value, str) else value)
    place = geo.place_of(data.address, data.postcode)
    opening.town = place.town
    if data.lat is None or data.lon is None:
        opening.lat, opening.lon = place.lat, place.lon
    opening.shifts = [
        Shift(day_index=d, start_min=s, end_min=e) for d, s, e in sorted(data.shifts)
    ]


def create_opening(employer: Employer, data: OpeningData, *, approved: bool) -> Opening:
    """Create an opening; it shows on the board once a coordinator has approved it.

    Raises:
        InvalidStateError: see `check_shifts`, or the age bounds are reversed.
    """
    status = OpeningStatus.OPEN if approved else OpeningStatus.PENDING
    opening = Opening(employer=employer, status=status)
    apply_opening(opening, data)
    db.session.add(opening)
    db.session.commit()
    return opening


def update_opening(opening: Opening, data: OpeningData) -> None:
    """Change an opening and replace its shifts.

    Raises:
        InvalidStateError: the opening is closed, or see `create_opening`.
    """
    check_positions(opening, data.positions)
    apply_opening(opening, data)
    db.session.commit()


def check_positions(opening: Opening, positions: int) -> None:
    """The opening may still change, and keeps at least the positions it holds.

    Raises:
        InvalidStateError: the opening is closed, or fewer positions than taken (``positions``).
    """
    if opening.status == OpeningStatus.CLOSED:
        raise InvalidStateError(_("A closed opening cannot be changed."))
    if positions < opening.filled:
        raise InvalidStateError(
            _(
                "%(count)d positions are taken or proposed to you: at least that many are needed.",
                count=opening.filled,
            ),
            field="positions",
        )


def approve_opening(opening: Opening) -> None:
    """Open a pending opening on the board.

    Raises:
        InvalidStateError: the opening is not pending.
    """
    if opening.status != OpeningStatus.PENDING:
        raise InvalidStateError(_("Only an opening awaiting approval can be approved."))
    opening.status = OpeningStatus.OPEN
    db.session.commit()


def close_opening(opening: Opening) -> None:
    """Close an opening: off the board, running placements are kept, a waiting change dropped.

    Raises:
        InvalidStateError: already closed.
    """
    if opening.status == OpeningStatus.CLOSED:
        raise InvalidStateError(_("This opening is already closed."))
    opening.status = OpeningStatus.CLOSED
    opening.closed_at = utcnow()
    if opening.pending_changes is not None:
        opening.pending_changes = opening.changes_requested_at = None
        opening.changes_version += 1
    db.session.commit()


def reopen_opening(opening: Opening) -> None:
    """Put a closed opening back for approval.

    Raises:
        InvalidStateError: the opening is not closed.
    """
    if opening.status != OpeningStatus.CLOSED:
        raise InvalidStateError(_("This opening is not closed."))
    opening.status = OpeningStatus.PENDING
    opening.closed_at = None
    db.session.commit()


def get_opening(public_id: str) -> Opening:
    """Any opening, for a coordinator, with the youths placed in it.

    Raises:
        NotFoundError: no such opening.
    """
    return by_public_id(
        Opening, public_id, options=[selectinload(Opening.placements).joinedload(Placement.youth)]
    )


def get_opening_for_employer(user: User, public_id: str) -> Opening:
    """An opening of the user's own employer; others do not exist for them.

    Raises:
        NotFoundError: no such opening, or another employer's.
    """
    if user.employer_id is None:
        raise NotFoundError("opening")
    return by_public_id(Opening, public_id, Opening.employer_id == user.employer_id)


def get_public_opening(public_id: str) -> Opening:
    """An opening shown on the public board.

    Raises:
        NotFoundError: no such opening, or not open, or its employer not approved.
    """
    return by_public_id(
        Opening,
        public_id,
        Opening.status == OpeningStatus.OPEN,
        Opening.employer.has(Employer.status == EmployerStatus.APPROVED),
    )


def _openings(status: str, employer: Employer | None) -> Select[tuple[Opening]]:
    """Openings (in `status`, of `employer` when given), pending first, newest first."""
    query = select(Opening).options(
        selectinload(Opening.employer), selectinload(Opening.shifts), selectinload(Opening.area)
    )
    if status:
        query = query.where(Opening.status == status)
    if employer is not None:
        query = query.where(Opening.employer_id == employer.id)
    return query.order_by(Opening.status.desc(), Opening.id.desc())


def list_openings(*, status: str = "", employer: Employer | None = None) -> list[Opening]:
    """Openings for a coordinator or an employer, pending first, newest first."""
    return list(db.session.scalars(_openings(status, employer)))


def openings_page(*, status: str = "", page: int, per_page: int) -> Page[Opening]:
    """A page of the coordinator's openings (in `status` when given), as `list_openings`."""
    return paged(_openings(status, None), page=page, per_page=per_page)


def taken_positions(openings: list[Opening]) -> dict[int, int]:
    """How many positions running or confirmed placements take, per opening id."""
    if not openings:
        return {}
    rows = db.session.execute(
        select(Placement.opening_id, func.count())
        .where(
            Placement.opening_id.in_([o.id for o in openings]),
            Placement.status.in_(ACTIVE_PLACEMENTS),
        )
        .group_by(Placement.opening_id)
    )
    return dict(rows.all())


def weekly_minutes(opening: Opening) -> int:
    """Minutes of work per week over all shifts."""
    return sum(s.end_min - s.start_min for s in opening.shifts)


def areas() -> list[Area]:
    """Every housing area, by name."""
    return list(db.session.scalars(select(Area).order_by(Area.name)))
