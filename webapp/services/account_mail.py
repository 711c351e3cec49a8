"""Emails to a staff account's own address (reset links, notices), written to the outbox."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import LazyString, force_locale

from ..extensions import db
from ..models import OutboxMessage, User


def queue_account_mail(
    user: User | None, *, template: str, subject: LazyString, **context: Any
) -> None:
    """Write `templates/email/<template>.txt` to `user`'s address, in Danish (caller commits).

    The subject names no one: it is a lazy string translated here. With no
    `user` the mail is made all the same and dropped: a caller answering for
    an email no account has does the same work, so its time does not tell.
    """
    with force_locale("da"):
        body = render_template(f"email/{template}.txt", **context)
        message = OutboxMessage(
            recipient=user.email if user else "",
            subject=str(subject),
            template=template,
            body_text=body,
        )
    if user is not None:
        db.session.add(message)
