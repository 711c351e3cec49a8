"""The outbox: emails and SMS written in the same transaction as their cause."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .codes import OutboxStatus
from .columns import UTCDateTime, check_in, utcnow


class OutboxChannel(StrEnum):
    """How a message travels."""

    EMAIL = "email"
    SMS = "sms"


class DeliveryStatus(StrEnum):
    """What the gateway's delivery report said of an SMS (nothing yet, or for an email)."""

    NONE = ""
    DELIVERED = "delivered"
    FAILED = "failed"


class OutboxMessage(Base):
    """An email or an SMS written in the same transaction as its cause, sent later with retries."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(check_in("channel", OutboxChannel), name="channel"),
        CheckConstraint(check_in("delivery", DeliveryStatus), name="delivery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(
        String(10), default=OutboxChannel.EMAIL, server_default="email"
    )
    # An email address, or for an SMS a number in E.164 (+4520123456).
    recipient: Mapped[str] = mapped_column(String(254))
    # Never personal data in a subject line (an SMS has none).
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
    # An SMS to a minor waits while it is night in Copenhagen (20:00-08:00).
    quiet_at_night: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # What an answer by SMS to this message answers ("proposal:12", "consent:<ref>").
    topic: Mapped[str | None] = mapped_column(String(120), index=True)
    # The gateway's id of a sent SMS, and what its delivery report said.
    gateway_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery: Mapped[str] = mapped_column(String(20), default="", server_default="")
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
