"""Youths and what hangs off them: availability, preferences, onboarding, timeline, placements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

import jobmatch

from ..extensions import Base
from .areas import Area
from .codes import (
    ACTIVE_PLACEMENTS,
    EventKind,
    PlacementStatus,
    StepStatus,
    YouthSource,
    YouthStatus,
)
from .columns import PublicIdMixin, UTCDateTime, check_in, utcnow
from .employers import Employer, Opening, User

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


# The languages a youth and a parent can be written to in (webapp/ui/locale.py): the board's
# Danish and English, and Arabic, Turkish, Somali and Ukrainian for youths and parents.
PERSON_LANGUAGES = ("da", "en", "ar", "tr", "so", "uk")


def name_sort_key(first_name: str, last_name: str) -> str:
    """How a youth's names sort: first name, then surname, in lower case."""
    return f"{first_name} {last_name}".strip().lower()


def _sort_name_of(context: Any) -> str:
    row = context.get_current_parameters()
    return name_sort_key(row.get("first_name") or "", row.get("last_name") or "")


class Youth(PublicIdMixin, Base):
    """A young person (13-17) looking for a first job. No CPR number, ever."""

    __tablename__ = "youth"
    __table_args__ = (
        CheckConstraint(check_in("status", YouthStatus), name="status"),
        CheckConstraint("priority >= 1", name="priority"),
        CheckConstraint("max_jobs >= 0", name="max_jobs"),
        CheckConstraint(check_in("language", PERSON_LANGUAGES), name="language"),
        CheckConstraint(check_in("parent_language", PERSON_LANGUAGES), name="parent_language"),
        # The coordinator's list: a status, by name (and the choosers' searches by name).
        Index("ix_youth_status_sort_name", "status", "sort_name", "id"),
        Index("ix_youth_status_birth_date", "status", "birth_date", "id"),  # ages, by age
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), default="")
    # The names in lower case, as lists sort them: kept by `_keep_sort_name`, and by the
    # column's default in a bulk INSERT (which sets no attribute).
    sort_name: Mapped[str] = mapped_column(String(161), default=_sort_name_of, server_default="")
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
    # The language each is written to in (emails, SMS, the youth's own page): PERSON_LANGUAGES.
    language: Mapped[str] = mapped_column(String(5), default="da", server_default="da")
    parent_language: Mapped[str] = mapped_column(String(5), default="da", server_default="da")
    max_travel_km: Mapped[float | None] = mapped_column(Float)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    max_jobs: Mapped[int] = mapped_column(Integer, default=1)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=YouthStatus.PENDING)
    source: Mapped[str] = mapped_column(String(20), default=YouthSource.COORDINATOR)
    # Visible to coordinators only: never to employers.
    notes: Mapped[str] = mapped_column(Text, default="")
    # The opening a public registration was made from, if any.
    interested_opening_id: Mapped[int | None] = mapped_column(
        ForeignKey("opening.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

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

    @validates("first_name", "last_name")
    def _keep_sort_name(self, key: str, value: str) -> str:
        names = {"first_name": self.first_name or "", "last_name": self.last_name or ""}
        names[key] = value or ""
        self.sort_name = name_sort_key(names["first_name"], names["last_name"])
        return value

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on `day` (`jobmatch.age_on`)."""
        return jobmatch.age_on(self.birth_date, day)

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
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

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
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

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
        CheckConstraint(check_in("status", StepStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("onboarding_step_kind.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=StepStatus.TODO)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    helped_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="steps")
    kind: Mapped[OnboardingStepKind] = relationship()
    helped_by: Mapped[User | None] = relationship()


class TimelineEvent(Base):
    """One entry in a youth's timeline. Appended, never edited."""

    __tablename__ = "timeline_event"
    __table_args__ = (CheckConstraint(check_in("kind", EventKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # A sub-kind: the milestone (education_plan, upv, ...) or the step's code.
    code: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_on: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


@event.listens_for(TimelineEvent, "before_update")
def _timeline_is_append_only(*_: object) -> None:
    raise ValueError("timeline events are never edited, only appended")


RUNNING_PAIR = check_in("status", ACTIVE_PLACEMENTS)


class Placement(Base):
    """A youth holding an opening: confirmed, started, then ended."""

    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint(check_in("status", PlacementStatus), name="status"),
        # One placement per accepted proposal, however often the answer arrives.
        UniqueConstraint("proposal_id", name="uq_placement_proposal_id"),
        # One running placement per youth and opening (an ended one may be followed by another).
        Index(
            "uq_placement_running_pair",
            "youth_id",
            "opening_id",
            unique=True,
            sqlite_where=text(RUNNING_PAIR),
            postgresql_where=text(RUNNING_PAIR),
        ),
        # The positions an opening's running placements take (the board, the pickers).
        Index("ix_placement_opening_status", "opening_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=PlacementStatus.CONFIRMED)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(40), default="")
    employer_feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="placements")
    opening: Mapped[Opening] = relationship(back_populates="placements")
