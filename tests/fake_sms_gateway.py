"""A local fake of GatewayAPI's REST API over real HTTP, for the SMS tests.

It answers ``POST /rest/mtsms`` the way GatewayAPI does: 200 with
``{"ids": [<id>]}`` for a message with a valid token, 401 without one, 400
for a message it cannot read. Set `mode` to make it misbehave: ``"outage"``
(503 to everything), ``"hang"`` (no answer until the test ends), ``"reject"``
(400, a number it will not send to). Every message is recorded in `sent`.

The gateway's webhooks are built here too, signed as GatewayAPI signs them (a
JWT in ``X-Gwapi-Signature``, HS256 with the shared secret):
`delivery_report(...)` for a sent message (``DELIVERED``, or with
`failed_reports` set ``UNDELIVERABLE``) and `incoming(...)` for an SMS a
phone sends to the board.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

TOKEN = "fake-gateway-token"
SECRET = "fake-webhook-secret-of-at-least-32-bytes"
SIGNATURE_HEADER = "X-Gwapi-Signature"


@dataclass
class FakeGateway:
    """The fake's state: how it behaves and what it was sent."""

    mode: str = "ok"
    failed_reports: bool = False
    sent: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(7_000_001))

    def accept(self, body: dict[str, Any]) -> int:
        """Record a message; return its new id."""
        message_id = next(self._ids)
        self.sent.append({**body, "id": message_id})
        return message_id

    def delivery_report(self, message: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The JSON and headers of the delivery report for a message in `sent`."""
        status = "UNDELIVERABLE" if self.failed_reports else "DELIVERED"
        event = {
            "id": message["id"],
            "msisdn": message["recipients"][0]["msisdn"],
            "time": 1_796_000_000,
            "status": status,
            "error": "Number not in service" if self.failed_reports else None,
            "code": "0x1001" if self.failed_reports else None,
            "userref": message["userref"],
        }
        return event, signed(event)

    def incoming(
        self, sender: str, text: str, *, message_id: int | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The JSON and headers of an SMS from `sender` (E.164) to the board's number."""
        event = {
            "id": message_id if message_id is not None else next(self._ids),
            "msisdn": int(sender.removeprefix("+")),
            "receiver": 4512345678,
            "message": text,
            "senttime": 1_796_000_000,
        }
        return event, signed(event)


def signed(event: dict[str, Any], secret: str = SECRET) -> dict[str, str]:
    """The signature header GatewayAPI sends with `event`."""
    return {SIGNATURE_HEADER: jwt.encode(event, secret, algorithm="HS256")}


def _handler(fake: FakeGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if fake.mode == "hang":
                fake.release.wait(30)
                return
            if fake.mode == "outage":
                self._send(503, {"message": "Service Unavailable"})
                return
            if self.path != "/rest/mtsms":
                self._send(404, {"message": "Not found"})
                return
            if self.headers.get("Authorization") != f"Token {TOKEN}":
                self._send(401, {"code": "0x0213", "message": "Unauthorized"})
                return
            try:
                body = json.loads(raw)
                number = int(body["recipients"][0]["msisdn"])
                valid = isinstance(body["message"], str) and 1 <= len(body["sender"]) <= 11
            except (ValueError, KeyError, IndexError, TypeError):
                valid, number = False, 0
            if not valid or number <= 0 or fake.mode == "reject":
                self._send(400, {"code": "0x0105", "message": "Invalid recipient"})
                return
            self._send(200, {"ids": [fake.accept(body)], "usage": {"total_cost": 0.2}})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in (
                ("Content-Type", "application/json"),
                ("Content-Length", len(data)),
            ):
                self.send_header(name, str(value))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read `fake.sent`."""

    return Handler


@contextmanager
def serving() -> Iterator[FakeGateway]:
    """A fake GatewayAPI on 127.0.0.1 at a free port (its `url`), stopped afterwards."""
    fake = FakeGateway()
    with ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake)) as server:
        server.daemon_threads = True
        host, port = server.server_address[:2]
        fake.url = f"http://{host!s}:{port}"
        worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        worker.start()
        try:
            yield fake
        finally:
            fake.release.set()
            server.shutdown()
            worker.join()
