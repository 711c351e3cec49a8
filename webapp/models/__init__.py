"""The board's typed SQLAlchemy 2 models, one module per aggregate.

Everything the `jobmatch` interchange format needs is stored here, so that a
matching run can build a problem from rows: openings with kind, category,
positions, age bounds, light work, workplace, alcohol, shifts, location and
requirements; youths with birth date, the date 9th grade was finished,
availability, location, travel radius, languages, interests, certificates,
priority, max jobs and buddies. Placements, proposals, matching runs and the
email outbox are modelled too.

The modules depend on each other in one direction only: `columns` and `codes`
<- `areas` <- `employers` <- `youths` <- `matching`; `outbox` and `geocodes` (the
geocoder's cached answers) stand alone.
Import models from here (`from webapp.models import Youth`).
"""

from .areas import Area, SchoolHoliday
from .audit import AuditAction, AuditEntry
from .codes import (
    ACTIVE_PLACEMENTS,
    ALCOHOL,
    DAYS,
    FINISHED_STEPS,
    MILESTONES,
    OPENING_KINDS,
    PAIR_RULES,
    UNFINISHED_RUNS,
    WORKPLACES,
    EmployerStatus,
    EventKind,
    OpeningStatus,
    OutboxStatus,
    PlacementStatus,
    ProposalStatus,
    Role,
    RunStatus,
    StepStatus,
    YouthSource,
    YouthStatus,
)
from .columns import PublicIdMixin, UTCDateTime, new_public_id, utcnow
from .employers import Employer, Opening, Shift, User
from .family import (
    Channel,
    ConsentRequest,
    ConsentStatus,
    ProposalAnswer,
    ProposalAnswerKind,
    YouthLoginCode,
    YouthSession,
)
from .geocodes import Geocode, GeocodeOutcome
from .matching import MatchRun, PairRule, Proposal, RunDocuments, RunUnplaced
from .outbox import DeliveryStatus, OutboxChannel, OutboxMessage
from .sms import ContactRole, IncomingSms, SmsContact
from .what_if import WhatIf
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
    "ACTIVE_PLACEMENTS",
    "ALCOHOL",
    "DAYS",
    "FINISHED_STEPS",
    "MILESTONES",
    "OPENING_KINDS",
    "PAIR_RULES",
    "UNFINISHED_RUNS",
    "WORKPLACES",
    "Area",
    "AuditAction",
    "AuditEntry",
    "AvailabilityWindow",
    "Channel",
    "ConsentRequest",
    "ConsentStatus",
    "ContactRole",
    "DeliveryStatus",
    "Employer",
    "EmployerStatus",
    "EventKind",
    "Geocode",
    "GeocodeOutcome",
    "IncomingSms",
    "MatchRun",
    "OnboardingStep",
    "OnboardingStepKind",
    "Opening",
    "OpeningStatus",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxStatus",
    "PairRule",
    "Placement",
    "PlacementStatus",
    "Proposal",
    "ProposalAnswer",
    "ProposalAnswerKind",
    "ProposalStatus",
    "PublicIdMixin",
    "Role",
    "RunDocuments",
    "RunStatus",
    "RunUnplaced",
    "SchoolHoliday",
    "Shift",
    "SmsContact",
    "StepStatus",
    "TimelineEvent",
    "UTCDateTime",
    "User",
    "WhatIf",
    "Youth",
    "YouthLoginCode",
    "YouthPreference",
    "YouthSession",
    "YouthSource",
    "YouthStatus",
    "new_public_id",
    "utcnow",
    "youth_buddy",
    "youth_excluded_employer",
]
