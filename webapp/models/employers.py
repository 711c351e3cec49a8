"""Employers, their staff logins and their openings with weekly shifts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .areas import Area
from .codes import ALCOHOL, OPENING_KINDS, WORKPLACES, EmployerStatus, OpeningStatus, Role
from .columns import PublicIdMixin, UTCDateTime, check_in, utcnow


class User(UserMixin, PublicIdMixin, Base):
    """A staff login: coordinator, employer staff or counsellor."""

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(check_in("role", Role), name="role"),
        Index("ix_user_role_name", "role", "name"),  # the users list, by role and name
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change and logout so that old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    invited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    employer: Mapped[Employer | None] = relationship(back_populates="staff")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_account and self.password_hash is not None

    def get_id(self) -> str:
        return f"{self.public_id}:{self.session_version}"


class Employer(PublicIdMixin, Base):
    """A business, or the housing association itself for lommepengejob."""

    __tablename__ = "employer"
    __table_args__ = (
        CheckConstraint(check_in("status", EmployerStatus), name="status"),
        Index("ix_employer_status_name", "status", "name"),  # approved ones, by name
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    cvr: Mapped[str] = mapped_column(String(8), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    is_housing_association: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=EmployerStatus.PENDING)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[list[User]] = relationship(back_populates="employer")
    openings: Mapped[list[Opening]] = relationship(
        back_populates="employer", order_by="Opening.id"
    )


class Opening(PublicIdMixin, Base):
    """A job with weekly shifts: a fritidsjob at a business or a lommepengejob."""

    __tablename__ = "opening"
    __table_args__ = (
        CheckConstraint(check_in("kind", OPENING_KINDS), name="kind"),
        CheckConstraint(check_in("workplace", WORKPLACES), name="workplace"),
        CheckConstraint(check_in("alcohol", ALCOHOL), name="alcohol"),
        CheckConstraint(check_in("status", OpeningStatus), name="status"),
        CheckConstraint("positions >= 1", name="positions"),
        CheckConstraint("min_age >= 13", name="min_age"),
        # Two coordinators confirming at once can never overfill an opening.
        CheckConstraint("filled >= 0 AND filled <= positions", name="filled"),
        # The coordinator's list (a status, newest first) and the public board (open ones,
        # newest first, by category, kind or town).
        Index("ix_opening_status_id", "status", "id"),
        Index("ix_opening_status_created_at", "status", "created_at", "id"),
        Index("ix_opening_status_category", "status", "category"),
        Index("ix_opening_status_kind", "status", "kind"),
        Index("ix_opening_status_town", "status", "town"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default="fritidsjob")
    positions: Mapped[int] = mapped_column(Integer, default=1)
    # Positions held by proposals sent to the employer and by confirmed or
    # started placements; changed only by `services.seats`, in the same
    # transaction as the proposal or placement.
    filled: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    min_age: Mapped[int] = mapped_column(Integer, default=13)
    max_age: Mapped[int | None] = mapped_column(Integer)
    light_work: Mapped[bool] = mapped_column(Boolean, default=False)
    workplace: Mapped[str] = mapped_column(String(30), default="other")
    alcohol: Mapped[str] = mapped_column(String(10), default="none")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    required_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Codes of onboarding step kinds needed before the first day; empty means
    # the default for the kind of job.
    onboarding_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    hourly_wage_dkk: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=OpeningStatus.PENDING)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # An employer's change of an approved opening that waits for a coordinator
    # (`services.opening_changes`): the changed columns and their new values
    # ("shifts" as [day, start, end] rows). The columns above stay the approved,
    # live version until a coordinator approves it. NULL: nothing waits.
    pending_changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    changes_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Bumped whenever the employer replaces or withdraws the waiting change, so
    # that a coordinator's approval names the version it saw (compare-and-set).
    changes_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    employer: Mapped[Employer] = relationship(back_populates="openings")
    area: Mapped[Area | None] = relationship()
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="opening",
        cascade="all, delete-orphan",
        order_by="(Shift.day_index, Shift.start_min)",
    )
    # Defined in `youths` with its placements, so named here without an import.
    placements = relationship("Placement", back_populates="opening")


class Shift(Base):
    """A weekly shift of an opening; minutes since midnight, 1440 meaning 24:00."""

    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("day_index BETWEEN 0 AND 6", name="day"),
        CheckConstraint("start_min >= 0 AND start_min < end_min AND end_min <= 1440", name="span"),
        Index("ix_shift_opening_day", "opening_id", "day_index"),  # the board's day filter
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("opening.id", ondelete="CASCADE"), index=True
    )
    day_index: Mapped[int] = mapped_column(Integer)
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)

    opening: Mapped[Opening] = relationship(back_populates="shifts")
