"""Two factors for staff, through HTTP with real TOTP codes from pyotp.

Coordinators and counsellors must set up an authenticator app when
TWO_FACTOR_REQUIRED is on (off in tests unless a test turns it on, on by
default in production); employers may. Codes work once, recovery codes work
once, five wrong codes end the sign-in, and a coordinator's reset is recorded
and ends the account's sessions.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator

import pyotp
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import EMAILS, PASSWORD, World, one
from webapp import create_app
from webapp.extensions import db
from webapp.models.staff_sessions import RecoveryCode, StaffSession, TwoFactor

NOW = dt.datetime(2026, 12, 2, 9, 0, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=30)  # one TOTP time step


@pytest.fixture(autouse=True)
def _at_nine() -> Iterator[None]:
    """Every test at one moment (signed cookies from "the future" would not be read)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def strict(make_app: Callable[..., Flask], world: World) -> Flask:
    """The board with two factors required of coordinators and counsellors."""
    return make_app(TWO_FACTOR_REQUIRED=True)


def _sign_in(app: Flask, role: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    response = client.post("/login", data={"email": EMAILS[role], "password": PASSWORD})
    assert response.status_code == 302
    return client, response.headers["Location"]


def _enrol(client: FlaskClient) -> tuple[str, list[str]]:
    """Set up the authenticator from the setup page; its secret and the recovery codes."""
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', page)
    token = re.search(r'name="setup" type="hidden" value="([^"]+)"', page)
    assert secret is not None
    assert token is not None
    code = pyotp.TOTP(secret.group(1)).now()
    response = client.post(
        "/account/two-factor/setup", data={"setup": token.group(1), "code": code}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.get_data(as_text=True))
    return secret.group(1), codes


def test_a_coordinator_must_set_up_an_app_then_signs_in_with_its_codes(
    strict: Flask, world: World
) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        client, location = _sign_in(strict, "coordinator")
        assert location.startswith("/login/two-factor")
        # Every page waits for the second factor; the code page sends to the setup first.
        assert client.get("/coordinator/youths").headers["Location"] == "/login/two-factor"
        assert (
            client.get("/login/two-factor")
            .headers["Location"]
            .startswith("/account/two-factor/setup")
        )
        secret, codes = _enrol(client)
        assert len(codes) == 10
        assert len(set(codes)) == 10
        assert client.get("/coordinator/youths").status_code == 200

        clock.shift(STEP)
        again, location = _sign_in(strict, "coordinator")
        assert again.get("/coordinator/").headers["Location"] == "/login/two-factor"
        response = again.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
        assert response.headers["Location"] == "/coordinator/"
        assert again.get("/coordinator/youths").status_code == 200
    with strict.app_context():
        stored = one(TwoFactor, TwoFactor.user_id == world.user("coordinator").id)
        assert stored.secret == secret
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10
        assert not {c.replace("-", "") for c in codes} & set(hashes)


def test_a_code_works_once_and_five_wrong_ones_end_the_sign_in(
    strict: Flask, world: World
) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        client, _ = _sign_in(strict, "counsellor")
        secret, _codes = _enrol(client)
        used = pyotp.TOTP(secret).now()
        other, _ = _sign_in(strict, "counsellor")
        # The code that set the app up is used: the same step is refused, here and later.
        response = other.post("/login/two-factor", data={"code": used})
        assert response.status_code == 422
        assert 'id="code-error"' in response.get_data(as_text=True)
        clock.shift(STEP)
        for _ in range(3):
            assert other.post("/login/two-factor", data={"code": "000000"}).status_code == 422
        response = other.post("/login/two-factor", data={"code": "123456"})
        assert response.headers["Location"] == "/login"
        assert other.get("/counsellor/").headers["Location"].startswith("/login")
        # A right code now is too late for that sign-in: the password is asked again.
        assert (
            other.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
            .headers["Location"]
            .startswith("/login?")
        )
    with strict.app_context():
        ended = db.session.scalars(
            select(StaffSession.end_reason).where(StaffSession.end_reason != "")
        ).all()
        assert "two_factor_failed" in ended


def test_twenty_wrong_codes_in_an_hour_pause_the_account(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        client, _ = _sign_in(strict, "coordinator")
        secret, _codes = _enrol(client)
        for _sign_in_again in range(4):  # five wrong codes each, from four sign-ins
            guesser, _ = _sign_in(strict, "coordinator")
            for _ in range(5):
                guesser.post("/login/two-factor", data={"code": "000000"})
        clock.shift(STEP)
        owner, _ = _sign_in(strict, "coordinator")
        response = owner.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 429
        assert 'id="code-error"' in response.get_data(as_text=True)
        clock.shift(dt.timedelta(minutes=61))
        owner, _ = _sign_in(strict, "coordinator")
        response = owner.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
        assert response.headers["Location"] == "/coordinator/"


def test_a_recovery_code_works_once(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        client, _ = _sign_in(strict, "coordinator")
        _secret, codes = _enrol(client)
    for attempt, expected in ((codes[0].upper().replace("-", " "), 302), (codes[0], 422)):
        fresh, _ = _sign_in(strict, "coordinator")
        response = fresh.post("/login/two-factor", data={"code": attempt})
        assert response.status_code == expected
    with strict.app_context():
        used = db.session.scalar(
            select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_not(None))
        )
        assert used == 1


def test_new_recovery_codes_replace_the_old(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        client, _ = _sign_in(strict, "coordinator")
        _secret, old = _enrol(client)
        page = client.post("/account/two-factor/recovery-codes").get_data(as_text=True)
        new = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", page)
    assert len(new) == 10
    assert not set(new) & set(old)
    fresh, _ = _sign_in(strict, "coordinator")
    assert fresh.post("/login/two-factor", data={"code": old[0]}).status_code == 422
    assert fresh.post("/login/two-factor", data={"code": new[0]}).status_code == 302


def test_employers_may_choose_two_factors_and_turn_them_off(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        client, location = _sign_in(strict, "employer")
        assert location == "/employer/"  # optional: not asked
        page = client.get("/account/two-factor").get_data(as_text=True)
        assert 'href="/account/two-factor/setup"' in page
        secret, _codes = _enrol(client)
        clock.shift(STEP)
        again, location = _sign_in(strict, "employer")
        assert location.startswith("/login/two-factor")
        code = pyotp.TOTP(secret).now()
        assert again.post("/login/two-factor", data={"code": code}).status_code == 302
        clock.shift(STEP)
        response = again.post("/account/two-factor/off", data={"off-code": "999999"})
        assert response.status_code == 422
        code = pyotp.TOTP(secret).now()
        response = again.post("/account/two-factor/off", data={"off-code": code})
        assert response.headers["Location"] == "/account/two-factor"
        _client, location = _sign_in(strict, "employer")
        assert location == "/employer/"


def test_a_required_role_cannot_turn_it_off(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        client, _ = _sign_in(strict, "coordinator")
        secret, _codes = _enrol(client)
        clock.shift(STEP)
        client.set_cookie("lang", "en")
        response = client.post(
            "/account/two-factor/off", data={"off-code": pyotp.TOTP(secret).now()}
        )
    assert response.status_code == 422
    assert "must sign in with two factors" in response.get_data(as_text=True)
    with strict.app_context():
        assert db.session.scalar(select(func.count()).select_from(TwoFactor)) == 1


def test_a_coordinator_resets_another_account_and_its_sessions_end(
    strict: Flask, world: World
) -> None:
    with time_machine.travel(NOW, tick=False):
        counsellor, _ = _sign_in(strict, "counsellor")
        _enrol(counsellor)
        coordinator, _ = _sign_in(strict, "coordinator")
        _enrol(coordinator)
    users = coordinator.get("/coordinator/users").get_data(as_text=True)
    assert f"/coordinator/users/{world.counsellor}/two-factor/reset" in users
    assert f"/coordinator/users/{world.employer_user}/two-factor/reset" not in users  # has none
    own = coordinator.post(f"/coordinator/users/{world.coordinator}/two-factor/reset")
    assert own.status_code == 302
    response = coordinator.post(f"/coordinator/users/{world.counsellor}/two-factor/reset")
    assert response.headers["Location"] == "/coordinator/users"
    assert counsellor.get("/counsellor/").headers["Location"].startswith("/login")
    again, _ = _sign_in(strict, "counsellor")
    assert (
        again.get("/login/two-factor").headers["Location"].startswith("/account/two-factor/setup")
    )
    with strict.app_context():
        holders = db.session.scalars(select(TwoFactor.user_id)).all()
        assert holders == [world.user("coordinator").id]  # the own reset was refused
        ended = db.session.scalars(
            select(StaffSession.end_reason).where(
                StaffSession.user_id == world.user("counsellor").id
            )
        ).all()
        assert "two_factor_reset" in ended
    # Someone else than a coordinator may not reset anyone's.
    employer = world.client_for("employer")
    assert (
        employer.post(f"/coordinator/users/{world.coordinator}/two-factor/reset").status_code
        == 403
    )


def test_off_in_tests_on_by_default_in_production(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.app.config["TWO_FACTOR_REQUIRED"] is False
    _client, location = _sign_in(world.app, "coordinator")
    assert location == "/coordinator/"
    monkeypatch.setenv("JOBMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a production secret")
    monkeypatch.setenv("BOARD_URL", "https://fritidsjob.example.dk")
    production = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert production.config["TWO_FACTOR_REQUIRED"] is True


@pytest.mark.parametrize(
    "code",
    ["\x00123456", "1" * 5000, "١٢٣٤٥٦", "12345\u200b6", "' OR 1=1 --", "<script>", ""],
)
def test_hostile_codes_are_refused_by_name(strict: Flask, world: World, code: str) -> None:
    with time_machine.travel(NOW, tick=False):
        client, _ = _sign_in(strict, "coordinator")
        _enrol(client)
    fresh, _ = _sign_in(strict, "coordinator")
    response = fresh.post("/login/two-factor", data={"code": code})
    assert response.status_code == 422
    setup = fresh.post("/account/two-factor/setup", data={"setup": code, "code": code})
    assert setup.status_code == 302  # set up already: nothing to do there
    other, _ = _sign_in(strict, "counsellor")
    response = other.post("/account/two-factor/setup", data={"setup": code, "code": code})
    assert response.status_code == 422
    assert 'id="code-error"' in response.get_data(as_text=True)
    with strict.app_context():
        assert db.session.scalar(select(func.count()).select_from(TwoFactor)) == 1


def test_a_setup_token_of_another_account_is_refused(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        coordinator, _ = _sign_in(strict, "coordinator")
        page = coordinator.get("/account/two-factor/setup").get_data(as_text=True)
        token = re.search(r'name="setup" type="hidden" value="([^"]+)"', page)
        secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', page)
        assert token is not None
        assert secret is not None
        counsellor, _ = _sign_in(strict, "counsellor")
        response = counsellor.post(
            "/account/two-factor/setup",
            data={"setup": token.group(1), "code": pyotp.TOTP(secret.group(1)).now()},
        )
    assert response.status_code == 422
    with strict.app_context():
        assert db.session.scalar(select(func.count()).select_from(TwoFactor)) == 0


def _at_once(clients: list[FlaskClient], url: str, data: dict[str, str]) -> list[int]:
    """POST the same form from each client at the same moment; the statuses, sorted."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def send(client: FlaskClient) -> None:
        barrier.wait()
        statuses.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses)


def test_the_same_setup_twice_at_once_stores_one_secret(strict: Flask, world: World) -> None:
    clients = [_sign_in(strict, "coordinator")[0] for _ in range(2)]
    page = clients[0].get("/account/two-factor/setup").get_data(as_text=True)
    token = re.search(r'name="setup" type="hidden" value="([^"]+)"', page)
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', page)
    assert token is not None
    assert secret is not None
    data = {"setup": token.group(1), "code": pyotp.TOTP(secret.group(1)).now()}
    assert _at_once(clients, "/account/two-factor/setup", data) == [200, 302]
    with strict.app_context():
        assert db.session.scalar(select(func.count()).select_from(TwoFactor)) == 1
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10


def test_a_recovery_code_twice_at_once_signs_in_once(strict: Flask, world: World) -> None:
    client, _ = _sign_in(strict, "counsellor")
    _secret, codes = _enrol(client)
    clients = [_sign_in(strict, "counsellor")[0] for _ in range(2)]
    assert _at_once(clients, "/login/two-factor", {"code": codes[3]}) == [302, 422]


def test_the_same_code_twice_at_once_signs_in_once(strict: Flask, world: World) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        client, _ = _sign_in(strict, "coordinator")
        secret, _codes = _enrol(client)
        clock.shift(STEP)
        clients = [_sign_in(strict, "coordinator")[0] for _ in range(2)]
        code = pyotp.TOTP(secret).now()
        assert _at_once(clients, "/login/two-factor", {"code": code}) == [302, 422]


def test_the_setup_secret_is_never_in_the_cookie(strict: Flask, world: World) -> None:
    client, _ = _sign_in(strict, "coordinator")
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', page)
    assert secret is not None
    cookie = client.get_cookie("session")
    assert cookie is not None
    contents = strict.session_interface.get_signing_serializer(strict).loads(cookie.value)  # type: ignore[attr-defined]
    assert secret.group(1) not in repr(contents)
    assert set(contents) <= {"_user_id", "_fresh", "_id", "sid", "csrf_token", "_flashes"}
