"""Distance and travel time, behind one function so a road graph can plug in later."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

EARTH_RADIUS_KM = 6371.0088
# Road km run a median 1.26 times the straight line on Romania's main roads (shared/data
# roads SOURCES §7); 50 km/h is a cautious average across national and county roads.
ROAD_FACTOR = 1.26
AVERAGE_KMH = 50.0


@dataclass(frozen=True)
class Travel:
    km: np.ndarray  # straight-line (great-circle) distance
    minutes: np.ndarray  # an estimate from distance, never a route


def haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle km from one point to many, vectorised."""
    p1, l1 = np.radians(lat), np.radians(lon)
    p2, l2 = np.radians(lats), np.radians(lons)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def haversine_prepared(
    lat: float, lon: float, rad_lat: np.ndarray, rad_lon: np.ndarray, cos_lat: np.ndarray
) -> np.ndarray:
    """Great-circle km to places whose radians and cosines were computed once beforehand."""
    p1, l1 = np.radians(lat), np.radians(lon)
    a = np.sin((rad_lat - p1) / 2) ** 2 + np.cos(p1) * cos_lat * np.sin((rad_lon - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def travel_from_km(km: np.ndarray) -> Travel:
    """The one place distance becomes travel; a road graph would replace this estimate."""
    return Travel(km=km, minutes=km * ROAD_FACTOR / AVERAGE_KMH * 60.0)


def travel(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> Travel:
    """Distance and estimated travel time from one origin to many places."""
    return travel_from_km(haversine_km(lat, lon, lats, lons))


def inside_polygon(
    polygon: tuple[tuple[float, float], ...], lats: np.ndarray, lons: np.ndarray
) -> np.ndarray:
    """Which points lie inside a polygon given as (lat, lon) pairs."""
    shape = shapely.Polygon([(lon, lat) for lat, lon in polygon])  # shapely takes x=lon, y=lat
    return shapely.contains_xy(shape, lons, lats)
