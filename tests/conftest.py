"""Fixtures every part of the suite may use: a real SMTP server to deliver mail to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from tests.smtp_sink import Sink, free_port, serving


@pytest.fixture
def smtp_port() -> int:
    """A free port on 127.0.0.1, nothing listening yet."""
    return free_port()


@pytest.fixture
def start_sink(smtp_port: int) -> Iterator[Callable[..., Sink]]:
    """Start an SMTP sink (or the handler given) on `smtp_port`, when asked; stopped after."""
    with ExitStack() as running:

        def start(sink: Sink | None = None) -> Sink:
            return running.enter_context(serving(sink or Sink(), smtp_port))

        yield start


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    """An SMTP sink listening for the whole session, and its port."""
    port = free_port()
    with serving(Sink(), port) as sink:
        yield sink, port
