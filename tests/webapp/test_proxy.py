"""Behind a reverse proxy (`PROXY_COUNT`): the sign-in throttle counts per client, not per
proxy, and a client cannot choose its own address to escape it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World

PROXY = "127.0.0.1"  # where every request comes from behind nginx on the same machine
LIMIT = 2


def _sign_in(client: FlaskClient, forwarded_for: str) -> int:
    """A wrong password through the proxy, which says the client is `forwarded_for`."""
    response = client.post(
        "/login",
        data={"email": "coordinator@test.example", "password": "wrong password"},
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return response.status_code


def _board(make_app: Callable[..., Flask], proxies: int) -> FlaskClient:
    return make_app(PROXY_COUNT=proxies, LOGIN_RATE_LIMIT=f"{LIMIT} per hour").test_client()


def test_behind_a_proxy_each_client_has_its_own_count(
    world: World, make_app: Callable[..., Flask]
) -> None:
    client = _board(make_app, proxies=1)
    first = [_sign_in(client, "198.51.100.7") for _ in range(LIMIT + 1)]
    assert first == [422] * LIMIT + [429]
    assert _sign_in(client, "203.0.113.9") == 422  # another client is not locked out


@pytest.mark.parametrize(
    ("proxies", "forwarded_for"),
    [
        # nginx appends the address it saw; what the client wrote before it is not believed.
        (1, "10.0.0.{n}, 198.51.100.7"),
        # With no proxy in front, no X-Forwarded-For is believed.
        (0, "198.51.100.{n}"),
    ],
)
def test_a_client_cannot_choose_its_address_to_escape_the_count(
    world: World, make_app: Callable[..., Flask], proxies: int, forwarded_for: str
) -> None:
    client = _board(make_app, proxies=proxies)
    statuses = [_sign_in(client, forwarded_for.format(n=n)) for n in range(LIMIT + 1)]
    assert statuses == [422] * LIMIT + [429]
