"""Geocoding behind one interface: DAWA in production, a postcode table offline.

`from_config` picks the geocoder the settings name (`GEOCODER`: ``dawa`` or
``offline``; `GEOCODER_URL`, `GEOCODER_TIMEOUT_S`). The board calls it only
where an address is saved and in the batch command (`services.geo`), never
inside a matching run.
"""

import math
from collections.abc import Mapping
from typing import Any

from .base import (
    NOT_FOUND,
    Answer,
    Geocoder,
    GeocoderBadReplyError,
    GeocoderError,
    GeocoderTimeoutError,
    GeocoderUnreachableError,
    Query,
    usable_address,
    usable_postcode,
)
from .dawa import DEFAULT_URL, DawaGeocoder
from .offline import OfflineGeocoder, postcode_centres

__all__ = [
    "DEFAULT_URL",
    "NOT_FOUND",
    "Answer",
    "DawaGeocoder",
    "Geocoder",
    "GeocoderBadReplyError",
    "GeocoderError",
    "GeocoderTimeoutError",
    "GeocoderUnreachableError",
    "OfflineGeocoder",
    "Query",
    "UnknownGeocoderError",
    "from_config",
    "postcode_centres",
    "settings_problem",
    "usable_address",
    "usable_postcode",
]

SOURCES = ("dawa", "offline")
# Read from the environment too (webapp/__init__.py); see `settings_problem`.
SETTINGS = (
    "GEOCODER",
    "GEOCODER_URL",
    "GEOCODER_TIMEOUT_S",
    "GEOCODER_NOT_FOUND_DAYS",
    "GEOCODER_PAUSE_S",
)
DEFAULT_TIMEOUT_S = 3.0


class UnknownGeocoderError(ValueError):
    """`GEOCODER` names no geocoder this board has."""


def from_config(config: Mapping[str, Any]) -> Geocoder:
    """The geocoder of the settings; close it when done (`close()`, or use it in a `with`).

    Raises:
        UnknownGeocoderError: `GEOCODER` is neither ``dawa`` nor ``offline``.
    """
    name = config.get("GEOCODER", "offline")
    if name == "offline":
        return OfflineGeocoder()
    if name == "dawa":
        return DawaGeocoder(
            config.get("GEOCODER_URL") or DEFAULT_URL,
            timeout_s=float(config.get("GEOCODER_TIMEOUT_S", DEFAULT_TIMEOUT_S)),
        )
    raise UnknownGeocoderError(f"GEOCODER must be one of {', '.join(SOURCES)}, got {name!r}")


def settings_problem(config: Mapping[str, Any]) -> str | None:
    """What is wrong with the geocoder's settings, for the board to refuse to start; or None."""
    if config.get("GEOCODER") not in SOURCES:
        return f"GEOCODER must be one of {', '.join(SOURCES)}, got {config.get('GEOCODER')!r}"
    for name, zero_allowed in (
        ("GEOCODER_TIMEOUT_S", False),
        ("GEOCODER_NOT_FOUND_DAYS", False),
        ("GEOCODER_PAUSE_S", True),  # 0: saves never skip the geocoder
    ):
        try:
            value = float(config.get(name, 1))
        except (TypeError, ValueError):
            return f"{name} must be a number, got {config[name]!r}"
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero_allowed):
            return f"{name} must be {'0 or more' if zero_allowed else 'above 0'}, got {value:g}"
    url = str(config.get("GEOCODER_URL", ""))
    if config["GEOCODER"] == "dawa" and not url.startswith(("https://", "http://")):
        return f"GEOCODER_URL must be an http(s) address, got {url!r}"
    return None
