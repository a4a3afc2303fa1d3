"""Offline maps: vendored assets, no CDN links, escaped provider text, one marker per row."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.vocab import SERVICE_TYPES
from ui import maps
from ui.static_assets import VENDOR_URL, ensure_static

ROOT = Path(__file__).resolve().parent.parent
XSS = "<img src=x onerror=alert(1)>"
WORDS = {
    "phone": "Telefon",
    "capacity": "Capacitate",
    "languages": "Limbi",
    "approximate": "Locație aproximativă (confidențială)",
    "address": "Adresă",
}
CDN_HOSTS = ("cdn.jsdelivr", "code.jquery", "cdnjs", "unpkg", "bootstrapcdn", "d3js.org")


@pytest.fixture(scope="module")
def counties() -> dict:
    return json.loads((ROOT / "data" / "ro_counties.geojson").read_text("utf-8"))


def make_frame(n: int = 12) -> pd.DataFrame:
    """Providers across Romania; every third one has a generalised location."""
    return pd.DataFrame(
        {
            "service_at_location_id": [f"sal-{i}" for i in range(n)],
            "service_type": [SERVICE_TYPES[i % len(SERVICE_TYPES)] for i in range(n)],
            "latitude": [44.5 + (i * 0.31) % 3.5 for i in range(n)],
            "longitude": [21.5 + (i * 0.97) % 6.5 for i in range(n)],
            "service_name": [f"Serviciu {i}" for i in range(n)],
            "organization_name": [f"Organizație {i}" for i in range(n)],
            "locality": ["Cluj-Napoca"] * n,
            "intake_phone": ["+40 264 000 000"] * n,
            "capacity_status": pd.Categorical(["available"] * n),
            "languages": [",ro,hu,"] * n,
            "address_1": [f"Str. Secretă {i}" for i in range(n)],
            "location_precision": ["generalised" if i % 3 == 0 else "exact" for i in range(n)],
        }
    )


def render(m: folium.Map) -> str:
    return m.get_root().render()


def payload(page: str) -> dict:
    """The provider data the browser script turns into markers."""
    found = re.search(r"var d = (\{.*?\});\n", page)
    assert found, "marker payload missing"
    return json.loads(found.group(1))


def provider_page(counties: dict, frame: pd.DataFrame, **kw) -> str:
    return render(maps.provider_map(frame, counties, labels=WORDS, type_labels={}, **kw))


def test_ensure_static_copies_and_is_idempotent(tmp_path: Path) -> None:
    vendor = ensure_static(tmp_path)
    expected = [
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/marker-icon.png",
        "markercluster/leaflet.markercluster.js",
        "markercluster/MarkerCluster.css",
        "markercluster/MarkerCluster.Default.css",
        "jquery/jquery.min.js",
    ]
    assert vendor == tmp_path / "static" / "vendor"
    for name in expected:
        assert (vendor / name).stat().st_size > 0, name
    stamps = {p: p.stat().st_mtime_ns for p in vendor.rglob("*") if p.is_file()}
    ensure_static(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in vendor.rglob("*") if p.is_file()} == stamps
    assert not list(vendor.rglob("*.part"))


def test_maps_are_offline_without_patching_folium() -> None:
    import folium.plugins

    # ui.maps is imported above: importing it must change nothing in folium.
    assert all(not url.startswith(VENDOR_URL) for _, url in folium.Map.default_js)
    assert all(not url.startswith("/app") for _, url in folium.plugins.MarkerCluster.default_js)
    html = maps.base_map({"type": "FeatureCollection", "features": []}).get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(url.startswith(VENDOR_URL) for url in links), links


@pytest.mark.parametrize("with_markers", [False, True])
def test_default_map_loads_nothing_from_the_internet(counties: dict, with_markers: bool) -> None:
    if with_markers:
        page = provider_page(counties, make_frame())
    else:
        page = render(maps.base_map(counties))
    for host in CDN_HOSTS:
        assert host not in page
    assert "https://" not in page and "http://" not in page
    assert f'src="{VENDOR_URL}/leaflet/leaflet.js"' in page
    assert f'href="{VENDOR_URL}/leaflet/leaflet.css"' in page
    assert f'src="{VENDOR_URL}/jquery/jquery.min.js"' in page
    assert f"{VENDOR_URL}/leaflet/images/" in page  # L.Icon.Default.imagePath
    if with_markers:
        assert f'src="{VENDOR_URL}/markercluster/leaflet.markercluster.js"' in page
        assert f'href="{VENDOR_URL}/markercluster/MarkerCluster.Default.css"' in page
    for avoided in ("awesome", "bootstrap", "fontawesome", "d3.min.js"):
        assert avoided not in page.lower()


def test_county_layer_and_labels(counties: dict) -> None:
    m = maps.base_map(counties)
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 1 and len(layers[0].data["features"]) == 42
    page = render(m)
    for name in ("Cluj", "Brașov", "Constanța", "Ilfov"):
        assert f'"{name}"' in page
    assert len(maps.county_labels(counties)) == 42


def test_one_marker_per_row_with_coordinates(counties: dict) -> None:
    frame = make_frame(25)
    frame.loc[3, ["latitude", "longitude"]] = None  # a location not yet geocoded
    data = payload(provider_page(counties, frame))
    assert len(data["lat"]) == len(data["lon"]) == len(data["p"]) == 24
    assert data["p"][0][0] == "Serviciu 0" and data["p"][0][5] == "ro, hu"


def test_provider_text_is_never_html(counties: dict) -> None:
    frame = make_frame()
    frame.loc[1, "service_name"] = XSS
    frame.loc[2, "organization_name"] = XSS + "</script><script>alert(2)</script>"
    page = provider_page(counties, frame)
    assert XSS not in page and "<img" not in page
    assert page.count("</script>") == page.count("<script")
    data = payload(page)
    assert data["p"][1][0] == XSS  # kept as text; the browser inserts it as a text node
    assert "textContent" in page and "createTextNode" in page


def test_generalised_rows_look_different_and_hide_the_address(counties: dict) -> None:
    page = provider_page(counties, make_frame())
    data = payload(page)
    assert data["g"] == [1 if i % 3 == 0 else 0 for i in range(12)]
    assert [p[-1] for p in data["p"]][:4] == ["", "Str. Secretă 1", "Str. Secretă 2", ""]
    assert "Str. Secretă 0" not in page
    assert "dashArray" in page
    assert data["words"]["approximate"] == WORDS["approximate"]


def test_colours_follow_the_service_type(counties: dict) -> None:
    data = payload(provider_page(counties, make_frame()))
    colours = [data["colours"][t] for t in data["t"]]
    assert colours[:3] == [maps.PALETTE[t] for t in SERVICE_TYPES[:3]]
    assert len(set(maps.PALETTE.values())) == len(SERVICE_TYPES) == 10


def test_attribution_lines(counties: dict) -> None:
    page = render(maps.base_map(counties))
    assert maps.ATTRIBUTION_COUNTIES in page and maps.ATTRIBUTION_PLACES in page
    assert "addAttribution" in page and maps.ATTRIBUTION_DEMO not in page
    lines = [*maps.DEFAULT_ATTRIBUTION, maps.ATTRIBUTION_DEMO]
    assert maps.ATTRIBUTION_DEMO in render(maps.base_map(counties, attribution_lines=lines))


def test_tile_url_only_when_set(counties: dict) -> None:
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert "tiles.example.org" not in render(maps.base_map(counties))
    assert "tileLayer" not in render(maps.base_map(counties))
    page = render(maps.base_map(counties, tile_url=url))
    assert url in page
    assert re.findall(r"https?://[^\s\"']+", page) == [url]


def test_origin_marker(counties: dict) -> None:
    assert payload(provider_page(counties, make_frame()))["origin"] is None
    data = payload(provider_page(counties, make_frame(), origin=(46.77, 23.6)))
    assert data["origin"] == [46.77, 23.6]


def test_legend_is_escaped() -> None:
    legend = maps.legend_html({"legal_aid": XSS}, approximate_label="<b>aprox</b>")
    assert XSS not in legend and html_escaped(XSS) in legend
    assert "&lt;b&gt;aprox&lt;/b&gt;" in legend
    assert legend.count("border-radius:50%") == len(maps.PALETTE) + 1


def html_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@given(st.recursive(st.text(), lambda inner: st.lists(inner, max_size=3), max_leaves=8))
def test_js_json_is_script_safe_and_lossless(value: object) -> None:
    text = maps.js_json(value)
    assert not set("<>&") & set(text)
    assert json.loads(text) == value


def test_five_thousand_rows_all_reach_the_map(counties: dict) -> None:
    # Speed is measured in bench/map_bench.py, not here.
    frame = pd.concat([make_frame(50)] * 100, ignore_index=True)
    page = provider_page(counties, frame)
    assert len(payload(page)["lat"]) == 5000


def test_match_popups_carry_distance_and_reasons(counties: dict) -> None:
    frame = make_frame(2).assign(
        popup_distance=["1.0 km", "2.0 km"],
        popup_reasons=["Staff speak: Romani.\nPlaces available.", ""],
        popup_capacity=["available (reported 2026-11-22)", ""],
    )
    data = payload(provider_page(counties, frame))
    first = data["p"][0]
    assert "1.0 km" in first and "Staff speak: Romani.\nPlaces available." in first
    assert "available (reported 2026-11-22)" in first


def test_both_maps_build_popups_with_the_one_shared_script(counties: dict) -> None:
    """The provider map and the plan map write the same popup code, from one place."""
    from ui.plan_map import plan_layer

    frame = make_frame(4)
    provider = provider_page(counties, frame)
    group = plan_layer(frame.iloc[:1], frame.iloc[1:], labels=WORDS, type_labels={})
    plan = render(folium.Map(tiles=None).add_child(group))
    for page in (provider, plan):
        assert page.count("function puntePopup(") == 1
        assert maps.POPUP_JS.strip() in page
        assert "function popup(" not in page and "function line(" not in page
    assert plan.count("puntePopup.bind(null") == 2  # the others and the picks
