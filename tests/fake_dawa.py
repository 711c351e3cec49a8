"""A local fake of DAWA (Danmarks Adressers Web API) over real HTTP, for the geocoder's tests.

It answers the three requests the board makes (`webapp/services/geocoding/dawa.py`)
the way DAWA does, for the few addresses and postcodes in `ADDRESSES` and
`POSTCODES`: ``/postnumre/{nr}`` (404 for an unknown one), ``/datavask/adresser``
(category A for a known address, B for one misspelt, C for a guess, no result
for the rest) and ``/adresser/{id}?struktur=mini``. Set `mode` to make it
misbehave: ``"hang"`` (no answer until the test ends), ``"error"`` (500),
``"garbage"`` (200 with a body that is not JSON), ``"huge"`` (300 kB of JSON).
Every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

POSTCODES = {
    "7430": {"nr": "7430", "navn": "Ikast", "visueltcenter": [9.1580, 56.1388]},
    "2200": {"nr": "2200", "navn": "København N", "visueltcenter": [12.5450, 55.6970]},
}
# Street address (as the board sends it, before the postcode) -> id, lon, lat, postcode, town.
ADDRESSES = {
    "stadion allé 10": ("0a3f507a-0001", 9.1512, 56.1325, "7430", "Ikast"),
    "nørrebrogade 20": ("0a3f507a-0002", 12.5536, 55.6893, "2200", "København N"),
}
MISSPELT = {"stadion alle 10": "stadion allé 10"}  # washed with small differences: category B
GUESSED = {"stadion vej 10": "stadion allé 10"}  # another street may be meant: category C


@dataclass
class FakeDawa:
    """The fake's state: how it behaves and what it was asked."""

    mode: str = "ok"
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def reply(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        """The status and JSON of a request in mode "ok"."""
        if path.startswith("/postnumre/"):
            found = POSTCODES.get(path.removeprefix("/postnumre/"))
            return (200, found) if found else (404, _not_found())
        if path == "/datavask/adresser":
            return 200, _wash(query.get("betegnelse", [""])[0])
        if path.startswith("/adresser/"):
            wanted = path.removeprefix("/adresser/")
            for address_id, lon, lat, postcode, town in ADDRESSES.values():
                if address_id == wanted:
                    mini = {"id": address_id, "x": lon, "y": lat, "postnr": postcode}
                    return 200, {**mini, "postnrnavn": town}
            return 404, _not_found()
        return 404, _not_found()


def _not_found() -> dict[str, Any]:
    return {"type": "ResourceNotFoundError", "title": "The resource was not found"}


def _wash(betegnelse: str) -> dict[str, Any]:
    street = betegnelse.split(",")[0].strip().casefold()
    if street in ADDRESSES:
        real, category = street, "A"
    elif street in MISSPELT:
        real, category = MISSPELT[street], "B"
    elif street in GUESSED:
        real, category = GUESSED[street], "C"
    else:
        return {"kategori": "C", "resultater": []}
    address_id = ADDRESSES[real][0]
    result = {"adresse": {"id": address_id}, "aktueladresse": {"id": address_id}}
    return {"kategori": category, "resultater": [result]}


def _handler(fake: FakeDawa) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            fake.requests.append(unquote(self.path))
            if fake.mode == "hang":
                fake.release.wait(30)
                return
            if fake.mode == "error":
                self._send(500, b'{"type": "InternalServerError"}')
                return
            if fake.mode == "garbage":
                self._send(200, b"<html>maintenance</html>")
                return
            if fake.mode == "huge":
                self._send(200, b'{"kategori": "A", "pad": "' + b"x" * 300_000 + b'"}')
                return
            status, body = fake.reply(unquote(parts.path), parse_qs(parts.query))
            self._send(status, json.dumps(body).encode())

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read `fake.requests`."""

    return Handler


@contextmanager
def serving() -> Iterator[FakeDawa]:
    """A fake DAWA on 127.0.0.1 at a free port (its `url`), stopped afterwards."""
    fake = FakeDawa()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
