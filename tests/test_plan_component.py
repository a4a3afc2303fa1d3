"""The plan map's cached base gives the browser component what st_folium itself would."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit_folium as sf

from directory.settings import Settings
from ui import plan_component
from ui.directory_view import counties_geojson
from ui.plan_map import plan_base, plan_layer

ROW = {
    "latitude": 46.64, "longitude": 27.73, "service_type": "legal_aid",
    "location_precision": "exact", "service_name": "Demo", "organization_name": "Org",
}  # fmt: skip


def layer() -> folium.FeatureGroup:
    picks = pd.DataFrame([ROW])
    return plan_layer(picks, picks.iloc[0:0], labels={}, type_labels={}, origin=(46.6, 27.7))


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_the_layer_script_is_the_one_st_folium_writes():
    data_dir = Settings.from_env().data_dir
    base = plan_component.base_parts.__wrapped__(data_dir, "", ("A",))
    fresh = plan_base(counties_geojson(data_dir), attribution_lines=("A",))
    fresh.get_root().render()
    fresh.render()
    fresh_script = sf._get_map_string(fresh)  # st_folium writes it before adding the layer
    expected = sf._get_feature_group_string(layer(), map=fresh, idx=0)
    # st_folium renders the group into the map (which adds an `addTo`); the cached base must
    # not be changed, and `map_div.addLayer` below it does the same.
    expected = expected.replace("feature_group_feature_group_0.addTo(map_div);", "")
    assert lines(plan_component.layer_script(layer(), base)) == lines(expected)
    assert base["script"] == fresh_script
    assert "var d = " not in base["script"]  # no plan in the cached base
    # The shared base map is never changed by a run's layer.
    assert all(not isinstance(c, folium.FeatureGroup) for c in base["map"]._children.values())
