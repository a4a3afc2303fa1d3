"""The plan map handed to streamlit-folium's browser component, its base rendered once.

``st_folium`` renders the whole folium map on every run: for the county map that is about
170 ms of Python (the outlines' 380 KB of GeoJSON written into the script each time), the
largest part of a filter change once the browser stopped reloading the iframe. The base map
never changes with the needs, so its script, header and links are rendered once per data
folder, language and tiles, and only the plan's layer is rendered per run. The arguments are
exactly those ``st_folium`` (streamlit-folium 0.27) passes to the same component, so the
browser side is unchanged; tests/test_find_inputs.py checks that they stay so.
"""

from __future__ import annotations

from textwrap import dedent
from typing import Any

import folium
import streamlit as st
import streamlit_folium as sf

from .directory_view import counties_geojson
from .plan_map import plan_base


@st.cache_resource(max_entries=8, show_spinner=False)
def base_parts(data_dir: str, tile_url: str, attribution: tuple[str, ...]) -> dict[str, Any]:
    """The base map's script, header, html and links, rendered once (shared, never mutated)."""
    m = plan_base(counties_geojson(data_dir), tile_url=tile_url, attribution_lines=attribution)
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for element in _walk(m):
        css += [href for _, href in getattr(element, "default_css", [])]
        js += [src for _, src in getattr(element, "default_js", [])]
    return {
        "map": m,  # only as the parent of each run's layer: never rendered again
        "id": sf.get_full_id(m),
        "script": script,
        "html": html,
        "header": header,
        "css_links": list(dict.fromkeys(css)),
        "js_links": list(dict.fromkeys(js)),
    }


def _walk(element: Any):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def layer_script(layer: folium.FeatureGroup, base: dict[str, Any]) -> str:
    """The layer's script as st_folium's ``feature_group_to_add`` would write it, without
    adding the layer to the shared base map (the layer only points at it as its parent)."""
    layer._id = "feature_group_0"
    layer._parent = base["map"]
    text = sf.generate_leaflet_string(layer, base_id="feature_group_0")
    text = dedent(text.replace(base["id"], "map_div"))
    return text + dedent(
        """
        map_div.addLayer(feature_group_feature_group_0);
        window.feature_group = window.feature_group || [];
        window.feature_group.push(feature_group_feature_group_0);
        """
    )


def show(
    base: dict[str, Any],
    layer: folium.FeatureGroup,
    *,
    key: str,
    height: int,
    returned_objects: list[str],
) -> dict[str, Any] | None:
    """The component with the cached base and this run's layer; returns what was clicked."""
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        # 0 as the browser counts from: st_folium's None made the first fitBounds of every
        # new map send a value, and so run the page once more.
        "last_object_clicked_count": 0,
        "last_object_clicked_tooltip": None,
    }
    defaults = {k: v for k, v in defaults.items() if k in returned_objects}
    hash_key = sf.generate_js_hash(base["script"], key, False)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=base["script"], header=base["header"], html=base["html"], id=base["id"],
        key=hash_key, height=height, width=None, returned_objects=returned_objects,
        default=defaults, zoom=None, center=None, feature_group=layer_script(layer, base),
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=base["css_links"], js_links=base["js_links"], on_change=on_change,
        wrap_longitude=False,
    )  # fmt: skip
