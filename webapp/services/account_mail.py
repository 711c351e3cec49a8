"""Emails to a staff account's own address (reset links, notices), written to the outbox."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import LazyString, force_locale

from ..extensions import db
from ..models import OutboxMessage, User


def queue_account_mail(user: User, *, template: str, subject: LazyString, **context: Any) -> None:
    """Write `templates/email/<template>.txt` to `user`'s address, in Danish (caller commits).

    The subject names no one: it is a lazy string translated here.
    """
    with force_locale("da"):
        body = render_template(f"email/{template}.txt", **context)
        db.session.add(
            OutboxMessage(
                recipient=user.email, subject=str(subject), template=template, body_text=body
            )
        )
