"""What would place an unplaced youth of a run: asked for once, worked out in the background."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .codes import RunStatus
from .columns import UTCDateTime, check_in, utcnow


class WhatIf(Base):
    """A coordinator's question "what would place this youth?" about one run, and its answer.

    `status` goes pending -> running -> done (or failed, with `error`), as a run's
    does; `changes` are the single changes found (`explanations.what_would_changes`),
    worded when shown. One per run and youth.
    """

    __tablename__ = "what_if"
    __table_args__ = (
        UniqueConstraint("run_id", "youth_id", name="uq_what_if_run_youth"),
        CheckConstraint(check_in("status", RunStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"))
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.PENDING)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
