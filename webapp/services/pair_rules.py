"""Pins and bans: pairs a coordinator keeps for, or rules out of, the next runs."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from ..extensions import db
from ..models import Opening, PairRule, Proposal, User, Youth, utcnow
from .claims import hold_youth
from .errors import AlreadyDoneError

PairIds = tuple[str, str]  # (youth public id, opening public id)


def stored_pair_rules(
    session: Session | scoped_session[Any],
) -> tuple[list[PairIds], list[PairIds]]:
    """The coordinators' stored pair rules as public id pairs: (forbidden, pinned)."""
    rows = session.execute(
        select(PairRule.rule, Youth.public_id, Opening.public_id)
        .join(Youth, Youth.id == PairRule.youth_id)
        .join(Opening, Opening.id == PairRule.opening_id)
        .order_by(PairRule.id)
    )
    rules: dict[str, list[PairIds]] = {"forbid": [], "pin": []}
    for rule, youth, opening in rows:
        rules.setdefault(rule, []).append((youth, opening))
    return rules["forbid"], rules["pin"]


def is_forbidden(youth: Youth, opening: Opening) -> bool:
    """Whether a coordinator has ruled the pair out of matching."""
    rule = db.session.scalar(
        select(PairRule.rule).where(
            PairRule.youth_id == youth.id, PairRule.opening_id == opening.id
        )
    )
    return rule == "forbid"


ALREADY = {
    "pin": _l("The pair is already pinned."),
    "forbid": _l("The pair is already ruled out."),
}


def set_pair_rule(actor: User, proposal: Proposal, rule: str, *, reason: str = "") -> None:
    """Pin or forbid the pair of a proposal for the next runs (replacing a rule it had).

    The youth's row is held first, so that two requests at once write one rule.

    Raises:
        AlreadyDoneError: the pair has this rule already.
    """
    hold_youth(proposal.youth)
    stored = db.session.scalar(
        select(PairRule.rule).where(
            PairRule.youth_id == proposal.youth_id, PairRule.opening_id == proposal.opening_id
        )
    )
    if stored == rule:
        db.session.rollback()
        raise AlreadyDoneError(str(ALREADY[rule]))
    put_pair_rule(actor, proposal.youth_id, proposal.opening_id, rule, reason)
    db.session.commit()


def clear_pair_rule(proposal: Proposal) -> None:
    """Remove the pin or ban of a proposal's pair."""
    rule = db.session.scalar(
        select(PairRule).where(
            PairRule.youth_id == proposal.youth_id, PairRule.opening_id == proposal.opening_id
        )
    )
    if rule is not None:
        db.session.delete(rule)
        db.session.commit()


def put_pair_rule(
    actor: User | None, youth_id: int, opening_id: int, rule: str, reason: str
) -> None:
    """Set the rule of a pair (None as actor: the employer declined), without committing."""
    row = db.session.scalar(
        select(PairRule).where(PairRule.youth_id == youth_id, PairRule.opening_id == opening_id)
    )
    if row is None:
        row = PairRule(youth_id=youth_id, opening_id=opening_id)
        db.session.add(row)
    row.rule = rule
    row.reason = reason
    row.created_by_id = actor.id if actor is not None else None
    row.created_at = utcnow()
