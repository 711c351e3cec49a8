"""Youths: registration (by a coordinator or from the public board), profiles, friends.

The coordinator's search is in `youth_search`, access and erasure in `youth_rights`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import (
    AvailabilityWindow,
    Employer,
    EventKind,
    OnboardingStep,
    Opening,
    Placement,
    TimelineEvent,
    User,
    Youth,
    YouthPreference,
    YouthSource,
    YouthStatus,
    utcnow,
)
from . import audit, geo, timeline
from .errors import InvalidStateError
from .lookup import by_public_id
from .paging import Page, paged

Window = tuple[int, int, int]  # day index (0 = Monday), start and end in minutes


@dataclass
class YouthData:
    """What a coordinator enters about a youth."""

    first_name: str
    last_name: str
    birth_date: dt.date
    finished_9th_grade_on: dt.date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    area_id: int | None = None
    parent_name: str = ""
    parent_email: str = ""
    parent_phone: str = ""
    language: str = "da"  # the youth's language for messages (PERSON_LANGUAGES)
    parent_language: str = "da"
    max_travel_km: float | None = None
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)
    priority: int = 1
    max_jobs: int = 1
    counsellor_id: int | None = None
    notes: str = ""
    availability: list[Window] = field(default_factory=list)
    excluded_employer_ids: list[str] = field(default_factory=list)
    # Only the age is known: `birth_date` is an estimate (`estimated_birth_date`).
    age_only: bool = False


@dataclass
class InterestData:
    """What a youth gives on the public "I am interested" form: nothing more."""

    first_name: str
    birth_date: dt.date
    email: str
    phone: str
    parent_name: str
    parent_email: str
    parent_phone: str
    languages: list[str]
    interests: list[str]
    availability: list[Window]
    language: str = "da"  # the youth's language for messages (PERSON_LANGUAGES)
    parent_language: str = "da"
    opening: Opening | None = None
    # The openings chosen on the form, most wanted first (the page's opening among them).
    openings: list[Opening] = field(default_factory=list)
    # Only the age was given: the birth date is an estimate for a coordinator to confirm.
    birth_date_estimated: bool = False


def estimated_birth_date(age: int, today: dt.date) -> dt.date:
    """A birth date that makes the youth `age` today, half a year past the birthday."""
    return jobmatch.years_before(today, age) - dt.timedelta(days=182)


def birth_date_estimated(youth: Youth) -> bool:
    """Whether the youth's birth date is still an estimate made from an age alone.

    The timeline says it: a registration with only an age, and after it every
    change of the birth date, records whether the date is an estimate.
    """
    estimated = False
    for event in youth.events:
        changed = event.kind == EventKind.UPDATED and "birth_date" in event.data.get("fields", ())
        if event.kind == EventKind.REGISTERED or changed:
            estimated = bool(event.data.get("birth_date_estimated"))
    return estimated


def overlapping(windows: list[Window]) -> bool:
    """Whether two weekly windows overlap on the same day."""
    ordered = sorted(windows)
    return any(a[0] == b[0] and b[1] < a[2] for a, b in itertools.pairwise(ordered))


def check_overlaps(windows: list[Window]) -> None:
    """Reject windows that overlap on the same day: InvalidStateError on ``availability``."""
    if overlapping(windows):
        raise InvalidStateError(_("Two time slots on the same day overlap."), field="availability")


def _apply(youth: Youth, data: YouthData) -> bool:
    """Put `data` into `youth` (no commit); whether the availability changed."""
    check_overlaps(data.availability)
    for name in (
        "first_name",
        "last_name",
        "birth_date",
        "finished_9th_grade_on",
        "email",
        "phone",
        "address",
        "postcode",
        "area_id",
        "parent_name",
        "parent_email",
        "parent_phone",
        "language",
        "parent_language",
        "max_travel_km",
        "languages",
        "interests",
        "certificates",
        "priority",
        "max_jobs",
        "counsellor_id",
        "notes",
    ):
        value = getattr(data, name)
        setattr(youth, name, value.strip() if isinstance(value, str) else value)
    place = geo.place_of(data.address, data.postcode)
    youth.town, youth.lat, youth.lon = place.town, place.lat, place.lon
    windows_changed = set_availability(youth, data.availability)
    youth.excluded_employers = (
        list(
            db.session.scalars(
                select(Employer).where(Employer.public_id.in_(data.excluded_employer_ids))
            )
        )
        if data.excluded_employer_ids
        else []
    )
    return windows_changed


def set_availability(youth: Youth, windows: list[Window]) -> bool:
    """Make `windows` the youth's weekly availability (no commit); whether they changed.

    The one place availability is saved (the coordinator's, the public and the youth's
    forms); the same windows again write nothing.

    Raises:
        InvalidStateError: two windows overlap (field ``availability``).
    """
    check_overlaps(windows)
    before = sorted((w.day_index, w.start_min, w.end_min) for w in youth.availability)
    if sorted(windows) == before:
        return False
    youth.availability = [
        AvailabilityWindow(day_index=d, start_min=s, end_min=e) for d, s, e in sorted(windows)
    ]
    return True


def create_youth(actor: User, data: YouthData) -> Youth:
    """Register a youth directly as active; logs "registered"."""
    youth = Youth(status=YouthStatus.ACTIVE, source=YouthSource.COORDINATOR)
    _apply(youth, data)
    db.session.add(youth)
    estimated = {"birth_date_estimated": True} if data.age_only else {}
    timeline.record(youth, EventKind.REGISTERED, actor=actor, data=estimated)
    db.session.commit()
    return youth


def update_youth(
    actor: User, youth: Youth, data: YouthData, *, today: dt.date | None = None
) -> None:
    """Change a youth's profile; logs which fields changed (names only, no values).

    An age given again without a birth date keeps the estimate made before
    while the age is the same, so that saving the form does not move it.
    """
    today = today or board_day.today()
    was_estimated = birth_date_estimated(youth)
    if (
        data.age_only
        and was_estimated
        and jobmatch.age_on(youth.birth_date, today) == jobmatch.age_on(data.birth_date, today)
    ):
        data = replace(data, birth_date=youth.birth_date)
    before = {
        k: getattr(youth, k)
        for k in vars(data)
        if k not in ("availability", "excluded_employer_ids", "age_only")
    }
    old_excluded = sorted(e.public_id for e in youth.excluded_employers)
    windows_changed = _apply(youth, data)
    changed = sorted(k for k, v in before.items() if getattr(youth, k) != v)
    if windows_changed:
        changed.append("availability")
    if sorted(data.excluded_employer_ids) != old_excluded:
        changed.append("excluded_employers")
    if data.age_only != was_estimated and "birth_date" not in changed:
        changed.append("birth_date")
    if changed:
        facts: dict[str, object] = {"fields": changed}
        if "birth_date" in changed:
            facts["birth_date_estimated"] = data.age_only
        timeline.record(youth, EventKind.UPDATED, actor=actor, data=facts)
    db.session.commit()


def ruled_out_by_age(birth_date: dt.date, openings: list[Opening], today: dt.date) -> list[str]:
    """Why the youth's age on `today` rules out each of `openings` it does (none: empty).

    The age is `jobmatch.age_on`, the limits are the openings' own `min_age` and
    `max_age` (the law's youngest age is the form's lower bound).
    """
    age = jobmatch.age_on(birth_date, today)
    return [
        message
        for opening in openings
        if (message := age_refusal(age, opening, age_text=str(age)))
    ]


def age_refusal(age: int, opening: Opening, *, age_text: str) -> str:
    """The sentence that says the opening is not for a youth of `age` (shown as `age_text`).

    Empty when the age is within the opening's limits. The public form's script
    gets the sentences with a placeholder for the age, so it says the same.
    """
    if age < opening.min_age:
        return str(
            _(
                "You are %(age)s: '%(title)s' requires you to be at least %(min_age)s.",
                age=age_text,
                title=opening.title,
                min_age=opening.min_age,
            )
        )
    if opening.max_age is not None and age > opening.max_age:
        return str(
            _(
                "You are %(age)s: '%(title)s' is for young people up to %(max_age)s.",
                age=age_text,
                title=opening.title,
                max_age=opening.max_age,
            )
        )
    return ""


def register_interest(data: InterestData, *, today: dt.date | None = None) -> Youth:
    """Create a pending registration from the public board for a coordinator to review.

    Raises:
        InvalidStateError: two time slots overlap (field ``availability``), or
            the youth's age rules out a chosen opening (field ``jobs``: every
            such opening named, nothing written).
    """
    check_overlaps(data.availability)
    chosen = list(dict.fromkeys(data.openings or ([data.opening] if data.opening else [])))
    refusals = ruled_out_by_age(data.birth_date, chosen, today or board_day.today())
    if refusals:
        raise InvalidStateError(" ".join(refusals), field="jobs")
    youth = Youth(
        status=YouthStatus.PENDING,
        source=YouthSource.PUBLIC,
        first_name=data.first_name.strip(),
        birth_date=data.birth_date,
        email=data.email.strip(),
        phone=data.phone.strip(),
        parent_name=data.parent_name.strip(),
        parent_email=data.parent_email.strip(),
        parent_phone=data.parent_phone.strip(),
        language=data.language,
        parent_language=data.parent_language,
        languages=data.languages,
        interests=data.interests,
        interested_opening=data.opening or (chosen[0] if chosen else None),
        preferences=[YouthPreference(opening=o, rank=r) for r, o in enumerate(chosen, 1)],
    )
    set_availability(youth, data.availability)
    db.session.add(youth)
    timeline.record(
        youth,
        EventKind.REGISTERED,
        actor=None,
        data={
            "source": YouthSource.PUBLIC,
            "opening": data.opening.public_id if data.opening else None,
            "openings": [o.public_id for o in chosen],
            "birth_date_estimated": data.birth_date_estimated,
        },
    )
    db.session.commit()
    return youth


def approve_registration(actor: User, youth: Youth) -> None:
    """Turn a pending registration into an active youth.

    Raises:
        InvalidStateError: the youth is not pending.
    """
    if youth.status != YouthStatus.PENDING:
        raise InvalidStateError(_("This registration has already been handled."))
    youth.status = YouthStatus.ACTIVE
    timeline.record(youth, EventKind.APPROVED, actor=actor)
    db.session.commit()


def reject_registration(youth: Youth) -> None:
    """Delete a pending registration and everything in it (data minimisation).

    Raises:
        InvalidStateError: the youth is not pending.
    """
    if youth.status != YouthStatus.PENDING:
        raise InvalidStateError(_("This registration has already been handled."))
    audit.record_erased(youth, reason="registration rejected")
    db.session.delete(youth)
    db.session.commit()


def archive_youth(actor: User, youth: Youth) -> None:
    """Archive a youth: kept for the statistics, gone from the working lists.

    Raises:
        InvalidStateError: already archived.
    """
    if youth.status == YouthStatus.ARCHIVED:
        raise InvalidStateError(_("This youth is already archived."))
    youth.status = YouthStatus.ARCHIVED
    youth.archived_at = utcnow()
    timeline.record(youth, EventKind.ARCHIVED, actor=actor)
    db.session.commit()


def reactivate_youth(actor: User, youth: Youth) -> None:
    """Bring an archived youth back to the active list.

    Raises:
        InvalidStateError: the youth is not archived.
    """
    if youth.status != YouthStatus.ARCHIVED:
        raise InvalidStateError(_("This youth is not archived."))
    youth.status = YouthStatus.ACTIVE
    youth.archived_at = None
    timeline.record(youth, EventKind.APPROVED, actor=actor, data={"reactivated": True})
    db.session.commit()


# What a youth's profile shows, loaded with the youth in a fixed number of queries.
PROFILE = (
    joinedload(Youth.area),
    joinedload(Youth.counsellor),
    selectinload(Youth.availability),
    selectinload(Youth.steps).joinedload(OnboardingStep.helped_by),
    selectinload(Youth.placements).joinedload(Placement.opening).joinedload(Opening.employer),
    selectinload(Youth.placements).joinedload(Placement.opening).selectinload(Opening.shifts),
    selectinload(Youth.buddies),
    selectinload(Youth.excluded_employers),
    selectinload(Youth.preferences).joinedload(YouthPreference.opening),
    selectinload(Youth.events).joinedload(TimelineEvent.actor),
)


def get_youth(public_id: str) -> Youth:
    """Any youth but an anonymised one, for a coordinator, with what the profile shows.

    Raises:
        NotFoundError: no such youth (an anonymised youth is only a count in the figures).
    """
    return by_public_id(Youth, public_id, Youth.status != YouthStatus.ANONYMISED, options=PROFILE)


def get_youth_for_counsellor(counsellor: User, public_id: str) -> Youth:
    """A youth assigned to this counsellor, with what the profile shows; others do not exist.

    Raises:
        NotFoundError: no such youth, or not assigned to `counsellor`.
    """
    return by_public_id(
        Youth,
        public_id,
        Youth.counsellor_id == counsellor.id,
        Youth.status != YouthStatus.PENDING,
        options=PROFILE,
    )


def youths_of_counsellor(counsellor: User, *, page: int, per_page: int) -> Page[Youth]:
    """The youths assigned to a counsellor, active first, by name, a page at a time."""
    return paged(
        select(Youth)
        .where(Youth.counsellor_id == counsellor.id, Youth.status != YouthStatus.PENDING)
        .options(selectinload(Youth.steps), selectinload(Youth.placements))
        .order_by(Youth.status, Youth.sort_name, Youth.id),
        page=page,
        per_page=per_page,
    )


def set_buddies(actor: User, youth: Youth, buddy_ids: list[str]) -> None:
    """Name the friends a youth would like to work beside (soft, for matching)."""
    buddies = list(
        db.session.scalars(
            select(Youth).where(
                Youth.public_id.in_(buddy_ids),
                Youth.id != youth.id,
                Youth.status == YouthStatus.ACTIVE,
            )
        )
    )
    youth.buddies = buddies
    timeline.record(youth, EventKind.UPDATED, actor=actor, data={"fields": ["buddies"]})
    db.session.commit()
