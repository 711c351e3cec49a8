"""Loading the signed-in user, and the role guard every staff blueprint uses."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db, login_manager
from ..models import Role, User


def load_user(user_id: str) -> User | None:
    """The user of a session id "<public id>:<session version>"; a stale version signs out."""
    public_id, _, version = user_id.partition(":")
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    return user


def require_role(*roles: Role) -> Callable[[], object]:
    """A `before_request` hook: anonymous visitors go to the login page, other roles get 403."""

    def guard() -> object:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    return guard


def home_endpoint(user: User) -> str:
    """Where a user lands after signing in."""
    return f"{user.role}.index"
