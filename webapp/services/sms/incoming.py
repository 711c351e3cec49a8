"""An SMS to the board: STOP, START, a JA/NEJ answer, or a message for the coordinator.

Each SMS is stored once by the gateway's id (`IncomingSms`): the webhook sent
again, or twice at once, is handled once. JA or NEJ answers the latest SMS
with a topic the board sent to that number in the last `ANSWER_DAYS` days:

- ``proposal:<id>`` (news of a proposal, to the youth): the youth's own yes
  or no through `services.youth_proposals.answer`;
- ``consent:<id>`` (a consent request, to a parent): through
  `services.consent.answer_by_reference`;
- ``first_day:<placement id>`` and ``check_in:<placement id>``: noted.

Every answer is on the youth's timeline and the coordinators are told by
email. Anything else (or an answer the service refuses) goes on the timeline
of each youth the number belongs to, the coordinators are told, and the
sender gets a friendly reply. STOP stops every contact with that number.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import (
    Channel,
    ContactRole,
    EventKind,
    IncomingSms,
    OutboxChannel,
    OutboxMessage,
    Placement,
    Proposal,
    Youth,
    utcnow,
)
from ...ui import board_day
from .. import timeline
from ..errors import AlreadyDoneError, ServiceError
from ..phones import normalised_or_none
from . import contacts
from .queue import queue_sms
from .webhooks import IncomingEvent
from .words import Word, read

log = logging.getLogger(__name__)

ANSWER_DAYS = 14
ADULT_AGE = 18
EVENT_CODE = "sms_in"
Found = list[tuple[Youth, ContactRole]]


def receive(event: IncomingEvent, *, told: Callable[[IncomingSms], None]) -> str:
    """Handle one incoming SMS, once; commit. `told` tells the coordinators of it.

    Returns:
        What it was: ``duplicate``, ``stop``, ``start``, ``answer``, ``answered_before``
        or ``other``.
    """
    number = normalised_or_none(event.sender)
    row = IncomingSms(gateway_id=event.gateway_id, sender=number or "", body=event.text)
    if not _store_once(row):
        return "duplicate"
    found = contacts.youths_with_number(number) if number else []
    row.youth_id = found[0][0].id if found else None
    word = read(event.text)
    reply: dict[str, Any] = {}
    if number and word == Word.STOP:
        contacts.stop(number)
        outcome, reply = "stop", {"template": "reply_stop", "even_if_stopped": True}
    elif number and word == Word.START:
        contacts.start(number)
        outcome, reply = "start", {"template": "reply_start"}
    elif word in (Word.YES, Word.NO) and (topic := _asked(number, found)):
        outcome, youth_id = _answer(topic, found, agrees=word == Word.YES)
        row.youth_id = youth_id or (found[0][0].id if found else None)
        if outcome == "answer":
            reply = {"template": "reply_answer", "agrees": word == Word.YES}
    else:
        outcome = "other"
    if outcome == "other":
        _note(found, row)
        reply = {"template": "reply_other"}
    row.outcome = outcome
    if outcome in ("answer", "other"):
        told(row)
    if number and reply:
        template = reply.pop("template")
        queue_sms(
            db.session,
            number,
            template,
            quiet_at_night=_minor(found),
            locale=_language(found),
            **reply,
        )
    db.session.commit()
    return outcome


def _store_once(row: IncomingSms) -> bool:
    """Store the SMS and commit; False when its gateway id was stored before."""
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _asked(number: str | None, found: Found) -> str | None:
    """The topic of the latest SMS with one sent to `number` lately, if it still has a youth."""
    if not number or not found:
        return None
    since = utcnow() - dt.timedelta(days=ANSWER_DAYS)
    topic: str | None = db.session.scalar(
        select(OutboxMessage.topic)
        .where(
            OutboxMessage.channel == OutboxChannel.SMS,
            OutboxMessage.recipient == number,
            OutboxMessage.topic.is_not(None),
            OutboxMessage.created_at >= since,
        )
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(1)
    )
    return topic


def _answer(topic: str, found: Found, *, agrees: bool) -> tuple[str, int | None]:
    """Pass the answer to the service of its topic: what came of it, and the youth's id.

    ``other`` when it is no answer the service takes (the youth is no longer
    the number's, or the service refused it): then it is for a person. The
    services roll the session back when they refuse; the SMS was committed before.
    """
    kind, _sep, ref = topic.partition(":")
    youth = _youth_of(kind, ref, found)
    if youth is None:
        return "other", None
    youth_id = youth.id
    try:
        _ANSWERS[kind](youth, ref, topic, agrees)
    except AlreadyDoneError:
        db.session.rollback()
        return "answered_before", youth_id
    except ServiceError as refused:
        log.info("sms: an answer by SMS was refused (%s)", type(refused).__name__)
        db.session.rollback()
        return "other", youth_id
    return "answer", youth_id


def _youth_of(kind: str, ref: str, found: Found) -> Youth | None:
    """The youth the topic is about, when the number is that youth's (or the parent's)."""
    if kind not in _ANSWERS or not ref.isdecimal() or len(ref) > 10:
        return None
    role = ContactRole.PARENT if kind == "consent" else ContactRole.YOUTH
    owner: int | None = None
    if kind == "proposal":
        owner = db.session.scalar(select(Proposal.youth_id).where(Proposal.id == int(ref)))
    elif kind in ("first_day", "check_in"):
        owner = db.session.scalar(select(Placement.youth_id).where(Placement.id == int(ref)))
    for youth, their_role in found:
        if their_role == role and (owner is None or youth.id == owner):
            return youth
    return None


def _answer_proposal(youth: Youth, ref: str, topic: str, agrees: bool) -> None:
    proposal = db.session.get_one(Proposal, int(ref))
    answer = _optional("youth_proposals", "answer")
    if answer is None:
        _note_answer(youth, topic, agrees)
        return
    answer(youth, proposal, yes=agrees, channel=Channel.SMS)


def _answer_consent(youth: Youth, ref: str, topic: str, agrees: bool) -> None:
    answer = _optional("consent", "answer_by_reference")
    if answer is None:
        _note_answer(youth, topic, agrees)
        return
    answer(topic, consent=agrees, channel=Channel.SMS)


def _note_answer(youth: Youth, topic: str, agrees: bool) -> None:
    """Put a JA or NEJ to a reminder or a check-in on the timeline."""
    kind = topic.partition(":")[0]
    with force_locale("da"):
        said = _("YES") if agrees else _("NO")
        about = {
            "first_day": _("the reminder of the first day"),
            "check_in": _("the weekly check-in of the new job"),
        }.get(kind, _("a message from the board"))
        text = _("Answered %(said)s by SMS to %(about)s.", said=said, about=about)
    _on_timeline(youth, text, {"answer": "yes" if agrees else "no", "topic": kind})


def _on_timeline(youth: Youth, text: str, data: dict[str, str]) -> None:
    timeline.record(
        youth,
        EventKind.NOTE,
        actor=None,
        code=EVENT_CODE,
        text=text,
        data=data,
        occurred_on=board_day.today(),
    )


_ANSWERS: dict[str, Callable[[Youth, str, str, bool], None]] = {
    "proposal": _answer_proposal,
    "consent": _answer_consent,
    "first_day": lambda youth, _ref, topic, agrees: _note_answer(youth, topic, agrees),
    "check_in": lambda youth, _ref, topic, agrees: _note_answer(youth, topic, agrees),
}


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """A service function of another part of the board, when that part is installed."""
    try:
        found = importlib.import_module(f"webapp.services.{module}")
    except ImportError:
        return None
    function: Callable[..., Any] | None = getattr(found, name, None)
    return function


def _note(found: Found, row: IncomingSms) -> None:
    """Put an SMS for a person on the timeline of each youth the number belongs to."""
    for youth, role in found:
        with force_locale("da"):
            text = (
                _("SMS from the youth: %(text)s", text=row.body)
                if role == ContactRole.YOUTH
                else _("SMS from the parent: %(text)s", text=row.body)
            )
        _on_timeline(youth, text, {"from": str(role)})


def _language(found: Found) -> str:
    """The language the number's person is written to in; Danish for an unknown number, or
    when the youths who share it say different ones."""
    chosen = {y.language if r == ContactRole.YOUTH else y.parent_language for y, r in found}
    return chosen.pop() if len(chosen) == 1 else "da"


def _minor(found: Found) -> bool:
    """Whether the number is a minor's own (a reply waits for the morning)."""
    today = board_day.today()
    return any(r == ContactRole.YOUTH and y.age_on(today) < ADULT_AGE for y, r in found)
