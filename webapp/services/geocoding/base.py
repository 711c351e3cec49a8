"""The geocoder interface: an address or a postcode in, coordinates or "not found" out.

A `Query` is made only from what could be a Danish address (`Query.of`): Latin
letters, digits and a little punctuation, at most `MAX_ADDRESS` characters, a
postcode of four ASCII digits. Anything else never reaches a geocoder. A
geocoder answers with an `Answer` (found: where and how exact; or not found),
or raises `GeocoderError` when it could not answer at all, which is not
the same as "not found" and is never cached.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from ...models.geocodes import GeocodeOutcome

MAX_ADDRESS = 200
# Letters of the Latin script (Danish æ, ø, å and the accented ones included), digits,
# spaces and the punctuation of Danish addresses ("Stadion Allé 10, 2. th", "Ved Åen 3B").
ADDRESS_CHARACTERS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f .,'/()&-"
ADDRESS = re.compile(f"[{ADDRESS_CHARACTERS}]*")
POSTCODE = re.compile("[0-9]{4}")  # ASCII digits only: `\d` would take Arabic-Indic ones too


def usable_address(text: str) -> bool:
    """Whether `text` could be a Danish street address (empty counts: no address given)."""
    return len(text) <= MAX_ADDRESS and ADDRESS.fullmatch(text) is not None


def usable_postcode(text: str) -> bool:
    """Whether `text` is a postcode of four ASCII digits."""
    return POSTCODE.fullmatch(text) is not None


@dataclass(frozen=True)
class Query:
    """A normalised address query: a street address, a postcode, or both."""

    address: str
    postcode: str

    @classmethod
    def of(cls, address: str, postcode: str) -> Query | None:
        """The query of an address and a postcode; None when there is none or it is unusable."""
        street = " ".join(unicodedata.normalize("NFC", address).split())
        code = postcode.strip()
        if not street and not code:
            return None
        if not usable_address(street) or (code and not usable_postcode(code)):
            return None
        return cls(street, code)

    @property
    def key(self) -> str:
        """The same for spellings that differ only in case, spaces, commas and full stops."""
        words = re.split(r"[\s,.]+", self.address.casefold())
        return f"{' '.join(w for w in words if w)}|{self.postcode}"

    @property
    def digest(self) -> str:
        """The SHA-256 of `key`: what the cache stores instead of the address."""
        return hashlib.sha256(self.key.encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    """A geocoder's answer: how it found the place (or not), where, and the postcode's town."""

    outcome: GeocodeOutcome
    lat: float | None = None
    lon: float | None = None
    town: str = ""

    @property
    def found(self) -> bool:
        return self.outcome != GeocodeOutcome.NOT_FOUND


NOT_FOUND = Answer(GeocodeOutcome.NOT_FOUND)


class GeocoderError(Exception):
    """The geocoder gave no answer: the place is "not checked yet", to be asked again later."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"the {source} geocoder did not answer: {reason}")
        self.source = source
        self.reason = reason


class GeocoderTimeoutError(GeocoderError):
    """The geocoder did not answer within the timeout."""


class GeocoderUnreachableError(GeocoderError):
    """No connection to the geocoder (refused, reset, unknown host)."""


class GeocoderBadReplyError(GeocoderError):
    """The geocoder answered with an error status or a reply that cannot be read."""


class Geocoder(Protocol):
    """Anything that locates a `Query`; `source` names it in the cache; `close` when done."""

    source: str

    def locate(self, query: Query) -> Answer:
        """Where the query is, or `NOT_FOUND`.

        Raises:
            GeocoderError: no answer (timeout, no connection, an error status).
        """
        ...

    def close(self) -> None:
        """Let go of connections."""
        ...
