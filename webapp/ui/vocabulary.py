"""The board's fixed vocabularies and their translated labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import (
    EmployerStatus,
    EventKind,
    OpeningStatus,
    PlacementStatus,
    ProposalStatus,
    Role,
    RunStatus,
    StepStatus,
    YouthStatus,
)

__all__ = [
    "ALCOHOL_LABELS",
    "CATEGORIES",
    "CERTIFICATES",
    "DAY_LABELS",
    "DAY_SHORT",
    "END_REASON_LABELS",
    "EVENT_LABELS",
    "KIND_LABELS",
    "LANGUAGES",
    "MILESTONE_LABELS",
    "PROPOSAL_STATUS_LABELS",
    "ROLE_LABELS",
    "RUN_STATUS_LABELS",
    "STATUS_LABELS",
    "STEP_STATUS_LABELS",
    "WORKPLACE_LABELS",
]

DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
DAY_SHORT = {
    "mon": _l("Mon"),
    "tue": _l("Tue"),
    "wed": _l("Wed"),
    "thu": _l("Thu"),
    "fri": _l("Fri"),
    "sat": _l("Sat"),
    "sun": _l("Sun"),
}
KIND_LABELS = {
    "fritidsjob": _l("Leisure-time job"),
    "lommepengejob": _l("Pocket-money job"),
}
WORKPLACE_LABELS = {
    "shop": _l("Shop"),
    "office": _l("Office"),
    "service_station": _l("Service station"),
    "hotel_restaurant": _l("Hotel or restaurant"),
    "culture": _l("Theatre, cinema or venue"),
    "bakery": _l("Bakery"),
    "farm": _l("Farm or market garden"),
    "newspaper_delivery": _l("Newspaper delivery"),
    "other": _l("Other"),
}
ALCOHOL_LABELS = {
    "none": _l("No alcohol served"),
    "food": _l("Alcohol served with food"),
    "bar": _l("Bar"),
}
CATEGORIES = {
    "retail": _l("Shop and retail"),
    "bakery": _l("Bakery"),
    "food_service": _l("Kitchen and café"),
    "sports": _l("Sports and leisure"),
    "garden": _l("Garden and green areas"),
    "caretaking": _l("Caretaker helper"),
    "cleaning": _l("Cleaning and tidying"),
    "warehouse": _l("Warehouse and packing"),
    "delivery": _l("Delivery"),
    "office": _l("Office"),
    "childcare": _l("Children and play"),
    "culture": _l("Culture and events"),
    "farm": _l("Farm and animals"),
}
LANGUAGES = {
    "da": _l("Danish"),
    "en": _l("English"),
    "de": _l("German"),
    "ar": _l("Arabic"),
    "so": _l("Somali"),
    "tr": _l("Turkish"),
    "fa": _l("Persian"),
    "ur": _l("Urdu"),
    "pl": _l("Polish"),
    "uk": _l("Ukrainian"),
    "ro": _l("Romanian"),
    "ti": _l("Tigrinya"),
    "ku": _l("Kurdish"),
    "bs": _l("Bosnian"),
    "vi": _l("Vietnamese"),
}
CERTIFICATES = {
    "hygiejnebevis": _l("Food hygiene certificate"),
    "first_aid": _l("First aid"),
    "lifeguard": _l("Lifeguard"),
    "coach_course": _l("Junior coach course"),
}
# The statuses of employers, openings, youths and placements: "pending" reads
# the same for the first three.
STATUS_LABELS = {
    OpeningStatus.PENDING: _l("Awaiting approval"),
    OpeningStatus.OPEN: _l("Open"),
    OpeningStatus.CLOSED: _l("Closed"),
    EmployerStatus.APPROVED: _l("Approved"),
    YouthStatus.ACTIVE: _l("Active"),
    YouthStatus.ARCHIVED: _l("Archived"),
    YouthStatus.ANONYMISED: _l("Anonymised"),
    PlacementStatus.CONFIRMED: _l("Confirmed"),
    PlacementStatus.STARTED: _l("Started"),
    PlacementStatus.ENDED: _l("Ended"),
}
RUN_STATUS_LABELS = {
    RunStatus.PENDING: _l("Waiting to start"),
    RunStatus.RUNNING: _l("Solving"),
    RunStatus.DONE: _l("Done"),
    RunStatus.FAILED: _l("Failed"),
}
PROPOSAL_STATUS_LABELS = {
    ProposalStatus.PROPOSED: _l("Proposed"),
    ProposalStatus.SENT: _l("Sent to the employer"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.DECLINED: _l("Declined"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
}
STEP_STATUS_LABELS = {
    StepStatus.TODO: _l("Not started"),
    StepStatus.IN_PROGRESS: _l("In progress"),
    StepStatus.DONE: _l("Done"),
    StepStatus.NOT_NEEDED: _l("Not needed"),
}
ROLE_LABELS = {
    Role.COORDINATOR: _l("Coordinator"),
    Role.EMPLOYER: _l("Employer"),
    Role.COUNSELLOR: _l("Counsellor"),
}
EVENT_LABELS = {
    EventKind.REGISTERED: _l("Registered"),
    EventKind.APPROVED: _l("Registration approved"),
    EventKind.UPDATED: _l("Profile updated"),
    EventKind.ARCHIVED: _l("Archived"),
    EventKind.STEP: _l("Onboarding step"),
    EventKind.PROPOSED: _l("Proposed to the employer"),
    EventKind.DECLINED: _l("Declined by the employer"),
    EventKind.PLACED: _l("Placed"),
    EventKind.FEEDBACK: _l("Feedback from the employer"),
    EventKind.STARTED: _l("Started in job"),
    EventKind.ENDED: _l("Job ended"),
    EventKind.EXTERNAL_JOB: _l("Moved to an external job"),
    EventKind.MILESTONE: _l("Milestone"),
    EventKind.NOTE: _l("Note"),
}
MILESTONE_LABELS = {
    "education_plan": _l("Education plan"),
    "upv": _l("Education readiness assessment (UPV)"),
    "brobygning": _l("Taster course (brobygning)"),
    "started_education": _l("Started education"),
    "other": _l("Other milestone"),
}
END_REASON_LABELS = {
    "completed": _l("Completed as agreed"),
    "external_job": _l("Moved to an external job"),
    "education": _l("Started education"),
    "youth_left": _l("The youth stopped"),
    "employer_ended": _l("The employer ended it"),
    "other": _l("Other reason"),
}
