"""The Find services map tells the plan: numbered picks on top, other matches behind them.

Pure (folium, no Streamlit and no translation layer): callers pass translated words in.
- Each pick of the care plan is a numbered marker in its type's colour, never clustered, in
  its own pane above every other marker; a pick at a generalised site also gets a dashed
  circle as large as the rounding of its shown distance, so the map draws an area, not a spot.
- The other matches are smaller, clustered, and all one neutral colour, so they never compete
  with the picks or with the type legend.
- The origin sits in the topmost pane: no cluster bubble can hide it.
- One pick may be highlighted (chosen in the list): it is drawn larger and its popup opens.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import pandas as pd
from folium.elements import JSCSSMixin
from folium.template import Template

from ui import static_assets as sa

from .maps import (
    DEFAULT_ATTRIBUTION,
    ORIGIN_COLOUR,
    PALETTE,
    POPUP_JS,
    UNKNOWN_COLOUR,
    OfflineMap,
    base_map,
    js_json,
    marker_data,
)

OTHER_COLOUR = "#8C8C8C"  # neutral grey: not one of the type colours
APPROXIMATE_RADIUS_M = 5000  # the rounding step of a generalised site's shown distance


class _PlanLayer(folium.MacroElement):
    """Picks, other matches and the origin, built in the browser from one JSON payload.

    Popups are built from text nodes (as in maps._PointLayer): no provider text is parsed as
    HTML. A pick's popup leads with its number, so the list and the map name it the same way.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (layer, map) {
            var d = {{ this.data }}, w = d.others.words;
            function pane(name, z) {
                var p = map.getPane(name) || map.createPane(name);
                p.style.zIndex = z;
            }
            pane("punteOthers", 610); pane("punteAreas", 620);
            pane("puntePicks", 650); pane("punteOrigin", 660);
            {{ this.popup_js }}
            var o = d.others, group = L.markerClusterGroup({
                chunkedLoading: true, showCoverageOnHover: false, clusterPane: "punteOthers",
                iconCreateFunction: function (c) {
                    return L.divIcon({html: "<span>" + c.getChildCount() + "</span>",
                                      className: "punte-cluster", iconSize: [30, 30]});
                }});
            var markers = new Array(o.lat.length);
            for (var i = 0; i < o.lat.length; i++) {
                markers[i] = L.circleMarker([o.lat[i], o.lon[i]], {
                    pane: "punteOthers", radius: 4, color: "#555555", weight: 1,
                    dashArray: o.g[i] ? "2 2" : null, fillColor: d.otherColour,
                    fillOpacity: o.g[i] ? 0.3 : 0.8}).bindPopup(puntePopup.bind(null, o, i, ""));
            }
            group.addLayers(markers);
            layer.addLayer(group);
            var k = d.picks, picked = [], seen = {};
            for (var j = 0; j < k.lat.length; j++) {
                var colour = k.colours[k.t[j]], big = d.highlight === j, size = big ? 34 : 26;
                // Picks at one point (several services of one generalised site) sit side by
                // side, so each number stays readable.
                var at = k.lat[j] + "," + k.lon[j], nth = seen[at] || 0;
                seen[at] = nth + 1;
                if (k.g[j]) {
                    L.circle([k.lat[j], k.lon[j]], {pane: "punteAreas", radius: d.areaM,
                        color: colour, weight: 2, dashArray: "4 4", fillColor: colour,
                        fillOpacity: 0.12, interactive: false}).addTo(layer);
                }
                var badge = document.createElement("div");
                badge.textContent = String(k.n[j]);
                badge.style.cssText = "width:" + size + "px;height:" + size + "px;"
                    + "line-height:" + size + "px;border-radius:50%;text-align:center;"
                    + "font:bold " + (big ? 16 : 13) + "px sans-serif;color:#fff;"
                    + "background:" + colour + ";border:" + (big ? 4 : 2) + "px solid "
                    + (big ? "#000" : "#fff") + ";box-shadow:0 0 3px rgba(0,0,0,.6);"
                    + "box-sizing:border-box";
                var m = L.marker([k.lat[j], k.lon[j]], {pane: "puntePicks",
                    zIndexOffset: big ? 1000 : 0, title: k.titles[j], riseOnHover: true,
                    icon: L.divIcon({html: badge, className: "punte-pick",
                                     iconSize: [size, size],
                                     iconAnchor: [size / 2 - nth * 28, size / 2]})});
                m.bindPopup(puntePopup.bind(null, k, j, k.heads[j]), {maxWidth: 320}).addTo(layer);
                // "2 · Legal aid" (our own words, never provider text): streamlit-folium sends
                // a clicked marker's tooltip, which names the pick where two share a point.
                m.bindTooltip(k.heads[j], {direction: "top", offset: [0, -size / 2]});
                picked.push(m);
            }
            if (d.origin) {
                var ring = L.circleMarker(d.origin, {pane: "punteOrigin", radius: 9,
                    color: d.originColour, weight: 3, fillColor: "#ffffff", fillOpacity: 1});
                if (w.origin) { ring.bindTooltip(document.createTextNode(w.origin)); }
                ring.addTo(layer);
            }
            if (d.bounds) { map.fitBounds(d.bounds); }
            if (d.highlight !== null && picked[d.highlight]) {
                setTimeout(function () { picked[d.highlight].openPopup(); }, 0);
            }
            return group;
        })({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "PuntePlan"
        self.data = js_json(data)
        self.popup_js = POPUP_JS


class _ClusterStyle(folium.MacroElement):
    """Neutral cluster bubbles: markercluster's green and yellow clash with the type legend."""

    _template = Template(
        """{% macro header(this, kwargs) %}
        <style>.punte-cluster{background:rgba(120,120,120,.35);border-radius:50%;}
        .punte-cluster span{display:block;margin:4px;width:22px;height:22px;line-height:22px;
        border-radius:50%;background:rgba(90,90,90,.85);color:#fff;text-align:center;
        font:11px sans-serif;}</style>
        {% endmacro %}"""
    )


def plan_base(
    counties_geojson: Mapping[str, Any],
    *,
    tile_url: str = "",
    attribution_lines: Sequence[str] = DEFAULT_ATTRIBUTION,
) -> OfflineMap:
    """The county map the plan is drawn on: the same for every plan, so the browser keeps it.

    st_folium keys its iframe by the map's script: anything that changes with the needs
    (markers, the view) belongs in :func:`plan_layer`, or every filter change would load a
    new iframe, with Leaflet and the county outlines, from scratch.
    """
    m = base_map(counties_geojson, tile_url=tile_url, attribution_lines=attribution_lines)
    _ClusterStyle().add_to(m)
    _PlanLayerAssets().add_to(m)  # the cluster plugin, loaded once with the page
    return m


def plan_layer(
    picks: pd.DataFrame,
    others: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    type_labels: Mapping[str, str],
    pick_heads: Sequence[str] = (),
    origin: tuple[float, float] | None = None,
    highlight: int | None = None,
    bounds: list[list[float]] | None = None,
) -> folium.FeatureGroup:
    """The numbered ``picks`` (in plan order), the ``others`` clustered, and the origin: one
    layer that st_folium swaps inside the map it already shows (``feature_group_to_add``).

    ``pick_heads`` is one line per pick for the top of its popup (e.g. "1 · Emergency shelter").
    """
    group = folium.FeatureGroup(name="plan", control=False)
    data = plan_data(picks, others, labels=labels, type_labels=type_labels,
                     pick_heads=pick_heads, origin=origin, highlight=highlight)  # fmt: skip
    data["bounds"] = bounds
    group.add_child(_PlanLayer(data))
    return group


class _PlanLayerAssets(JSCSSMixin, folium.MacroElement):
    """Only the marker cluster plugin's files, vendored, for the page of the plan map."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")
    default_js = [("markerclusterjs", sa.MARKERCLUSTER_JS)]
    default_css = [
        ("markercluster_css", sa.MARKERCLUSTER_CSS),
        ("markercluster_default_css", sa.MARKERCLUSTER_DEFAULT_CSS),
    ]


def plan_data(
    picks: pd.DataFrame,
    others: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    type_labels: Mapping[str, str],
    pick_heads: Sequence[str] = (),
    origin: tuple[float, float] | None = None,
    highlight: int | None = None,
) -> dict[str, Any]:
    """The JSON payload: the picks and the others as maps.marker_data columns, and the rest."""
    k = marker_data(picks, labels=labels, type_labels=type_labels)
    shown = picks["latitude"].notna() & picks["longitude"].notna()
    numbers = [i + 1 for i, ok in enumerate(shown) if ok]
    heads = list(pick_heads) or [str(n) for n in range(1, len(picks) + 1)]
    k["n"] = numbers
    k["heads"] = [heads[n - 1] for n in numbers]
    k["titles"] = k["heads"]  # the marker's tooltip: the number and the need, as in the list
    if highlight is not None and highlight + 1 not in numbers:
        highlight = None
    return {
        "picks": k,
        "others": marker_data(others, labels=labels, type_labels=type_labels),
        "highlight": None if highlight is None else numbers.index(highlight + 1),
        "origin": [float(origin[0]), float(origin[1])] if origin else None,
        "originColour": ORIGIN_COLOUR,
        "otherColour": OTHER_COLOUR,
        "areaM": APPROXIMATE_RADIUS_M,
    }


def plan_legend_html(
    type_labels: Mapping[str, str],
    pick_types: Sequence[str],
    *,
    others_label: str,
    approximate_label: str,
    origin_label: str,
) -> str:
    """The legend of what the plan map draws: the picks' types, the others, areas, origin."""
    dot = "display:inline-block;width:16px;height:16px;border-radius:50%;margin-right:4px;"
    dot += "vertical-align:middle;text-align:center;color:#fff;font:bold 10px/16px sans-serif;"
    item = '<span style="margin-right:14px;white-space:nowrap">{}{}</span>'
    items = [
        item.format(
            f'<span style="{dot}background:{html.escape(PALETTE.get(code, UNKNOWN_COLOUR))};'
            f'border:2px solid #fff;box-shadow:0 0 2px #000">{n}</span>',
            html.escape(type_labels.get(code, code)),
        )
        for n, code in enumerate(pick_types, start=1)
    ]
    small = "display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:4px;"
    items.append(
        item.format(
            f'<span style="{small}background:{OTHER_COLOUR};border:1px solid #555"></span>',
            html.escape(others_label),
        )
    )
    items.append(
        item.format(
            f'<span style="{dot}border:2px dashed #555;background:rgba(0,0,0,.05)"></span>',
            html.escape(approximate_label),
        )
    )
    items.append(
        item.format(
            f'<span style="{small}border:3px solid {ORIGIN_COLOUR};background:#fff"></span>',
            html.escape(origin_label),
        )
    )
    style = "font-size:0.85rem;line-height:2"
    return f'<div class="punte-map-legend" style="{style}">{"".join(items)}</div>'
