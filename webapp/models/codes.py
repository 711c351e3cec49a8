"""The fixed codes the models store and check: days, roles, kinds and statuses.

Roles, every status family and the kinds of timeline entries are `StrEnum`s:
their members are the stored strings, so a column keeps holding plain text and
a member compares equal to what is read back. The tables' value checks are
written from these enums.
"""

from __future__ import annotations

from enum import StrEnum

from jobmatch import DAYS as DAYS
from jobmatch.model import WORKPLACES as WORKPLACES


class Role(StrEnum):
    """What a staff login may do."""

    COORDINATOR = "coordinator"
    EMPLOYER = "employer"
    COUNSELLOR = "counsellor"


class EmployerStatus(StrEnum):
    """An employer waits for a coordinator's approval, then is approved."""

    PENDING = "pending"
    APPROVED = "approved"


class OpeningStatus(StrEnum):
    """An opening awaits approval, is open to matching, or is closed."""

    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class YouthStatus(StrEnum):
    """A youth's registration awaits approval, is active, is archived, or is anonymised.

    An anonymised youth is what erasure and the retention period leave for the
    figures: no name, contact, birth date or notes (services/youth_rights.py).
    """

    PENDING = "pending"
    ACTIVE = "active"
    ARCHIVED = "archived"
    ANONYMISED = "anonymised"


class YouthSource(StrEnum):
    """Who registered a youth: a coordinator, or the youth on the public form."""

    COORDINATOR = "coordinator"
    PUBLIC = "public"


class StepStatus(StrEnum):
    """A youth's progress on one onboarding step."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_NEEDED = "not_needed"


class PlacementStatus(StrEnum):
    """A placement is confirmed, then started, then ended."""

    CONFIRMED = "confirmed"
    STARTED = "started"
    ENDED = "ended"


class RunStatus(StrEnum):
    """A matching run waits, is solved in the worker, then is done or failed."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ProposalStatus(StrEnum):
    """A run's proposal, sent to the employer by a coordinator, then answered."""

    PROPOSED = "proposed"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class OutboxStatus(StrEnum):
    """An email waits (or waits to be retried), is being sent, is sent, or failed for good."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class EventKind(StrEnum):
    """What an entry on a youth's timeline records."""

    REGISTERED = "registered"
    APPROVED = "approved"
    UPDATED = "updated"
    ARCHIVED = "archived"
    STEP = "step"
    PROPOSED = "proposed"
    DECLINED = "declined"
    PLACED = "placed"
    STARTED = "started"
    FEEDBACK = "feedback"
    ENDED = "ended"
    EXTERNAL_JOB = "external_job"
    MILESTONE = "milestone"
    NOTE = "note"


# A placement in these states is current: it holds a position of its opening.
ACTIVE_PLACEMENTS = (PlacementStatus.CONFIRMED, PlacementStatus.STARTED)
# A run in these states has not finished yet.
UNFINISHED_RUNS = (RunStatus.PENDING, RunStatus.RUNNING)
# A step in these states leaves nothing to do.
FINISHED_STEPS = (StepStatus.DONE, StepStatus.NOT_NEEDED)

OPENING_KINDS = ("fritidsjob", "lommepengejob")
ALCOHOL = ("none", "food", "bar")
PAIR_RULES = ("pin", "forbid")
MILESTONES = ("education_plan", "upv", "brobygning", "started_education", "other")
