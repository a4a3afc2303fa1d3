"""Map benchmark: the provider map for 5,000 services, against folium markers one by one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.plugins import MarkerCluster

from directory.vocab import SERVICE_TYPES
from ui import maps

from .timing import measure, row

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LABELS = {"phone": "Telefon", "capacity": "Capacitate", "languages": "Limbi",
          "address": "Adresă", "approximate": "Locație aproximativă"}  # fmt: skip


def _frame(n: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "latitude": rng.uniform(43.8, 48.0, n),
            "longitude": rng.uniform(20.5, 29.5, n),
            "service_type": rng.choice(SERVICE_TYPES, n),
            "service_name": [f"Serviciu {i} (fictiv)" for i in range(n)],
            "organization_name": "Organizație (fictivă)",
            "locality": "Cluj-Napoca",
            "intake_phone": "+40 700 000 000",
            "capacity_status": "available",
            "languages": ",ro,hu,",
            "address_1": "Strada Exemplu nr. 1",
            "location_precision": np.where(rng.random(n) < 0.2, "generalised", "exact"),
        }
    )


def _naive(frame: pd.DataFrame, counties: dict) -> str:
    """Baseline: one folium.Marker with an HTML popup per row, in a MarkerCluster."""
    m = maps.base_map(counties)
    cluster = MarkerCluster(options={"maxZoom": maps.MAX_ZOOM}).add_to(m)
    for r in frame.itertuples():
        folium.CircleMarker(
            [r.latitude, r.longitude], radius=6, popup=folium.Popup(r.service_name)
        ).add_to(cluster)
    return m.get_root().render()


def run(quick: bool) -> list[dict[str, Any]]:
    n = 1000 if quick else 5000
    counties = json.loads((DATA_DIR / "ro_counties.geojson").read_text(encoding="utf-8"))
    frame = _frame(n)
    types = {t: t for t in SERVICE_TYPES}

    def ours() -> str:
        m = maps.provider_map(frame, counties, labels=LABELS, type_labels=types)
        return m.get_root().render()

    baseline = measure(lambda: _naive(frame, counties), 1 if quick else 2)
    times = measure(ours, 3 if quick else 7)
    return [row("map_build_and_render", n, times, float(np.median(baseline)))]


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
