"""Reverse geocoding: the UAT (and county) a point lies in, from the simplified polygons."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.errors import ValidationError


@dataclass(frozen=True)
class ReverseResult:
    """The UAT a point lies in."""

    uat_siruta: int
    uat_name: str
    county_code: str
    county_name: str


class PolygonIndex:
    """STRtrees of UAT and county polygons, loaded on first use (shapely is slow to import)."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._lock = threading.Lock()  # Streamlit runs scripts in threads
        self._spatial: Any = None

    def locate(
        self, latitude: float, longitude: float, points: Sequence[tuple[int, str, float, float]]
    ) -> int | None:
        """SIRUTA of the UAT containing the point, or None outside Romania.

        ``points`` are (siruta, county, lat, lon) of every UAT: a point inside a county but in
        a gap left by the simplified UAT polygons goes to the county's nearest UAT point.
        """
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            raise ValidationError("latitude", "Latitude and longitude must be numbers.")
        from shapely.geometry import Point

        point = Point(longitude, latitude)
        uat_tree, uat_ids, county_tree, county_codes = self._index()
        inside = sorted(uat_ids[i] for i in uat_tree.query(point, predicate="intersects"))
        if inside:
            return inside[0]
        counties = sorted(county_codes[i] for i in county_tree.query(point, predicate="intersects"))
        if not counties:
            return None
        scale = math.cos(math.radians(latitude))
        return min(
            (p for p in points if p[1] == counties[0]),
            key=lambda p: (p[2] - latitude) ** 2 + ((p[3] - longitude) * scale) ** 2,
        )[0]

    def _index(self) -> Any:
        with self._lock:
            if self._spatial is None:
                from shapely import STRtree
                from shapely.geometry import shape

                def load(name: str, prop: str) -> tuple[Any, list[Any]]:
                    with (self._data_dir / name).open(encoding="utf-8") as f:
                        features = json.load(f)["features"]
                    geoms = [shape(ft["geometry"]) for ft in features]
                    return STRtree(geoms), [ft["properties"][prop] for ft in features]

                uat_tree, uat_ids = load("ro_uat_polygons.geojson", "siruta")
                county_tree, codes = load("ro_counties.geojson", "code")
                self._spatial = (uat_tree, [int(s) for s in uat_ids], county_tree, codes)
            return self._spatial
