"""Suggested sites: a greedy maximal-covering choice of new providers among UAT seats.

Greedy picks, k times, the candidate that brings the most not-yet-covered population within
the threshold. It is within 1 - 1/e of the best choice (the coverage function is submodular)
and takes milliseconds; an exact solver is no better on the picks a partner reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from travel.roads import RoadGraph
from travel.terminals import reduced

from .analysis import Coverage
from .model import Demand

CHUNK = 256  # sources per Dijkstra call: 256 × 17,000 reduced nodes is 35 MB at most
CELL_DEG = 0.75  # sources searched together lie in one cell of this many degrees
KM_PER_DEG = 110.5  # km per degree of latitude, a little less than the least (110.57)
SAFETY = 1.05  # road lengths rounded in the source may fall just under the great circle


@dataclass(frozen=True)
class Pick:
    """One suggested site: the candidate's row in the demand, and the population it adds."""

    index: int
    gain: float


def reach_matrix(
    graph: RoadGraph, demand: Demand, threshold: float, rows: np.ndarray | None = None,
    by: str = "min",
) -> csr_matrix:  # fmt: skip
    """Boolean demand × candidate matrix: candidate seat j is within the threshold of UAT i.

    Candidates are all UAT seats; only the demand ``rows`` (default all) are searched, so the
    caller passes the UATs not yet covered. Both snap hops count. ``by`` is "min" (road
    minutes on the fastest paths) or "km" (road km on the shortest paths).
    """
    snapped = graph.snap(demand.lat, demand.lon)
    # Searches run on the graph reduced around the seats: the same shortest paths between
    # them, on less than half the nodes (see travel.terminals).
    small = reduced(graph, snapped.node)
    weights = small.minutes if by == "min" else small.km
    hop = snapped.minutes if by == "min" else snapped.km
    node = small.index[snapped.node]
    rows = np.arange(len(demand)) if rows is None else np.asarray(rows, dtype=np.int64)
    out_r: list[np.ndarray] = []
    out_c: list[np.ndarray] = []
    for part in _nearby_groups(small.lat[node[rows]], small.lon[node[rows]], rows):
        # Limit per group: the largest budget left once each source's own hop is walked.
        limit = float((threshold - hop[part]).max())
        if limit < 0:
            continue
        # Only the nodes a search can reach: a path of ``limit`` minutes covers at most
        # limit × the fastest speed in km, and never less than the great circle.
        reach_km = (limit * small.km_per_min if by == "min" else limit) * SAFETY + 1.0
        window = np.flatnonzero(_box(small.lat, small.lon, node[part], reach_km))
        local = np.full(small.n_nodes, -1, dtype=np.int64)
        local[window] = np.arange(len(window))
        seats = np.flatnonzero(local[node] >= 0)  # the candidates inside the window
        sub = weights[window][:, window]
        # Directed on a symmetric matrix: the same paths, without scipy adding the transpose.
        dist = dijkstra(sub, directed=True, indices=local[node[part]], limit=limit)
        # Travel time from the group's UATs to every seat: road plus the seat's own hop.
        seat = dist[:, local[node[seats]]] + hop[seats][None, :] + hop[part][:, None]
        r, c = np.nonzero(seat <= threshold)
        out_r.append(part[r])
        out_c.append(seats[c])
    r = np.concatenate(out_r) if out_r else np.zeros(0, dtype=np.int64)
    c = np.concatenate(out_c) if out_c else np.zeros(0, dtype=np.int64)
    return csr_matrix((np.ones(len(r), dtype=bool), (r, c)), shape=(len(demand), len(demand)))


def _nearby_groups(lat: np.ndarray, lon: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """``rows`` in groups of nearby places (cells of CELL_DEG degrees, at most CHUNK each)."""
    cell = np.floor(lat / CELL_DEG) * 1000 + np.floor(lon / CELL_DEG)
    order = np.argsort(cell, kind="stable")
    rows, cell = rows[order], cell[order]
    cuts = np.flatnonzero(np.diff(cell)) + 1
    groups = []
    for group in np.split(rows, cuts):
        groups += [group[i : i + CHUNK] for i in range(0, len(group), CHUNK)]
    return groups


def _box(lat: np.ndarray, lon: np.ndarray, sources: np.ndarray, km: float) -> np.ndarray:
    """Nodes inside the sources' bounding box grown by ``km`` on every side."""
    south, north = lat[sources].min() - km / KM_PER_DEG, lat[sources].max() + km / KM_PER_DEG
    widest = np.cos(np.radians(min(max(abs(south), abs(north)), 89.0)))
    west = lon[sources].min() - km / (KM_PER_DEG * widest)
    east = lon[sources].max() + km / (KM_PER_DEG * widest)
    return (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)


def greedy_sites(
    reach: csr_matrix, population: np.ndarray, covered: np.ndarray, k: int
) -> list[Pick]:
    """Up to ``k`` picks, each with the population it newly covers (ties: lowest index)."""
    weight = np.where(covered, 0.0, np.asarray(population, dtype=float))
    by_candidate = reach.T.tocsr().astype(float)
    picks: list[Pick] = []
    for _ in range(k):
        gains = by_candidate @ weight
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        picks.append(Pick(best, float(gains[best])))
        newly = by_candidate.getrow(best).indices
        weight[newly] = 0.0
    return picks


def suggest(
    graph: RoadGraph, cov: Coverage, k: int, threshold: float, by: str = "min"
) -> list[Pick]:
    """Up to ``k`` new sites among UAT seats for the coverage's type, greedy."""
    covered = cov.covered(threshold, by)
    reach = reach_matrix(graph, cov.demand, threshold, np.flatnonzero(~covered), by)
    return greedy_sites(reach, cov.demand.population, covered, k)
