"""Checks on a location's pin: inside Romania, inside its county, near its geocoded locality."""

from __future__ import annotations

import math
from typing import Any

from directory.listings.problems import Problem

FAR_KM = 10.0  # further than this from the locality's point is worth a second look


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def pin_warnings(
    geocoder: Any,
    point: tuple[float, float],
    county_code: str,
    locality_point: tuple[float, float] | None,
    locality: str = "",
) -> list[Problem]:
    """What looks wrong about a pin (nothing when it sits where its address says)."""
    where = geocoder.reverse(*point)
    if where is None:
        return [Problem("pin.outside_romania")]
    out = []
    if county_code and where.county_code != county_code:
        out.append(
            Problem("pin.outside_county", {"county": county_code, "found": where.county_name})
        )
    if locality_point is not None:
        km = distance_km(point, locality_point)
        if km > FAR_KM:
            out.append(Problem("pin.far", {"km": round(km, 1), "locality": locality or "—"}))
    return out
