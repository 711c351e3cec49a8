"""What the SMS tests share: the fake gateway, an application that sends to it, threads at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from flask import Flask

from tests import fake_sms_gateway
from tests.fake_sms_gateway import FakeGateway

T = TypeVar("T")


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    """A fake GatewayAPI over real HTTP on a free port."""
    with fake_sms_gateway.serving() as fake:
        yield fake


@pytest.fixture
def sms_app(app: Flask, make_app: Callable[..., Flask], gateway: FakeGateway) -> Flask:
    """An application that sends SMS to the fake gateway and trusts its signed webhooks."""
    return make_app(
        SMS_BACKEND="gatewayapi",
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN=fake_sms_gateway.TOKEN,
        SMS_WEBHOOK_SECRET=fake_sms_gateway.SECRET,
        SMS_SENDER="Jobtavlen",
        SMS_TIMEOUT_S=30,  # a loaded machine never times an answer out by chance
        OUTBOX_MAX_ATTEMPTS=3,
        OUTBOX_BACKOFF_SECONDS=60,
        MAIL_FILE_DIR="",
    )


def at_once(count: int, work: Callable[[], T]) -> list[T]:
    """Run `work` in `count` threads released together; their results, in no order."""
    results: list[T] = []
    barrier = threading.Barrier(count)

    def run() -> None:
        barrier.wait()
        results.append(work())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
