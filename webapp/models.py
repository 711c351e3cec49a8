"""The board's typed SQLAlchemy 2 models.

Everything the `jobmatch` interchange format needs is stored here, so that a
matching run can build a problem from rows: openings with kind, category,
positions, age bounds, light work, workplace, alcohol, shifts, location and
requirements; youths with birth date, the date 9th grade was finished,
availability, location, travel radius, languages, interests, certificates,
priority, max jobs and buddies. Placements, proposals, matching runs and the
email outbox are modelled too; the runs and the outbox are driven later.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch import model as jobmatch_model

from .extensions import Base

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROLES = ("coordinator", "employer", "counsellor")
OPENING_KINDS = ("fritidsjob", "lommepengejob")
WORKPLACES = jobmatch_model.WORKPLACES
ALCOHOL = ("none", "food", "bar")
OPENING_STATUSES = ("pending", "open", "closed")
EMPLOYER_STATUSES = ("pending", "approved")
YOUTH_STATUSES = ("pending", "active", "archived")
STEP_STATUSES = ("todo", "in_progress", "done", "not_needed")
PLACEMENT_STATUSES = ("confirmed", "started", "ended")
RUN_STATUSES = ("pending", "running", "done", "failed")
PROPOSAL_STATUSES = ("proposed", "sent", "accepted", "declined", "withdrawn")
PAIR_RULES = ("pin", "forbid")
EVENT_KINDS = (
    "registered",
    "approved",
    "updated",
    "archived",
    "step",
    "proposed",
    "declined",
    "placed",
    "started",
    "feedback",
    "ended",
    "external_job",
    "milestone",
    "note",
)
MILESTONES = ("education_plan", "upv", "brobygning", "started_education", "other")


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def new_public_id() -> str:
    """An opaque identifier for URLs: no names, emails or row numbers in links."""
    return secrets.token_urlsafe(9)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class PublicIdMixin:
    """A random public identifier used in URLs instead of the row id."""

    public_id: Mapped[str] = mapped_column(
        String(16), unique=True, index=True, default=new_public_id
    )


class Area(Base):
    """A housing area (boligområde) that youths live in and openings serve."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    department: Mapped[str] = mapped_column(String(40), default="")
    town: Mapped[str] = mapped_column(String(80))
    postcode: Mapped[str] = mapped_column(String(8), default="")
    # The municipality whose school holidays apply to the area's youths.
    municipality: Mapped[str] = mapped_column(String(80), default="", server_default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class SchoolHoliday(Base):
    """A school holiday of a municipality (e.g. autumn holiday): holiday weeks for matching."""

    __tablename__ = "school_holiday"
    __table_args__ = (CheckConstraint("first_day <= last_day", name="span"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(80))
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(UserMixin, PublicIdMixin, Base):
    """A staff login: coordinator, employer staff or counsellor."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change and logout so that old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    invited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    employer: Mapped[Employer | None] = relationship(back_populates="staff")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_account and self.password_hash is not None

    def get_id(self) -> str:
        return f"{self.public_id}:{self.session_version}"


class Employer(PublicIdMixin, Base):
    """A business, or the housing association itself for lommepengejob."""

    __tablename__ = "employer"
    __table_args__ = (CheckConstraint(_in("status", EMPLOYER_STATUSES), name="status"),)

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
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    staff: Mapped[list[User]] = relationship(back_populates="employer")
    openings: Mapped[list[Opening]] = relationship(
        back_populates="employer", order_by="Opening.id"
    )


class Opening(PublicIdMixin, Base):
    """A job with weekly shifts: a fritidsjob at a business or a lommepengejob."""

    __tablename__ = "opening"
    __table_args__ = (
        CheckConstraint(_in("kind", OPENING_KINDS), name="kind"),
        CheckConstraint(_in("workplace", WORKPLACES), name="workplace"),
        CheckConstraint(_in("alcohol", ALCOHOL), name="alcohol"),
        CheckConstraint(_in("status", OPENING_STATUSES), name="status"),
        CheckConstraint("positions >= 1", name="positions"),
        CheckConstraint("min_age >= 13", name="min_age"),
        # Two coordinators confirming at once can never overfill an opening.
        CheckConstraint("filled >= 0 AND filled <= positions", name="filled"),
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
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    employer: Mapped[Employer] = relationship(back_populates="openings")
    area: Mapped[Area | None] = relationship()
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="opening",
        cascade="all, delete-orphan",
        order_by="(Shift.day_index, Shift.start_min)",
    )
    placements: Mapped[list[Placement]] = relationship(back_populates="opening")


class Shift(Base):
    """A weekly shift of an opening; minutes since midnight, 1440 meaning 24:00."""

    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("day_index BETWEEN 0 AND 6", name="day"),
        CheckConstraint("start_min >= 0 AND start_min < end_min AND end_min <= 1440", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("opening.id", ondelete="CASCADE"), index=True
    )
    day_index: Mapped[int] = mapped_column(Integer)
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)

    opening: Mapped[Opening] = relationship(back_populates="shifts")


youth_buddy = Table(
    "youth_buddy",
    Base.metadata,
    Column("youth_id", ForeignKey("youth.id", ondelete="CASCADE"), primary_key=True),
    Column("buddy_id", ForeignKey("youth.id", ondelete="CASCADE"), primary_key=True),
)


youth_excluded_employer = Table(
    "youth_excluded_employer",
    Base.metadata,
    Column("youth_id", ForeignKey("youth.id", ondelete="CASCADE"), primary_key=True),
    Column("employer_id", ForeignKey("employer.id", ondelete="CASCADE"), primary_key=True),
)


class Youth(PublicIdMixin, Base):
    """A young person (13-17) looking for a first job. No CPR number, ever."""

    __tablename__ = "youth"
    __table_args__ = (
        CheckConstraint(_in("status", YOUTH_STATUSES), name="status"),
        CheckConstraint("priority >= 1", name="priority"),
        CheckConstraint("max_jobs >= 0", name="max_jobs"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), default="")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    finished_9th_grade_on: Mapped[dt.date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    parent_name: Mapped[str] = mapped_column(String(120), default="")
    parent_email: Mapped[str] = mapped_column(String(254), default="")
    parent_phone: Mapped[str] = mapped_column(String(30), default="")
    max_travel_km: Mapped[float | None] = mapped_column(Float)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    max_jobs: Mapped[int] = mapped_column(Integer, default=1)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    source: Mapped[str] = mapped_column(String(20), default="coordinator")
    # Visible to coordinators only: never to employers.
    notes: Mapped[str] = mapped_column(Text, default="")
    # The opening a public registration was made from, if any.
    interested_opening_id: Mapped[int | None] = mapped_column(
        ForeignKey("opening.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    area: Mapped[Area | None] = relationship()
    counsellor: Mapped[User | None] = relationship()
    interested_opening: Mapped[Opening | None] = relationship()
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="youth",
        cascade="all, delete-orphan",
        order_by="(AvailabilityWindow.day_index, AvailabilityWindow.start_min)",
    )
    steps: Mapped[list[OnboardingStep]] = relationship(
        back_populates="youth", cascade="all, delete-orphan"
    )
    events: Mapped[list[TimelineEvent]] = relationship(
        back_populates="youth", cascade="all, delete-orphan", order_by="TimelineEvent.id"
    )
    placements: Mapped[list[Placement]] = relationship(
        back_populates="youth", cascade="all, delete-orphan", order_by="Placement.id"
    )
    buddies: Mapped[list[Youth]] = relationship(
        secondary=youth_buddy,
        primaryjoin=lambda: Youth.id == youth_buddy.c.youth_id,
        secondaryjoin=lambda: Youth.id == youth_buddy.c.buddy_id,
    )
    # Never place the youth here (the format's exclude_employers).
    excluded_employers: Mapped[list[Employer]] = relationship(
        secondary=youth_excluded_employer, order_by="Employer.name"
    )
    # The youth's ranking of openings, most wanted first (the format's preferences).
    preferences: Mapped[list[YouthPreference]] = relationship(
        back_populates="youth", cascade="all, delete-orphan", order_by="YouthPreference.rank"
    )

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on `day`."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def in_compulsory_school(self, day: dt.date) -> bool:
        """Still undervisningspligtig on `day`: 9th grade not finished by then."""
        return self.finished_9th_grade_on is None or self.finished_9th_grade_on > day


class YouthPreference(Base):
    """An opening a youth wants, with its rank (1 = most wanted)."""

    __tablename__ = "youth_preference"
    __table_args__ = (
        UniqueConstraint("youth_id", "opening_id", name="uq_youth_preference_pair"),
        CheckConstraint("rank >= 1", name="rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("opening.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="preferences")
    opening: Mapped[Opening] = relationship()


class AvailabilityWindow(Base):
    """A weekly window in which a youth can work."""

    __tablename__ = "availability_window"
    __table_args__ = (
        CheckConstraint("day_index BETWEEN 0 AND 6", name="day"),
        CheckConstraint("start_min >= 0 AND start_min < end_min AND end_min <= 1440", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    day_index: Mapped[int] = mapped_column(Integer)
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)

    youth: Mapped[Youth] = relationship(back_populates="availability")


class OnboardingStepKind(Base):
    """A kind of onboarding step (data, not code): NemKonto, MitID, tax card, ..."""

    __tablename__ = "onboarding_step_kind"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    description_da: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    for_fritidsjob: Mapped[bool] = mapped_column(Boolean, default=False)
    for_lommepengejob: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=100)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def name(self, locale: str) -> str:
        """The name in `locale`, falling back to Danish."""
        return self.name_en if locale == "en" and self.name_en else self.name_da

    def description(self, locale: str) -> str:
        """The description in `locale`, falling back to Danish."""
        if locale == "en" and self.description_en:
            return self.description_en
        return self.description_da


class OnboardingStep(Base):
    """One youth's progress on one kind of onboarding step."""

    __tablename__ = "onboarding_step"
    __table_args__ = (
        UniqueConstraint("youth_id", "kind_id", name="uq_onboarding_step_youth_kind"),
        CheckConstraint(_in("status", STEP_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("onboarding_step_kind.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="todo")
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    helped_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    youth: Mapped[Youth] = relationship(back_populates="steps")
    kind: Mapped[OnboardingStepKind] = relationship()
    helped_by: Mapped[User | None] = relationship()


class TimelineEvent(Base):
    """One entry in a youth's timeline. Appended, never edited."""

    __tablename__ = "timeline_event"
    __table_args__ = (CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # A sub-kind: the milestone (education_plan, upv, ...) or the step's code.
    code: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_on: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


@event.listens_for(TimelineEvent, "before_update")
def _timeline_is_append_only(*_: object) -> None:
    raise ValueError("timeline events are never edited, only appended")


class Placement(Base):
    """A youth holding an opening: confirmed, started, then ended."""

    __tablename__ = "placement"
    __table_args__ = (CheckConstraint(_in("status", PLACEMENT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(40), default="")
    employer_feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="placements")
    opening: Mapped[Opening] = relationship(back_populates="placements")


class MatchRun(PublicIdMixin, Base):
    """A matching run: its parameters, the problem it built and the library's solution."""

    __tablename__ = "match_run"
    __table_args__ = (CheckConstraint(_in("status", RUN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(10), default="school")
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The jobmatch/1 problem as built, and the solution document: a run can be
    # reproduced and audited from these two alone.
    problem: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    solution: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A failed run's message for the coordinator (translated when it was built).
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Proposal.id"
    )


class Proposal(PublicIdMixin, Base):
    """A (youth, opening) pair proposed by a run, for employer and coordinator to decide."""

    __tablename__ = "proposal"
    __table_args__ = (CheckConstraint(_in("status", PROPOSAL_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id"), index=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    missing_onboarding: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Why the pair scores as it does: shared interests, distance, ranks.
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    run: Mapped[MatchRun] = relationship(back_populates="proposals")
    youth: Mapped[Youth] = relationship()
    opening: Mapped[Opening] = relationship()


class PairRule(Base):
    """A coordinator's pin or ban of a (youth, opening) pair for matching."""

    __tablename__ = "pair_rule"
    __table_args__ = (
        UniqueConstraint("youth_id", "opening_id", name="uq_pair_rule_pair"),
        CheckConstraint(_in("rule", PAIR_RULES), name="rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"))
    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(10))  # "pin" or "forbid"
    # Why: e.g. the employer declined the youth (then the next run leaves the pair out).
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxMessage(Base):
    """An email written in the same transaction as its cause, sent later with retries."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # Never personal data in a subject line.
    subject: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(80))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # A message that must exist only once (a placement's reminder to one
    # address, a week's digest to one coordinator): the database refuses a
    # second row with the same key.
    dedupe_key: Mapped[str | None] = mapped_column(String(320), unique=True)
