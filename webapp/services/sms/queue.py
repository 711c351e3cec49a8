"""Queueing an SMS: one outbox row in the caller's transaction, sent later by the worker."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import OutboxChannel, OutboxMessage, utcnow
from ..phones import normalised_or_none
from .contacts import has_stopped
from .night import next_morning
from .settings import enabled

MAX_LENGTH = 459  # three concatenated SMS of 153 characters: a longer text is a template's bug


class SmsTooLongError(ValueError):
    """A rendered SMS is longer than three SMS."""


def render(template: str, *, locale: str = "da", **context: Any) -> str:
    """`templates/sms/<template>.txt` in `locale`, its lines stripped and blank lines dropped.

    Raises:
        SmsTooLongError: the text is longer than `MAX_LENGTH`.
    """
    with force_locale(locale):
        raw = render_template(f"sms/{template}.txt", **context)
    text = "\n".join(line.strip() for line in raw.splitlines() if line.strip())
    if len(text) > MAX_LENGTH:
        raise SmsTooLongError(f"the SMS {template!r} is {len(text)} characters, over {MAX_LENGTH}")
    return text


def queue_sms(
    session: Session,
    number: str,
    template: str,
    *,
    once_per: str | None = None,
    topic: str | None = None,
    quiet_at_night: bool = False,
    locale: str = "da",
    even_if_stopped: bool = False,
    **context: Any,
) -> bool:
    """Add one SMS to `number` (E.164) to the outbox in the caller's transaction; never commits.

    Args:
        session: the caller's session: the SMS is stored with the change that causes it.
        number: the recipient's phone (written in E.164 here; an invalid one gets nothing).
        template: the name of `templates/sms/<template>.txt`.
        once_per: a key that makes the SMS exist once per number (``sms:<once_per>:<number>``).
        topic: what a JA or NEJ answered to this SMS answers (``proposal:<id>``,
            ``first_day:<placement id>``, ``consent:<ref>``): `services.sms.incoming`.
        quiet_at_night: held while it is 20:00-08:00 in Copenhagen (an SMS to a minor).
        locale: the language to render in.
        even_if_stopped: for the one reply that confirms a STOP.
        context: the template's values (a first name at most, no links).

    Returns:
        Whether a message was added: False when SMS is not configured, the number is
        no valid number or has sent STOP, or the key exists.
    """
    if not enabled(current_app.config):
        return False
    number = normalised_or_none(number) or ""
    if not number or (has_stopped(number) and not even_if_stopped):
        return False
    key = f"sms:{once_per}:{number}" if once_per else None
    if key and session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return False
    now = utcnow()
    session.add(
        OutboxMessage(
            channel=OutboxChannel.SMS,
            recipient=number,
            subject="",
            template=template,
            body_text=render(template, locale=locale, **context),
            dedupe_key=key,
            topic=topic,
            quiet_at_night=quiet_at_night,
            next_attempt_at=next_morning(now) if quiet_at_night else now,
        )
    )
    return True
