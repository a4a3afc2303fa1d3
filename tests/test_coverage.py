"""Coverage figures: hand-computed numbers, greedy against brute force, monotonicity."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from directory.coverage_data import demand as load_demand
from directory.coverage_data import road_graph
from directory.settings import Settings
from gaps.analysis import analyse, suppress_small, what_if
from gaps.model import Demand, Supply
from gaps.nearest import straight_line_nearest
from gaps.sites import greedy_sites, reach_matrix, suggest
from travel.roads import RoadGraph

from .conftest import DATA_DIR
from .test_roads import EDGES, NODES, SNAP_KMH, SPEEDS


def small_demand() -> Demand:
    # One UAT at each road node of the small graph: A and B in county X, C and D in Y.
    return Demand(
        siruta=np.array([1, 2, 3, 4]), name=np.array(list("ABCD"), dtype=object),
        county=np.array(["X", "X", "Y", "Y"], dtype=object),
        lat=NODES["lat"].to_numpy()[:4], lon=NODES["lon"].to_numpy()[:4],
        population=np.array([100.0, 200.0, 300.0, 400.0]),
    )  # fmt: skip


def supply_at(lats, lons, service_type="legal_aid", county="X", beds=np.nan) -> Supply:
    n = len(lats)
    return Supply(
        ids=np.array([f"s{i}" for i in range(n)], dtype=object),
        service_type=np.array([service_type] * n, dtype=object),
        child_friendly=np.ones(n, dtype=bool), lat=np.asarray(lats, float),
        lon=np.asarray(lons, float), county=np.array([county] * n, dtype=object),
        beds=np.full(n, beds), label=np.array([f"P{i}" for i in range(n)], dtype=object),
        generalised=np.zeros(n, dtype=bool),
    )  # fmt: skip


@pytest.fixture(scope="module")
def small() -> RoadGraph:
    return RoadGraph.from_frames(NODES, EDGES, SPEEDS, SNAP_KMH, main_only=False)


def test_hand_computed_coverage_on_the_small_graph(small):
    # One provider at node 0: A 0 min, B 10, C 15, D 25 (see test_roads).
    cov = analyse(small, small_demand(), supply_at([45.0], [25.0], beds=12), (12, 20), (15,))
    assert cov.near.minutes == pytest.approx([0, 10, 15, 25])
    assert cov.near.km == pytest.approx([0, 10, 20, 25])
    national = cov.national()
    assert national["min"] == pytest.approx({"12": 300 / 1000, "20": 600 / 1000})
    assert national["km"] == pytest.approx({"15": 300 / 1000})
    counties = cov.counties().set_index("county_code")
    assert counties.loc["X", "share_12_min"] == 1.0 and counties.loc[
        "Y", "share_20_min"
    ] == pytest.approx(3 / 7)
    assert counties.loc["X", "services_per_100k"] == pytest.approx(1 / 300 * 100_000)
    assert counties.loc["X", "beds_per_100k"] == pytest.approx(12 / 300 * 100_000)
    assert counties.loc["Y", "services"] == 0
    # Worst: D is 5 min over 20 with 400 people (2,000); C is under.
    worst = cov.worst(20)
    assert list(worst["uat"]) == ["D"] and worst.loc[0, "gap"] == pytest.approx(2_000)
    assert cov.counties_mostly_far(12) == (1, 2)


def test_straight_line_nearest_uses_the_great_circle():
    d = small_demand()
    km, index = straight_line_nearest(d, supply_at([45.0, 45.0], [25.0, 25.3]))
    assert list(index) == [0, 0, 1, 1]
    assert km[1] == pytest.approx(7.86, abs=0.02)  # 0.1° of longitude at 45° N


def test_no_provider_means_no_one_is_covered(small):
    cov = analyse(small, small_demand(), supply_at([], []), (30,), (25,))
    assert cov.national() == {"min": {"30": 0.0}, "km": {"25": 0.0}}
    assert cov.uats()["road_minutes"].isna().all()
    assert len(cov.worst(30)) == 4


def test_reach_matrix_and_suggestions_on_the_small_graph(small):
    d = small_demand()
    reach = reach_matrix(small, d, 10).toarray()
    # Within 10 minutes: A-B, B-C (5), C-D (10), and each place of itself.
    expected = np.array([[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1]], dtype=bool)
    assert (reach == expected).all()
    cov = analyse(small, d, supply_at([45.0], [25.0]), (10,), ())
    picks = suggest(small, cov, 3, 10)
    # A and B are covered; a site at C (index 2) adds C and D: 700 people, then nothing is left.
    assert [(p.index, p.gain) for p in picks] == [(2, 700.0)]


def brute_force(reach: np.ndarray, weight: np.ndarray, k: int) -> float:
    best = 0.0
    for combo in itertools.combinations(range(reach.shape[1]), k):
        best = max(best, float(weight[reach[:, list(combo)].any(axis=1)].sum()))
    return best


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(3, 8), k=st.integers(1, 3), seed=st.integers(0, 10_000),
    density=st.floats(0.1, 0.6),
)  # fmt: skip
def test_greedy_against_brute_force(n, k, seed, density):
    rng = np.random.default_rng(seed)
    reach = rng.random((n, n)) < density
    population = rng.integers(0, 1000, n).astype(float)
    covered = rng.random(n) < 0.2
    picks = greedy_sites(csr_matrix(reach), population, covered, k)
    weight = np.where(covered, 0.0, population)
    total = sum(p.gain for p in picks)
    # Each gain is what the pick really adds, and the total is what the picks cover.
    chosen = [p.index for p in picks]
    assert total == pytest.approx(weight[reach[:, chosen].any(axis=1)].sum() if chosen else 0.0)
    assert [p.gain for p in picks] == sorted((p.gain for p in picks), reverse=True)
    optimum = brute_force(reach, weight, min(k, n))
    assert total <= optimum + 1e-9
    if k == 1:
        assert total == pytest.approx(optimum)
    assert total >= (1 - 1 / np.e) * optimum - 1e-9  # the greedy bound


def test_greedy_is_not_always_optimal_but_says_what_it_adds():
    # The classic trap: the biggest single site, then two halves would have covered more.
    reach = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]], dtype=bool)[:, [0, 1, 2]]
    population = np.array([10.0, 10.0, 10.0, 1.0])
    picks = greedy_sites(csr_matrix(reach), population, np.zeros(4, bool), 2)
    assert [p.index for p in picks][0] == 0
    assert sum(p.gain for p in picks) == pytest.approx(31.0)


@pytest.fixture(scope="module")
def romania():
    s = Settings.from_env({"PUNTE_DATA_DIR": str(DATA_DIR)})
    return road_graph(s), load_demand(str(DATA_DIR))


def random_supply(demand: Demand, n: int, seed: int) -> Supply:
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(demand), n, replace=False)
    return supply_at(demand.lat[rows], demand.lon[rows])


def test_demand_is_every_uat_with_its_population(romania):
    _, demand = romania
    assert len(demand) == 3186 and demand.basis == "domicile_2020"
    assert 19_000_000 < demand.population.sum() < 23_000_000


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_monotone_in_threshold_and_when_closing_or_adding(romania, seed):
    graph, demand = romania
    cov = analyse(graph, demand, random_supply(demand, 25, seed), (15, 30, 60, 90), (10, 50, 100))
    for by in ("min", "km"):
        shares = list(cov.national()[by].values())
        assert shares == sorted(shares)  # a larger threshold never covers fewer people
    base = cov.national()
    for close in (0, 7, 24):
        after = what_if(graph, cov, close=close).national()
        for by in ("min", "km"):
            for t, share in after[by].items():
                assert share <= base[by][t] + 1e-12  # closing never raises coverage
    added = what_if(graph, cov, add=(46.0, 24.0, "MS", "new")).national()
    assert all(added["min"][t] >= base["min"][t] - 1e-12 for t in base["min"])
    assert len(cov.supply) == 25  # the what-if left the original supply alone


def test_road_and_straight_line_agree_in_order_of_magnitude(romania):
    graph, demand = romania
    cov = analyse(graph, demand, random_supply(demand, 40, 9))
    ratio = np.nanmedian(cov.near.km / np.maximum(cov.near.line_km, 1e-6))
    assert 1.05 < ratio < 2.0  # road km run longer than the great circle


def test_suggested_sites_cover_what_they_claim(romania):
    graph, demand = romania
    cov = analyse(graph, demand, random_supply(demand, 10, 5), (60,), ())
    picks = suggest(graph, cov, 5, 60)
    assert 1 <= len(picks) <= 5
    supply = cov.supply
    for p in picks:
        supply = supply.plus(demand.lat[p.index], demand.lon[p.index], "X", "new", "legal_aid")
    after = analyse(graph, demand, supply, (60,), ())
    gained = demand.population[after.covered(60)].sum() - demand.population[cov.covered(60)].sum()
    assert gained == pytest.approx(sum(p.gain for p in picks), rel=1e-6)


def test_referral_counts_below_five_are_suppressed():
    counts = pd.Series([0, 1, 4, 5, 12], index=list("ABCDE"))
    shown = suppress_small(counts)
    assert shown.isna().tolist() == [True, True, True, False, False]
    assert shown["E"] == 12
