"""Signed-in sessions kept on the server, and the second factor of staff logins.

The browser's cookie carries only a random session token; the row here holds
its SHA-256 (`token_hash`), so a copy of the table opens no session. A row
remembers the account's session version and role at sign-in: a password
change, a deactivation or a role change ends it. What a session needs to keep
between pages that could name a youth (the youth list's search term, the
messages waiting for the next page) lives here too, never in the cookie, and
is cleared when the session ends.

`TwoFactor` is an account's authenticator secret (TOTP); `last_step` is the
time step of the last code accepted, so that a code is never accepted twice.
`RecoveryCode` rows hold hashes of single-use codes for a lost phone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .columns import UTCDateTime, utcnow


class StaffSession(Base):
    """One sign-in of one account, from its start until it is ended or expires."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    user_version: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    second_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    second_factor_failures: Mapped[int] = mapped_column(Integer, default=0)
    youth_search: Mapped[str] = mapped_column(String(100), default="")
    # Flashed messages between a POST and the page it redirects to: (category, text) pairs.
    flashes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(String(20), default="")


class TwoFactor(Base):
    """An account's authenticator secret, stored once a first code from it was right."""

    __tablename__ = "two_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(64))
    last_step: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecoveryCode(Base):
    """The SHA-256 of one single-use recovery code; `used_at` once it was used."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
