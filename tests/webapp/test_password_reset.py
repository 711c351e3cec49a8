"""Password reset by email, through the board's pages: a link from BOARD_URL that works once
and for 30 minutes, for its own account only; a coordinator's reset of someone else goes to
the owner by email (never on the page), is recorded, and ends the owner's sessions."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from tests.factories import EMAILS, PASSWORD, World, one
from tests.smtp_sink import Sink
from webapp.extensions import db
from webapp.models import AuditAction, AuditEntry, OutboxMessage, User
from webapp.services import outbox

NEW_PASSWORD = "Hestesko-Kaffe-19"
OTHER_PASSWORD = "Regnbue-Cykel-42"
EXPIRED = "Linket virker ikke"
SENT = "Hvis en konto har denne e-mail"
LINK = re.compile(r"(https?://[^\s/]+)(/password/reset/[\w.\-]+)")


def _ask(client: FlaskClient, email: str) -> str:
    """Ask for a reset link for `email`; the page the board answers with."""
    response = client.post("/password/forgot", data={"email": email}, follow_redirects=True)
    assert response.request.path == "/login", response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _mails(app: Flask, template: str, recipient: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.template == template)
        if recipient is not None:
            query = query.where(OutboxMessage.recipient == recipient)
        rows = list(db.session.scalars(query.order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def _link(message: OutboxMessage) -> str:
    """The path of the reset link in a message (checked to be on BOARD_URL)."""
    found = LINK.search(message.body_text)
    assert found, message.body_text
    return found.group(2)


def _signs_in(app: Flask, email: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def _set(client: FlaskClient, path: str, password: str) -> tuple[int, str]:
    response = client.post(path, data={"password": password, "confirm": password})
    return response.status_code, response.get_data(as_text=True)


def test_a_forgotten_password_is_reset_with_a_link_sent_by_email(
    world: World, make_app: Callable[..., Flask], start_sink: Callable[..., Sink], smtp_port: int
) -> None:
    app = world.app
    page = _ask(app.test_client(), "Employer@Test.Example ")
    assert SENT in page
    assert "/password/reset/" not in page  # the link goes by email only
    (message,) = _mails(app, "password_reset")
    assert message.recipient == EMAILS["employer"]
    assert "@" not in message.subject
    # Delivered over SMTP, the email carries the link on BOARD_URL.
    sink = start_sink()
    sender = make_app(
        MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_FILE_DIR=""
    )
    assert outbox.send_pending(sender).sent == 1
    ((recipients, mail),) = sink.received
    assert recipients == [EMAILS["employer"]]
    found = LINK.search(mail.get_content())
    assert found
    assert found.group(1) == app.config["BOARD_URL"]
    path = found.group(2)

    visitor = app.test_client()
    assert "Vælg en ny adgangskode" in visitor.get(path).get_data(as_text=True)
    status, page = _set(visitor, path, "aaaaaaaaaaaa")
    assert status == 422
    assert "for let at gætte" in page
    status, page = _set(visitor, path, EMAILS["employer"])
    assert status == 422
    assert "må ikke være din e-mailadresse" in page
    assert _signs_in(app, EMAILS["employer"], PASSWORD)  # nothing changed yet

    response = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")  # signing in, with two factors
    assert _signs_in(app, EMAILS["employer"], NEW_PASSWORD)
    assert not _signs_in(app, EMAILS["employer"], PASSWORD)
    # The link is spent; the owner is told that the password changed.
    assert EXPIRED in visitor.get(path).get_data(as_text=True)
    assert _set(visitor, path, OTHER_PASSWORD)[0] == 200
    assert not _signs_in(app, EMAILS["employer"], OTHER_PASSWORD)
    assert len(_mails(app, "password_changed", EMAILS["employer"])) == 1
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.user_public_id == world.employer_user)
        ).all()
    assert AuditAction.ACCOUNT_RESET_LINK in actions
    assert AuditAction.ACCOUNT_PASSWORD_RESET in actions


def test_an_unknown_or_deactivated_email_gets_the_same_answer_and_no_mail(
    world: World, app: Flask
) -> None:
    with app.app_context():
        one(User, User.public_id == world.other_employer_user).is_active_account = False
        db.session.commit()
    known = _ask(app.test_client(), EMAILS["employer"])
    unknown = _ask(app.test_client(), "nobody@test.example")
    deactivated = _ask(app.test_client(), EMAILS["other_employer"])

    def message(page: str) -> str:
        found = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S)
        return found.group(1).strip() if found else page

    assert message(known) == message(unknown) == message(deactivated)
    assert SENT in message(known)
    assert [m.recipient for m in _mails(app, "password_reset")] == [EMAILS["employer"]]
    with app.app_context():  # each request is recorded; the unknown one names no account
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == AuditAction.ACCOUNT_RESET_LINK)
            .order_by(AuditEntry.id)
        ).all()
        recorded = [(e.user_public_id, e.detail["sent"]) for e in entries]
    assert recorded == [
        (world.employer_user, "yes"),
        (None, "no"),
        (world.other_employer_user, "no"),
    ]


def test_a_link_expires_after_30_minutes(world: World, app: Flask) -> None:
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        _ask(app.test_client(), EMAILS["counsellor"])
    path = _link(_mails(app, "password_reset")[0])
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert EXPIRED not in app.test_client().get(path).get_data(as_text=True)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        client = app.test_client()
        assert EXPIRED in client.get(path).get_data(as_text=True)
        assert _set(client, path, NEW_PASSWORD)[0] == 200
    assert _signs_in(app, EMAILS["counsellor"], PASSWORD)


def test_a_link_sets_the_password_of_its_own_account_only(world: World, app: Flask) -> None:
    _ask(app.test_client(), EMAILS["employer"])
    _ask(app.test_client(), EMAILS["counsellor"])
    employer_path = _link(_mails(app, "password_reset", EMAILS["employer"])[0])
    token = employer_path.rsplit("/", 1)[1]
    # The link names its account inside the signed token: naming another breaks the signature.
    payload, _, signature = token.partition(".")
    forged_payload = URLSafeTimedSerializer("x", salt="password-reset").dumps(
        [world.counsellor, "0" * 32]
    )
    forged = f"/password/reset/{forged_payload.partition('.')[0]}.{signature}"
    assert EXPIRED in app.test_client().get(forged).get_data(as_text=True)
    # A token signed with the board's key but for invitations is no reset link.
    with app.app_context():
        invitation = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="invitation").dumps(
            [world.counsellor, 1]
        )
    assert EXPIRED in app.test_client().get(f"/password/reset/{invitation}").get_data(True)
    # Nor is a reset link an invitation.
    assert app.test_client().get(f"/invitation/{token}").status_code == 404

    assert _set(app.test_client(), employer_path, NEW_PASSWORD)[0] == 302
    assert _signs_in(app, EMAILS["employer"], NEW_PASSWORD)
    assert _signs_in(app, EMAILS["counsellor"], PASSWORD)
    assert not _signs_in(app, EMAILS["counsellor"], NEW_PASSWORD)
    assert payload  # the employer's own link named the employer


def test_a_coordinators_reset_voids_the_links_sent_before(world: World, app: Flask) -> None:
    _ask(app.test_client(), EMAILS["employer"])
    older = _link(_mails(app, "password_reset")[0])
    coordinator = world.login(app.test_client(), EMAILS["coordinator"])
    coordinator.post(f"/coordinator/users/{world.employer_user}/reset")
    assert EXPIRED in app.test_client().get(older).get_data(as_text=True)
    newer = _link(_mails(app, "password_reset_by_coordinator")[0])
    assert _set(app.test_client(), newer, NEW_PASSWORD)[0] == 302
    assert _signs_in(app, EMAILS["employer"], NEW_PASSWORD)


def test_one_link_sent_many_times_at_once_sets_one_password(world: World, app: Flask) -> None:
    _ask(app.test_client(), EMAILS["employer"])
    path = _link(_mails(app, "password_reset")[0])
    passwords = [f"Hestesko-Kaffe-{n}x" for n in range(8)]
    barrier = threading.Barrier(len(passwords))

    def send(password: str) -> int:
        client = app.test_client()
        barrier.wait()
        return _set(client, path, password)[0]

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        statuses = list(pool.map(send, passwords))
    assert sorted(statuses) == [200] * (len(passwords) - 1) + [302]
    winner = passwords[statuses.index(302)]
    assert _signs_in(app, EMAILS["employer"], winner)
    assert [p for p in passwords if _signs_in(app, EMAILS["employer"], p)] == [winner]
    assert len(_mails(app, "password_changed")) == 1


def test_two_resets_of_one_account_at_once_leave_one_working_link(
    world: World, app: Flask
) -> None:
    clients = [world.login(app.test_client(), EMAILS["coordinator"]) for _ in range(2)]
    barrier = threading.Barrier(len(clients))

    def reset(client: FlaskClient) -> int:
        barrier.wait()
        return client.post(f"/coordinator/users/{world.employer_user}/reset").status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        assert list(pool.map(reset, clients)) == [302, 302]
    links = [_link(m) for m in _mails(app, "password_reset_by_coordinator")]
    assert len(links) == 2
    working = [path for path in links if EXPIRED not in app.test_client().get(path).text]
    assert working == links[-1:]


def test_a_coordinators_reset_is_emailed_to_the_owner_and_recorded(
    world: World, app: Flask
) -> None:
    owner = world.login(app.test_client(), EMAILS["employer"])
    coordinator = world.login(app.test_client(), EMAILS["coordinator"])
    response = coordinator.post(
        f"/coordinator/users/{world.employer_user}/reset", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/password/reset/" not in page
    assert "/invitation/" not in page
    cookie = coordinator.get_cookie("session")
    assert cookie is None or "reset" not in cookie.value
    assert "sendt til kontoens egen adresse" in page
    assert owner.get("/employer/").status_code == 302  # the owner's sessions have ended
    assert not _signs_in(app, EMAILS["employer"], PASSWORD)  # the password is removed
    (message,) = _mails(app, "password_reset_by_coordinator")
    assert message.recipient == EMAILS["employer"]
    assert "Coordinator" in message.body_text  # the owner is told who did it
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.ACCOUNT_RESET_LINK)
        ).one()
        assert (entry.actor_public_id, entry.user_public_id) == (
            world.coordinator,
            world.employer_user,
        )
    # A coordinator cannot reset their own access this way.
    response = coordinator.post(
        f"/coordinator/users/{world.coordinator}/reset", follow_redirects=True
    )
    assert "Skift din egen adgangskode" in response.get_data(as_text=True)
    assert len(_mails(app, "password_reset_by_coordinator")) == 1


def test_an_account_gets_a_few_links_an_hour_whoever_asks(world: World, app: Flask) -> None:
    pages = [
        _ask(app.test_client(), EMAILS["counsellor"])
        for _ in range(5)  # PASSWORD_RESET_MAIL_LIMIT: 3 per hour
    ]
    assert all(SENT in page for page in pages)
    assert len(_mails(app, "password_reset", EMAILS["counsellor"])) == 3


def test_hostile_links_and_emails_get_a_calm_answer(world: World, app: Flask) -> None:
    client = app.test_client()
    for token in ("x" * 5000, "a.b.c", "%00", "ünïcode.ß"):
        response = client.get(f"/password/reset/{token}")
        assert response.status_code in (200, 404)
        assert response.status_code == 404 or EXPIRED in response.get_data(as_text=True)
    response = client.post("/password/forgot", data={"email": "x" * 300 + "@example.org"})
    assert response.status_code == 422
    assert client.post("/password/forgot", data={"email": ["a@b.dk", "c@d.dk"]}).status_code in (
        302,
        422,
    )
    assert _mails(app, "password_reset") == []
