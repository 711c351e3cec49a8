"""The outbox messages about one youth: sent to the youth or a parent, or naming the youth.

The outbox keeps no link to the youth a message is about, so a message is
found by what it holds: its recipient is one of the youth's or the parent's
addresses (an email, or a phone number for an SMS), or its body holds the
youth's public id (the links staff get), an address or the full name. An
address that another youth shares (siblings with one parent) counts only for
the messages that also name this youth's first name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select

from ..extensions import db
from ..models import OutboxMessage, Youth, YouthStatus

# The setting naming the folder where messages are written as files instead of sent:
# `<id:06d>-<template>.eml` for an email, `<id:06d>-<template>.sms.txt` for an SMS.
FILE_FOLDERS = ("MAIL_FILE_DIR",)
DANISH_NUMBER = 8  # digits of a Danish phone number without its +45


def phone_forms(phone: str) -> set[str]:
    """The ways a phone number may be written in the outbox: as stored, digits, E.164."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < DANISH_NUMBER:
        return set()
    local = digits[-DANISH_NUMBER:]
    return {phone.strip(), digits, f"+{digits}", local, f"+45{local}"}


def addresses_of(youth: Youth) -> set[str]:
    """The youth's and the parent's email addresses (lower case) and phone numbers."""
    emails = {e.strip().lower() for e in (youth.email, youth.parent_email) if e and e.strip()}
    return emails | phone_forms(youth.phone or "") | phone_forms(youth.parent_phone or "")


def _shared(youth: Youth, addresses: set[str]) -> set[str]:
    """Those of `addresses` that another (not anonymised) youth has too."""
    columns = (Youth.email, Youth.parent_email, Youth.phone, Youth.parent_phone)
    others = db.session.execute(
        select(*columns).where(
            Youth.id != youth.id,
            Youth.status != YouthStatus.ANONYMISED,
            or_(*(column.in_(addresses) for column in columns)),
        )
    )
    shared: set[str] = set()
    for email, parent_email, phone, parent_phone in others:
        shared |= {a.strip().lower() for a in (email, parent_email) if a}
        shared |= phone_forms(phone or "") | phone_forms(parent_phone or "")
    return shared & addresses


def _names(message: OutboxMessage, word: str) -> bool:
    body = f"{message.body_text}\n{message.body_html}"
    return bool(word) and re.search(rf"\b{re.escape(word)}\b", body) is not None


def messages_about(youth: Youth) -> list[OutboxMessage]:
    """Every outbox message to the youth or a parent, or holding the youth's data."""
    addresses = addresses_of(youth)
    full_name = f"{youth.first_name} {youth.last_name}".strip()
    marks = [youth.public_id, *sorted(a for a in addresses if "@" in a)]
    if youth.last_name.strip():
        marks.append(full_name)
    found = db.session.scalars(
        select(OutboxMessage)
        .where(
            or_(
                OutboxMessage.recipient.in_(addresses),
                *(OutboxMessage.body_text.contains(m, autoescape=True) for m in marks),
                *(OutboxMessage.body_html.contains(m, autoescape=True) for m in marks),
            )
        )
        .order_by(OutboxMessage.id)
    ).all()
    shared = _shared(youth, addresses)
    return [
        m
        for m in found
        if m.recipient not in shared
        or _names(m, youth.first_name)
        or youth.public_id in f"{m.body_text}\n{m.body_html}"  # ids may start with "-"
    ]


def files_of(message_ids: Iterable[int]) -> list[Path]:
    """The files the outbox wrote for these messages (development and test folders)."""
    found: list[Path] = []
    for setting in FILE_FOLDERS:
        folder = current_app.config.get(setting)
        if not folder or not Path(folder).is_dir():
            continue
        for message_id in message_ids:
            found.extend(Path(folder).glob(f"{message_id:06d}-*"))
    return found


def remove_files(paths: Iterable[Path]) -> None:
    """Delete message files (after the rows' deletion is committed); missing ones are fine."""
    for path in paths:
        path.unlink(missing_ok=True)
