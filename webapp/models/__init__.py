"""The board's typed SQLAlchemy 2 models, one module per aggregate.

Everything the `jobmatch` interchange format needs is stored here, so that a
matching run can build a problem from rows: openings with kind, category,
positions, age bounds, light work, workplace, alcohol, shifts, location and
requirements; youths with birth date, the date 9th grade was finished,
availability, location, travel radius, languages, interests, certificates,
priority, max jobs and buddies. Placements, proposals, matching runs and the
email outbox are modelled too.

The modules depend on each other in one direction only: `columns` and `codes`
<- `areas` <- `employers` <- `youths` <- `matching`; `outbox` stands alone.
Import models from here (`from webapp.models import Youth`).
"""

from .areas import Area, SchoolHoliday
from .codes import (
    ALCOHOL,
    DAYS,
    EMPLOYER_STATUSES,
    EVENT_KINDS,
    MILESTONES,
    OPENING_KINDS,
    OPENING_STATUSES,
    PAIR_RULES,
    PLACEMENT_STATUSES,
    PROPOSAL_STATUSES,
    ROLES,
    RUN_STATUSES,
    STEP_STATUSES,
    WORKPLACES,
    YOUTH_STATUSES,
)
from .columns import PublicIdMixin, UTCDateTime, new_public_id, utcnow
from .employers import Employer, Opening, Shift, User
from .matching import MatchRun, PairRule, Proposal
from .outbox import OutboxMessage
from .youths import (
    AvailabilityWindow,
    OnboardingStep,
    OnboardingStepKind,
    Placement,
    TimelineEvent,
    Youth,
    YouthPreference,
    youth_buddy,
    youth_excluded_employer,
)

__all__ = [
    "ALCOHOL",
    "DAYS",
    "EMPLOYER_STATUSES",
    "EVENT_KINDS",
    "MILESTONES",
    "OPENING_KINDS",
    "OPENING_STATUSES",
    "PAIR_RULES",
    "PLACEMENT_STATUSES",
    "PROPOSAL_STATUSES",
    "ROLES",
    "RUN_STATUSES",
    "STEP_STATUSES",
    "WORKPLACES",
    "YOUTH_STATUSES",
    "Area",
    "AvailabilityWindow",
    "Employer",
    "MatchRun",
    "OnboardingStep",
    "OnboardingStepKind",
    "Opening",
    "OutboxMessage",
    "PairRule",
    "Placement",
    "Proposal",
    "PublicIdMixin",
    "SchoolHoliday",
    "Shift",
    "TimelineEvent",
    "UTCDateTime",
    "User",
    "Youth",
    "YouthPreference",
    "new_public_id",
    "utcnow",
    "youth_buddy",
    "youth_excluded_employer",
]
