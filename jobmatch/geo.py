"""Great-circle distance as the spec defines it, and the travel limit with its tolerance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0
TRAVEL_TOLERANCE_KM = 0.000001
"""A job is within reach at up to `max_travel_km` plus a millimetre (the spec's tolerance)."""
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CHORD_DOUBT = 1e-11
"""How near a chord (on the unit sphere) may come to a limit before `haversine_km` decides:
about 60 micrometres on the earth, far above the rounding of either formula."""
PLACES_AT_ONCE = 32
"""How many places `farther_than` works out together (their planes of points fit a cache)."""


@dataclass(frozen=True, slots=True)
class Location:
    """A point in WGS84 degrees."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Points:
    """Many points, with what distances from them need worked out once: latitudes and
    longitudes in radians, the cosine of each latitude, and unit vectors (x, y, z)."""

    phi: FloatArray
    lam: FloatArray
    cos_phi: FloatArray
    xyz: FloatArray

    @classmethod
    def of(cls, lat: FloatArray, lon: FloatArray) -> Points:
        """The points at latitudes `lat` and longitudes `lon`, in degrees."""
        phi, lam = np.radians(lat), np.radians(lon)
        cos_phi = np.cos(phi)
        xyz = np.stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])
        return cls(phi, lam, cos_phi, xyz)


def haversine_km(lat1: FloatArray, lon1: FloatArray, lat2: float, lon2: float) -> FloatArray:
    """Great-circle distances in km from many points to one, on a sphere of 6371.0 km."""
    return haversine_from(Points.of(lat1, lon1), slice(None), lat2, lon2)


def haversine_from(points: Points, subset: IntArray | slice, lat2: float, lon2: float
                   ) -> FloatArray:  # fmt: skip
    """`haversine_km` from the `subset` of `points` to one point in degrees."""
    phi2 = np.radians(lat2)
    dphi = phi2 - points.phi[subset]
    dlam = np.radians(lon2) - points.lam[subset]
    a = np.sin(dphi / 2) ** 2 + points.cos_phi[subset] * np.cos(phi2) * np.sin(dlam / 2) ** 2
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distance


def chord_of(km: FloatArray) -> FloatArray:
    """The straight line through a unit sphere between points `km` apart on the earth
    (inf for a limit no two points on earth are apart)."""
    half = np.asarray(km, dtype=np.float64) / (2 * EARTH_RADIUS_KM)
    return np.where(half < np.pi / 2, 2 * np.sin(np.minimum(half, np.pi / 2)), np.inf)


def farther_than(points: Points, subset: IntArray, lat2: FloatArray, lon2: FloatArray,
                 limit_km: FloatArray, chord_limit: FloatArray) -> BoolArray:  # fmt: skip
    """[place, point]: whether each of the `subset` of `points` is farther from each place
    (degrees `lat2`, `lon2`) than the point's `limit_km` (`chord_limit` its `chord_of`):
    exactly `haversine_km(...) > limit_km`; never where either position is NaN.

    The chord between unit vectors grows with the distance and costs no trigonometry per
    pair; where it lies within `CHORD_DOUBT` of the limit, `haversine_km` decides.
    """
    phi2, lam2 = np.radians(lat2), np.radians(lon2)
    cos_phi2 = np.cos(phi2)
    places = np.stack((cos_phi2 * np.cos(lam2), cos_phi2 * np.sin(lam2), np.sin(phi2)))
    xyz = points.xyz[:, subset]
    far: BoolArray = np.empty((places.shape[1], len(subset)), dtype=bool)
    doubt = np.empty_like(far)
    # A few places at a time, in two planes worked in place, so that they stay in the cache.
    planes = np.empty((2, min(len(far), PLACES_AT_ONCE), len(subset)))
    for first in range(0, len(far), PLACES_AT_ONCE):
        block = slice(first, first + PLACES_AT_ONCE)
        chord, part = planes[:, : len(far[block])]
        np.subtract(xyz[0], places[0, block, None], out=chord)
        np.square(chord, out=chord)
        np.subtract(xyz[1], places[1, block, None], out=part)
        chord += np.square(part, out=part)
        np.subtract(xyz[2], places[2, block, None], out=part)
        chord += np.square(part, out=part)
        np.sqrt(chord, out=chord)
        np.greater(chord, chord_limit, out=far[block])
        np.abs(np.subtract(chord, chord_limit, out=part), out=part)
        np.less_equal(part, CHORD_DOUBT, out=doubt[block])
    rows, columns = np.nonzero(doubt)
    for row in np.unique(rows).tolist():
        doubtful = columns[rows == row]
        km = haversine_from(points, subset[doubtful], float(lat2[row]), float(lon2[row]))
        far[row, doubtful] = km > limit_km[doubtful]
    return far


def distance_km(a: Location, b: Location) -> float:
    """Great-circle distance in km between two locations (the same formula as `haversine_km`)."""
    return float(haversine_km(np.array([a.lat]), np.array([a.lon]), b.lat, b.lon)[0])


def within_travel(km: float, max_travel_km: float | None) -> bool:
    """True when a job `km` away is within a travel limit (None: no limit)."""
    return max_travel_km is None or km <= max_travel_km + TRAVEL_TOLERANCE_KM
