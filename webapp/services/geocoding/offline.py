"""The offline geocoder: the centres of the postcodes in `postcodes.toml`, no network.

For the embedded default (`make run`) and the tests. It knows no streets, so
every place it finds is the postcode's centre (approximate); a postcode not in
the table is not found.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ...models.geocodes import GeocodeOutcome
from .base import NOT_FOUND, Answer, Query

TABLE = Path(__file__).with_name("postcodes.toml")


@cache
def postcode_centres() -> dict[str, Answer]:
    """Each postcode of the table with its town and centre."""
    rows = tomllib.loads(TABLE.read_text(encoding="utf-8"))["postcodes"]
    return {
        code: Answer(GeocodeOutcome.POSTCODE, float(r["lat"]), float(r["lon"]), str(r["town"]))
        for code, r in rows.items()
    }


class OfflineGeocoder:
    """Postcode centres from the table; never unavailable."""

    source = "offline"

    def locate(self, query: Query) -> Answer:
        return postcode_centres().get(query.postcode, NOT_FOUND)

    def close(self) -> None:
        """Nothing to close: the table is read once per process."""
