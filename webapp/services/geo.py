"""Locations from Danish postcodes, without an online geocoder.

The board must work offline and must not send addresses of minors to a
third party, so a location is the centre of the postcode's town unless a
coordinator or employer enters coordinates.
"""

from __future__ import annotations

# Postcode -> (town, lat, lon): central and western Jutland around Ikast and Herning.
POSTCODES: dict[str, tuple[str, float, float]] = {
    "7430": ("Ikast", 56.1388, 9.1580),
    "7400": ("Herning", 56.1393, 8.9738),
    "7441": ("Bording", 56.1651, 9.2393),
    "7442": ("Engesvang", 56.1694, 9.3446),
    "7451": ("Sunds", 56.2069, 9.0145),
    "7330": ("Brande", 55.9439, 9.1306),
    "7490": ("Aulum", 56.2646, 8.7877),
    "7480": ("Vildbjerg", 56.2011, 8.7633),
    "7500": ("Holstebro", 56.3601, 8.6161),
    "8600": ("Silkeborg", 56.1697, 9.5451),
    "7100": ("Vejle", 55.7093, 9.5357),
    "8000": ("Aarhus C", 56.1567, 10.2108),
}


def locate(postcode: str) -> tuple[float, float] | None:
    """The (lat, lon) of a postcode's town, or None when unknown."""
    entry = POSTCODES.get(postcode.strip())
    return None if entry is None else (entry[1], entry[2])


def town_for(postcode: str) -> str:
    """The town of a postcode, or an empty string when unknown."""
    entry = POSTCODES.get(postcode.strip())
    return "" if entry is None else entry[0]
