"""Confirm the proposals a coordinator selected on a run's page, each on its own.

Every selected proposal goes through `proposals.confirm` in its own transaction,
so one refusal (a ruled-out pair, a full opening) leaves the others sent. The
confirm is a compare-and-set: of two such requests at once each proposal is
sent once, and the one that finds it sent counts it as done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import MatchRun, Proposal, User
from . import proposals
from .errors import AlreadyDoneError, InvalidStateError

MAX_SELECTED = 500  # more than any run's page shows
NONE_CHOSEN = _l("Choose the proposals to confirm.")
TOO_MANY = _l("Choose at most %(max)s proposals at a time.")
UNKNOWN = _l("A chosen proposal is not one of this run's: reload the page and choose again.")


@dataclass
class Outcome:
    """What came of a selection: the proposals sent (or sent already) and those refused."""

    sent: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (youth and job, reason)

    def message(self) -> str:
        """ "7 sent, 2 refused: Emil (Kasseassistent): the reason; ..." in the user's language."""
        text = str(
            _("%(sent)s sent, %(refused)s refused", sent=self.sent, refused=len(self.refused))
        )
        if not self.refused:
            return text + "."
        return text + ": " + "; ".join(f"{who}: {why}" for who, why in self.refused)


def confirm_selected(actor: User, run: MatchRun, public_ids: list[str]) -> Outcome:
    """Send each selected proposal of `run` to its employer, each in its own transaction.

    Raises:
        InvalidStateError: (field ``proposals``) none chosen, too many, or one that is
            not a proposal of this run; nothing is sent then.
    """
    chosen = list(dict.fromkeys(public_ids))
    if not chosen:
        raise InvalidStateError(str(NONE_CHOSEN), field="proposals")
    if len(chosen) > MAX_SELECTED:
        raise InvalidStateError(str(TOO_MANY) % {"max": MAX_SELECTED}, field="proposals")
    found = {
        p.public_id: p
        for p in db.session.scalars(
            select(Proposal)
            .where(Proposal.run_id == run.id, Proposal.public_id.in_(chosen))
            .options(selectinload(Proposal.youth), selectinload(Proposal.opening))
            .order_by(Proposal.id)
        )
    }
    if len(found) != len(chosen):
        raise InvalidStateError(str(UNKNOWN), field="proposals")
    names = {key: f"{p.youth.first_name} ({p.opening.title})" for key, p in found.items()}
    outcome = Outcome()
    for key, proposal in found.items():
        try:
            proposals.confirm(actor, proposal)
        except AlreadyDoneError:
            outcome.sent += 1  # another request sent it just now: done all the same
        except InvalidStateError as error:
            outcome.refused.append((names[key], str(error)))
        else:
            outcome.sent += 1
    return outcome
