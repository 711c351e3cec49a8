"""The youths of the demo world: profiles, onboarding, placements and counsellors' notes.

The data files say who each youth is; the rest (birthday, availability,
languages, registration day, onboarding progress, ...) is drawn from the
caller's random generator, in a fixed order so that a seed gives one world.
Timeline entries go through `services.timeline`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TypeVar

import jobmatch

from ..extensions import db
from ..models import (
    AvailabilityWindow,
    ContactRole,
    EmployerStatus,
    EventKind,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    OpeningStatus,
    Placement,
    PlacementStatus,
    SmsContact,
    StepStatus,
    TimelineEvent,
    Youth,
    YouthPreference,
    YouthSource,
    YouthStatus,
)
from ..services import phones, timeline
from ..services.first_day import next_first_day
from ..services.placement_guard import placement_codes
from . import records
from .board import Board, at_ten
from .loader import DemoDataError

WEEKDAY_STARTS = (14 * 60 + 30, 15 * 60, 16 * 60)
WEEKDAY_ENDS = (18 * 60, 19 * 60, 20 * 60)
SATURDAY_ENDS = (13 * 60, 16 * 60)
TRAVEL_KM = (2.0, 3.0, 5.0, 10.0, 25.0)
STEP_NOTE = "Aftalt med forældre"
T = TypeVar("T")


def seed_youths(
    world: records.World,
    board: Board,
    kinds: list[OnboardingStepKind],
    rng: random.Random,
    today: dt.date,
) -> dict[str, Youth]:
    """Make every youth of youths.toml with their onboarding and timeline."""
    youths = {}
    for number, record in enumerate(world.youths, 1):
        youth, registered = _youth(record, number, world, board, rng, today)
        youths[record.first_name] = youth
        _history(youth, record, registered, board, kinds, rng, today)
    db.session.flush()
    # Every demo youth and parent said yes to SMS: `make run` shows them beside the emails.
    db.session.add_all(
        SmsContact(youth_id=youth.id, role=role, opted_in=True)
        for youth in youths.values()
        for role in ContactRole
    )
    return youths


def _youth(
    record: records.Youth,
    number: int,
    world: records.World,
    board: Board,
    rng: random.Random,
    today: dt.date,
) -> tuple[Youth, dt.date]:
    """A youth's profile; returns it with its registration day."""
    birth = today - dt.timedelta(days=365 * record.age + rng.randint(30, 330))
    extra = rng.sample(world.extra_languages, k=rng.choice((0, 1, 1, 2)))
    # Drawn for every youth, so that giving one youth's in the file leaves the others' draws.
    availability = _availability(rng)
    if record.availability is not None:
        availability = [
            AvailabilityWindow(day_index=d, start_min=s, end_min=e)
            for d, s, e in sorted(record.availability)
        ]
    registered = today - dt.timedelta(days=rng.randint(20, 400))
    pending = record.status == YouthStatus.PENDING
    home = board.areas[record.area]
    phone = phones.normalise(f"20 {9 + number:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}")
    address = "" if pending else f"{home.name} {rng.randint(1, 60)}"
    parent_phone = phones.normalise(
        f"30 {9 + number:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )
    youth = Youth(
        first_name=record.first_name,
        last_name=record.last_name,
        birth_date=birth,
        finished_9th_grade_on=dt.date(birth.year + 16, 6, 24)
        if record.finished_9th_grade
        else None,
        email=f"ung{number}@example.org",
        phone=phone,
        address=address,
        postcode="" if pending else home.postcode,
        town="" if pending else home.town,
        lat=home.lat,
        lon=home.lon,
        area=None if pending else home,
        parent_name=f"Forælder til {record.first_name}",
        parent_email=f"foraelder{number}@example.org",
        parent_phone=parent_phone,
        max_travel_km=_given(record.max_travel_km, rng.choice(TRAVEL_KM)),
        languages=["da", *extra],
        interests=rng.sample(world.interests, k=rng.randint(1, 3)),
        certificates=_given(
            record.certificates or None, ["hygiejnebevis"] if rng.random() < 0.15 else []
        ),
        priority=2 if rng.random() < 0.25 else 1,
        max_jobs=1,
        counsellor=board.accounts[record.counsellor] if record.counsellor else None,
        status=record.status,
        source=record.source,
        created_at=at_ten(registered),
        availability=availability,
    )
    openings = list(board.openings.values())
    if pending:
        youth.created_at = at_ten(today - dt.timedelta(days=rng.randint(0, 6)))
        youth.interested_opening = rng.choice(openings[:20])  # one of the first twenty
        youth.preferences = [YouthPreference(opening=youth.interested_opening, rank=1)]
    elif rng.random() < 0.3:
        on_board = [o for o in openings if o.status == OpeningStatus.OPEN]
        liked = [o for o in on_board if o.category in youth.interests]
        youth.preferences = [
            YouthPreference(opening=o, rank=r + 1) for r, o in enumerate(liked[:2])
        ]
    if record.excludes_an_employer:
        approved = [e for e in board.employers.values() if e.status == EmployerStatus.APPROVED]
        youth.excluded_employers = [approved[rng.randrange(len(approved))]]
    db.session.add(youth)
    return youth, registered


def _given(value: T | None, drawn: T) -> T:
    """The file's value when it gives one, else the drawn one (drawn anyway, in order)."""
    return drawn if value is None else value


def _availability(rng: random.Random) -> list[AvailabilityWindow]:
    """Two to four weekday afternoons, often a Saturday morning, sometimes a Sunday."""
    windows = [
        (day, rng.choice(WEEKDAY_STARTS), rng.choice(WEEKDAY_ENDS))
        for day in rng.sample(range(5), k=rng.randint(2, 4))
    ]
    if rng.random() < 0.6:
        windows.append((5, 8 * 60, rng.choice(SATURDAY_ENDS)))
    if rng.random() < 0.4:
        windows.append((6, 6 * 60, 15 * 60))
    return [AvailabilityWindow(day_index=d, start_min=s, end_min=e) for d, s, e in sorted(windows)]


def _history(
    youth: Youth,
    record: records.Youth,
    registered: dt.date,
    board: Board,
    kinds: list[OnboardingStepKind],
    rng: random.Random,
    today: dt.date,
) -> None:
    """Registration, approval, onboarding steps and archiving, on the timeline."""
    staff = board.coordinators
    registrar = None if record.source == YouthSource.PUBLIC else rng.choice(staff)
    _dated(timeline.record(youth, EventKind.REGISTERED, actor=registrar, occurred_on=registered))
    if record.status == YouthStatus.PENDING:
        return
    if record.source == YouthSource.PUBLIC:
        approver = rng.choice(staff)
        _dated(timeline.record(youth, EventKind.APPROVED, actor=approver, occurred_on=registered))
    done = rng.randint(0, len(kinds))
    for k, kind in enumerate(kinds):
        if k < done:
            on = min(today, registered + dt.timedelta(days=7 * (k + 1)))
            helper = rng.choice(staff)
            db.session.add(
                OnboardingStep(
                    youth=youth, kind=kind, status=StepStatus.DONE, done_on=on, helped_by=helper
                )
            )
            data = {"status": StepStatus.DONE, "step": kind.name_da}
            event = timeline.record(
                youth, EventKind.STEP, actor=helper, code=kind.code, data=data, occurred_on=on
            )
            _dated(event)
        elif k == done and rng.random() < 0.5:
            db.session.add(
                OnboardingStep(
                    youth=youth,
                    kind=kind,
                    status=StepStatus.IN_PROGRESS,
                    helped_by=rng.choice(staff),
                    note=STEP_NOTE,
                )
            )
    if record.status == YouthStatus.ARCHIVED:
        archived_on = today - dt.timedelta(days=10)
        timeline.record(youth, EventKind.ARCHIVED, actor=staff[0], occurred_on=archived_on)


def _dated(event: TimelineEvent) -> None:
    """Stamp a new timeline entry as made on its own day, not today."""
    event.created_at = at_ten(event.occurred_on)


def seed_placements(
    world: records.World,
    board: Board,
    youths: dict[str, Youth],
    rng: random.Random,
    today: dt.date,
) -> int:
    """Make the placements of placements.toml, placed by the first coordinator; their count.

    Each first day falls on one of the job's shift days. Every placement passes the
    guard a coordinator's placement passes (`placement_guard.placement_codes`), beside
    the jobs its youth holds already: a running one from today (a confirmed one from
    its first day), an ended one on its first day.

    Raises:
        DemoDataError: the law or the youth's record does not allow a placement; the
            message names the record and the reasons.
    """
    coordinator = board.coordinators[0]
    for number, record in enumerate(world.placements, 1):
        youth, opening = youths[record.youth], board.openings[record.opening]
        placed_on = today - dt.timedelta(days=rng.randint(60, 200))
        start = next_first_day(opening, today=placed_on + dt.timedelta(days=14))
        if record.status == PlacementStatus.CONFIRMED:
            start = next_first_day(opening, today=today + dt.timedelta(days=rng.randint(3, 14)))
        checked_on = today if record.status == PlacementStatus.STARTED else start
        _keeps_the_law(number, record, youth, opening, checked_on)
        placement = Placement(youth=youth, opening=opening, status=record.status, start_date=start)
        db.session.add(placement)
        data = {"opening": opening.title, "employer": opening.employer.name}
        timeline.record(
            youth, EventKind.PLACED, actor=coordinator, data=data, occurred_on=placed_on
        )
        if record.status == PlacementStatus.CONFIRMED:
            continue
        timeline.record(youth, EventKind.STARTED, actor=coordinator, data=data, occurred_on=start)
        if record.status == PlacementStatus.ENDED:
            placement.end_date = start + dt.timedelta(days=rng.randint(40, 120))
            placement.end_reason = record.end_reason
            ended = {**data, "reason": record.end_reason}
            on = placement.end_date
            timeline.record(youth, EventKind.ENDED, actor=coordinator, data=ended, occurred_on=on)
            if record.external_job:
                timeline.record(
                    youth,
                    EventKind.EXTERNAL_JOB,
                    actor=coordinator,
                    text=record.external_job,
                    occurred_on=on,
                )
    return len(world.placements)


def _keeps_the_law(
    number: int, record: records.Placement, youth: Youth, opening: Opening, on: dt.date
) -> None:
    """Ask the one guard about a placement of the file, before it is made.

    Its reason codes, not its words: seeding runs outside a request, in no language.
    """
    where = f"placements.toml, placement {number} {record.youth!r}"
    try:
        codes = placement_codes(youth, opening, on=on)
    except jobmatch.ProblemError as error:
        raise DemoDataError(f"{where}: the records cannot be checked: {error}") from error
    if codes:
        raise DemoDataError(
            f"{where}: the guard refuses {record.opening!r} from {on.isoformat()}: "
            f"{', '.join(codes)} (see youths.toml and openings.toml)"
        )


def seed_counselling(
    world: records.World, youths: dict[str, Youth], rng: random.Random, today: dt.date
) -> None:
    """Each followed active youth's milestones for their age, and for some a note."""
    for record in world.youths:
        youth = youths[record.first_name]
        counsellor = youth.counsellor
        if counsellor is None or record.status != YouthStatus.ACTIVE:
            continue
        when = today - dt.timedelta(days=rng.randint(5, 90))
        for milestone in world.milestones:
            if record.age >= milestone.least_age:
                timeline.record(
                    youth,
                    EventKind.MILESTONE,
                    actor=counsellor,
                    code=milestone.code,
                    text=milestone.text,
                    occurred_on=when,
                )
        if rng.random() < 0.4:
            timeline.record(
                youth, EventKind.NOTE, actor=counsellor, occurred_on=when, text=world.note
            )
