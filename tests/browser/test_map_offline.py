"""The provider map renders in Chromium with every request kept on the loopback interface."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Offline, new_page
from .server import ROOT, Server, serving

SCREENSHOT = Path(__file__).resolve().parent / "screenshots" / "map_offline.png"

APP = """
import json
import sys
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, {root!r})
from directory.vocab import SERVICE_TYPES  # noqa: E402
from ui.maps import legend_html, provider_map  # noqa: E402
from ui.static_assets import ensure_static  # noqa: E402

ensure_static(Path(__file__).resolve().parent)
counties = json.loads(Path({root!r}, "data", "ro_counties.geojson").read_text("utf-8"))
n = 50
frame = pd.DataFrame({{
    "service_at_location_id": [f"sal-{{i}}" for i in range(n)],
    "service_type": [SERVICE_TYPES[i % len(SERVICE_TYPES)] for i in range(n)],
    "latitude": [44.2 + (i * 0.37) % 3.9 for i in range(n)],
    "longitude": [21.3 + (i * 1.13) % 7.0 for i in range(n)],
    "service_name": ["<img src=x onerror=alert(1)>"] + [f"Serviciu {{i}}" for i in range(1, n)],
    "organization_name": ["Asociația Exemplu"] * n,
    "locality": ["Cluj-Napoca"] * n,
    "intake_phone": ["+40 264 000 000"] * n,
    "capacity_status": ["available"] * n,
    "languages": [",ro,hu,"] * n,
    "address_1": ["Str. Exemplu 1"] * n,
    "location_precision": ["exact", "exact", "generalised"] * 16 + ["exact"] * 2,
}})
words = {{"phone": "Telefon", "capacity": "Capacitate", "languages": "Limbi",
         "approximate": "Locație aproximativă", "address": "Adresă"}}
m = provider_map(frame, counties, labels=words, type_labels={{}}, origin=(45.65, 25.6))
st.markdown(legend_html({{}}, approximate_label="aproximativ"), unsafe_allow_html=True)
st_folium(m, returned_objects=[], height=620, use_container_width=True)
"""


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A standalone Streamlit app in tmp_path, serving its own static/ folder."""
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp_path / ".streamlit" / "config.toml")
    (tmp_path / "app.py").write_text(APP.format(root=str(ROOT)), encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    with serving(tmp_path / "unused.db", tmp_path / "streamlit.log", root=tmp_path) as srv:
        yield srv


def test_map_renders_offline(context, server: Server) -> None:
    offline = Offline()
    errors: list[str] = []
    page = new_page(context, server.url, offline, errors)
    try:
        page.set_viewport_size({"width": 1100, "height": 900})
        dialogs: list[str] = []  # an injected alert() would show up here
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator(".leaflet-container").wait_for(timeout=30_000)
        frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
        page.wait_for_timeout(800)  # let the cluster animation settle for the screenshot
        attribution = frame.locator(".leaflet-control-attribution").inner_text()
        clusters = frame.locator(".marker-cluster").count()
        loose = frame.locator("path.leaflet-interactive").count()
        iframe_height = page.locator('iframe[title="streamlit_folium.st_folium"]').evaluate(
            "el => el.getBoundingClientRect().height"
        )
        popup_text, popup_images = _open_popup_of(frame, "onerror")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    finally:
        page.close()

    assert offline.aborted == []
    assert errors == []
    assert iframe_height > 300
    assert clusters + loose > 0
    assert "ANCPI" in attribution and "GeoNames" in attribution
    assert dialogs == []
    # The provider named like an HTML tag shows that text, and no element was injected.
    assert "<img src=x onerror=alert(1)>" in popup_text and popup_images == 0
    assert "Telefon" in popup_text


def _open_popup_of(frame, needle: str) -> tuple[str, int]:
    """Click lone markers until a popup containing ``needle`` opens; its text and <img> count."""
    paths = frame.locator("path.leaflet-interactive")
    for i in range(paths.count()):
        paths.nth(i).click(force=True)
        popup = frame.locator(".leaflet-popup-content").filter(has_text=needle).first
        if popup.count():
            return popup.inner_text(), popup.locator("img").count()
    return "", 0
