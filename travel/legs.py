"""One origin to many destinations: km, minutes and how each was obtained.

This is the seam. Matching asks :func:`legs` for every distance and time it ranks on or
shows; coverage asks it too, and adds a many-sources search beside it. :class:`Places` is
where per-destination precomputation lives: the radians of each point, and, when a road graph
is given, each point's nearest road node. :func:`legs` then answers by road and falls back to
the straight line where no road path exists, saying which per row in ``Legs.method``.

The graph is always passed in (``Places.of(..., graph=g)``); nothing here loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .roads import METHODS, ROAD, RoadGraph, Snap, legs_from_snap
from .roads import STRAIGHT_LINE as STRAIGHT_LINE_CODE
from .straight_line import estimated_minutes, great_circle_km_prepared

STRAIGHT_LINE = "straight_line"  # great-circle km; minutes estimated from km (×1.26 at 50 km/h)
ROAD_METHOD = "road"  # fastest path over main roads, plus the hops to and from them
assert METHODS[STRAIGHT_LINE_CODE] == STRAIGHT_LINE and METHODS[ROAD] == ROAD_METHOD


@dataclass(frozen=True)
class RoadAccess:
    """A road graph and each place's nearest node on it, found once."""

    graph: RoadGraph
    snap: Snap


@dataclass(frozen=True)
class Places:
    """Destination points, with what every leg to them needs computed once."""

    lat: np.ndarray
    lon: np.ndarray
    rad_lat: np.ndarray
    rad_lon: np.ndarray
    cos_lat: np.ndarray
    road: RoadAccess | None = None  # None: every leg is a straight-line estimate

    @classmethod
    def of(cls, lat: np.ndarray, lon: np.ndarray, graph: RoadGraph | None = None) -> Places:
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        rad_lat = np.radians(lat)
        road = RoadAccess(graph, graph.snap(lat, lon)) if graph is not None else None
        return cls(lat, lon, rad_lat, np.radians(lon), np.cos(rad_lat), road)

    def __len__(self) -> int:
        return len(self.lat)


@dataclass(frozen=True)
class Legs:
    """Per destination: km, minutes, and the method that produced them (one of METHODS)."""

    km: np.ndarray
    minutes: np.ndarray
    method: np.ndarray  # codes into METHODS, so a mix of road and straight line stays cheap

    def __len__(self) -> int:
        return len(self.km)


def legs(origin: tuple[float, float], to: Places, rows: np.ndarray | None = None) -> Legs:
    """Distance and travel time from ``origin`` (lat, lon) to every place of ``to``, or only
    to those at ``rows``, in that order. Places without coordinates (NaN) get NaN.

    By road when ``to`` carries a graph: the search from the origin runs once and is kept for
    the next call from the same road node (a care plan ranks three needs from one shelter).
    """
    if to.road is not None:
        snap = to.road.snap
        if rows is not None:
            snap = Snap(snap.node[rows], snap.km[rows], snap.minutes[rows])
        lats = to.lat if rows is None else to.lat[rows]
        lons = to.lon if rows is None else to.lon[rows]
        road = legs_from_snap(to.road.graph, origin, snap, lats, lons, _from_node)
        return Legs(road.km, road.minutes, road.method)
    if rows is None:
        rad_lat, rad_lon, cos_lat = to.rad_lat, to.rad_lon, to.cos_lat
    else:
        rad_lat, rad_lon, cos_lat = to.rad_lat[rows], to.rad_lon[rows], to.cos_lat[rows]
    km = great_circle_km_prepared(origin[0], origin[1], rad_lat, rad_lon, cos_lat)
    return Legs(km, estimated_minutes(km), np.zeros(len(km), dtype=np.int8))


@lru_cache(maxsize=16)
def _from_node(graph: RoadGraph, node: int) -> tuple[np.ndarray, np.ndarray]:
    # The whole network (about 26 ms on 2 cores): any limit would make the cache miss, and the
    # default 200 km at the slowest speed reaches nearly every node anyway.
    minutes, km = graph.from_node(node)
    minutes.setflags(write=False)
    km.setflags(write=False)
    return minutes, km
