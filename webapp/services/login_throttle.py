"""Failed sign-ins counted per account, beside flask-limiter's count per client address.

The sign-in route is limited per client address by flask-limiter's decorator
(`LOGIN_RATE_LIMIT`, the address behind `PROXY_COUNT` proxies). This module
counts the failed sign-ins of each account, known or not, over every address
(`LOGIN_ACCOUNT_RATE_LIMIT`): once they are used up, the account's sign-in is
refused, even with the right password, until the window has moved on or the
owner has reset the password. The owner is told by email once per
`LOGIN_ACCOUNT_NOTICE_LIMIT`. The same counts limit how many reset links an
account is sent (`PASSWORD_RESET_MAIL_LIMIT`).

Counts live in flask-limiter's storage (`RATELIMIT_STORAGE_URI`: Redis in
production, in memory while it does not answer). Keys are keyed hashes of the
email, so the storage holds no address; an unknown email is counted exactly
as a known one, so that neither the count nor the time tells them apart.
"""

from __future__ import annotations

import hashlib
import logging

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse_many

from ..extensions import db, limiter
from ..models import AuditAction, User
from . import accounts, audit
from .account_mail import queue_account_mail
from .accounts import normalise_email
from .errors import ServiceError
from .links import board_link

LOG = logging.getLogger(__name__)
DEFAULTS = {
    "LOGIN_ACCOUNT_RATE_LIMIT": "10 per hour",
    "LOGIN_ACCOUNT_NOTICE_LIMIT": "1 per hour",
    "PASSWORD_RESET_MAIL_LIMIT": "3 per hour",
}


class SignInPausedError(ServiceError):
    """The failed sign-ins of an account are used up for now."""


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(str(current_app.config.get(setting, DEFAULTS[setting])))


def _account_key(email: str) -> str:
    """A keyed hash of the normalised email: the same for every spelling, no address kept."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hashlib.blake2b(normalise_email(email).encode(), key=secret[:64], digest_size=16)
    return digest.hexdigest()


def _identifiers(kind: str, email: str) -> tuple[str, str, str]:
    return (str(current_app.config.get("RATELIMIT_KEY_PREFIX", "")), kind, _account_key(email))


def _all_left(setting: str, kind: str, email: str) -> bool:
    """Whether every limit of `setting` has room for one more of `email`'s `kind`."""
    strategy = limiter.limiter  # flask-limiter's, on its memory fallback while storage is down
    try:
        return all(strategy.test(item, *_identifiers(kind, email)) for item in _limits(setting))
    except limiter.storage.base_exceptions:
        LOG.warning("the throttle's storage did not answer: %s not counted this time", kind)
        return True


def _hit_all(setting: str, kind: str, email: str) -> bool:
    """Count one more for `email`'s `kind`; whether every limit had room for it."""
    strategy = limiter.limiter
    try:
        # Every limit is counted, not only those up to the first that is full.
        counted = [strategy.hit(item, *_identifiers(kind, email)) for item in _limits(setting)]
        return all(counted)
    except limiter.storage.base_exceptions:
        LOG.warning("the throttle's storage did not answer: %s not counted this time", kind)
        return True


def refused(email: str) -> bool:
    """Whether the account of `email` (whether it exists or not) has used its failed sign-ins."""
    return not _all_left("LOGIN_ACCOUNT_RATE_LIMIT", "login-failures", email)


def authenticate(email: str, password: str) -> User | None:
    """`accounts.authenticate`, with the account's failed sign-ins counted.

    Raises:
        SignInPausedError: the account of `email` (known or not) has used its failed
            sign-ins: refused without looking at the password.
    """
    if refused(email):
        raise SignInPausedError(
            _(
                "Signing in to this account is paused after too many failed attempts. "
                "Try again later, or choose a new password with “Forgot your password?”."
            )
        )
    user = accounts.authenticate(email, password)
    if user is None:
        record_failure(email, accounts.find_user_by_email(email))
    return user


def record_failure(email: str, user: User | None) -> None:
    """Count a failed sign-in of `email`; when that uses up its count, tell the owner (once
    per `LOGIN_ACCOUNT_NOTICE_LIMIT`, when `user` is an account)."""
    _hit_all("LOGIN_ACCOUNT_RATE_LIMIT", "login-failures", email)
    if (
        user is not None
        and refused(email)
        and _hit_all("LOGIN_ACCOUNT_NOTICE_LIMIT", "login-notice", email)
    ):
        _queue_notice(user)
        audit.record(AuditAction.ACCOUNT_LOGIN_THROTTLED, actor=None, user=user)
        db.session.commit()


def forget_failures(email: str) -> None:
    """Start the account's count of failed sign-ins afresh (after a new password)."""
    strategy = limiter.limiter
    try:
        for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT"):
            strategy.clear(item, *_identifiers("login-failures", email))
    except limiter.storage.base_exceptions:
        LOG.warning("the throttle's storage did not answer: failed sign-ins not cleared")


def reset_mail_allowed(email: str) -> bool:
    """Count a reset link asked for `email`; False when it has had its share for now."""
    return _hit_all("PASSWORD_RESET_MAIL_LIMIT", "reset-mail", email)


def _queue_notice(user: User) -> None:
    """Tell the owner that sign-in to the account is paused after repeated failures."""
    queue_account_mail(
        user,
        template="login_paused",
        subject=_l("Sign-in to your account is paused"),
        reset_link=board_link("auth.forgot_password"),
    )
