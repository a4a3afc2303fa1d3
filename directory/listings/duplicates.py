"""Probable duplicate listings: similar names (diacritics ignored) close to each other.

Pure: give it listings, get pairs. Names are compared only within a grid of cells about
``km`` wide, so 10,000 services take well under a second instead of 50 million comparisons.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from directory.textnorm import fold

# token_sort_ratio, word order ignored: "Centrul de zi Speranța" ~ "Speranța, centrul de zi".
SIMILARITY = 90.0
DISTANCE_KM = 5.0
_KM_PER_DEG_LAT = 111.2


@dataclass(frozen=True)
class Listing:
    key: str  # a service id, or "row N" for a file row not yet stored
    name: str
    latitude: float
    longitude: float
    service_type: str | None = None


@dataclass(frozen=True)
class DuplicatePair:
    a: str
    b: str
    similarity: float
    km: float


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _same_kind(a: Listing, b: Listing) -> bool:
    # A provider's "Centrul Speranța" offering legal aid and counselling is two services.
    return a.service_type is None or b.service_type is None or a.service_type == b.service_type


def probable_duplicates(
    listings: Iterable[Listing],
    similarity: float = SIMILARITY,
    km: float = DISTANCE_KM,
) -> list[DuplicatePair]:
    """Every pair with names at least ``similarity`` alike (0–100) within ``km``."""
    items = list(listings)
    names = [fold(x.name) for x in items]
    # Cells km wide at Romania's latitude; neighbours cover any pair closer than km.
    lat_step = km / _KM_PER_DEG_LAT
    lon_step = km / (_KM_PER_DEG_LAT * math.cos(math.radians(46.0)))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, x in enumerate(items):
        cells[(math.floor(x.latitude / lat_step), math.floor(x.longitude / lon_step))].append(i)
    pairs: list[DuplicatePair] = []
    for (cy, cx), own in cells.items():
        near = [
            j
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if (cy + dy, cx + dx) >= (cy, cx)  # each pair of cells once
            for j in cells.get((cy + dy, cx + dx), ())
        ]
        scores = process.cdist(
            [names[i] for i in own],
            [names[j] for j in near],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=similarity,
            dtype="uint8",
        )
        for a, b in zip(*scores.nonzero(), strict=True):
            i, j = own[int(a)], near[int(b)]
            if i >= j and (cy, cx) == _cell_of(items[j], lat_step, lon_step):
                continue  # the same cell: keep each pair once, never a listing with itself
            _add(items, i, j, float(scores[a, b]), km, pairs)
    return sorted(pairs, key=lambda p: (p.a, p.b))


def _cell_of(x: Listing, lat_step: float, lon_step: float) -> tuple[int, int]:
    return (math.floor(x.latitude / lat_step), math.floor(x.longitude / lon_step))


def _add(
    items: list[Listing], i: int, j: int, score: float, km: float, pairs: list[DuplicatePair]
) -> None:
    x, y = items[i], items[j]
    if not _same_kind(x, y):
        return
    d = km_between(x.latitude, x.longitude, y.latitude, y.longitude)
    if d <= km:
        a, b = sorted((x.key, y.key))
        pairs.append(DuplicatePair(a, b, round(score, 1), round(d, 2)))


def probable_duplicates_naive(
    listings: Iterable[Listing], similarity: float = SIMILARITY, km: float = DISTANCE_KM
) -> list[DuplicatePair]:
    """Every pair compared: the reference the fast version is tested and benchmarked against."""
    items = list(listings)
    names = [fold(x.name) for x in items]
    pairs: list[DuplicatePair] = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            score = fuzz.token_sort_ratio(names[i], names[j])
            if score >= similarity:
                _add(items, i, j, score, km, pairs)
    return sorted(pairs, key=lambda p: (p.a, p.b))
