"""One origin to many destinations: km, minutes and how each was obtained.

This is the seam. Matching asks :func:`legs` for every distance and time it ranks on or
shows; coverage will ask it too, and will add a many-sources search beside it. A road graph
plugs in here: :class:`Places` is where per-destination precomputation lives (today the
radians of each point; with a graph, the nearest road node), and :func:`legs` may answer some
destinations by road and fall back to the straight line for the rest, saying which per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .straight_line import estimated_minutes, great_circle_km_prepared

STRAIGHT_LINE = "straight_line"  # great-circle km; minutes estimated from km (×1.26 at 50 km/h)
METHODS = (STRAIGHT_LINE,)  # a road graph adds "road" here


@dataclass(frozen=True)
class Places:
    """Destination points, with what every leg to them needs computed once."""

    lat: np.ndarray
    lon: np.ndarray
    rad_lat: np.ndarray
    rad_lon: np.ndarray
    cos_lat: np.ndarray

    @classmethod
    def of(cls, lat: np.ndarray, lon: np.ndarray) -> Places:
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        rad_lat = np.radians(lat)
        return cls(lat, lon, rad_lat, np.radians(lon), np.cos(rad_lat))

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
    """
    if rows is None:
        rad_lat, rad_lon, cos_lat = to.rad_lat, to.rad_lon, to.cos_lat
    else:
        rad_lat, rad_lon, cos_lat = to.rad_lat[rows], to.rad_lon[rows], to.cos_lat[rows]
    km = great_circle_km_prepared(origin[0], origin[1], rad_lat, rad_lon, cos_lat)
    return Legs(km, estimated_minutes(km), np.zeros(len(km), dtype=np.int8))
