"""Emails caused by changes on the board, written to the outbox in the caller's transaction.

Each function adds `OutboxMessage` rows to the current session and never
commits: the message is stored together with the change that causes it, or
not at all. Bodies are rendered from `templates/email/<name>.txt` and `.html`
in the recipient's language (a youth's `language`, a parent's
`parent_language`, Danish for staff: `message_language`), and carry a first
name, a link and what the recipient needs to act (the first day, its hours,
the place, whom to ask for, the onboarding steps still missing and how to do
them), nothing else about the youth; subjects carry no personal data.
`webapp.services.outbox.send_pending` delivers them later.

Links come from `links.board_link` (the `BOARD_URL` setting, never the
request's Host header), so that they work in a worker and cannot be pointed elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from webapp.ui import board_day

from ..extensions import db
from ..models import (
    Employer,
    OnboardingStepKind,
    Opening,
    OutboxMessage,
    Placement,
    PlacementStatus,
    Proposal,
    Role,
    User,
    Youth,
    YouthStatus,
)
from . import message_language, onboarding
from .links import board_link

ADULT_AGE = 18


def _queue(
    session: Session,
    recipients: Iterable[str],
    subject: Any,
    template: str,
    *,
    language: str = message_language.STAFF_LANGUAGE,
    once_per: str | None = None,
    **context: Any,
) -> int:
    """Render `template` in `language` and add one message per distinct address; return how many.

    With `once_per`, a message gets the key ``<once_per>:<address>`` and is
    skipped when a message with that key exists: the unique key makes the
    database refuse a duplicate that a concurrent run might still add.
    """
    rendered = message_language.render_email(language, subject, template, **context)
    added = 0
    for address in dict.fromkeys(a.strip().lower() for a in recipients if a and a.strip()):
        key = f"{once_per}:{address}" if once_per else None
        if key and session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        session.add(
            OutboxMessage(
                recipient=address,
                subject=rendered.subject,
                template=template,
                body_text=rendered.text,
                body_html=rendered.html,
                dedupe_key=key,
            )
        )
        added += 1
    return added


def _is_minor(youth: Youth, day: dt.date) -> bool:
    return youth.age_on(day) < ADULT_AGE


def _job_facts(
    placement: Placement,
    first_day: dt.date | None,
    kinds: list[OnboardingStepKind] | None = None,
    language: str = message_language.STAFF_LANGUAGE,
) -> dict[str, Any]:
    """What the youth and a parent need to act on, for `templates/email/_job_facts.*`.

    The first day (None while not set), the shifts of that weekday (every
    shift while it is not set), the workplace's address (the opening's, else
    the employer's), the employer's contact as the employer registered it,
    and the onboarding steps this job still needs (`missing_kinds`; `missing`
    gives each with its how-to, the step kind's description, in `language`).
    """
    opening = placement.opening
    employer = opening.employer
    shifts = sorted(opening.shifts, key=lambda s: (s.day_index, s.start_min))
    if first_day is not None:
        shifts = [s for s in shifts if s.day_index == first_day.weekday()]
    street, postcode, town = (
        (opening.address, opening.postcode, opening.town)
        if opening.address or opening.town
        else (employer.address, employer.postcode, employer.town)
    )
    missing = onboarding.checklist(placement.youth, kinds).missing_for_opening(opening)
    return {
        "first_day": first_day,
        "shifts": shifts,
        "address": ", ".join(p for p in (street.strip(), f"{postcode} {town}".strip()) if p),
        "employer_name": employer.name,
        "contact_name": employer.contact_name.strip(),
        "contact_phone": employer.contact_phone.strip(),
        "missing_kinds": missing,
        "missing": message_language.step_texts(missing, language),
    }


def _in_language(facts: dict[str, Any], language: str) -> dict[str, Any]:
    """`facts` with the missing steps in `language`."""
    return {**facts, "missing": message_language.step_texts(facts["missing_kinds"], language)}


def queue_proposal_to_employer(proposal: Proposal) -> None:
    """Tell the employer's contact and active staff that a candidate is proposed.

    The body names the opening and links to the employer's page for it; the
    youth is not named at all. Adds one message per address to the current
    session; does not commit.
    """
    session = db.session
    opening = session.get_one(Opening, proposal.opening_id)
    _queue(
        session,
        _employer_addresses(opening.employer),
        _l("A candidate is proposed for your opening"),
        "proposal_to_employer",
        title=opening.title,
        link=board_link("employer.opening", public_id=opening.public_id),
    )


def _employer_addresses(employer: Employer) -> list[str]:
    """The employer's contact and its active staff."""
    return [employer.contact_email, *(u.email for u in employer.staff if u.is_active_account)]


def queue_opening_change_answer(opening: Opening, *, approved: bool) -> None:
    """Tell the employer that a coordinator approved or rejected the change of an opening.

    The body names the opening and links to the employer's page for it. Adds
    one message per address to the current session; does not commit.
    """
    _queue(
        db.session,
        _employer_addresses(opening.employer),
        _l("Your change of an opening is approved")
        if approved
        else _l("Your change of an opening is not approved"),
        "opening_change",
        approved=approved,
        title=opening.title,
        link=board_link("employer.opening", public_id=opening.public_id),
    )


def queue_placement_confirmation(placement: Placement) -> None:
    """Confirm a placement to the youth, to a parent when under 18, and to the counsellor.

    Each gets the youth's first name, the job's title and a link: the youth
    and the parent to the job on the public board with the first day, its
    hours, the place, the contact and the missing steps (`_job_facts`), the
    counsellor to the youth's page with the first day and the missing steps.
    Adds the messages to the current session; does not commit.
    """
    session = db.session
    youth, opening = placement.youth, placement.opening
    facts = _job_facts(placement, placement.start_date)
    context = {"first_name": youth.first_name, "title": opening.title, **facts}
    job_link = board_link("public.job", public_id=opening.public_id)
    language = message_language.youth_language(youth)
    _queue(
        session,
        [youth.email],
        _l("Your job is confirmed"),
        "placement_youth",
        language=language,
        link=job_link,
        **_in_language(context, language),
    )
    if _is_minor(youth, placement.start_date or board_day.today()):
        language = message_language.parent_language(youth)
        _queue(
            session,
            [youth.parent_email],
            _l("A job on the job board is confirmed"),
            "placement_parent",
            language=language,
            link=job_link,
            **_in_language(context, language),
        )
    counsellor: User | None = youth.counsellor
    if counsellor is not None and counsellor.is_active_account:
        _queue(
            session,
            [counsellor.email],
            _l("A youth you follow has got a job"),
            "placement_counsellor",
            link=board_link("counsellor.youth", public_id=youth.public_id),
            first_name=youth.first_name,
            first_day=placement.start_date,
            missing=facts["missing"],
        )


def queue_first_day_reminders(session: Session, today: dt.date) -> int:
    """Remind youths whose first day is tomorrow, and a parent of those under 18.

    The reminder says when, where, whom to ask for and what is still missing
    (`_job_facts`).

    Only confirmed placements of active youths count. Never queues twice for
    the same placement and first day, however often it runs (a first day
    moved to another date gets its own reminder). Does not commit.

    Returns:
        The number of messages added.
    """
    tomorrow = today + dt.timedelta(days=1)
    placements = session.scalars(
        select(Placement)
        .join(Placement.youth)
        .where(
            Placement.status == PlacementStatus.CONFIRMED,
            Placement.start_date == tomorrow,
            Youth.status == YouthStatus.ACTIVE,
        )
        .options(
            selectinload(Placement.youth).selectinload(Youth.steps),
            selectinload(Placement.opening).selectinload(Opening.shifts),
            selectinload(Placement.opening).selectinload(Opening.employer),
        )
        .order_by(Placement.id)
    ).all()
    kinds = onboarding.step_kinds()
    added = 0
    for placement in placements:
        youth, opening = placement.youth, placement.opening
        context = {
            "first_name": youth.first_name,
            "title": opening.title,
            "link": board_link("public.job", public_id=opening.public_id),
            **_job_facts(placement, tomorrow, kinds),
        }
        messages = [
            (
                youth.email,
                "first_day_youth",
                _l("Your first day is tomorrow"),
                message_language.youth_language(youth),
            )
        ]
        if _is_minor(youth, tomorrow):
            subject = _l("The first day in a job is tomorrow")
            language = message_language.parent_language(youth)
            messages.append((youth.parent_email, "first_day_parent", subject, language))
        for address, template, subject, language in messages:
            once_per = f"first_day:{placement.id}:{tomorrow.isoformat()}"
            added += _queue(
                session,
                [address],
                subject,
                template,
                language=language,
                once_per=once_per,
                **_in_language(context, language),
            )
    return added


def stalled_onboarding_count(session: Session, today: dt.date, days: int) -> int:
    """Youths with a confirmed job whose needed onboarding steps have not moved for `days` days.

    The clock starts at the placement or the youth's latest step change,
    whichever is later.
    """
    limit = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC) - dt.timedelta(days=days)
    placements = session.scalars(
        select(Placement)
        .join(Placement.youth)
        .where(Placement.status == PlacementStatus.CONFIRMED, Youth.status == YouthStatus.ACTIVE)
        .options(
            selectinload(Placement.youth).selectinload(Youth.steps),
            selectinload(Placement.opening),
        )
    )
    kinds = onboarding.step_kinds()
    stalled: set[int] = set()
    for placement in placements:
        youth = placement.youth
        if youth.id in stalled:
            continue
        if not onboarding.checklist(youth, kinds).missing_for_opening(placement.opening):
            continue
        moved = [placement.created_at, *(s.updated_at for s in youth.steps)]
        if max(moved) < limit:
            stalled.add(youth.id)
    return len(stalled)


def queue_stalled_onboarding_digest(session: Session, today: dt.date) -> int:
    """Tell every active coordinator how many youths' onboarding has stalled.

    Stalled means more than `STALLED_ONBOARDING_DAYS` days (default 14)
    without progress while a confirmed job waits. The email has the count
    and a link to the youth list, no names. Nothing is queued when no youth
    is stalled, nor for a coordinator who already has this week's digest.
    Does not commit.

    Returns:
        The number of messages added.
    """
    days = int(current_app.config.get("STALLED_ONBOARDING_DAYS", 14))
    count = stalled_onboarding_count(session, today, days)
    if count == 0:
        return 0
    coordinators = session.scalars(
        select(User.email).where(
            User.role == Role.COORDINATOR,
            User.is_active_account.is_(True),
            User.password_hash.is_not(None),
        )
    )
    year, week, _ = today.isocalendar()
    return _queue(
        session,
        list(coordinators),
        _l("Weekly overview: onboarding without progress"),
        "stalled_onboarding",
        count=count,
        days=days,
        link=board_link("coordinator.youths"),
        once_per=f"stalled_onboarding:{year}-W{week:02d}",
    )
