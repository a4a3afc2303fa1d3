"""The Coverage page under AppTest, on a real demo database: figures, map, privacy, roles."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from directory.places.gazetteer import uat_points
from directory.storage.store import Store
from ui.coverage_maps import COLOURS, share_colour
from ui.registry import PAGES

from .conftest import DATA_DIR, copy_demo
from .test_pages import page, texts

COVERAGE = next(p for p in PAGES if p.slug == "coverage")


def map_script(at) -> str:
    """Every st_folium element's arguments, which hold the rendered map scripts."""
    unknown = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    return json.dumps([str(e.proto) for e in unknown])


@pytest.fixture(scope="module")
def demo_db(demo_template, tmp_path_factory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("coverage_page") / "demo.db")


@pytest.fixture(scope="module")
def hidden(demo_db) -> dict[str, tuple[str, float, float]]:
    """Every non-public location's address and true point."""
    with Store(demo_db) as store:
        rows = store.db.execute(
            "SELECT id, address_1, latitude, longitude, siruta FROM location "
            "WHERE disclosure != 'public'"
        ).fetchall()
    seats = uat_points(str(DATA_DIR))
    # Only points away from their UAT seat can leak anything.
    away = {
        r[0]: (r[1], r[2], r[3])
        for r in rows
        if abs(seats[r[4]][0] - r[2]) + abs(seats[r[4]][1] - r[3]) > 1e-3
    }
    assert away
    return away


def downloads(at) -> dict[str, object]:
    return {b.proto.label: b for b in at.get("download_button")}


def test_partner_sees_the_summary_map_tables_and_downloads(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, COVERAGE.path, role="partner")
    assert not at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("În "))
    assert "din 42 de județe" in summary and "60 de minute pe drum" in summary
    assert "asistență juridică" in summary
    assert at.info[0].value.startswith("Populație: după domiciliu, 2020")  # said plainly, on top
    script = map_script(at)
    assert "fillColor" in script and any(c in script for c in COLOURS)
    assert "d3.js" not in script and "d3.min.js" not in script and "branca" not in script
    assert "OpenStreetMap contributors (ODbL 1.0)" in script
    # Points come as GeoJSON layers: one folium marker each took seconds to render at 5,000.
    assert "L.circleMarker(" not in script and script.count("_pointToLayer(feature") >= 2
    counties = at.dataframe[0].value
    assert len(counties) == 42
    shares = counties["% din populație în prag"].tolist()
    assert shares == sorted(shares)  # sorted by gap, the worst first
    assert {"CSV județe", "CSV UAT", "GeoJSON UAT", "Hartă PNG"} <= set(downloads(at))


def test_admin_may_open_it_and_a_caseworker_may_not(monkeypatch, demo_db):
    assert not page(monkeypatch, demo_db, COVERAGE.path, role="admin").exception
    refused = page(monkeypatch, demo_db, COVERAGE.path, role="caseworker")
    assert refused.error and not refused.dataframe


def test_nothing_places_a_confidential_site_more_precisely_than_its_uat(
    monkeypatch, demo_db, hidden
):
    at = page(monkeypatch, demo_db, COVERAGE.path, role="partner", coverage_k=5)
    at.radio(key="coverage_whatif_mode.ro").set_value("close").run()
    shown = " ".join(texts(at)) + map_script(at)
    for frame in at.dataframe:
        shown += frame.value.to_csv()
    shown += " ".join(str(o) for o in at.selectbox(key="coverage_whatif_close").options)
    # Points are GeoJSON layers of circle markers: "coordinates": [lon, lat], "type": "Point".
    point = r'coordinates[\\"]*:\s*\[(-?[\d.]+),\s*(-?[\d.]+)\],\s*[\\"]*type[\\"]*:\s*[\\"]*Point'
    markers = {(float(b), float(a)) for a, b in re.findall(point, shown)}
    assert len(markers) > 20  # providers, worst-served UATs and suggested sites
    for address, lat, lon in hidden.values():
        assert not address or address not in shown
        assert not [m for m in markers if abs(m[0] - lat) < 1e-4 and abs(m[1] - lon) < 1e-4]
    # The CSV and GeoJSON carry only UAT seats and labels, never a hidden point; the UAT files
    # are made when clicked (their content is checked in the browser test).
    assert {"CSV județe", "CSV UAT", "GeoJSON UAT"} <= set(downloads(at))


def test_the_what_if_never_changes_the_directory(monkeypatch, demo_db):
    with Store(demo_db) as store:
        before = store.counts()
    at = page(monkeypatch, demo_db, COVERAGE.path, role="partner")
    at.radio(key="coverage_whatif_mode.ro").set_value("add").run()
    assert not at.exception
    assert any(m.value.startswith("Schimbare:") for m in at.markdown)
    with Store(demo_db) as store:
        assert store.counts() == before


def test_english_and_kilometres(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, COVERAGE.path, role="partner", lang="en", coverage_by="km")
    assert not at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("In "))
    assert "km by road from a legal aid service" in summary


def test_share_colours_step_with_the_share():
    assert [share_colour(s) for s in (0.0, 0.19, 0.2, 0.5, 0.79, 0.8, 1.0)] == [
        COLOURS[0], COLOURS[0], COLOURS[1], COLOURS[2], COLOURS[3], COLOURS[4], COLOURS[4],
    ]  # fmt: skip
    assert share_colour(None) == "#cccccc"


def test_png_map_has_a_title_legend_and_attribution():
    from ui.coverage_maps import png_map
    from ui.directory_view import counties_geojson

    geo = counties_geojson(str(Path(__file__).resolve().parent.parent / "data"))
    shares = {f["properties"]["code"]: 0.5 for f in geo["features"]}
    data = png_map(
        geo, shares, title="Coverage: legal aid", legend_title="share", attribution="© OSM",
        sites=pd.DataFrame({"lat": [46.0], "lon": [24.0]}), sites_label="sites",
    )  # fmt: skip
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size[0] > 800


def test_uat_geojson_has_points_at_seats():
    from ui.coverage_maps import uat_geojson

    table = pd.DataFrame(
        {"siruta": [1], "road_minutes": [float("nan")], "lat": [45.1], "lon": [25]}
    )
    out = uat_geojson(table)
    assert json.loads(json.dumps(out, allow_nan=False))["features"][0]["geometry"] == {
        "type": "Point", "coordinates": [25, 45.1],
    }  # fmt: skip
