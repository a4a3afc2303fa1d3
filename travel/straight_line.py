"""Great-circle distance, and the travel time estimated from it when no road graph is loaded."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088
# Road km run a median 1.26 times the straight line on Romania's main roads (shared/data
# roads SOURCES §7); 50 km/h is a cautious average across national and county roads.
ROAD_FACTOR = 1.26
AVERAGE_KMH = 50.0


def great_circle_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle km from one point to many, vectorised."""
    p2, l2 = np.radians(lats), np.radians(lons)
    return great_circle_km_prepared(lat, lon, p2, l2, np.cos(p2))


def great_circle_km_prepared(
    lat: float, lon: float, rad_lat: np.ndarray, rad_lon: np.ndarray, cos_lat: np.ndarray
) -> np.ndarray:
    """Great-circle km to places whose radians and cosines were computed once beforehand."""
    p1, l1 = np.radians(lat), np.radians(lon)
    a = np.sin((rad_lat - p1) / 2) ** 2 + np.cos(p1) * cos_lat * np.sin((rad_lon - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def estimated_minutes(km: np.ndarray) -> np.ndarray:
    """Minutes by road estimated from straight-line km: never a route."""
    return km * ROAD_FACTOR / AVERAGE_KMH * 60.0
