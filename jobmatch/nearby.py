"""Openings in groups that lie near each other, each with the youths who may reach them.

Rules are checked for a whole group of openings against its youths at once, as
[opening, youth] arrays, so that a city of 1,800 openings costs a few dozen
array operations per rule rather than a few per opening. A group is a cell of
the map about one travel limit wide; its youths are a superset of those within
their travel limit of any of its openings (a box of latitudes and longitudes).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .geo import EARTH_RADIUS_KM, TRAVEL_TOLERANCE_KM, BoolArray, FloatArray, IntArray

GROUP_PAIRS = 1 << 20
"""About how many (opening, youth) pairs a group holds at most: a larger cell is split."""


class Nearby:
    """The youths' homes sorted by latitude, and the openings' places, to group them."""

    def __init__(self, lat: FloatArray, lon: FloatArray, travel: FloatArray,
                 opening_lat: FloatArray, opening_lon: FloatArray) -> None:  # fmt: skip
        # Youths with a home and a travel limit, by latitude: a degree of latitude is at
        # least 111 km of great-circle distance, so a band of latitudes holds every youth
        # who can reach an opening.
        located = np.isfinite(travel) & ~np.isnan(lat)
        self._n_youths = len(lat)
        self._by_latitude = np.flatnonzero(located)[np.argsort(lat[located], kind="stable")]
        self._lat, self._lon = lat, lon
        self._anywhere = np.flatnonzero(~located)
        self._farthest_km = float(travel[located].max()) if located.any() else 0.0
        self._opening_lat, self._opening_lon = opening_lat, opening_lon

    def groups(self, margin_km: float = 0.0, among: BoolArray | None = None
               ) -> Iterator[tuple[IntArray, IntArray]]:  # fmt: skip
        """Every opening once, in groups: (openings, youths), both ascending, the youths
        (of `among`, default all) a superset of those within their travel limit plus
        `margin_km` of any of the openings."""
        taking = np.ones(self._n_youths, dtype=bool) if among is None else among
        by_latitude = self._by_latitude[taking[self._by_latitude]]
        anywhere = self._anywhere[taking[self._anywhere]]
        reach_km = self._farthest_km + margin_km + TRAVEL_TOLERANCE_KM
        band = float(np.degrees(reach_km / EARTH_RADIUS_KM)) + 1e-9
        located = ~np.isnan(self._opening_lat)
        unlocated = np.flatnonzero(~located)
        if len(unlocated):
            yield from _split(unlocated, np.flatnonzero(taking))
        for openings in _cells(self._opening_lat, self._opening_lon, located, band):
            near = self._near(openings, by_latitude, band, reach_km)
            reached = np.zeros(self._n_youths, dtype=bool)
            reached[anywhere] = True
            reached[near] = True
            yield from _split(openings, np.flatnonzero(reached))

    def _near(self, openings: IntArray, by_latitude: IntArray, band: float, reach_km: float
              ) -> IntArray:  # fmt: skip
        """The youths of `by_latitude` in the box around the openings."""
        lat, lon = self._opening_lat[openings], self._opening_lon[openings]
        latitudes = self._lat[by_latitude]
        first, last = np.searchsorted(latitudes, [lat.min() - band, lat.max() + band])
        near = by_latitude[first:last]
        # The box is widest at the latitude nearest a pole.
        width = longitude_reach(float(np.abs(lat).max()), band, reach_km)
        if width is None:
            return near
        centre = float(lon[0])
        spread = float(_apart(lon, centre).max())
        return near[_apart(self._lon[near], centre) <= width + spread]


def _cells(lat: FloatArray, lon: FloatArray, located: BoolArray, size: float
           ) -> Iterator[IntArray]:  # fmt: skip
    """The located openings by map cells `size` degrees wide and high, each ascending."""
    openings = np.flatnonzero(located)
    if not len(openings):
        return
    row = np.floor(lat[openings] / size).astype(np.int64)
    column = np.floor(lon[openings] / size).astype(np.int64)
    order = np.lexsort((openings, column, row))
    openings, row, column = openings[order], row[order], column[order]
    new = np.ones(len(openings), dtype=bool)
    new[1:] = (row[1:] != row[:-1]) | (column[1:] != column[:-1])
    yield from np.split(openings, np.flatnonzero(new)[1:])


def _split(openings: IntArray, youths: IntArray) -> Iterator[tuple[IntArray, IntArray]]:
    """The openings in chunks of at most about `GROUP_PAIRS` pairs with the youths."""
    size = max(1, GROUP_PAIRS // max(len(youths), 1))
    for start in range(0, len(openings), size):
        yield openings[start : start + size], youths


def _apart(lon: FloatArray, centre: float) -> FloatArray:
    """Degrees of longitude between `lon` and `centre`, the short way round."""
    apart = np.abs(lon - centre) % 360.0
    result: FloatArray = np.minimum(apart, 360.0 - apart)
    return result


def longitude_reach(lat: float, band: float, reach_km: float) -> float | None:
    """How many degrees of longitude from a point at latitude `lat` hold every point within
    `reach_km` of it whose latitude is at most `band` degrees away; None: any longitude.

    By the haversine formula, hav(d / R) >= cos(lat1) cos(lat2) hav(dlon), and cos(lat2) is
    at least the cosine of the band's latitude farthest from the equator.
    """
    if reach_km >= np.pi * EARTH_RADIUS_KM / 2:
        return None
    nearest_pole = min(abs(lat) + band, 90.0)
    spread = np.cos(np.radians(lat)) * np.cos(np.radians(nearest_pole))
    most = np.sin(reach_km / EARTH_RADIUS_KM / 2) ** 2
    if spread <= 0 or most >= spread:
        return None
    # A part in a million and a nanodegree more, against rounding.
    return float(np.degrees(2 * np.arcsin(np.sqrt(most / spread)))) * (1 + 1e-6) + 1e-9
