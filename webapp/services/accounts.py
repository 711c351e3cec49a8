"""Staff accounts: password hashing, sign-in, invitations and deactivation."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AuditAction, Employer, OutboxMessage, Role, User, utcnow
from . import audit
from .errors import InvalidStateError, NotFoundError
from .links import board_link
from .lookup import by_public_id
from .paging import Page, paged
from .passwords import check_password

INVITATION_MAX_AGE_S = 7 * 24 * 3600
ACTIVATION = {True: AuditAction.ACCOUNT_ACTIVATED, False: AuditAction.ACCOUNT_DEACTIVATED}


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_of(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])


@cache
def _hasher_of(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


@cache
def _stand_in_hash(time_cost: int, memory_cost: int) -> str:
    """A hash of no one's password, made once per cost: verified when there is no account's."""
    return _hasher_of(time_cost, memory_cost).hash("the stand-in of an account that is not")


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`."""
    return _hasher().hash(password)


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding space."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes.

    A known and an unknown email cost the same: one look-up and one Argon2
    verification (of a stand-in hash with the board's cost when there is no
    account, no password or no active account), so the time of the answer does
    not tell whether an account exists.
    """
    user = find_user_by_email(email)
    hasher = _hasher()
    config = current_app.config
    stand_in = _stand_in_hash(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])
    own_hash = user.password_hash if user is not None and user.is_active else None
    try:
        hasher.verify(own_hash or stand_in, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or own_hash is None:
        return None
    if hasher.check_needs_rehash(own_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session of `user` (logout everywhere)."""
    user.session_version += 1
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions end.

    Raises:
        InvalidStateError: the current password is wrong (field ``current_password``),
            or the new one will not do (field ``password``, `passwords.password_problem`).
    """
    try:
        _hasher().verify(user.password_hash or "", current)
    except (VerificationError, InvalidHashError):
        raise InvalidStateError(
            _("The current password is wrong."), field="current_password"
        ) from None
    check_password(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    user.session_version += 1
    audit.record(AuditAction.ACCOUNT_PASSWORD_CHANGED, actor=user, user=user)
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invitation")


def invite_user(
    *, inviter: User, email: str, name: str, role: str, employer: Employer | None
) -> tuple[User, str]:
    """Create an account without a password and queue an invitation email.

    Returns:
        The new user and the invitation link (valid for seven days).

    Raises:
        InvalidStateError: the email is taken (field ``email``), or an employer
            account lacks its employer (field ``employer``).
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise InvalidStateError(_("An account with this email already exists."), field="email")
    if role == Role.EMPLOYER and employer is None:
        raise InvalidStateError(_("Choose the employer this person works for."), field="employer")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        employer=employer if role == Role.EMPLOYER else None,
        invited_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(AuditAction.ACCOUNT_CREATED, actor=inviter, user=user, detail={"role": role})
    link = _queue_invitation(user, inviter)
    db.session.commit()
    return user, link


def _queue_invitation(user: User, inviter: User) -> str:
    """Write the invitation email to the outbox; return its link (in the caller's transaction).

    The link names the account and its session version, so that a newer
    link, a password or a deactivation voids the older ones.
    """
    token = _serializer().dumps([user.public_id, user.session_version])
    link = board_link("auth.accept_invitation", token=token)
    with force_locale("da"):
        subject = _("Your invitation to the job board")
        body = render_template("email/invitation.txt", link=link, inviter=inviter.name)
    db.session.add(
        OutboxMessage(recipient=user.email, subject=subject, template="invitation", body_text=body)
    )
    return link


def user_for_invitation(token: str) -> User:
    """The not yet activated user an invitation token belongs to.

    Raises:
        NotFoundError: the token is invalid, expired or already used.
    """
    try:
        public_id, version = _serializer().loads(token, max_age=INVITATION_MAX_AGE_S)
    except (BadSignature, ValueError, TypeError):
        raise NotFoundError("invitation") from None
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if (
        user is None
        or user.password_hash is not None
        or not user.is_active_account
        or user.session_version != version
    ):
        raise NotFoundError("invitation")
    return user


def accept_invitation(token: str, password: str) -> User:
    """Set the first password of an invited user.

    Raises:
        NotFoundError: see `user_for_invitation`.
        InvalidStateError: the password will not do (field ``password``).
    """
    user = user_for_invitation(token)
    check_password(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    db.session.commit()
    return user


def create_coordinator(*, email: str, name: str, password: str) -> User:
    """The first coordinator account of a board (the `create-coordinator` command).

    Raises:
        InvalidStateError: the email is no address or has an account (field
            ``email``), or the password will not do (field ``password``).
    """
    try:
        address = validate_email(email.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidStateError(_("Enter a valid email address."), field="email") from None
    email = normalise_email(address.normalized)
    if find_user_by_email(email) is not None:
        raise InvalidStateError(_("An account with this email already exists."), field="email")
    check_password(password, email=email, name=name)
    user = User(
        email=email,
        name=name.strip(),
        role=Role.COORDINATOR,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    audit.record(
        AuditAction.ACCOUNT_CREATED, actor=None, user=user, detail={"role": Role.COORDINATOR}
    )
    db.session.commit()
    return user


def users_page(*, page: int, per_page: int) -> Page[User]:
    """A page of the staff accounts, by role (coordinators first), then name; with employers."""
    query = (
        select(User).options(selectinload(User.employer)).order_by(User.role, User.name, User.id)
    )
    return paged(query, page=page, per_page=per_page)


def get_user(public_id: str) -> User:
    """The account with this public id.

    Raises:
        NotFoundError: no such account.
    """
    return by_public_id(User, public_id)


def set_active(actor: User, user: User, *, active: bool) -> None:
    """Deactivate or reactivate an account; deactivation ends its sessions.

    Raises:
        InvalidStateError: a coordinator tried to deactivate themselves.
    """
    if user.id == actor.id and not active:
        raise InvalidStateError(_("You cannot deactivate your own account."))
    user.is_active_account = active
    user.session_version += 1
    audit.record(ACTIVATION[active], actor=actor, user=user)
    db.session.commit()


def counsellors() -> list[User]:
    """Active counsellor accounts, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.COUNSELLOR, User.is_active_account.is_(True))
            .order_by(User.name)
        )
    )
