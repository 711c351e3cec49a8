"""Sign-in throttling per account and per client address, in memory and on Redis.

An account's failed sign-ins are counted over every address: once used up,
its sign-in is refused even with the right password, the owner is told by
email once, and an unknown email is refused the same way. An address's
attempts are counted over every account. On Redis, two boards (two
processes) share the counts, and the storage holds no email.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import EMAILS, PASSWORD, World
from webapp.extensions import db
from webapp.models import AuditAction, AuditEntry, OutboxMessage

REDIS_URL = "redis://127.0.0.1:6379/11"  # these tests' own database number
ACCOUNT_LIMIT = 4
PAUSED = "Log ind på denne konto er sat på pause"
STORAGES = ["memory://", REDIS_URL]


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of the test's own on the shared Redis; its keys are removed after."""
    name = f"jobmatch-test-{uuid.uuid4().hex}"
    yield name
    try:
        connection = redis.Redis.from_url(REDIS_URL)
        keys = list(connection.scan_iter(f"*{name}*"))
        if keys:
            connection.delete(*keys)
    except redis.ConnectionError:
        pass


@pytest.fixture(autouse=True)
def memory_after(make_app: Callable[..., Flask]) -> Iterator[None]:
    """flask-limiter keeps the storage of the last board made: leave it in memory again, so
    that the next test's clean-up does not reach a Redis this test pointed at."""
    yield
    make_app(RATELIMIT_STORAGE_URI="memory://")


def _storage(storage: str) -> str:
    if storage.startswith("redis"):
        try:
            redis.Redis.from_url(storage, socket_connect_timeout=1).ping()
        except redis.ConnectionError:
            pytest.skip(f"no Redis answers at {storage}")
    return storage


@pytest.fixture(params=STORAGES, ids=["memory", "redis"])
def board(
    request: pytest.FixtureRequest, world: World, make_app: Callable[..., Flask], prefix: str
) -> Callable[..., Flask]:
    """Boards on the test's database counting in memory or on Redis, with a small limit."""
    storage = _storage(request.param)

    def make(**settings: object) -> Flask:
        return make_app(
            RATELIMIT_STORAGE_URI=storage,
            RATELIMIT_KEY_PREFIX=prefix,
            LOGIN_ACCOUNT_RATE_LIMIT=f"{ACCOUNT_LIMIT} per hour",
            **settings,
        )

    return make


def _sign_in(client: FlaskClient, email: str, password: str, address: str) -> tuple[int, str]:
    response = client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code, response.get_data(as_text=True)


def _notices(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "login_paused")
            )
        )
        db.session.expunge_all()
        return rows


def _address(n: int) -> str:
    return f"198.51.100.{n}"


def test_an_account_is_paused_after_its_failures_from_many_addresses(
    board: Callable[..., Flask],
) -> None:
    app = board()
    client = app.test_client()
    email = EMAILS["employer"]
    failures = [_sign_in(client, email, "wrong password", _address(n))[0] for n in range(8)]
    assert failures == [422] * ACCOUNT_LIMIT + [429] * 4
    status, page = _sign_in(client, email, PASSWORD, _address(99))  # the right one, elsewhere
    assert status == 429
    assert PAUSED in page
    # The owner is told once, however long the attack goes on.
    (notice,) = _notices(app)
    assert notice.recipient == email
    assert "@" not in notice.subject
    assert f"{app.config['BOARD_URL']}/password/forgot" in notice.body_text
    with app.app_context():
        throttled = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.ACCOUNT_LOGIN_THROTTLED)
        ).all()
        assert len(throttled) == 1
    # Another account signs in from the very same addresses.
    assert _sign_in(client, EMAILS["counsellor"], PASSWORD, _address(0))[0] == 302


def test_an_unknown_email_is_paused_the_same_way_and_no_one_is_mailed(
    board: Callable[..., Flask],
) -> None:
    app = board()
    client = app.test_client()
    known = [_sign_in(client, EMAILS["employer"], "wrong password", _address(n)) for n in range(6)]
    unknown = [
        _sign_in(client, "nobody@test.example", "wrong password", _address(n)) for n in range(6)
    ]
    assert [s for s, _ in known] == [s for s, _ in unknown] == [422] * ACCOUNT_LIMIT + [429] * 2

    def messages(page: str) -> list[str]:
        return re.findall(r'class="invalid-feedback"[^>]*>(.*?)</div>', page, re.S)

    assert [messages(p) for _, p in known] == [messages(p) for _, p in unknown]
    assert [n.recipient for n in _notices(app)] == [EMAILS["employer"]]


def test_successful_sign_ins_are_not_counted_as_failures(board: Callable[..., Flask]) -> None:
    app = board()
    email = EMAILS["counsellor"]
    for n in range(ACCOUNT_LIMIT + 2):
        assert _sign_in(app.test_client(), email, PASSWORD, _address(n))[0] == 302
    for n in range(ACCOUNT_LIMIT - 1):
        assert _sign_in(app.test_client(), email, "wrong password", _address(n))[0] == 422
    assert _sign_in(app.test_client(), email, PASSWORD, _address(1))[0] == 302
    assert _notices(app) == []


def test_one_address_is_throttled_across_accounts(board: Callable[..., Flask]) -> None:
    app = board(LOGIN_RATE_LIMIT="3 per hour")
    client = app.test_client()
    accounts = [EMAILS["employer"], EMAILS["counsellor"], "nobody@test.example"]
    statuses = [_sign_in(client, email, "wrong password", _address(7))[0] for email in accounts]
    assert statuses == [422, 422, 422]
    status, page = _sign_in(client, EMAILS["other_counsellor"], PASSWORD, _address(7))
    assert status == 429
    assert "For mange forsøg" in page
    assert _sign_in(client, EMAILS["other_counsellor"], PASSWORD, _address(8))[0] == 302
    assert _notices(app) == []  # no account has used up its own count


def test_a_new_password_by_email_ends_the_pause(board: Callable[..., Flask]) -> None:
    app = board()
    client = app.test_client()
    email = EMAILS["employer"]
    for n in range(ACCOUNT_LIMIT):
        _sign_in(client, email, "wrong password", _address(n))
    assert _sign_in(client, email, PASSWORD, _address(50))[0] == 429
    client.post("/password/forgot", data={"email": email})
    with app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body_text).where(OutboxMessage.template == "password_reset")
        ).one()
    path = re.search(r"https?://[^/\s]+(/password/reset/\S+)", body)
    assert path
    new = "Solsikke-Bord-71"
    assert client.post(path.group(1), data={"password": new, "confirm": new}).status_code == 302
    assert _sign_in(app.test_client(), email, new, _address(51))[0] == 302


def test_the_counts_live_on_redis_for_every_process_and_keep_no_email(
    world: World, make_app: Callable[..., Flask], prefix: str
) -> None:
    storage = _storage(REDIS_URL)
    settings = {
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_ACCOUNT_RATE_LIMIT": f"{ACCOUNT_LIMIT} per hour",
    }
    first = make_app(**settings).test_client()
    email = EMAILS["employer"]
    statuses = [_sign_in(first, email, "wrong password", _address(n))[0] for n in range(5)]
    assert statuses == [422] * ACCOUNT_LIMIT + [429]
    # A board started afterwards (its own connection, nothing in memory) finds the count.
    later = make_app(**settings).test_client()
    assert _sign_in(later, email, PASSWORD, _address(61))[0] == 429
    # In memory, the same board started afresh would have forgotten it.
    forgetful = make_app(**{**settings, "RATELIMIT_STORAGE_URI": "memory://"}).test_client()
    assert _sign_in(forgetful, email, PASSWORD, _address(62))[0] == 302
    keys = [key.decode() for key in redis.Redis.from_url(storage).scan_iter(f"*{prefix}*")]
    assert any("login-failures" in key for key in keys)
    assert [key for key in keys if "@" in key or "employer" in key] == []


def test_sign_in_goes_on_while_the_throttles_redis_is_down(
    world: World, make_app: Callable[..., Flask]
) -> None:
    app = make_app(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",  # nothing listens on port 1
        LOGIN_ACCOUNT_RATE_LIMIT=f"{ACCOUNT_LIMIT} per hour",
    )
    client = app.test_client()
    statuses = [
        _sign_in(client, EMAILS["employer"], "wrong password", _address(n))[0] for n in range(6)
    ]
    # The first request finds Redis down; from then on each process counts in memory.
    assert statuses[-1] == 429
    assert set(statuses) == {422, 429}
    assert _sign_in(client, EMAILS["counsellor"], PASSWORD, _address(9))[0] == 302
