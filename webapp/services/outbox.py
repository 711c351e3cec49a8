"""Delivering the outbox: each due email or SMS sent once, with retries and backoff on errors.

A message moves ``pending`` -> ``sending`` -> ``sent``, or back to ``pending``
with a later `next_attempt_at` after an error, and to ``failed`` after
`OUTBOX_MAX_ATTEMPTS` errors. A worker claims a row with a conditional
UPDATE (``status = 'pending'`` in its WHERE clause), so two workers never
send the same message. Emails and SMS (`channel`) share this one path: the
claim, the lease, the retries and the dedupe key; only `_deliver` differs
(SMTP, or the SMS backend of `services.sms.settings`). While a row is
``sending``, `next_attempt_at` is its lease: a worker that crashed mid-send
leaves a ``sending`` row whose lease has run out, and the next run puts it
back to ``pending``. Only that crash,
between the SMTP server accepting a message and the row being marked, can
send a message twice.

An SMS to a minor (`quiet_at_night`) found due at night in Copenhagen is put
back until 08:00 without counting an attempt. An SMS the gateway refuses
(`SmsRejectedError`: a bad number) fails at once; its delivery report later
marks it delivered or failed (`services.sms.reports`).

Settings: `OUTBOX_MAX_ATTEMPTS` (8), `OUTBOX_BACKOFF_SECONDS` (60, doubled per
attempt), `OUTBOX_BACKOFF_CAP_SECONDS` (6 hours), `OUTBOX_LEASE_SECONDS` (600,
well above `OUTBOX_SMTP_TIMEOUT`, 30 seconds per socket operation),
and `MAIL_FILE_DIR`: when set, messages are written there as ``.eml`` files
instead of being sent (the development default, ``instance/outbox``).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import socket
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from flask_mail import Message
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..extensions import db, mail
from ..models import OutboxChannel, OutboxMessage, OutboxStatus, utcnow
from .sms import night
from .sms import settings as sms_settings
from .sms.base import OutgoingSms, SmsBackend, SmsError, SmsRejectedError

log = logging.getLogger(__name__)

# What a delivery can raise when the server or the network fails: smtplib's
# errors, refused connections and timeouts (all OSError), and the SMS
# gateway's errors (SmsError, also for settings that name no usable backend).
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, SmsError)


@dataclass(frozen=True)
class SendReport:
    """What one `send_pending` run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    recovered: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def backoff(attempts: int, *, base: float, cap: float) -> dt.timedelta:
    """The wait after `attempts` failed attempts: `base * 2**attempts` seconds, at most `cap`."""
    return dt.timedelta(seconds=min(base * 2**attempts, cap))


def send_pending(
    app_or_session: Flask | Session | None = None,
    *,
    now: dt.datetime | None = None,
    limit: int = 100,
) -> SendReport:
    """Send the due messages, one at a time, each marked in its own transaction.

    Args:
        app_or_session: the application (an app context is pushed for it), or
            the session to use inside the current app context; by default
            `db.session` of the current app.
        now: the time to judge what is due (default: the current time).
        limit: at most this many messages in this run.

    Returns:
        Counts of messages sent, put back for a retry, given up, and crashed
        ``sending`` rows put back to ``pending``.
    """
    if isinstance(app_or_session, Flask):
        with app_or_session.app_context():
            return _send_pending(db.session, now=now, limit=limit)
    return _send_pending(app_or_session or db.session, now=now, limit=limit)


def _send_pending(session: Session, *, now: dt.datetime | None, limit: int) -> SendReport:
    config = current_app.config
    now = (now or utcnow()).astimezone(dt.UTC)
    recovered = _recover_stale(session, now)
    due = list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )
    session.commit()
    counts: dict[str, int] = dict.fromkeys(
        (OutboxStatus.SENT, OutboxStatus.PENDING, OutboxStatus.FAILED), 0
    )
    lease = dt.timedelta(seconds=config.get("OUTBOX_LEASE_SECONDS", 600))
    sms = _SmsBackendOnce()
    for message_id in due:
        if not _claim(session, message_id, now, lease):
            continue
        message = session.get_one(OutboxMessage, message_id)
        if message.quiet_at_night and night.is_night(now):
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = night.next_morning(now)
            session.commit()
            continue
        try:
            _deliver(message, sms)
        except DELIVERY_ERRORS as exc:
            _record_failure(message, exc, now)
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = now
            message.attempts += 1
            message.last_error = ""
        counts[message.status] += 1
        session.commit()
    return SendReport(
        sent=counts[OutboxStatus.SENT],
        retrying=counts[OutboxStatus.PENDING],
        failed=counts[OutboxStatus.FAILED],
        recovered=recovered,
    )


def _recover_stale(session: Session, now: dt.datetime) -> int:
    """Put ``sending`` rows whose lease ran out (a crashed worker) back to ``pending``."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= now)
        .values(status=OutboxStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    count: int = result.rowcount  # type: ignore[attr-defined]
    if count:
        log.warning("outbox: %d interrupted messages put back to pending", count)
    return count


def _claim(session: Session, message_id: int, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Take the row for this worker; False when another worker took it first."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status=OutboxStatus.SENDING, next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _record_failure(message: OutboxMessage, exc: Exception, now: dt.datetime) -> None:
    """Count the attempt and schedule the next, or give up after the last."""
    config = current_app.config
    message.attempts += 1
    # smtplib's messages name at most the recipient's address, never the body.
    # The SMS errors name a status or a setting only, never the number or the text.
    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if isinstance(exc, SmsRejectedError) or message.attempts >= config.get(
        "OUTBOX_MAX_ATTEMPTS", 8
    ):
        message.status = OutboxStatus.FAILED
        log.error("outbox: message %d failed after %d attempts", message.id, message.attempts)
        return
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = now + backoff(
        message.attempts,
        base=config.get("OUTBOX_BACKOFF_SECONDS", 60),
        cap=config.get("OUTBOX_BACKOFF_CAP_SECONDS", 6 * 3600),
    )
    if message.quiet_at_night:
        message.next_attempt_at = night.next_morning(message.next_attempt_at)
    log.warning("outbox: message %d attempt %d failed", message.id, message.attempts)


class _SmsBackendOnce:
    """The SMS backend of the settings, built at the first SMS of a run."""

    def __init__(self) -> None:
        self._backend: SmsBackend | None = None

    def get(self) -> SmsBackend:
        if self._backend is None:
            self._backend = sms_settings.from_config(current_app.config)
        return self._backend


def _deliver(message: OutboxMessage, sms: _SmsBackendOnce) -> None:
    """Hand one message to its channel: an SMS to the gateway, an email to the mail server."""
    if message.channel == OutboxChannel.SMS:
        outgoing = OutgoingSms(
            to=message.recipient,
            text=message.body_text,
            userref=str(message.id),
            template=message.template,
        )
        message.gateway_ref = sms.get().send(outgoing)[:64]
        return
    _deliver_email(message)


def _deliver_email(message: OutboxMessage) -> None:
    """Hand one email to the mail server, or write it to `MAIL_FILE_DIR`."""
    email = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html or None,
    )
    folder = current_app.config.get("MAIL_FILE_DIR")
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        (path / f"{message.id:06d}-{message.template}.eml").write_bytes(email.as_bytes())
        log.info("outbox: message %d written to %s", message.id, path)
        return
    # Flask-Mail opens smtplib.SMTP without a timeout: a server that accepts and
    # then says nothing would hold the worker past its lease. The worker is a
    # process of its own, so the process-wide default is ours to set meanwhile.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(current_app.config.get("OUTBOX_SMTP_TIMEOUT", 30))
    try:
        mail.send(email)
    finally:
        socket.setdefaulttimeout(previous)
