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


@dataclass(frozen=True, slots=True)
class Location:
    """A point in WGS84 degrees."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Radians:
    """Many points in radians with the cosine of each latitude: what the haversine formula
    needs of them, worked out once for any number of distances to other points."""

    phi: FloatArray
    lam: FloatArray
    cos_phi: FloatArray

    @classmethod
    def of(cls, lat: FloatArray, lon: FloatArray) -> Radians:
        """The points at latitudes `lat` and longitudes `lon`, in degrees."""
        phi = np.radians(lat)
        return cls(phi, np.radians(lon), np.cos(phi))


def haversine_km(lat1: FloatArray, lon1: FloatArray, lat2: float, lon2: float) -> FloatArray:
    """Great-circle distances in km from many points to one, on a sphere of 6371.0 km."""
    return haversine_from(Radians.of(lat1, lon1), slice(None), lat2, lon2)


def haversine_from(points: Radians, subset: IntArray | slice, lat2: float, lon2: float
                   ) -> FloatArray:  # fmt: skip
    """`haversine_km` from the `subset` of `points` to one point in degrees."""
    phi2 = np.radians(lat2)
    dphi = phi2 - points.phi[subset]
    dlam = np.radians(lon2) - points.lam[subset]
    a = np.sin(dphi / 2) ** 2 + points.cos_phi[subset] * np.cos(phi2) * np.sin(dlam / 2) ** 2
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distance


def distance_km(a: Location, b: Location) -> float:
    """Great-circle distance in km between two locations (the same formula as `haversine_km`)."""
    return float(haversine_km(np.array([a.lat]), np.array([a.lon]), b.lat, b.lon)[0])


def within_travel(km: float, max_travel_km: float | None) -> bool:
    """True when a job `km` away is within a travel limit (None: no limit)."""
    return max_travel_km is None or km <= max_travel_km + TRAVEL_TOLERANCE_KM
