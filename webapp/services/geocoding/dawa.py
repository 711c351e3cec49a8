"""The DAWA geocoder: Danmarks Adressers Web API (https://api.dataforsyningen.dk), over httpx.

Three requests at most for a query, each bounded by `timeout_s` from start to
last byte and by `MAX_REPLY` bytes:

1. ``GET /postnumre/{postcode}``: the postcode's town and visual centre
   (``visueltcenter``, [lon, lat]); 404 when DAWA knows no such postcode.
   Asked once per postcode while the geocoder is open (a batch of 500
   addresses in one town makes 502 requests, not 1,001).
2. ``GET /datavask/adresser?betegnelse=...``: address washing. Category A (exact)
   or B (small differences, e.g. a misspelling) is taken; C (significant
   doubt: another street may be meant) is not.
3. ``GET /adresser/{id}?struktur=mini``: the washed address's coordinates (``x``, ``y``).

A street address that is not found falls back to the postcode's centre
(`ADDRESS_UNKNOWN`, approximate). Only the address text and the postcode are
sent, never a name; no log line carries either.
"""

from __future__ import annotations

import json
import time
from types import TracebackType
from typing import Any

import httpx

from ...models.geocodes import GeocodeOutcome
from .base import (
    NOT_FOUND,
    Answer,
    GeocoderBadReplyError,
    GeocoderTimeoutError,
    GeocoderUnreachableError,
    Query,
)

DEFAULT_URL = "https://api.dataforsyningen.dk"
MAX_REPLY = 256 * 1024  # bytes: DAWA's answers for one address are a few kB
WASHED = ("A", "B")  # datavask categories taken as the address
# Denmark with Bornholm and a margin: coordinates outside are a broken reply.
LATITUDES, LONGITUDES = (54.4, 57.9), (7.9, 15.3)


class DawaGeocoder:
    """Locates addresses and postcodes with DAWA; a context manager for its connections."""

    source = "dawa"

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        timeout_s: float = 3.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self._centres: dict[str, Answer | None] = {}  # a batch asks for each postcode once
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s),
            headers={"Accept": "application/json", "User-Agent": "jobmatch-board"},
            transport=transport,
        )

    def __enter__(self) -> DawaGeocoder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def locate(self, query: Query) -> Answer:
        """The address's coordinates (exact), else the postcode's centre, else `NOT_FOUND`.

        Raises:
            GeocoderError: DAWA gave no usable answer (a timeout, no connection, a bad reply).
        """
        centre = self._postcode(query.postcode) if query.postcode else None
        if query.address:
            town = f" {centre.town}" if centre else ""
            place = f", {query.postcode}{town}" if query.postcode else ""
            found = self._address(query.address + place)
            if found is not None:
                return found
            outcome = GeocodeOutcome.ADDRESS_UNKNOWN
        else:
            outcome = GeocodeOutcome.POSTCODE
        if centre is None:
            return NOT_FOUND
        return Answer(outcome, centre.lat, centre.lon, centre.town)

    def _postcode(self, postcode: str) -> Answer | None:
        if postcode not in self._centres:
            self._centres[postcode] = self._centre(postcode)
        return self._centres[postcode]

    def _centre(self, postcode: str) -> Answer | None:
        reply = self._get(f"/postnumre/{postcode}")
        if reply is None:
            return None
        try:
            centre = reply.get("visueltcenter")
            if not centre:
                min_lon, min_lat, max_lon, max_lat = reply["bbox"]
                centre = [(min_lon + max_lon) / 2, (min_lat + max_lat) / 2]
            return self._answer(GeocodeOutcome.POSTCODE, centre[1], centre[0], reply["navn"])
        except (KeyError, TypeError, IndexError, ValueError, AttributeError) as error:
            raise GeocoderBadReplyError(self.source, "a postcode without a centre") from error

    def _address(self, betegnelse: str) -> Answer | None:
        washed = self._get("/datavask/adresser", {"betegnelse": betegnelse})
        try:
            if washed is None or washed["kategori"] not in WASHED or not washed["resultater"]:
                return None
            best = washed["resultater"][0]
            address_id = (best.get("aktueladresse") or best["adresse"])["id"]
        except (KeyError, TypeError, IndexError, AttributeError) as error:
            raise GeocoderBadReplyError(self.source, "an address wash without results") from error
        mini = self._get(f"/adresser/{address_id}", {"struktur": "mini"})
        if mini is None:
            return None
        try:
            return self._answer(GeocodeOutcome.ADDRESS, mini["y"], mini["x"], mini["postnrnavn"])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise GeocoderBadReplyError(self.source, "an address without coordinates") from error

    def _answer(self, outcome: GeocodeOutcome, lat: Any, lon: Any, town: Any) -> Answer:
        lat, lon = float(lat), float(lon)
        if not (LATITUDES[0] <= lat <= LATITUDES[1] and LONGITUDES[0] <= lon <= LONGITUDES[1]):
            raise GeocoderBadReplyError(self.source, "coordinates outside Denmark")
        return Answer(outcome, lat, lon, str(town)[:80])

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        """The JSON of a 200 reply, None for a 404.

        Raises:
            GeocoderTimeoutError: no whole answer within `timeout_s`.
            GeocoderUnreachableError: no connection.
            GeocoderBadReplyError: another status, too long, or not JSON.
        """
        deadline = time.monotonic() + self.timeout_s
        try:
            with self._client.stream("GET", path, params=params) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_REPLY:
                        raise GeocoderBadReplyError(self.source, "a reply over the size limit")
                    if time.monotonic() > deadline:
                        raise GeocoderTimeoutError(self.source, "the answer took too long")
        except httpx.TimeoutException as error:
            raise GeocoderTimeoutError(self.source, "no answer within the timeout") from error
        except httpx.TransportError as error:
            raise GeocoderUnreachableError(self.source, type(error).__name__) from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise GeocoderBadReplyError(self.source, f"status {response.status_code}")
        try:
            return json.loads(body)
        except ValueError as error:
            raise GeocoderBadReplyError(self.source, "a reply that is not JSON") from error
