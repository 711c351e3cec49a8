"""The fixed codes the models store and check: days, roles, kinds and statuses."""

from __future__ import annotations

from jobmatch import DAYS as DAYS
from jobmatch.model import WORKPLACES as WORKPLACES

ROLES = ("coordinator", "employer", "counsellor")
OPENING_KINDS = ("fritidsjob", "lommepengejob")
ALCOHOL = ("none", "food", "bar")
OPENING_STATUSES = ("pending", "open", "closed")
EMPLOYER_STATUSES = ("pending", "approved")
YOUTH_STATUSES = ("pending", "active", "archived")
STEP_STATUSES = ("todo", "in_progress", "done", "not_needed")
PLACEMENT_STATUSES = ("confirmed", "started", "ended")
RUN_STATUSES = ("pending", "running", "done", "failed")
PROPOSAL_STATUSES = ("proposed", "sent", "accepted", "declined", "withdrawn")
PAIR_RULES = ("pin", "forbid")
EVENT_KINDS = (
    "registered",
    "approved",
    "updated",
    "archived",
    "step",
    "proposed",
    "declined",
    "placed",
    "started",
    "feedback",
    "ended",
    "external_job",
    "milestone",
    "note",
)
MILESTONES = ("education_plan", "upv", "brobygning", "started_education", "other")
