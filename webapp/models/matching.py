"""Matching runs, the proposals they make, and the coordinators' pins and bans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

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
    # What the run decided, worked out once when it was written (`services/run_outcome.py`):
    # youths, placed, by priority and by area, the solver's figures. None for a run
    # written before these were kept, until its page is first shown.
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
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
    documents: Mapped[RunDocuments] = relationship(cascade="all, delete-orphan")
    # The run's documents, read and written as if they were its own columns.
    problem: AssociationProxy[dict[str, Any]] = association_proxy("documents", "problem")
    solution: AssociationProxy[dict[str, Any]] = association_proxy("documents", "solution")


@event.listens_for(MatchRun, "init")
def _with_documents(run: MatchRun, args: Any, kwargs: Any) -> None:
    """Every run has its documents' row from the start (empty until they are written)."""
    run.documents = RunDocuments()


class RunDocuments(Base):
    """A run's jobmatch/1 problem as built and its solution document: a run can be
    reproduced and audited from these two alone.

    Megabytes each for a large run, so in a table of their own, read only where they are
    needed (the worker, a download, an erasure). In `match_run` they made every list of
    runs slow on SQLite, which reads a row's columns after a large value through all of
    its overflow pages: 50 runs of 5,000 youths are 800 MB of pages.
    """

    __tablename__ = "run_document"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("match_run.id", ondelete="CASCADE"), primary_key=True
    )
    # Each loaded only when read: the problem's download does not read the solution.
    problem: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)
    solution: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)


class RunUnplaced(Base):
    """A youth a finished run left unplaced: the main reason, and every reason with its facts.

    Written with the run, so that its page counts, pages and words its unplaced
    youths without reading the run's documents back. Goes with the youth when
    the youth is erased.
    """

    __tablename__ = "run_unplaced"
    __table_args__ = (
        UniqueConstraint("run_id", "youth_id", name="uq_run_unplaced_youth"),
        Index("ix_run_unplaced_run_code_position", "run_id", "code", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"))
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order the run page lists them in
    code: Mapped[str] = mapped_column(String(30))  # the main reason's code
    # [{"code", "opening", "title", "employer", "facts"}]: the names the run had for the job.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The youth's availability windows then, [day, start, end]: the summaries name them.
    availability: Mapped[list[list[int]]] = mapped_column(JSON, default=list)

    # Deleted with the youth also where the database does not enforce the cascade (SQLite).
    youth: Mapped[Youth] = relationship(
        backref=backref("unplaced_in_runs", cascade="all, delete-orphan")
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
