"""Road km and minutes over Romania's main roads (data/roads, © OpenStreetMap contributors, ODbL).

The graph is undirected, weighted in minutes from each edge's length and its road class's
speed. A point joins the network at its nearest node (a cKDTree on 3-D unit vectors), and the
straight hop to that node is a "snap leg" at a slow local speed: villages sit off the main
roads, and in the Danube Delta the hop stands for a boat. Every time is an estimate on main
roads only: no one-way streets, turns, traffic or ferries.

Pure: numpy, pandas and scipy only, no import from ``directory``. Speeds are passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088
NODES_FILE = "roads/ro_roads_nodes.csv"
EDGES_FILE = "roads/ro_roads_edges.csv"
ROAD_CLASSES = ("motorway", "national", "county", "communal", "other")
# The source's two connector classes travel at the speed of a class above (SOURCES §7): gaps
# of at most 49 m between lines of any road, and a motorway end joined to a national road.
CONNECTOR_CLASS = {"gap_connector": "other", "motorway_end_connector": "national"}
# Without a road path (an island of the network) a leg is the straight-line estimate that the
# travel seam uses everywhere else: ×1.26 the great circle at 50 km/h.
ROAD_FACTOR = 1.26
AVERAGE_KMH = 50.0
# Method codes per destination, in the order of the travel seam's METHODS.
STRAIGHT_LINE, ROAD = 0, 1
METHODS = ("straight_line", "road")
ATTRIBUTION = "Rețea rutieră: © OpenStreetMap contributors (ODbL 1.0), extras de geo-spatial.org"


def unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, so Euclidean nearest equals great-circle nearest."""
    p, lam = np.radians(np.asarray(lats, float)), np.radians(np.asarray(lons, float))
    return np.column_stack((np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)))


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    """A chord between unit vectors turned back into great-circle km."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2, 0.0, 1.0))


@dataclass(frozen=True)
class Legs:
    """Per destination: km, minutes and a method code (index into :data:`METHODS`)."""

    km: np.ndarray
    minutes: np.ndarray
    method: np.ndarray


@dataclass(frozen=True)
class Snap:
    """Each point's nearest road node and the km and minutes of the hop to it."""

    node: np.ndarray
    km: np.ndarray
    minutes: np.ndarray


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """The routable graph: minutes and km per edge, node positions, components."""

    minutes: csr_matrix  # symmetric, node × node
    km: csr_matrix  # same sparsity: the km of the fastest edge between two nodes
    lat: np.ndarray
    lon: np.ndarray
    component: np.ndarray
    snap_kmh: float
    slowest_kmh: float  # of the road classes: bounds the search for a km limit
    tree: cKDTree
    tree_index: np.ndarray  # tree row → node id

    @classmethod
    def from_frames(
        cls, nodes: pd.DataFrame, edges: pd.DataFrame, speeds: Mapping[str, float],
        snap_kmh: float, main_only: bool = True,
    ) -> RoadGraph:  # fmt: skip
        """Build from node (node_id, lat, lon) and edge (u, v, length_m, road_class) tables.

        With ``main_only`` points snap only to the largest connected network, as the source's
        own UAT table does: the 19 small islands are border stubs that lead nowhere.
        """
        missing = [c for c in ROAD_CLASSES if c not in speeds]
        if missing or snap_kmh <= 0 or min(speeds[c] for c in ROAD_CLASSES) <= 0:
            raise ValueError(f"every road class needs a positive speed in km/h: {missing}")
        n = int(nodes["node_id"].max()) + 1
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        lat[nodes["node_id"]] = nodes["lat"]
        lon[nodes["node_id"]] = nodes["lon"]
        cls_ = edges["road_class"].map(lambda c: CONNECTOR_CLASS.get(c, c))
        kmh = cls_.map(lambda c: float(speeds.get(c, speeds["other"])))
        e = pd.DataFrame({
            "a": np.minimum(edges["u"], edges["v"]), "b": np.maximum(edges["u"], edges["v"]),
            "km": edges["length_m"] / 1000.0,
        })  # fmt: skip
        e["min"] = e["km"] / kmh.to_numpy() * 60.0
        # Parallel edges: keep the fastest; a CSR built from duplicates would add them up.
        e = e[e["a"] != e["b"]].sort_values("min").drop_duplicates(["a", "b"])
        rows = np.concatenate([e["a"], e["b"]])
        cols = np.concatenate([e["b"], e["a"]])
        minutes = csr_matrix((np.concatenate([e["min"], e["min"]]), (rows, cols)), shape=(n, n))
        km = csr_matrix((np.concatenate([e["km"], e["km"]]), (rows, cols)), shape=(n, n))
        _, component = connected_components(minutes, directed=False)
        valid = ~np.isnan(lat)
        if main_only:
            valid &= component == np.bincount(component).argmax()
        tree = cKDTree(unit_vectors(lat[valid], lon[valid]))
        index = np.flatnonzero(valid)
        slowest = min(float(speeds[c]) for c in ROAD_CLASSES)
        return cls(minutes, km, lat, lon, component, float(snap_kmh), slowest, tree, index)

    @property
    def n_nodes(self) -> int:
        return self.minutes.shape[0]

    def snap(self, lats: np.ndarray, lons: np.ndarray) -> Snap:
        """Nearest node of each point; NaN points get node -1 and NaN legs."""
        lats, lons = np.atleast_1d(np.asarray(lats, float)), np.atleast_1d(np.asarray(lons, float))
        ok = ~(np.isnan(lats) | np.isnan(lons))
        node = np.full(len(lats), -1, dtype=np.int64)
        km = np.full(len(lats), np.nan)
        if ok.any():
            chord, i = self.tree.query(unit_vectors(lats[ok], lons[ok]))
            node[ok] = self.tree_index[i]
            km[ok] = chord_to_km(chord)
        return Snap(node, km, km / self.snap_kmh * 60.0)

    @cached_property
    def _max_degree(self) -> int:
        return int(np.diff(self.km.indptr).max(initial=0))

    def _edge_km(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """km of the edges a[i]–b[i] (all present). The graph is symmetric, so scan row b for
        column a: a few vectorised passes (nodes have few roads), where sparse fancy indexing
        took 10 ms of a 16 ms search over the whole network."""
        csr = self.km
        start, end = csr.indptr[b], csr.indptr[b + 1]
        out = np.zeros(len(b))
        last = len(csr.indices) - 1
        for k in range(self._max_degree):
            pos = np.minimum(start + k, last)
            hit = (start + k < end) & (csr.indices[pos] == a)
            out[hit] = csr.data[pos[hit]]
        return out

    def _tree_km(self, pred: np.ndarray) -> np.ndarray:
        """Km from the root(s) along a shortest-path tree given by predecessors.

        Pointer jumping: each round adds the ancestor's partial sum and skips to the
        ancestor's ancestor, so a tree of depth d takes log2(d) vectorised rounds.
        """
        has = pred >= 0
        acc = np.zeros(len(pred))
        v = np.flatnonzero(has)
        acc[v] = self._edge_km(pred[v], v)
        anc = np.where(has, pred, -1)
        while (anc >= 0).any():
            j = np.flatnonzero(anc >= 0)
            a = anc[j]
            acc[j] += acc[a]
            anc[j] = anc[a]
        return acc

    def from_node(self, node: int, limit_min: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """Minutes and km from one node to every node (inf beyond ``limit_min``)."""
        minutes, pred = dijkstra(
            # Directed on a symmetric matrix: the same paths, without scipy building the
            # transpose on every call.
            self.minutes,
            directed=True,
            indices=node,
            limit=limit_min,
            return_predecessors=True,
        )
        km = self._tree_km(pred)
        km[np.isinf(minutes)] = np.inf
        return minutes, km

    def from_nearest(
        self, nodes: np.ndarray, extra_min: np.ndarray | None = None, limit_min: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Minutes, km and source index of the nearest of many source nodes, for every node.

        One multi-source Dijkstra (``min_only=True``). ``extra_min`` (minutes already spent
        before each source node, such as its snap leg) is honoured through a virtual root node
        joined to every source by an edge of that weight.
        """
        nodes = np.asarray(nodes, dtype=np.int64)
        n = self.n_nodes
        if len(nodes) == 0:
            inf = np.full(n, np.inf)
            return inf, inf.copy(), np.full(n, -1)
        extra = np.zeros(len(nodes)) if extra_min is None else np.asarray(extra_min, float)
        # Several sources may share a node: the virtual edge keeps the cheapest of them.
        order = np.lexsort((extra, nodes))
        first = np.r_[True, nodes[order][1:] != nodes[order][:-1]]
        keep = order[first]
        # Weight 0 would be read as "no edge" by csgraph, so add a tiny epsilon.
        w = extra[keep] + 1e-9
        root = n
        aug = _with_root(self.minutes, nodes[keep], w, root)
        minutes, pred = dijkstra(
            aug, directed=True, indices=root, limit=limit_min, return_predecessors=True
        )
        minutes, pred = minutes[:n], pred[:n]
        # The source of each node: jump up the tree until the node hanging from the root.
        source_of_node = np.full(n, -1)
        source_of_node[nodes[keep]] = keep
        up = np.where((pred >= 0) & (pred != root), pred, np.arange(n))
        while True:
            nxt = up[up]
            if np.array_equal(nxt, up):
                break
            up = nxt
        src = np.where(np.isfinite(minutes), source_of_node[up], -1)
        km = self._tree_km(np.where(pred == root, -1, pred))
        minutes = minutes - np.where(np.isfinite(minutes), 1e-9, 0.0)
        km[np.isinf(minutes)] = np.inf
        return minutes, km, src


def _with_root(graph: csr_matrix, nodes: np.ndarray, weights: np.ndarray, root: int) -> csr_matrix:
    n = graph.shape[0]
    coo = graph.tocoo()
    rows = np.concatenate([coo.row, np.full(len(nodes), root)])
    cols = np.concatenate([coo.col, nodes])
    data = np.concatenate([coo.data, weights])
    return csr_matrix((data, (rows, cols)), shape=(n + 1, n + 1))


def straight_line_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle km from one point to many."""
    a = unit_vectors(np.array([lat]), np.array([lon]))
    return chord_to_km(np.linalg.norm(unit_vectors(lats, lons) - a, axis=1))


@lru_cache(maxsize=4)
def load_graph(data_dir: str, speeds: tuple[tuple[str, float], ...], snap_kmh: float) -> RoadGraph:
    """Read data/roads once per data folder and speeds (speeds as sorted (class, km/h) pairs)."""
    root = Path(data_dir)
    nodes = pd.read_csv(root / NODES_FILE, usecols=["node_id", "lon", "lat"])
    edges = pd.read_csv(root / EDGES_FILE, usecols=["u", "v", "length_m", "road_class"])
    return RoadGraph.from_frames(nodes, edges, dict(speeds), snap_kmh)


def road_legs(
    graph: RoadGraph, origin: tuple[float, float], lats: np.ndarray, lons: np.ndarray,
    limit_km: float | None = None, limit_min: float | None = None,
) -> Legs:  # fmt: skip
    """Road km and minutes from ``origin`` (lat, lon) to many points: one Dijkstra.

    Each leg is snap hop + fastest road path + snap hop. The search stops at ``limit_min``, or
    at the time the slowest road class needs for ``limit_km``; destinations beyond it get inf.
    A destination on another island of the network (no road path) gets the straight-line
    estimate and method ``STRAIGHT_LINE``; NaN points get NaN.
    """
    lats, lons = np.asarray(lats, float), np.asarray(lons, float)
    limit = np.inf if limit_min is None else float(limit_min)
    if limit_km is not None:
        slowest = min(graph.snap_kmh, graph.slowest_kmh)
        limit = min(limit, limit_km / slowest * 60.0)

    def search(g: RoadGraph, node: int) -> tuple[np.ndarray, np.ndarray]:
        return g.from_node(node, limit)

    return legs_from_snap(graph, origin, graph.snap(lats, lons), lats, lons, search)


def legs_from_snap(
    graph: RoadGraph, origin: tuple[float, float], d: Snap, lats: np.ndarray, lons: np.ndarray,
    search: Callable[[RoadGraph, int], tuple[np.ndarray, np.ndarray]],
) -> Legs:  # fmt: skip
    """:func:`road_legs` for destinations already snapped (``d``, aligned with lats/lons);
    ``search(graph, node)`` gives minutes and km from a node to every node (cacheable)."""
    o = graph.snap(np.array([origin[0]]), np.array([origin[1]]))
    minutes = np.full(len(lats), np.nan)
    km = np.full(len(lats), np.nan)
    method = np.full(len(lats), ROAD, dtype=np.int8)
    if o.node[0] < 0:
        raise ValueError("the origin has no coordinates")
    node_min, node_km = search(graph, int(o.node[0]))
    ok = d.node >= 0
    minutes[ok] = o.minutes[0] + node_min[d.node[ok]] + d.minutes[ok]
    km[ok] = o.km[0] + node_km[d.node[ok]] + d.km[ok]
    island = ok & (graph.component[np.maximum(d.node, 0)] != graph.component[o.node[0]])
    if island.any():
        line = straight_line_km(origin[0], origin[1], lats[island], lons[island]) * ROAD_FACTOR
        km[island] = line
        minutes[island] = line / AVERAGE_KMH * 60.0
        method[island] = STRAIGHT_LINE
    return Legs(km, minutes, method)


def nearest_by_road(
    graph: RoadGraph, sources: tuple[np.ndarray, np.ndarray],
    targets: tuple[np.ndarray, np.ndarray], limit_min: float = np.inf,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """For each target (lats, lons): minutes and km to its nearest source by road, and its index.

    One multi-source Dijkstra; snap hops count at both ends. Targets no source reaches (or
    beyond ``limit_min``) get inf and index -1.
    """
    s = graph.snap(*sources)
    t = graph.snap(*targets)
    ok = s.node >= 0
    idx = np.flatnonzero(ok)
    if len(idx) == 0:
        none = np.full(len(t.node), np.inf)
        return none, none.copy(), np.full(len(t.node), -1)
    node_min, node_km, src = graph.from_nearest(s.node[ok], s.minutes[ok], limit_min)
    tok = t.node >= 0
    minutes = np.full(len(t.node), np.inf)
    km = np.full(len(t.node), np.inf)
    which = np.full(len(t.node), -1)
    tn = t.node[tok]
    got = src[tn]
    minutes[tok] = node_min[tn] + t.minutes[tok]
    sk = np.where(got >= 0, s.km[idx[np.maximum(got, 0)]], 0.0)
    km[tok] = node_km[tn] + t.km[tok] + sk
    which[tok] = np.where(got >= 0, idx[np.maximum(got, 0)], -1)
    return minutes, km, which
