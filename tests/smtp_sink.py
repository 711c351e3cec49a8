"""A real SMTP server on 127.0.0.1 that keeps what it receives (aiosmtpd, in a thread).

The fixtures `smtp_port`, `start_sink` and `smtp_sink` in tests/conftest.py
serve it; this module holds the class so that a test can subclass it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message as EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


class Sink:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default))
        )
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return sorted(r for rcpts, _ in self.received for r in rcpts)

    def subjects_to(self, address: str) -> list[str]:
        """The subjects of the messages delivered to `address`, in order of arrival."""
        return [str(m["Subject"]) for rcpts, m in self.received if address in rcpts]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(sink: Sink, port: int) -> Iterator[Sink]:
    """Run an SMTP server on 127.0.0.1:`port` handing messages to `sink`, while in the block."""
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
