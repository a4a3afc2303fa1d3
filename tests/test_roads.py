"""Road km and minutes: a hand-computed small graph, then known pairs on the real network."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from directory.places.gazetteer import load_gazetteer
from directory.settings import Settings
from travel.roads import (
    ROAD,
    STRAIGHT_LINE,
    RoadGraph,
    load_graph,
    nearest_by_road,
    road_legs,
    straight_line_km,
)

from .conftest import DATA_DIR

# Speeds chosen so every edge takes a round number of minutes.
SPEEDS = {"motorway": 120.0, "national": 60.0, "county": 30.0, "communal": 30.0, "other": 60.0}
SNAP_KMH = 6.0
#  0 --national 10 km (10 min)-- 1 --motorway 10 km (5 min)-- 2 --county 5 km (10 min)-- 3
#  0 --communal 15 km (30 min)-- 2        (slower than 0-1-2: 15 min, but shorter)
#  0 --communal 10 km (20 min)-- 1        (a parallel edge: the faster one must win, not the sum)
#  4 --other 3 km-- 5                     (an island with no road to the rest)
NODES = pd.DataFrame({
    "node_id": [0, 1, 2, 3, 4, 5],
    "lat": [45.0, 45.0, 45.0, 45.0, 47.0, 47.0],
    "lon": [25.0, 25.1, 25.2, 25.3, 27.0, 27.03],
})  # fmt: skip
EDGES = pd.DataFrame({
    "u": [0, 1, 2, 0, 1, 4],
    "v": [1, 2, 3, 2, 0, 5],
    "length_m": [10_000, 10_000, 5_000, 15_000, 10_000, 3_000],
    "road_class": ["national", "motorway", "county", "communal", "communal", "other"],
})  # fmt: skip


@pytest.fixture(scope="module")
def small() -> RoadGraph:
    return RoadGraph.from_frames(NODES, EDGES, SPEEDS, SNAP_KMH, main_only=False)


def at(*nodes: int) -> tuple[np.ndarray, np.ndarray]:
    return NODES["lat"].to_numpy()[list(nodes)], NODES["lon"].to_numpy()[list(nodes)]


def test_fastest_path_minutes_and_its_km(small):
    legs = road_legs(small, (45.0, 25.0), *at(0, 1, 2, 3))
    assert legs.minutes == pytest.approx([0, 10, 15, 25])
    # 0 → 2 goes by 1 (15 min, 20 km), not the shorter communal road (30 min, 15 km).
    assert legs.km == pytest.approx([0, 10, 20, 25])
    assert (legs.method == ROAD).all()


def test_the_snap_hop_is_walked_at_the_snap_speed(small):
    # A point 0.02° north of node 3: its hop is the great-circle km at 6 km/h, added once.
    hop = straight_line_km(45.02, 25.3, np.array([45.0]), np.array([25.3]))[0]
    legs = road_legs(small, (45.0, 25.0), np.array([45.02]), np.array([25.3]))
    assert legs.km[0] == pytest.approx(25 + hop)
    assert legs.minutes[0] == pytest.approx(25 + hop / SNAP_KMH * 60)


def test_no_road_path_falls_back_to_the_straight_line_and_says_so(small):
    legs = road_legs(small, (45.0, 25.0), *at(4, 2))
    assert list(legs.method) == [STRAIGHT_LINE, ROAD]
    line = straight_line_km(45.0, 25.0, np.array([47.0]), np.array([27.0]))[0] * 1.26
    assert legs.km[0] == pytest.approx(line)
    assert legs.minutes[0] == pytest.approx(line / 50 * 60)


def test_the_search_stops_at_the_limit(small):
    legs = road_legs(small, (45.0, 25.0), *at(1, 2, 3), limit_min=16)
    assert legs.minutes[:2] == pytest.approx([10, 15])
    assert np.isinf(legs.minutes[2]) and np.isinf(legs.km[2])


def test_nearest_of_many_sources(small):
    minutes, km, which = nearest_by_road(small, at(0, 3), at(0, 1, 2, 3, 4))
    assert minutes[:4] == pytest.approx([0, 10, 10, 0])
    assert km[:4] == pytest.approx([0, 10, 5, 0])
    assert list(which) == [0, 0, 1, 1, -1]  # the island reaches no source
    assert np.isinf(minutes[4])


def test_a_source_off_the_road_counts_its_own_hop(small):
    # The source 0.02° south of node 0 walks about 2.2 km (22 min) before driving.
    hop = straight_line_km(44.98, 25.0, np.array([45.0]), np.array([25.0]))[0]
    minutes, km, _ = nearest_by_road(small, (np.array([44.98]), np.array([25.0])), at(1))
    assert minutes[0] == pytest.approx(hop / SNAP_KMH * 60 + 10)
    assert km[0] == pytest.approx(hop + 10)


def test_main_only_snaps_to_the_largest_network():
    graph = RoadGraph.from_frames(NODES, EDGES, SPEEDS, SNAP_KMH, main_only=True)
    assert graph.snap(*at(4)).node[0] in {0, 1, 2, 3}


def test_speeds_must_be_positive():
    with pytest.raises(ValueError, match="positive speed"):
        RoadGraph.from_frames(NODES, EDGES, {**SPEEDS, "county": 0.0}, SNAP_KMH)


@pytest.fixture(scope="module")
def romania() -> RoadGraph:
    s = Settings.from_env({})
    return load_graph(str(DATA_DIR), s.road_speeds, s.road_snap_kmh)


def seat(name: str, county: str) -> tuple[float, float]:
    uat = next(
        u for u in load_gazetteer(DATA_DIR).uats if (u.name, u.county_code) == (name, county)
    )
    return uat.lat, uat.lon


@pytest.mark.parametrize(
    ("a", "b", "low_km", "high_km"),
    [
        (("Vaslui", "VS"), ("Iași", "IS"), 64, 78),  # SOURCES §7: 67 km on the shortest path
        (("Brașov", "BV"), ("Sibiu", "SB"), 130, 150),  # 138 km
        (("Timișoara", "TM"), ("Constanța", "CT"), 700, 800),  # 721 km; the motorway is longer
    ],
)
def test_known_pairs_by_road(romania, a, b, low_km, high_km):
    origin, dest = seat(*a), seat(*b)
    legs = road_legs(romania, origin, np.array([dest[0]]), np.array([dest[1]]))
    assert low_km <= legs.km[0] <= high_km
    assert legs.method[0] == ROAD
    line = straight_line_km(*origin, np.array([dest[0]]), np.array([dest[1]]))[0]
    assert legs.km[0] > line  # a road is never shorter than the great circle
    # Between the slowest and the fastest class speeds.
    assert legs.km[0] / 100 * 60 < legs.minutes[0] < legs.km[0] / 15 * 60


def test_every_uat_seat_reaches_a_provider_in_bucharest(romania):
    uats = load_gazetteer(DATA_DIR).uats
    lat, lon = np.array([u.lat for u in uats]), np.array([u.lon for u in uats])
    minutes, km, which = nearest_by_road(
        romania, (np.array([44.43]), np.array([26.10])), (lat, lon)
    )
    assert np.isfinite(minutes).all() and (which == 0).all()
    # Agrees with one Dijkstra from the single source, seat by seat.
    one = road_legs(romania, (44.43, 26.10), lat[:50], lon[:50])
    assert minutes[:50] == pytest.approx(one.minutes)
    assert km[:50] == pytest.approx(one.km)
