"""Who may be texted (opt-in and STOP per contact) and the SMS that came in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .columns import UTCDateTime, check_in, utcnow


class ContactRole(StrEnum):
    """Whose phone a contact is: the youth's own, or a parent's."""

    YOUTH = "youth"
    PARENT = "parent"


class SmsContact(Base):
    """One phone of a youth's (the youth's or a parent's): whether it may get SMS.

    A contact gets SMS only once opted in and never after STOP, until the
    same phone sends START.
    """

    __tablename__ = "sms_contact"
    __table_args__ = (
        UniqueConstraint("youth_id", "role"),
        CheckConstraint(check_in("role", ContactRole), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set by an SMS saying STOP; cleared only by START from the same phone.
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class IncomingSms(Base):
    """An SMS the gateway passed on, stored once per gateway id (a webhook can come twice)."""

    __tablename__ = "incoming_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway_id: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    youth_id: Mapped[int | None] = mapped_column(
        ForeignKey("youth.id", ondelete="CASCADE"), index=True
    )
    # What the board made of it: an answer, STOP, START, or a message for the coordinator.
    outcome: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
