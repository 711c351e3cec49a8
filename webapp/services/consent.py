"""A parent's consent from a phone: a signed, single-use link that works for 14 days.

A coordinator sends the request for a placement of a youth under 18
(`send_request`); the parent gets an email with a link (and an SMS to answer JA or
NEJ where SMS is set up). The link carries a random nonce signed with itsdangerous
(salt ``parental-consent``, at most `CONSENT_DAYS` old); the board stores only the
nonce's digest, with the request's own expiry. Sending again revokes the waiting
request first (its link stops working): one request per placement waits at a time
(a partial unique index).

The answer (`answer`) is a conditional UPDATE of a waiting, unexpired request: of the
same answer sent twice at once one is recorded, the other is told it is done. It sets
the youth's ``parental_consent`` step (done, or to do again after a no) and records it
on the timeline with the time and the channel. Who answered is not proved: signing with
MitID through a broker is the documented next step (docs/consent.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp.ui import board_day

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    FINISHED_STEPS,
    Channel,
    ConsentRequest,
    ConsentStatus,
    EventKind,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    StepStatus,
    User,
    Youth,
    YouthStatus,
    utcnow,
)
from . import timeline
from .claims import hold_youth
from .errors import AlreadyDoneError, InvalidStateError, NotFoundError
from .family_messages import queue_consent_request
from .links import board_link
from .youth_login import digest

CONSENT_DAYS = 14
CONSENT_STEP = "parental_consent"
ADULT_AGE = 18
MAX_NOTE = 1000
RESEND_PAUSE = dt.timedelta(minutes=1)  # a second click within this is the same request
SALT = "parental-consent"

ANSWERED = _l("Thank you. Your answer is recorded.")
GONE = _l("This link no longer works. Ask the coordinator for a new one.")


class LinkState(StrEnum):
    """What a consent link shows: the question, or why it cannot be answered."""

    OPEN = "open"
    ANSWERED = "answered"
    REPLACED = "replaced"
    EXPIRED = "expired"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _is_minor(youth: Youth, day: dt.date) -> bool:
    return youth.age_on(day) < ADULT_AGE


def _consent_kind() -> OnboardingStepKind:
    kind = db.session.scalar(
        select(OnboardingStepKind).where(OnboardingStepKind.code == CONSENT_STEP)
    )
    if kind is None:
        raise InvalidStateError(_("The onboarding step for parental consent is missing."))
    return kind


def _consent_done(youth: Youth, kind: OnboardingStepKind) -> bool:
    return any(s.kind_id == kind.id and s.status in FINISHED_STEPS for s in youth.steps)


def send_request(actor: User, placement: Placement, *, now: dt.datetime | None = None) -> str:
    """Send the parent a consent link for `placement` (again: the old link stops working).

    Returns:
        How it was sent: "email", "sms" or "email+sms".

    Raises:
        AlreadyDoneError: consent is recorded already, or a link was sent within the last
            minute (the same click twice).
        InvalidStateError: the placement is not running, the youth is 18 or over, or the
            parent has neither an email address nor a phone number (field ``parent``).
    """
    now = now or utcnow()
    youth = placement.youth
    hold_youth(youth)
    try:
        _check_can_ask(youth, placement)
    except InvalidStateError:
        db.session.rollback()
        raise
    kind = _consent_kind()
    waiting = db.session.scalar(
        select(ConsentRequest).where(
            ConsentRequest.placement_id == placement.id,
            ConsentRequest.status == ConsentStatus.PENDING,
        )
    )
    if waiting is not None and now - waiting.sent_at < RESEND_PAUSE:
        db.session.rollback()
        raise AlreadyDoneError(_("A link was sent just now."))
    db.session.execute(
        update(ConsentRequest)
        .where(
            ConsentRequest.placement_id == placement.id,
            ConsentRequest.status == ConsentStatus.PENDING,
        )
        .values(status=ConsentStatus.REVOKED)
        .execution_options(synchronize_session=False)
    )
    nonce = secrets.token_urlsafe(24)
    request = ConsentRequest(
        youth=youth,
        placement=placement,
        nonce_digest=digest("consent", nonce),
        sent_at=now,
        expires_at=now + dt.timedelta(days=CONSENT_DAYS),
        created_by_id=actor.id,
    )
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:  # another coordinator's request for it came in just now
        db.session.rollback()
        raise AlreadyDoneError(_("A link was sent just now.")) from None
    sent_by = queue_consent_request(request, board_link("family.consent", token=_token(nonce)))
    if not sent_by:
        db.session.rollback()
        raise InvalidStateError(_("No message could be sent to the parent."), field="parent")
    request.sent_by = sent_by
    with force_locale("da"):
        text = _("Consent asked of the parent by %(ways)s.", ways=sent_by)
    timeline.record(
        youth,
        EventKind.STEP,
        actor=actor,
        code=CONSENT_STEP,
        text=text,
        data={"status": _step_status(youth, kind), "step": kind.name_da, "sent_by": sent_by},
    )
    db.session.commit()
    return sent_by


def _check_can_ask(youth: Youth, placement: Placement) -> None:
    """Refuse a consent request that `send_request` may not send (its Raises)."""
    if placement.status not in ACTIVE_PLACEMENTS or youth.status != YouthStatus.ACTIVE:
        raise InvalidStateError(_("Consent is asked only for a job the youth holds now."))
    if not _is_minor(youth, board_day.today()):
        raise InvalidStateError(_("The youth is 18 or older: no parent's consent is needed."))
    if _consent_done(youth, _consent_kind()):
        raise AlreadyDoneError(_("The parent's consent is already recorded."))
    if not (youth.parent_email.strip() or youth.parent_phone.strip()):
        raise InvalidStateError(
            _("Add the parent's email address or phone number first."), field="parent"
        )


def _token(nonce: str) -> str:
    return str(_serializer().dumps(nonce))


def _step_status(youth: Youth, kind: OnboardingStepKind) -> str:
    step = next((s for s in youth.steps if s.kind_id == kind.id), None)
    return step.status if step else StepStatus.TODO


def request_for_token(token: str) -> ConsentRequest:
    """The consent request of a link, whatever its state (`state_of`).

    Raises:
        NotFoundError: the token is not one the board signed.
    """
    serializer = _serializer()
    try:
        nonce = serializer.loads(token, max_age=CONSENT_DAYS * 24 * 3600)
    except SignatureExpired as expired:  # signed by the board: show it as expired
        nonce = serializer.load_payload(expired.payload) if expired.payload else None
    except (BadData, UnicodeError):
        raise NotFoundError("consent link") from None
    if not isinstance(nonce, str):
        raise NotFoundError("consent link")
    request = db.session.scalar(
        select(ConsentRequest)
        .where(ConsentRequest.nonce_digest == digest("consent", nonce))
        .options(
            selectinload(ConsentRequest.youth),
            selectinload(ConsentRequest.placement)
            .selectinload(Placement.opening)
            .selectinload(Opening.employer),
        )
    )
    if request is None:
        raise NotFoundError("consent link")
    return request


def state_of(request: ConsentRequest, *, now: dt.datetime | None = None) -> LinkState:
    """Whether the link may be answered now, or why not."""
    if request.status in (ConsentStatus.CONSENTED, ConsentStatus.REFUSED):
        return LinkState.ANSWERED
    if request.status == ConsentStatus.REVOKED:
        return LinkState.REPLACED
    if request.expires_at <= (now or utcnow()):
        return LinkState.EXPIRED
    return LinkState.OPEN


def clean_note(note: str) -> str:
    """The parent's note as kept (the form has refused control characters already).

    Raises:
        InvalidStateError: longer than `MAX_NOTE` (field ``note``).
    """
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidStateError(_("At most %(max)d characters.", max=MAX_NOTE), field="note")
    return note


def answer(
    request: ConsentRequest,
    *,
    consent: bool,
    note: str = "",
    channel: Channel = Channel.WEB,
    now: dt.datetime | None = None,
) -> None:
    """Record the parent's yes or no, once: the step and the timeline say when and how.

    Raises:
        AlreadyDoneError: the same answer is recorded already (sent twice).
        InvalidStateError: the link was answered otherwise, replaced or has expired; the
            note is too long (field ``note``).
    """
    now = now or utcnow()
    note = clean_note(note)
    to = ConsentStatus.CONSENTED if consent else ConsentStatus.REFUSED
    changed = db.session.execute(
        update(ConsentRequest)
        .where(
            ConsentRequest.id == request.id,
            ConsentRequest.status == ConsentStatus.PENDING,
            ConsentRequest.expires_at > now,
        )
        .values(status=to, answered_at=now, answer_channel=channel, note=note)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        db.session.refresh(request)
        if request.status == to:
            raise AlreadyDoneError(str(ANSWERED))
        raise InvalidStateError(str(GONE))
    db.session.expire(request)
    youth = request.youth
    hold_youth(youth)
    _record_step(youth, consent=consent, note=note, channel=channel, now=now)
    db.session.commit()


def _record_step(
    youth: Youth, *, consent: bool, note: str, channel: Channel, now: dt.datetime
) -> None:
    """Set the parental-consent step and put the answer on the timeline."""
    kind = _consent_kind()
    step = db.session.scalar(
        select(OnboardingStep).where(
            OnboardingStep.youth_id == youth.id, OnboardingStep.kind_id == kind.id
        )
    )
    if step is None:
        step = OnboardingStep(youth=youth, kind=kind)
        db.session.add(step)
    today = board_day.today()
    step.status = StepStatus.DONE if consent else StepStatus.TODO
    step.done_on = today if consent else None
    step.helped_by_id = None
    with force_locale("da"):
        said = _("The parent consents") if consent else _("The parent does not consent")
        how = CHANNEL_WORDS[channel]
        step.note = note or str(said)
        text = _(
            "%(said)s (%(how)s, %(time)s).", said=said, how=how, time=format_datetime(now, "HH:mm")
        )
    timeline.record(
        youth,
        EventKind.STEP,
        actor=None,
        code=CONSENT_STEP,
        text=f"{text}\n{note}" if note else text,
        data={
            "status": step.status,
            "step": kind.name_da,
            "answer": "consented" if consent else "refused",
            "channel": str(channel),
            "answered_at": now.isoformat(),
        },
        occurred_on=today,
    )


CHANNEL_WORDS = {
    Channel.WEB: _l("on the consent page"),
    Channel.SMS: _l("by SMS"),
    Channel.EMAIL: _l("by email"),
}


def answer_by_reference(
    reference: str, *, consent: bool, channel: Channel = Channel.SMS
) -> ConsentRequest:
    """Answer the request an SMS's topic names (``consent:<id>``), as `answer` does.

    Raises:
        NotFoundError: no such request.
        AlreadyDoneError, InvalidStateError: as `answer`.
    """
    kind, _sep, number = reference.partition(":")
    if kind != "consent" or not number.isdecimal() or len(number) > 10:
        raise NotFoundError("consent request")
    request = db.session.get(ConsentRequest, int(number))
    if request is None:
        raise NotFoundError("consent request")
    answer(request, consent=consent, channel=channel)
    return request
