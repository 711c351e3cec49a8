"""Youths and parents on the board without a staff account: consent links, sign-in codes,
youths' sessions and their answers to proposals.

Tokens and codes are stored as HMAC digests only (`services.youth_login.digest`): a copy of
the database signs no one in and answers no consent.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .columns import UTCDateTime, check_in, utcnow
from .matching import Proposal
from .youths import Placement, Youth


class ConsentStatus(StrEnum):
    """A consent request waits for the parent, is answered yes or no, or was replaced."""

    PENDING = "pending"
    CONSENTED = "consented"
    REFUSED = "refused"
    REVOKED = "revoked"


class Channel(StrEnum):
    """How a message reached a person, or how an answer came back."""

    EMAIL = "email"
    SMS = "sms"
    WEB = "web"


class ProposalAnswerKind(StrEnum):
    """A youth's answer to a proposal."""

    YES = "yes"
    NO = "no"


WAITING = f"status = '{ConsentStatus.PENDING}'"


class ConsentRequest(Base):
    """A parent's link to consent to one placement of a youth under 18, valid until it expires.

    At most one request per placement waits at a time: a resend revokes the old one first.
    """

    __tablename__ = "consent_request"
    __table_args__ = (
        CheckConstraint(check_in("status", ConsentStatus), name="status"),
        Index(
            "uq_consent_request_waiting",
            "placement_id",
            unique=True,
            sqlite_where=text(WAITING),
            postgresql_where=text(WAITING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
    # What the signed token carries: a random value, looked up by its digest.
    nonce_digest: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=ConsentStatus.PENDING)
    sent_by: Mapped[str] = mapped_column(String(20), default="")  # "email", "sms", "email+sms"
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answer_channel: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    youth: Mapped[Youth] = relationship()
    placement: Mapped[Placement] = relationship()


class YouthLoginCode(Base):
    """A one-time code sent to a youth, tied to the browser that asked for it (its ticket)."""

    __tablename__ = "youth_login_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    ticket_digest: Mapped[str] = mapped_column(String(64), unique=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(10), default=Channel.EMAIL)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class YouthSession(Base):
    """A youth signed in on one browser: ends when idle, at its end, or on sign-out."""

    __tablename__ = "youth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    youth: Mapped[Youth] = relationship()


class ProposalAnswer(Base):
    """A youth's yes or no to a proposal: one per proposal, however often it is sent."""

    __tablename__ = "proposal_answer"
    __table_args__ = (CheckConstraint(check_in("answer", ProposalAnswerKind), name="answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), unique=True
    )
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10), default=Channel.WEB)
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship()
