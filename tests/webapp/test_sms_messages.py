"""The board's SMS to youths: reminders the day before and the morning of the first day, the
weekly check-in of a new job; only to contacts that opted in; the coordinator's contacts page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import ROLES, World, make_world, one
from tests.webapp.sms_support import at_once
from webapp.extensions import db
from webapp.models import ContactRole, OutboxMessage, Placement, SmsContact, Youth
from webapp.services.sms import contacts, messages

MONDAY = dt.date(2026, 11, 30)  # the world's opening has a shift on Tuesdays at 16:00
TUESDAY = MONDAY + dt.timedelta(days=1)
PHONE = "+4520202020"


@pytest.fixture
def opted_in(app: Flask, tmp_path: Path) -> Iterator[World]:
    """The world with Amira opted in to SMS, her placement starting on Tuesday.

    SMS go to files (`MAIL_FILE_DIR`): the tests read the queued rows.
    """
    app.config["MAIL_FILE_DIR"] = str(tmp_path)
    world = make_world(app)
    with app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        amira.phone = PHONE
        contacts.save_choices(amira, youth_sms=True, parent_sms=False)
        db.session.get_one(Placement, world.placement_id).start_date = TUESDAY
        db.session.commit()
    yield world
    app.config["MAIL_FILE_DIR"] = ""


def _texts(app: Flask, template: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(OutboxMessage.body_text)
                .where(OutboxMessage.channel == "sms", OutboxMessage.template == template)
                .order_by(OutboxMessage.id)
            )
        )


def _run(app: Flask, queue: Callable[[Session, dt.date], int], today: dt.date) -> int:
    with app.app_context():
        added = queue(db.session, today)
        db.session.commit()
        return added


def test_the_day_before_says_when_and_where_and_asks(app: Flask, opted_in: World) -> None:
    assert _run(app, messages.queue_first_day_sms, MONDAY) == 1
    assert _run(app, messages.queue_first_day_sms, MONDAY) == 0
    [text] = _texts(app, "first_day_tomorrow")
    assert text.startswith("Hej Amira. I morgen kl. 16:00 starter du hos Ikast Dagligvarer.")
    assert text.endswith("Kan du komme? Svar JA eller NEJ.")
    assert "Hassan" not in text
    assert "http" not in text
    assert len(text) <= 160


def test_the_morning_of_the_first_day(app: Flask, opted_in: World) -> None:
    with app.app_context():  # marked started at midnight by `flask start-placements`
        db.session.get_one(Placement, opted_in.placement_id).status = "started"
        db.session.commit()
    assert _run(app, messages.queue_first_day_sms, TUESDAY) == 1
    [text] = _texts(app, "first_day_today")
    assert text.startswith("I dag kl. 16:00 starter du hos Ikast Dagligvarer.")
    assert text.endswith("Held og lykke, Amira!")
    assert len(text) <= 160


def test_a_reminder_to_a_minor_waits_for_the_morning(app: Flask, opted_in: World) -> None:
    _run(app, messages.queue_first_day_sms, MONDAY)
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.quiet_at_night


def test_no_sms_without_opt_in_or_after_stop(app: Flask, opted_in: World) -> None:
    with app.app_context():
        amira = one(Youth, Youth.public_id == opted_in.youth)
        contacts.save_choices(amira, youth_sms=False, parent_sms=False)
    assert _run(app, messages.queue_first_day_sms, MONDAY) == 0
    with app.app_context():
        amira = one(Youth, Youth.public_id == opted_in.youth)
        contacts.save_choices(amira, youth_sms=True, parent_sms=False)
        contacts.stop(PHONE)
        db.session.commit()
    assert _run(app, messages.queue_first_day_sms, MONDAY) == 0


def test_the_weekly_check_in_of_a_new_job(app: Flask, opted_in: World) -> None:
    with app.app_context():
        placement = db.session.get_one(Placement, opted_in.placement_id)
        placement.status, placement.start_date = "started", TUESDAY
        db.session.commit()
    assert _run(app, messages.queue_check_in_sms, TUESDAY) == 0  # not on the first day
    week_later = TUESDAY + dt.timedelta(days=6)
    assert _run(app, messages.queue_check_in_sms, week_later) == 1
    assert _run(app, messages.queue_check_in_sms, week_later + dt.timedelta(days=1)) == 0
    assert _run(app, messages.queue_check_in_sms, week_later + dt.timedelta(days=7)) == 1
    assert _run(app, messages.queue_check_in_sms, TUESDAY + dt.timedelta(weeks=5)) == 0
    text = _texts(app, "check_in")[0]
    assert text.startswith("Hej Amira. Hvordan går det med jobbet hos Ikast Dagligvarer?")
    assert len(text) <= 160


def test_long_names_keep_an_sms_within_two(app: Flask, opted_in: World) -> None:
    with app.app_context():
        amira = one(Youth, Youth.public_id == opted_in.youth)
        amira.first_name = "Å" * 80
        placement = db.session.get_one(Placement, opted_in.placement_id)
        placement.opening.employer.name = "Ø" * 160
        placement.opening.employer.contact_name = "Æ" * 120
        db.session.commit()
    _run(app, messages.queue_first_day_sms, MONDAY)
    [text] = _texts(app, "first_day_tomorrow")
    assert len(text) <= 2 * 153


# The coordinator's contacts page


def test_only_a_coordinator_sees_the_sms_pages(app: Flask) -> None:
    world = make_world(app)
    for role in ROLES:
        client = world.client_for(role)
        for url in ("/coordinator/sms/inbox", f"/coordinator/sms/youths/{world.youth}"):
            status = client.get(url).status_code
            expected = {"anonymous": 302, "coordinator": 200}.get(role, 403)
            assert status == expected, (role, url)


def test_a_coordinator_opts_a_youth_in_and_cannot_override_stop(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        amira.phone, amira.parent_phone = "+4520202020", "+4530303030"
        db.session.commit()
    client = world.client_for("coordinator")
    url = f"/coordinator/sms/youths/{world.youth}"
    profile = client.get(f"/coordinator/youths/{world.youth}").get_data(as_text=True)
    assert f'href="{url}"' in profile
    assert 'href="/coordinator/sms/inbox"' in profile  # in the menu
    page = client.get(url).get_data(as_text=True)
    assert "20 20 20 20" in page
    response = client.post(url, data={"youth_sms": "y", "parent_sms": "y"})
    assert response.status_code == 302
    with app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        assert contacts.number_for(amira, ContactRole.YOUTH) == "+4520202020"
        assert contacts.number_for(amira, ContactRole.PARENT) == "+4530303030"
        contacts.stop("+4520202020")
        db.session.commit()
    refused = client.post(url, data={"youth_sms": "y"})
    assert refused.status_code == 400
    assert "STOP" in refused.get_data(as_text=True)
    with app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        assert contacts.number_for(amira, ContactRole.PARENT) == "+4530303030"  # nothing saved


def test_an_unknown_youth_is_a_404(app: Flask) -> None:
    world = make_world(app)
    assert world.client_for("coordinator").get("/coordinator/sms/youths/nobody").status_code == 404


def test_the_contacts_form_needs_its_csrf_token(
    app: Flask, make_app: Callable[..., Flask]
) -> None:
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    world = make_world(csrf_app)
    response = world.client_for("coordinator").post(
        f"/coordinator/sms/youths/{world.youth}", data={"youth_sms": "y"}
    )
    assert response.status_code == 400
    with csrf_app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        assert contacts.number_for(amira, ContactRole.YOUTH) is None


def test_the_daily_command_queues_the_sms_and_send_outbox_writes_them_beside_the_emails(
    app: Flask, opted_in: World, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC), tick=False):
        queued = runner.invoke(args=["queue-reminders", "--date", MONDAY.isoformat()])
        sent = runner.invoke(args=["send-outbox"])
    assert "Queued 1 SMS." in queued.output, queued.output
    assert sent.exit_code == 0, sent.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert any(n.endswith("-first_day_youth.eml") for n in names), names
    [sms] = [n for n in names if n.endswith(".sms.txt")]
    assert sms.endswith("-first_day_tomorrow.sms.txt")
    assert (tmp_path / sms).read_text(encoding="utf-8").startswith("To: +4520202020\n\nHej Amira.")


def test_two_coordinators_saving_at_once_make_one_contact_each(app: Flask) -> None:
    world = make_world(app)
    url = f"/coordinator/sms/youths/{world.youth}"
    clients = [world.client_for("coordinator") for _ in range(4)]

    def save() -> int:
        return clients.pop().post(url, data={"youth_sms": "y", "parent_sms": "y"}).status_code

    assert at_once(4, save) == [302] * 4
    with app.app_context():
        roles = db.session.scalars(select(SmsContact.role).order_by(SmsContact.role)).all()
        assert roles == ["parent", "youth"]
