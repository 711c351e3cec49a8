"""Outbox messages: recipients, Danish subjects, bodies with a first name and a link only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.factories import EMAILS, CoordinatorFactory, EmployerStaffFactory, World, years_ago
from webapp.extensions import db
from webapp.models import (
    Employer,
    MatchRun,
    OnboardingStep,
    Opening,
    OutboxMessage,
    Placement,
    Proposal,
    Youth,
)
from webapp.services import notifications, onboarding

# Personal data of the world's youth Amira Hassan that no email may carry.
PRIVATE = ("Hassan", "20202020", "30303030", "Stadion Allé 7", "Parent of", "Secret")
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()


@pytest.fixture
def ctx(world: World) -> Iterator[Flask]:
    """An app context on the world, so that rows stay attached between calls."""
    with world.app.app_context():
        yield world.app


def _youth(world: World) -> Youth:
    return db.session.scalars(select(Youth).where(Youth.public_id == world.youth)).one()


def _placement(world: World) -> Placement:
    return db.session.get_one(Placement, world.placement_id)


def _messages() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _by_recipient() -> dict[str, OutboxMessage]:
    return {m.recipient: m for m in _messages()}


def _assert_private(message: OutboxMessage, first_name: str | None, link: str) -> None:
    """Subject without personal data; bodies with the first name (if any) and the link only."""
    assert "Amira" not in message.subject
    for body in (message.body_text, message.body_html):
        assert link in body
        if first_name:
            assert first_name in body
        for private in PRIVATE:
            assert private not in body, (private, message.template)


def test_proposal_goes_to_the_employers_contact_and_active_staff(ctx: Flask, world: World) -> None:
    opening = db.session.scalars(select(Opening).where(Opening.public_id == world.opening)).one()
    employer = db.session.get_one(Employer, opening.employer_id)
    employer.contact_email = "Kontakt@Dagligvarer.example"
    EmployerStaffFactory(email="gone@test.example", name="Gone", employer=employer)
    for user in employer.staff:
        user.is_active_account = user.email != "gone@test.example"
    run = MatchRun()
    proposal = Proposal(run=run, youth_id=_youth(world).id, opening_id=opening.id)
    db.session.add_all([run, proposal])
    db.session.commit()

    notifications.queue_proposal_to_employer(proposal)

    messages = _by_recipient()
    assert set(messages) == {"kontakt@dagligvarer.example", EMAILS["employer"]}
    link = f"http://127.0.0.1:5000/employer/openings/{world.opening}"
    for message in messages.values():
        assert message.subject == "Der er foreslået en kandidat til jeres job"
        assert message.template == "proposal_to_employer"
        assert "Kasseassistent" in message.body_text
        assert "Amira" not in message.body_text  # the employer reads the candidate on the page
        _assert_private(message, None, link)


def test_messages_are_added_to_the_callers_transaction_only(ctx: Flask, world: World) -> None:
    notifications.queue_placement_confirmation(_placement(world))
    db.session.rollback()
    assert _messages() == []


def test_confirmation_goes_to_youth_parent_and_counsellor(ctx: Flask, world: World) -> None:
    notifications.queue_placement_confirmation(_placement(world))
    db.session.commit()

    messages = _by_recipient()
    assert set(messages) == {
        "amira@youth.example",
        "parent-amira@youth.example",
        EMAILS["counsellor"],
    }
    job = f"http://127.0.0.1:5000/jobs/{world.opening}"
    youth_message = messages["amira@youth.example"]
    assert youth_message.subject == "Dit job er bekræftet"
    assert "Hej Amira" in youth_message.body_text
    assert "Kasseassistent" in youth_message.body_text
    _assert_private(youth_message, "Amira", job)
    parent = messages["parent-amira@youth.example"]
    assert parent.subject == "Et job på jobportalen er bekræftet"
    _assert_private(parent, "Amira", job)
    counsellor = messages[EMAILS["counsellor"]]
    assert counsellor.subject == "En ung, du følger, har fået job"
    _assert_private(counsellor, "Amira", f"http://127.0.0.1:5000/counsellor/youths/{world.youth}")
    assert "<a href=" in counsellor.body_html
    assert "<a href=" not in counsellor.body_text


def test_no_parent_for_an_adult_and_no_inactive_counsellor(ctx: Flask, world: World) -> None:
    youth = _youth(world)
    youth.birth_date = years_ago(18, TODAY)
    assert youth.counsellor is not None
    youth.counsellor.is_active_account = False
    placement = _placement(world)
    placement.start_date = TODAY
    with time_machine.travel(NOW, tick=False):
        notifications.queue_placement_confirmation(placement)
    assert set(_by_recipient()) == {"amira@youth.example"}


def test_a_name_with_markup_is_escaped_in_html(ctx: Flask, world: World) -> None:
    _youth(world).first_name = "<b>Amira</b>"
    notifications.queue_placement_confirmation(_placement(world))
    message = _by_recipient()["amira@youth.example"]
    assert "&lt;b&gt;Amira&lt;/b&gt;" in message.body_html
    assert "<b>Amira</b>" in message.body_text


def test_links_follow_the_board_url(ctx: Flask, world: World) -> None:
    ctx.config["BOARD_URL"] = "https://job.example.dk/board"
    try:
        notifications.queue_placement_confirmation(_placement(world))
    finally:
        ctx.config["BOARD_URL"] = "http://127.0.0.1:5000"
    body = _by_recipient()["amira@youth.example"].body_text
    assert f"https://job.example.dk/board/jobs/{world.opening}" in body


# -- first-day reminders ---------------------------------------------------------


def test_reminders_go_the_day_before_the_first_day_once(ctx: Flask, world: World) -> None:
    _placement(world).start_date = TODAY + dt.timedelta(days=1)
    db.session.commit()

    assert notifications.queue_first_day_reminders(db.session, TODAY) == 2
    assert notifications.queue_first_day_reminders(db.session, TODAY) == 0  # same transaction
    db.session.commit()
    assert notifications.queue_first_day_reminders(db.session, TODAY) == 0  # a later run

    messages = _by_recipient()
    assert set(messages) == {"amira@youth.example", "parent-amira@youth.example"}
    job = f"http://127.0.0.1:5000/jobs/{world.opening}"
    youth_message = messages["amira@youth.example"]
    assert youth_message.subject == "Din første arbejdsdag er i morgen"
    assert "I morgen er din første dag" in youth_message.body_text
    _assert_private(youth_message, "Amira", job)
    parent = messages["parent-amira@youth.example"]
    assert parent.subject == "Den første arbejdsdag er i morgen"
    _assert_private(parent, "Amira", job)


@pytest.mark.parametrize(
    ("days_ahead", "status", "youth_status"),
    [
        (2, "confirmed", "active"),
        (0, "confirmed", "active"),
        (1, "started", "active"),
        (1, "ended", "active"),
        (1, "confirmed", "archived"),
    ],
)
def test_no_reminder_on_other_days_or_for_other_placements(
    ctx: Flask, world: World, days_ahead: int, status: str, youth_status: str
) -> None:
    placement = _placement(world)
    placement.start_date = TODAY + dt.timedelta(days=days_ahead)
    placement.status = status
    _youth(world).status = youth_status
    db.session.commit()
    assert notifications.queue_first_day_reminders(db.session, TODAY) == 0


def test_no_parent_reminder_when_18_on_the_first_day(ctx: Flask, world: World) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    _youth(world).birth_date = years_ago(18, tomorrow)
    _placement(world).start_date = tomorrow
    db.session.commit()
    assert notifications.queue_first_day_reminders(db.session, TODAY) == 1
    assert set(_by_recipient()) == {"amira@youth.example"}


def test_a_moved_first_day_gets_its_own_reminder(ctx: Flask, world: World) -> None:
    placement = _placement(world)
    placement.start_date = TODAY + dt.timedelta(days=1)
    db.session.commit()
    assert notifications.queue_first_day_reminders(db.session, TODAY) == 2
    placement.start_date = TODAY + dt.timedelta(days=8)
    db.session.commit()
    later = TODAY + dt.timedelta(days=7)
    assert notifications.queue_first_day_reminders(db.session, later) == 2
    assert notifications.queue_first_day_reminders(db.session, later) == 0
    first = (TODAY + dt.timedelta(days=1)).isoformat()
    keys = sorted(m.dedupe_key or "" for m in _messages())
    assert keys[0] == f"first_day:{placement.id}:{first}:amira@youth.example"


def test_the_database_refuses_a_second_message_with_the_same_key(ctx: Flask) -> None:
    for _ in range(2):
        db.session.add(
            OutboxMessage(
                recipient="a@example.org", subject="s", template="t", body_text="b", dedupe_key="k"
            )
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_new_placement_gets_its_own_reminder(ctx: Flask, world: World) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    placement = _placement(world)
    placement.start_date = tomorrow
    db.session.commit()
    assert notifications.queue_first_day_reminders(db.session, TODAY) == 2
    db.session.commit()
    later = NOW + dt.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        placement.status = "ended"
        db.session.add(
            Placement(
                youth=placement.youth,
                opening=placement.opening,
                status="confirmed",
                start_date=later.date() + dt.timedelta(days=1),
            )
        )
        db.session.commit()
        assert notifications.queue_first_day_reminders(db.session, later.date()) == 2


# -- the weekly digest -------------------------------------------------------------


def _stall(world: World, *, placed: dt.datetime) -> Placement:
    """Make the world's placement as if confirmed at `placed`."""
    placement = _placement(world)
    placement.created_at = placed
    db.session.commit()
    return placement


def test_digest_counts_youths_without_progress_and_names_none(ctx: Flask, world: World) -> None:
    _stall(world, placed=NOW - dt.timedelta(days=15))
    with time_machine.travel(NOW, tick=False):
        assert notifications.stalled_onboarding_count(db.session, TODAY, 14) == 1
        assert notifications.queue_stalled_onboarding_digest(db.session, TODAY) == 1
    (message,) = _messages()
    assert message.recipient == EMAILS["coordinator"]
    assert message.subject == "Ugentligt overblik: forberedelse uden fremskridt"
    assert "1 ung med et bekræftet job" in message.body_text
    assert "mere end 14 dage" in message.body_text
    for body in (message.body_text, message.body_html):
        assert "Amira" not in body
        assert "Kasseassistent" not in body
        assert "http://127.0.0.1:5000/coordinator/youths" in body


def test_digest_is_not_sent_when_nothing_stalls(ctx: Flask, world: World) -> None:
    _stall(world, placed=NOW - dt.timedelta(days=13))
    assert notifications.queue_stalled_onboarding_digest(db.session, TODAY) == 0
    assert _messages() == []


def test_a_recent_step_or_a_complete_checklist_is_not_stalled(ctx: Flask, world: World) -> None:
    placement = _stall(world, placed=NOW - dt.timedelta(days=30))
    youth = _youth(world)
    kinds = onboarding.step_kinds()
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        db.session.add(OnboardingStep(youth=youth, kind=kinds[0], status="in_progress"))
        db.session.commit()
    assert notifications.stalled_onboarding_count(db.session, TODAY, 14) == 0
    with time_machine.travel(NOW - dt.timedelta(days=20), tick=False):
        for kind in kinds[1:]:
            db.session.add(OnboardingStep(youth=youth, kind=kind, status="done"))
        youth.steps[0].status = "done"
        db.session.commit()
    assert onboarding.checklist(youth).missing_for_opening(placement.opening) == []
    assert notifications.stalled_onboarding_count(db.session, TODAY, 14) == 0


def test_digest_counts_each_youth_once_and_only_active_coordinators(
    ctx: Flask, world: World
) -> None:
    placement = _stall(world, placed=NOW - dt.timedelta(days=20))
    other = db.session.scalars(select(Youth).where(Youth.public_id == world.other_youth)).one()
    other_opening = db.session.scalars(
        select(Opening).where(Opening.public_id == world.other_opening)
    ).one()
    db.session.add_all(
        [
            Placement(youth=placement.youth, opening=other_opening, status="confirmed"),
            Placement(youth=other, opening_id=placement.opening_id, status="confirmed"),
        ]
    )
    CoordinatorFactory(email="c2@test.example", name="C2")
    CoordinatorFactory(email="c3@test.example", name="C3", is_active_account=False)
    db.session.commit()
    for row in db.session.scalars(select(Placement)):
        row.created_at = NOW - dt.timedelta(days=20)
    db.session.commit()
    ctx.config["STALLED_ONBOARDING_DAYS"] = 7
    try:
        assert notifications.queue_stalled_onboarding_digest(db.session, TODAY) == 2
    finally:
        ctx.config["STALLED_ONBOARDING_DAYS"] = 14
    messages = _by_recipient()
    assert set(messages) == {EMAILS["coordinator"], "c2@test.example"}
    assert "2 unge med et bekræftet job" in messages["c2@test.example"].body_text
    assert "mere end 7 dage" in messages["c2@test.example"].body_text


def test_digest_is_queued_once_a_week(ctx: Flask, world: World) -> None:
    _stall(world, placed=NOW - dt.timedelta(days=30))
    assert notifications.queue_stalled_onboarding_digest(db.session, TODAY) == 1
    db.session.commit()
    sunday = TODAY + dt.timedelta(days=6)
    assert notifications.queue_stalled_onboarding_digest(db.session, sunday) == 0
    assert notifications.queue_stalled_onboarding_digest(db.session, sunday + dt.timedelta(1)) == 1
    assert [m.dedupe_key for m in _messages()] == [
        f"stalled_onboarding:2026-W48:{EMAILS['coordinator']}",
        f"stalled_onboarding:2026-W49:{EMAILS['coordinator']}",
    ]


# -- the command ---------------------------------------------------------------------


def test_queue_reminders_command_adds_the_digest_on_mondays(ctx: Flask, world: World) -> None:
    placement = _stall(world, placed=NOW - dt.timedelta(days=20))
    placement.start_date = TODAY + dt.timedelta(days=1)
    db.session.commit()
    runner = ctx.test_cli_runner()

    result = runner.invoke(args=["queue-reminders", "--date", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Queued 2 first-day reminders and 1 digests." in result.output
    result = runner.invoke(args=["queue-reminders", "--date", TODAY.isoformat()])
    assert "Queued 0 first-day reminders" in result.output
    tuesday = TODAY + dt.timedelta(days=1)
    result = runner.invoke(args=["queue-reminders", "--date", tuesday.isoformat()])
    assert "Queued 0 first-day reminders and 0 digests." in result.output
    db.session.expire_all()
    assert len(_messages()) == 3
