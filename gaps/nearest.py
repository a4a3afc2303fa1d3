"""The nearest provider of each UAT: by road, and by straight line for comparison."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from travel.roads import RoadGraph, chord_to_km, nearest_by_road, unit_vectors

from .model import Demand, Supply


@dataclass(frozen=True, eq=False)
class Nearest:
    """Per UAT: road minutes and km to the nearest provider, its index, and straight-line km."""

    minutes: np.ndarray  # inf when there is no provider at all
    km: np.ndarray
    provider: np.ndarray  # index into the supply, -1 for none
    line_km: np.ndarray  # great-circle km to the nearest provider as the crow flies


def straight_line_nearest(demand: Demand, supply: Supply) -> tuple[np.ndarray, np.ndarray]:
    """Great-circle km to, and index of, each UAT's nearest provider (cKDTree, unit vectors)."""
    if len(supply) == 0:
        return np.full(len(demand), np.inf), np.full(len(demand), -1)
    tree = cKDTree(unit_vectors(supply.lat, supply.lon))
    chord, index = tree.query(unit_vectors(demand.lat, demand.lon))
    return chord_to_km(chord), np.asarray(index)


def nearest(graph: RoadGraph, demand: Demand, supply: Supply) -> Nearest:
    """One multi-source Dijkstra for the road figures, one KD-tree query for the straight line."""
    line_km, _ = straight_line_nearest(demand, supply)
    minutes, km, provider = nearest_by_road(
        graph, (supply.lat, supply.lon), (demand.lat, demand.lon)
    )
    return Nearest(minutes, km, provider, line_km)
