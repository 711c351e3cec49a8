"""Matching runs, the proposals they make, and the coordinators' pins and bans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .codes import PAIR_RULES, ProposalStatus, RunStatus
from .columns import PublicIdMixin, UTCDateTime, check_in, utcnow
from .employers import Opening
from .youths import Youth


class MatchRun(PublicIdMixin, Base):
    """A matching run: its parameters, the problem it built and the library's solution."""

    __tablename__ = "match_run"
    __table_args__ = (CheckConstraint(check_in("status", RunStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.PENDING)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(10), default="school")
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The jobmatch/1 problem as built, and the solution document: a run can be
    # reproduced and audited from these two alone. Megabytes for a large run, so
    # loaded only when read (a list of runs or a proposal's date never selects them).
    problem: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)
    solution: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)
    # A failed run's message for the coordinator (translated when it was built).
    error: Mapped[str] = mapped_column(Text, default="")
    # The background job that holds the run now ("" before it is handed over): only
    # that job may move the run on (services/run_jobs.py). `attempts` counts claims.
    job_id: Mapped[str] = mapped_column(String(120), default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Proposal.id"
    )


class Proposal(PublicIdMixin, Base):
    """A (youth, opening) pair proposed by a run, for employer and coordinator to decide."""

    __tablename__ = "proposal"
    __table_args__ = (CheckConstraint(check_in("status", ProposalStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id"), index=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    missing_onboarding: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Why the pair scores as it does: shared interests, distance, ranks.
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.PROPOSED)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    run: Mapped[MatchRun] = relationship(back_populates="proposals")
    youth: Mapped[Youth] = relationship()
    opening: Mapped[Opening] = relationship()


class PairRule(Base):
    """A coordinator's pin or ban of a (youth, opening) pair for matching."""

    __tablename__ = "pair_rule"
    __table_args__ = (
        UniqueConstraint("youth_id", "opening_id", name="uq_pair_rule_pair"),
        CheckConstraint(check_in("rule", PAIR_RULES), name="rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"))
    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(10))  # "pin" or "forbid"
    # Why: e.g. the employer declined the youth (then the next run leaves the pair out).
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
