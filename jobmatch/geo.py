"""Great-circle distance as the spec defines it, and the travel limit with its tolerance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0
TRAVEL_TOLERANCE_KM = 0.000001
"""A job is within reach at up to `max_travel_km` plus a millimetre (the spec's tolerance)."""
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Location:
    """A point in WGS84 degrees."""

    lat: float
    lon: float


def haversine_km(lat1: FloatArray, lon1: FloatArray, lat2: float, lon2: float) -> FloatArray:
    """Great-circle distances in km from many points to one, on a sphere of 6371.0 km."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distance


def distance_km(a: Location, b: Location) -> float:
    """Great-circle distance in km between two locations (the same formula as `haversine_km`)."""
    return float(haversine_km(np.array([a.lat]), np.array([a.lon]), b.lat, b.lon)[0])


def within_travel(km: float, max_travel_km: float | None) -> bool:
    """True when a job `km` away is within a travel limit (None: no limit)."""
    return max_travel_km is None or km <= max_travel_km + TRAVEL_TOLERANCE_KM
