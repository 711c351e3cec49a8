"""The email outbox."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .codes import OutboxStatus
from .columns import UTCDateTime, utcnow


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
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A message that must exist only once (a placement's reminder to one
    # address, a week's digest to one coordinator): the database refuses a
    # second row with the same key.
    dedupe_key: Mapped[str | None] = mapped_column(String(320), unique=True)
