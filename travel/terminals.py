"""The road graph reduced to the nodes that matter for many searches between a fixed set of points.

Searching from every UAT seat to every other (suggested sites) runs 3,186 Dijkstras; their
cost grows with the nodes each one settles. Two thirds of the road nodes only shape a road's
line: they have two neighbours (a bend) or one (a dead end that reaches no seat). Dropping the
dead ends and replacing each chain of bends by one edge of the chain's summed minutes (and,
separately, km) keeps every shortest path between the remaining nodes exactly, with less than
half the nodes.

Pure: numpy and scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from .roads import RoadGraph


@dataclass(frozen=True, eq=False)
class TerminalGraph:
    """The reduced graph: ``index[node]`` is a kept node's row (-1 for a dropped node)."""

    minutes: csr_matrix
    km: csr_matrix
    index: np.ndarray
    lat: np.ndarray  # of the kept nodes, in their order
    lon: np.ndarray
    km_per_min: float  # the fastest edge: no path covers more km in a minute

    @property
    def n_nodes(self) -> int:
        return self.minutes.shape[0]


_CACHE: dict[tuple[int, bytes], tuple[RoadGraph, TerminalGraph]] = {}


def reduced(graph: RoadGraph, terminals: np.ndarray) -> TerminalGraph:
    """``graph`` reduced around ``terminals`` (node ids that must stay), cached per graph and
    set of terminals (about 0.1 s to build; the seats of the gazetteer never change)."""
    terminals = np.unique(np.asarray(terminals, dtype=np.int64))
    terminals = terminals[terminals >= 0]
    key = (id(graph), terminals.tobytes())
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is graph:
        return hit[1]
    out = reduce_graph(graph, terminals)
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[key] = (graph, out)  # holding the graph keeps its id from being reused
    return out


def reduce_graph(graph: RoadGraph, terminals: np.ndarray) -> TerminalGraph:
    """Drop dead ends without a terminal, then contract chains of two-neighbour nodes."""
    n = graph.n_nodes
    # Plain lists: the walks below index one element at a time, where numpy is slow.
    indptr, indices = graph.minutes.indptr.tolist(), graph.minutes.indices.tolist()
    m_data, k_data = graph.minutes.data.tolist(), graph.km.data.tolist()  # same sparsity
    degree = np.diff(graph.minutes.indptr).tolist()
    must = np.zeros(n, dtype=bool)
    must[terminals] = True
    alive = (np.asarray(degree) > 0).tolist()
    # Dead ends: a node left with one neighbour and no terminal never lies on a path between
    # two kept nodes; removing it may make its neighbour a dead end too.
    stack = np.flatnonzero((np.asarray(degree) == 1) & ~must).tolist()
    must_l = must.tolist()
    while stack:
        v = stack.pop()
        if not alive[v]:
            continue
        alive[v] = False
        for w in indices[indptr[v] : indptr[v + 1]]:
            if alive[w]:
                degree[w] -= 1
                if degree[w] == 1 and not must_l[w]:
                    stack.append(w)
    kept_a = must | (np.asarray(alive) & (np.asarray(degree) != 2))
    index = np.full(n, -1, dtype=np.int64)
    index[kept_a] = np.arange(int(kept_a.sum()))
    kept, position = kept_a.tolist(), index.tolist()
    rows: list[int] = []
    cols: list[int] = []
    mins: list[float] = []
    kms: list[float] = []
    for u in np.flatnonzero(kept_a).tolist():
        for p in range(indptr[u], indptr[u + 1]):
            prev, v = u, indices[p]
            if not alive[v]:
                continue
            total_min, total_km = m_data[p], k_data[p]
            # Walk the chain of bends until a kept node; a ring of bends ends back at u.
            while not kept[v]:
                a, b = indptr[v], indptr[v + 1]
                nxt = -1
                for q in range(a, b):
                    w = indices[q]
                    if w != prev and alive[w]:
                        nxt, step_min, step_km = w, m_data[q], k_data[q]
                        break
                if nxt < 0:
                    break
                prev, v = v, nxt
                total_min += step_min
                total_km += step_km
            if kept[v] and v != u and u < v:
                rows.append(position[u])
                cols.append(position[v])
                mins.append(total_min)
                kms.append(total_km)
    size = int(kept_a.sum())
    fastest = max((k / m for k, m in zip(kms, mins) if m > 0), default=1.0)
    return TerminalGraph(
        _symmetric(rows, cols, mins, size), _symmetric(rows, cols, kms, size), index,
        graph.lat[kept_a], graph.lon[kept_a], float(fastest),
    )  # fmt: skip


def _symmetric(rows: list[int], cols: list[int], data: list[float], size: int) -> csr_matrix:
    """A symmetric matrix keeping the smallest of parallel edges (a CSR would add them)."""
    r, c, d = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(data)
    order = np.lexsort((d, c, r))
    r, c, d = r[order], c[order], d[order]
    first = np.r_[True, (r[1:] != r[:-1]) | (c[1:] != c[:-1])] if len(r) else np.zeros(0, bool)
    r, c, d = r[first], c[first], d[first]
    return csr_matrix(
        (np.concatenate([d, d]), (np.concatenate([r, c]), np.concatenate([c, r]))),
        shape=(size, size),
    )
