"""The area a child must not be sent near: which sites lie inside it, on their TRUE points.

The avoid area is a safety rule, so it is tested where a site really is, whoever looks;
its minimum size (``needs.MIN_AVOID_RADIUS_KM``) keeps it from locating a confidential site.
"""

from __future__ import annotations

import numpy as np
import shapely

from travel import great_circle_km

from .needs import AvoidArea


def inside_polygon(
    polygon: tuple[tuple[float, float], ...], lats: np.ndarray, lons: np.ndarray
) -> np.ndarray:
    """Which points lie inside a polygon given as (lat, lon) pairs."""
    shape = shapely.Polygon([(lon, lat) for lat, lon in polygon])  # shapely takes x=lon, y=lat
    return shapely.contains_xy(shape, lons, lats)


def inside_avoid(area: AvoidArea | None, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Which points lie inside ``area`` (none when there is no area)."""
    if area is None:
        return np.zeros(len(lats), bool)
    if area.polygon:
        return inside_polygon(area.polygon, lats, lons)
    assert area.latitude is not None and area.longitude is not None and area.radius_km
    return great_circle_km(area.latitude, area.longitude, lats, lons) <= area.radius_km
