"""Password resets by email: a link from `BOARD_URL` that works once and for a short while.

A link names the account and a fingerprint of its password and session
version: a new password (the reset itself), a coordinator's reset, a
deactivation or a sign-out everywhere voids every link sent before. Links
are only ever sent to the account's own address, never shown on a page.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from ..extensions import db
from ..models import AuditAction, User
from . import audit, login_throttle
from .account_mail import queue_account_mail
from .accounts import find_user_by_email, hash_password
from .errors import InvalidStateError, NotFoundError
from .links import board_link
from .passwords import check_password

DEFAULT_MAX_AGE_MINUTES = 30


def max_age_minutes() -> int:
    """How long a reset link works (`PASSWORD_RESET_MINUTES`, 30 by default)."""
    return int(current_app.config.get("PASSWORD_RESET_MINUTES", DEFAULT_MAX_AGE_MINUTES))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User | None) -> str:
    """A keyed digest of what a reset changes: the password hash and the session version."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    version, password_hash = (user.session_version, user.password_hash) if user else (0, None)
    material = f"{version}:{password_hash or ''}".encode()
    return hmac.new(secret, material, hashlib.sha256).hexdigest()[:32]


def _queue_link(user: User | None, *, template: str, **context: object) -> None:
    """Write the email with a fresh reset link for `user` to the outbox (caller commits);
    with no `user`, make it all the same and send nothing (`queue_account_mail`)."""
    token = _serializer().dumps([user.public_id if user else "", _fingerprint(user)])
    queue_account_mail(
        user,
        template=template,
        subject=_l("Choose a new password for the job board"),
        link=board_link("auth.reset_password", token=token),
        minutes=max_age_minutes(),
        **context,
    )


def request_reset(email: str) -> None:
    """Send a reset link to the account of `email`, if it is an active one.

    Nothing tells the caller whether an account exists: an unknown or a
    deactivated email, and one that has had `PASSWORD_RESET_MAIL_LIMIT` links
    lately, get no email, the same answer and the same work (the mail is made
    and the request recorded, with ``sent: no``), so its time does not tell either.
    """
    allowed = login_throttle.reset_mail_allowed(email)
    user = find_user_by_email(email)
    sent = user is not None and user.is_active_account and allowed
    _queue_link(user if sent else None, template="password_reset")
    audit.record(
        AuditAction.ACCOUNT_RESET_LINK,
        actor=None,
        user=user,
        detail={"by": "owner", "sent": "yes" if sent else "no"},
    )
    db.session.commit()


def issue_reset(actor: User, user: User) -> None:
    """A coordinator resets someone else's access: the password is removed, every session
    ends, and the owner is emailed a reset link saying who did it.

    Raises:
        InvalidStateError: the coordinator tried it on their own account.
    """
    if user.id == actor.id:
        raise InvalidStateError(_("Change your own password on your account page."))
    user.password_hash = None
    # Counted in SQL: of two resets at once, the later one's link is the one that works.
    user.session_version = User.session_version + 1  # type: ignore[assignment]
    db.session.flush()  # the new version is read back for the link
    _queue_link(user, template="password_reset_by_coordinator", coordinator=actor.name)
    audit.record(
        AuditAction.ACCOUNT_RESET_LINK, actor=actor, user=user, detail={"by": "coordinator"}
    )
    db.session.commit()


def user_for_reset(token: str) -> User:
    """The account a reset link is for, while the link still works.

    Raises:
        NotFoundError: the link is forged, expired, already used or voided since.
    """
    try:
        public_id, fingerprint = _serializer().loads(token, max_age=max_age_minutes() * 60)
    except (BadSignature, ValueError, TypeError):
        raise NotFoundError("reset link") from None
    if not isinstance(public_id, str) or not isinstance(fingerprint, str):
        raise NotFoundError("reset link")
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if (
        user is None
        or not user.is_active_account
        or not hmac.compare_digest(_fingerprint(user), fingerprint)
    ):
        raise NotFoundError("reset link")
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password with a reset link; the link is spent, every session ends, the
    account's failed sign-ins are forgotten and the owner is told by email.

    Two requests with one link at once: one sets the password, the other is
    refused (the update is conditional on the password the link was made for).

    Raises:
        NotFoundError: see `user_for_reset`.
        InvalidStateError: the password will not do (field ``password``).
    """
    user = user_for_reset(token)
    check_password(password, email=user.email, name=user.name)
    old_hash = user.password_hash
    unchanged = (
        User.password_hash.is_(None) if old_hash is None else User.password_hash == old_hash
    )
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, User.session_version == user.session_version, unchanged)
        .values(password_hash=hash_password(password), session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise NotFoundError("reset link")
    db.session.refresh(user)
    queue_account_mail(
        user,
        template="password_changed",
        subject=_l("Your password on the job board is changed"),
        reset_link=board_link("auth.forgot_password"),
    )
    audit.record(AuditAction.ACCOUNT_PASSWORD_RESET, actor=None, user=user)
    db.session.commit()
    login_throttle.forget_failures(user.email)
    return user
