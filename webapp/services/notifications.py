"""Emails caused by changes on the board, written to the outbox in the caller's transaction.

Each function adds `OutboxMessage` rows to the current session and never
commits: the message is stored together with the change that causes it, or
not at all. Bodies are Danish, rendered from `templates/email/<name>.txt` and
`.html`, and carry only a first name and a link; subjects carry no personal
data. `webapp.services.outbox.send_pending` delivers them later.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..models import Placement, Proposal


def queue_proposal_to_employer(proposal: Proposal) -> None:
    """Tell the employer's contact and staff that a candidate is proposed for an opening.

    Adds one message per address to the current session; does not commit.
    """


def queue_placement_confirmation(placement: Placement) -> None:
    """Confirm a placement to the youth, to a parent when under 18, and to the counsellor.

    Adds one message per address to the current session; does not commit.
    """


def queue_first_day_reminders(session: Session, today: dt.date) -> int:
    """Remind youths (and a parent) whose first day is tomorrow; never twice per placement.

    Returns:
        The number of messages added (not committed).
    """
    return 0


def queue_stalled_onboarding_digest(session: Session, today: dt.date) -> int:
    """Tell coordinators how many youths have onboarding steps stalled, without names.

    Returns:
        The number of messages added (not committed).
    """
    return 0
