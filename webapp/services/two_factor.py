"""Second factors of staff sign-ins: an authenticator app (TOTP, pyotp) and recovery codes.

Coordinators and counsellors must have one when `TWO_FACTOR_REQUIRED` is on
(the default in production); employers may. A code is accepted once only: the
time step of the last accepted code is kept and a code of that step or an
earlier one is refused. Recovery codes are kept as SHA-256 hashes (they are
random, 50 bits each) and each works once. Enrolment, new codes, a used
recovery code and a removal are recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Role, User, utcnow
from ..models.audit import AuditAction
from ..models.staff_sessions import RecoveryCode, TwoFactor
from . import audit, staff_sessions
from .errors import AlreadyDoneError, InvalidStateError

REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.COUNSELLOR})
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to mistake
RECOVERY_LENGTH = 10
MAX_CODE_INPUT = 40
MAX_SETUP_TOKEN = 500
SETUP_MAX_AGE_S = 30 * 60  # a setup page left open longer offers a new secret
_SEPARATORS = re.compile(r"[\s-]+")


def required(user: User) -> bool:
    """Whether the board requires a second factor of `user`'s role."""
    return bool(current_app.config["TWO_FACTOR_REQUIRED"]) and user.role in REQUIRED_ROLES


def enrolment(user: User) -> TwoFactor | None:
    """`user`'s authenticator, if any."""
    return db.session.scalar(select(TwoFactor).where(TwoFactor.user_id == user.id))


def needed(user: User) -> bool:
    """Whether `user` signs in with a second factor: required, or chosen."""
    return required(user) or enrolment(user) is not None


def holders(users: Iterable[User]) -> set[int]:
    """The ids of those of `users` who have an authenticator set up."""
    ids = [u.id for u in users]
    if not ids:
        return set()
    return set(db.session.scalars(select(TwoFactor.user_id).where(TwoFactor.user_id.in_(ids))))


def recovery_codes_left(user: User) -> int:
    """How many of `user`'s recovery codes are unused."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class Setup:
    """A secret on offer to an account, and the signed token its form carries back."""

    secret: str
    token: str


def _setups() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="two-factor-setup")


def offer_setup(user: User, token: object = None) -> Setup:
    """The secret of `token` when it is a valid setup token of `user`, else a new one.

    Nothing is stored before the first code confirms it (`confirm_enrolment`).
    """
    secret = _setup_secret(user, token)
    if secret is None:
        secret = pyotp.random_base32()
    return Setup(secret, _setups().dumps([user.public_id, secret]))


def _setup_secret(user: User, token: object) -> str | None:
    if not isinstance(token, str) or not token or len(token) > MAX_SETUP_TOKEN:
        return None
    try:
        public_id, secret = _setups().loads(token, max_age=SETUP_MAX_AGE_S)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(secret) if public_id == user.public_id else None


def setup_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = str(current_app.config["BOARD_NAME"])
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline SVG element."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, omitsize=False))


def _clean(code: object) -> str:
    """A typed code without spaces and dashes, lower case; "" for anything that is no code."""
    if not isinstance(code, str) or len(code) > MAX_CODE_INPUT:
        return ""
    return _SEPARATORS.sub("", code).lower()


def _wrong() -> InvalidStateError:
    return InvalidStateError(_("The code is wrong or was used already."), field="code")


def _step_of(secret: str, code: str) -> int | None:
    """The time step (now, or one before or after) whose TOTP is `code`."""
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _accept_totp(record: TwoFactor, code: str) -> bool:
    """Whether `code` is a TOTP of `record` newer than the last accepted; remembered if so."""
    step = _step_of(record.secret, code)
    if step is None:
        return False
    accepted = db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.id == record.id, TwoFactor.last_step < step)
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(accepted, "rowcount", 0))


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace `user`'s recovery codes (in the caller's transaction); the new ones in clear."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def confirm_enrolment(user: User, token: object, code: object) -> list[str]:
    """Store the offered secret once its first code is right; return new recovery codes.

    Raises:
        InvalidStateError: the code is wrong (field ``code``), or the offer is
            expired or not this account's.
        AlreadyDoneError: an authenticator is set up already (the form sent twice).
    """
    secret = _setup_secret(user, token)
    if secret is None:
        raise InvalidStateError(_("The setup expired. Scan the new QR code."), field="code")
    if enrolment(user) is not None:
        raise AlreadyDoneError(_("Two-factor sign-in is set up already."))
    step = _step_of(secret, _clean(code))
    if step is None:
        raise _wrong()
    try:
        db.session.add(TwoFactor(user_id=user.id, secret=secret, last_step=step))
        db.session.flush()
        codes = _new_recovery_codes(user)
        audit.record(AuditAction.ACCOUNT_TWO_FACTOR_ENABLED, actor=user, user=user)
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the other one set it up
        db.session.rollback()
        raise AlreadyDoneError(_("Two-factor sign-in is set up already.")) from None
    return codes


def verify(user: User, code: object) -> None:
    """Accept an authenticator code or an unused recovery code of `user`.

    Raises:
        InvalidStateError: the code is wrong, or used already (field ``code``).
    """
    cleaned = _clean(code)
    record = enrolment(user)
    if record is not None and _accept_totp(record, cleaned):
        db.session.commit()
        return
    if len(cleaned) == RECOVERY_LENGTH:
        used = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash(cleaned),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(used, "rowcount", 0):
            audit.record(AuditAction.ACCOUNT_RECOVERY_CODE_USED, actor=user, user=user)
            db.session.commit()
            return
    db.session.rollback()
    raise _wrong()


def renew_recovery_codes(user: User) -> list[str]:
    """New recovery codes for `user` (the old ones stop working).

    Raises:
        InvalidStateError: `user` has no authenticator set up.
    """
    if enrolment(user) is None:
        raise InvalidStateError(_("Set up two-factor sign-in first."))
    codes = _new_recovery_codes(user)
    audit.record(AuditAction.ACCOUNT_RECOVERY_CODES_MADE, actor=user, user=user)
    db.session.commit()
    return codes


def _remove(actor: User, user: User) -> None:
    """Remove `user`'s authenticator and recovery codes, recorded (the caller commits)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    audit.record(AuditAction.ACCOUNT_TWO_FACTOR_DISABLED, actor=actor, user=user)


def turn_off(user: User, code: object) -> None:
    """`user` removes their own second factor, confirmed with a code; only where optional.

    Raises:
        InvalidStateError: the role requires it, or the code is wrong (field ``code``).
        AlreadyDoneError: there is none to remove.
    """
    if required(user):
        raise InvalidStateError(_("Your role must sign in with two factors."))
    if enrolment(user) is None:
        raise AlreadyDoneError(_("Two-factor sign-in is off already."))
    verify(user, code)
    _remove(user, user)
    db.session.commit()


def reset(actor: User, user: User) -> None:
    """A coordinator removes another account's second factor (a lost phone); its sessions end.

    The account sets a new one up at its next sign-in when its role requires one.

    Raises:
        InvalidStateError: a coordinator tried it on their own account.
        AlreadyDoneError: the account has no second factor.
    """
    if actor.id == user.id:
        raise InvalidStateError(_("Ask another coordinator to reset your two-factor sign-in."))
    if enrolment(user) is None:
        raise AlreadyDoneError(_("This account has no two-factor sign-in."))
    _remove(actor, user)
    db.session.commit()
    staff_sessions.end_all(user, staff_sessions.EndReason.TWO_FACTOR_RESET)
