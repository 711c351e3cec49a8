"""Changing a staff account's role between coordinator and counsellor.

An employer's account belongs to its company and keeps its role. A change ends the
account's sessions (its next request signs it out) and is recorded in the audit trail;
two changes arriving at once make one.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import CursorResult, func, select, update

from ..extensions import db
from ..models import AuditAction, Role, User, Youth, YouthStatus
from . import audit
from .errors import InvalidStateError

STAFF_ROLES = (Role.COORDINATOR, Role.COUNSELLOR)


def change_role(actor: User, user: User, role: str) -> None:
    """Make `user` a coordinator or a counsellor.

    Raises:
        InvalidStateError: `role` is not a staff role, the account is the actor's own or an
            employer's, it already has the role, or a counsellor still follows youths.
    """
    if role not in STAFF_ROLES:
        raise InvalidStateError(_("An account can only be made a coordinator or a counsellor."))
    if user.id == actor.id:
        raise InvalidStateError(_("You cannot change the role of your own account."))
    if user.role not in STAFF_ROLES:
        raise InvalidStateError(_("An employer's account keeps its role."))
    if user.role == role:
        raise InvalidStateError(_("The account already has this role."))
    followed = _youths_followed(user)
    if followed:
        raise InvalidStateError(
            ngettext(
                "%(name)s still follows %(num)d youth as counsellor: give the youth another "
                "counsellor first.",
                "%(name)s still follows %(num)d youths as counsellor: give them another "
                "counsellor first.",
                followed,
                name=user.name,
            )
        )
    before = user.role
    changed: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(User)
        .where(User.id == user.id, User.role == before)
        .values(role=role, session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        raise InvalidStateError(_("The account already has this role."))
    audit.record(
        AuditAction.ACCOUNT_ROLE_CHANGED,
        actor=actor,
        user=user,
        detail={"from": before, "to": role},
    )
    db.session.commit()
    db.session.expire(user)


def _youths_followed(user: User) -> int:
    """How many youths, registered or active, have `user` as their counsellor."""
    followed = db.session.scalar(
        select(func.count())
        .select_from(Youth)
        .where(
            Youth.counsellor_id == user.id,
            Youth.status.in_((YouthStatus.PENDING, YouthStatus.ACTIVE)),
        )
    )
    return followed or 0
