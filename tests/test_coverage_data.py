"""What coverage reads from the directory: privacy of confidential sites, uploads, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from directory.coverage_data import (
    PopulationFileError,
    demand,
    load_supply,
    population_from_csv,
    road_graph,
)
from directory.models import ServiceAtLocation
from directory.places.gazetteer import load_gazetteer
from directory.settings import Settings
from directory.storage.store import Store
from gaps.analysis import analyse, what_if

from .conftest import DATA_DIR, make_location, make_org, make_service
from .test_cli import cli

CLUJ = 54975  # Cluj-Napoca's SIRUTA code; the hidden site's UAT
TRUE_POINT = (46.70, 23.45)  # a confidential shelter's real point, 13 km from the seat
HIDDEN = "partners"  # seen exactly by caseworkers, coordinators and admins, not by partners


@pytest.fixture
def hidden_store(store: Store) -> Store:
    store.bulk_insert(
        [
            make_org(1, name="Fundația Ascunsă"),
            make_location(1, latitude=TRUE_POINT[0], longitude=TRUE_POINT[1], disclosure=HIDDEN),
            make_service(1, name="Adăpost secret", service_type="shelter_emergency"),
            ServiceAtLocation("sal-1", "svc-1", "loc-1"),
            make_location(2, latitude=47.65, longitude=26.25, county_code="SV", siruta=146253),
            make_service(2, name="Adăpost public", service_type="shelter_emergency"),
            ServiceAtLocation("sal-2", "svc-2", "loc-2"),
        ],
        actor="test",
    )
    return store


def test_a_partner_sees_a_confidential_site_only_at_its_uat_seat(hidden_store):
    seat = load_gazetteer(DATA_DIR).uat(CLUJ)
    supply = load_supply(hidden_store, "partner", str(DATA_DIR))
    i = list(supply.ids).index("sal-1")
    assert (supply.lat[i], supply.lon[i]) == (seat.lat, seat.lon)
    assert supply.generalised[i] and supply.label[i] == "Fundația Ascunsă · Cluj-Napoca"
    assert "Adăpost secret" not in " ".join(supply.label)
    admin = load_supply(hidden_store, "admin", str(DATA_DIR))
    assert (admin.lat[i], admin.lon[i]) == TRUE_POINT  # the admin is allowed the true point


def test_no_partner_figure_depends_on_the_true_point(hidden_store, tmp_path):
    graph = road_graph(Settings.from_env({}))
    d = demand(str(DATA_DIR))
    partner = load_supply(hidden_store, "partner", str(DATA_DIR)).of_type("shelter_emergency")
    cov = analyse(graph, d, partner)
    # Move the hidden site's true point anywhere else in its UAT: nothing a partner sees changes.
    hidden_store.db.execute(
        "UPDATE location SET latitude = ?, longitude = ? WHERE id = ?", [46.80, 23.70, "loc-1"]
    )
    moved = load_supply(hidden_store, "partner", str(DATA_DIR)).of_type("shelter_emergency")
    again = analyse(graph, d, moved)
    assert np.array_equal(cov.near.minutes, again.near.minutes)
    assert cov.national() == again.national()
    assert cov.uats().equals(again.uats())
    # The what-if of closing it names it by organisation and UAT only.
    i = list(partner.ids).index("sal-1")
    closed = what_if(graph, cov, close=i)
    assert closed.national()["min"]["60"] <= cov.national()["min"]["60"]
    assert partner.label[i] == "Fundația Ascunsă · Cluj-Napoca"
    # The admin's figures do use the true point.
    admin = load_supply(hidden_store, "admin", str(DATA_DIR)).of_type("shelter_emergency")
    assert not np.array_equal(analyse(graph, d, admin).near.minutes, cov.near.minutes)


def test_the_cli_uses_generalised_points(hidden_store):
    # On PostgreSQL .path is the URL with its password hidden; .url is what opens it.
    target = getattr(hidden_store, "url", None) or Path(hidden_store.path)
    result = cli("coverage", "--type", "shelter_emergency", "--json", db=target)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Adăpost secret" not in text and "46.7" not in text and "23.45" not in text
    report = json.loads(text)
    assert report["providers"] == 2


def csv_bytes(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_a_child_population_per_county_is_shared_among_its_uats():
    base = demand(str(DATA_DIR))
    counties = sorted(set(base.county))
    rows = ["county_code,population"] + [f"{c},{1000 if c == 'CJ' else 10}" for c in counties]
    population = population_from_csv(csv_bytes(rows), base)
    assert population[base.county == "CJ"].sum() == pytest.approx(1000)
    share = base.population[base.siruta == CLUJ][0] / base.population[base.county == "CJ"].sum()
    assert population[base.siruta == CLUJ][0] == pytest.approx(1000 * share)
    assert base.with_population(population, "children_upload").basis == "children_upload"


def test_a_child_population_per_uat_replaces_each_uat():
    base = demand(str(DATA_DIR))
    rows = ["siruta,population"] + [f"{s},{i}" for i, s in enumerate(base.siruta)]
    assert list(population_from_csv(csv_bytes(rows), base)[:3]) == [0, 1, 2]


@pytest.mark.parametrize(
    ("rows", "key", "row"),
    [
        (["name,population", "x,1"], "header", None),
        (["siruta,population", "999999,5"], "unknown_code", 2),
        (["siruta,population", "54975,5", "54975,6"], "duplicate", 3),
        (["siruta,population", "54975,many"], "bad_number", 2),
        (["siruta,population", "54975,-3"], "bad_number", 2),
        (["siruta,population", "54975,5"], "missing", None),
    ],
)
def test_a_bad_population_file_says_which_row_and_what(rows, key, row):
    with pytest.raises(PopulationFileError) as e:
        population_from_csv(csv_bytes(rows), demand(str(DATA_DIR)))
    assert (e.value.key, e.value.row) == (key, row)


def test_a_population_file_not_in_utf8_is_refused():
    with pytest.raises(PopulationFileError) as e:
        population_from_csv("siruta,population\n54975,\xff\n".encode("latin-1"), demand(DATA_DIR))
    assert e.value.key == "not_utf8"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli_coverage") / "demo.db"
    assert cli("demo", "--today", "2026-11-23", "--quiet", db=db).returncode == 0
    return db


def test_cli_json_gives_national_shares_in_zero_one(demo_db):
    result = cli("coverage", "--type", "legal_aid", "--suggest", "3", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for by in ("min", "km"):
        shares = list(report["national"][by].values())
        assert shares and all(0.0 <= s <= 1.0 for s in shares)
        assert shares == sorted(shares)
    assert set(report["national"]["min"]) == {"30", "60", "90"}
    assert len(report["counties"]) == 42 and len(report["suggested"]) == 3
    gains = [s["newly_covered"] for s in report["suggested"]]
    assert gains == sorted(gains, reverse=True) and report["suggested_total"] == sum(gains)


def test_cli_text_and_threshold_choices(demo_db):
    result = cli(
        "coverage", "--type", "legal_aid", "--child-friendly", "--threshold-km", "40", db=demo_db
    )
    assert result.returncode == 0, result.stderr
    assert "child-friendly only" in result.stdout and "within 40 km" in result.stdout
    assert "estimated on main roads" in result.stdout
    both = cli("coverage", "--type", "legal_aid", "--threshold-min", "30", "--threshold-km", "9")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    bad = cli("coverage", "--type", "legal_aid", "--suggest", "11", db=demo_db)
    assert bad.returncode == 2 and "must be 1 to 10" in bad.stderr
