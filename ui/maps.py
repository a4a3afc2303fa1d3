"""Offline Leaflet maps of Romania's counties and of service providers, built with folium.

Pure functions: no Streamlit and no translation layer, so callers pass translated words in.
Every script and style comes from ``/app/static/vendor`` (see ``ui.static_assets``); nothing
loads from a CDN, because offline a single failed script leaves the map blank without an error.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import folium.plugins
import pandas as pd
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import shape

from directory.vocab import RO_LAT, RO_LON, SERVICE_TYPES
from ui import static_assets as sa

ATTRIBUTION_COUNTIES = "Limite administrative: ANCPI, prelucrate de geo-spatial.org (CC BY-SA 4.0)"
ATTRIBUTION_PLACES = "Contains data from GeoNames (www.geonames.org), CC BY 4.0"
ATTRIBUTION_DEMO = "Demo data: fictional"
DEFAULT_ATTRIBUTION: tuple[str, ...] = (ATTRIBUTION_COUNTIES, ATTRIBUTION_PLACES)

# Paul Tol's "muted" scheme, distinguishable with the common colour-vision deficiencies, plus
# a dark grey: one colour per service type.
PALETTE: dict[str, str] = {
    "shelter_emergency": "#CC6677",
    "shelter_residential": "#882255",
    "legal_aid": "#332288",
    "psychological_counselling": "#88CCEE",
    "medical": "#44AA99",
    "social_reintegration": "#117733",
    "education": "#DDCC77",
    "family_support": "#999933",
    "hotline": "#AA4499",
    "repatriation": "#555555",
}
UNKNOWN_COLOUR = "#BBBBBB"
ORIGIN_COLOUR = "#000000"
MAX_ZOOM = 18
RO_BOUNDS = [[RO_LAT[0], RO_LON[0]], [RO_LAT[1], RO_LON[1]]]
# Popup fields, in the order the browser script reads them.
_POPUP_COLUMNS = ("service_name", "organization_name", "locality", "intake_phone")
_POPUP_COLUMNS += ("capacity_status", "languages")
# Optional, from a match: the distance and the reasons, one per line.
_POPUP_COLUMNS += ("popup_distance", "popup_reasons", "address_1")  # address_1 stays last


# The popup of a marker, shared by the provider map and the plan map: ``o`` is a
# marker_data payload, ``i`` the marker, ``head`` an optional first line (a pick's number).
# Built from text nodes, so no provider text is ever parsed as HTML.
POPUP_JS = """
function punteLine(box, label, value, tag) {
    if (!value) { return; }
    var el = document.createElement(tag || "div");
    if (label) { el.appendChild(document.createElement("b")).textContent = label + ": "; }
    el.appendChild(document.createTextNode(value));
    box.appendChild(el);
}
function puntePopup(o, i, head) {
    var p = o.p[i], w = o.words, box = document.createElement("div");
    if (head) { punteLine(box, "", head, "div"); }
    punteLine(box, "", p[0], "strong");
    punteLine(box, "", p[1]);
    punteLine(box, "", [o.typeLabels[o.t[i]], p[2]].filter(Boolean).join(" \u00b7 "));
    punteLine(box, w.phone, p[3]);
    punteLine(box, w.capacity, p[4]);
    punteLine(box, w.languages, p[5]);
    punteLine(box, w.distance, p[6]);
    p[7].split("\\n").forEach(function (why) { punteLine(box, "", why, "li"); });
    if (o.g[i]) { punteLine(box, "", w.approximate, "em"); }
    else { punteLine(box, w.address, p[8]); }
    return box;
}
"""


class OfflineMap(folium.Map):
    """A folium map whose Leaflet and jQuery come from the vendored copies, not a CDN.

    A subclass, so folium's own classes stay as folium ships them for any other code.
    """

    default_js = [("leaflet", sa.LEAFLET_JS), ("jquery", sa.JQUERY_JS)]
    default_css = [("leaflet_css", sa.LEAFLET_CSS)]


def js_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no ``</script>``, no HTML entities)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class _Setup(folium.MacroElement):
    """Icon path, attribution lines and max zoom, which Leaflet needs without a tile layer."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.image_path }};
        (function (map, bounds, control) {
            map.options.maxZoom = {{ this.max_zoom }};  // marker clusters need it without tiles
            control.setPrefix("Leaflet");
            {{ this.lines }}.forEach(function (line) { control.addAttribution(line); });
            // The frame often changes size after the first layout: keep Romania in view
            // until the user pans or zooms.
            var touched = false, box = map.getContainer();
            ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (name) {
                box.addEventListener(name, function () { touched = true; }, {passive: true});
            });
            map.on("resize", function () { if (!touched) { map.fitBounds(bounds); } });
        })({{ this._parent.get_name() }}, {{ this.bounds }},
           {{ this._parent.get_name() }}.attributionControl);
        {% endmacro %}"""
    )

    def __init__(self, attribution_lines: Sequence[str], bounds: Any = RO_BOUNDS) -> None:
        super().__init__()
        self._name = "PunteSetup"
        self.image_path = js_json(sa.LEAFLET_IMAGES)
        self.max_zoom = MAX_ZOOM
        self.bounds = js_json(bounds)
        # Leaflet inserts attribution as HTML, so escape here.
        self.lines = js_json([html.escape(line) for line in attribution_lines])


class _Labels(folium.MacroElement):
    """County names as non-interactive text markers, built from one JSON array."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
            // Own pane: above county fills, below clusters (markerPane), never catching clicks.
            var pane = map.createPane("punteCountyLabels");
            pane.style.zIndex = 450;
            pane.style.pointerEvents = "none";
            {{ this.labels }}.forEach(function (row) {
                var span = document.createElement("span");
                span.textContent = row[0];
                span.style.cssText = "position:absolute;transform:translate(-50%,-50%);"
                    + "white-space:nowrap;font:11px sans-serif;color:#444;"
                    + "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff";
                var icon = L.divIcon({html: span, className: "punte-label", iconSize: null});
                L.marker([row[1], row[2]], {icon: icon, interactive: false, keyboard: false,
                                            pane: "punteCountyLabels"}).addTo(map);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, labels: list[tuple[str, float, float]]) -> None:
        super().__init__()
        self._name = "PunteCountyLabels"
        self.labels = js_json(labels)


class _PointLayer(JSCSSMixin, folium.MacroElement):
    """All providers as coloured circle markers in one marker cluster, built in the browser.

    One JSON payload and one loop render thousands of points in well under a second, where a
    folium object per marker takes seconds. Popups are built lazily from text nodes, so no
    provider text is ever parsed as HTML.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            var d = {{ this.data }};
            var group = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false});
            {{ this.popup_js }}
            var markers = new Array(d.lat.length);
            for (var i = 0; i < d.lat.length; i++) {
                var colour = d.colours[d.t[i]];
                var style = d.g[i]
                    ? {radius: 8, color: colour, weight: 2, dashArray: "3 3",
                       fillColor: colour, fillOpacity: 0.15}
                    : {radius: 6, color: "#222222", weight: 1,
                       fillColor: colour, fillOpacity: 0.9};
                markers[i] = L.circleMarker([d.lat[i], d.lon[i]], style)
                    .bindPopup(puntePopup.bind(null, d, i, ""), {maxWidth: 320});
            }
            group.addLayers(markers);
            map.addLayer(group);
            if (d.origin) {
                var o = L.circleMarker(d.origin, {radius: 9, color: d.originColour, weight: 3,
                                                  fillColor: "#ffffff", fillOpacity: 1});
                if (d.words.origin) { o.bindTooltip(document.createTextNode(d.words.origin)); }
                o.addTo(map);
            }
            return group;
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    # The marker cluster plugin, vendored: the same files folium's MarkerCluster would fetch.
    default_js = [("markerclusterjs", sa.MARKERCLUSTER_JS)]
    default_css = [
        ("markercluster_css", sa.MARKERCLUSTER_CSS),
        ("markercluster_default_css", sa.MARKERCLUSTER_DEFAULT_CSS),
    ]

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "PunteProviders"
        self.data = js_json(data)
        self.popup_js = POPUP_JS


def county_labels(counties_geojson: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    """(name, latitude, longitude) of a point inside each county, for its label."""
    out = []
    for feature in counties_geojson.get("features", []):
        point = shape(feature["geometry"]).representative_point()
        name = str(feature.get("properties", {}).get("name", ""))
        out.append((name, round(point.y, 5), round(point.x, 5)))
    return out


def base_map(
    counties_geojson: Mapping[str, Any],
    *,
    tile_url: str = "",
    attribution_lines: Sequence[str] = DEFAULT_ATTRIBUTION,
    height: int | str = "100%",
    bounds: list[list[float]] | None = None,
    outlines: bool = True,
) -> OfflineMap:
    """A map of Romania's county outlines and names, with no tiles unless ``tile_url`` is set.

    ``bounds`` ([[south, west], [north, east]]) is the view to fit; Romania by default.
    ``outlines=False`` leaves the outlines to the caller (a choropleth draws its own).
    """
    m = OfflineMap(
        location=[sum(RO_LAT) / 2, sum(RO_LON) / 2],
        zoom_start=7,
        tiles=None,
        height=height,
        font_size="0.75rem",  # Leaflet's own default; folium's 1rem makes attribution wrap
        zoomSnap=0.25,
        minZoom=5,
    )
    _Setup(attribution_lines, bounds or RO_BOUNDS).add_to(m)
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=" ", max_zoom=MAX_ZOOM).add_to(m)
    # A constant style object instead of style_function: folium would store one copy per county.
    if outlines:
        folium.GeoJson(
            dict(counties_geojson),
            name="counties",
            control=False,
            interactive=False,
            style={"color": "#888888", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 0.5},
        ).add_to(m)
    _Labels(county_labels(counties_geojson)).add_to(m)
    m.fit_bounds(bounds or RO_BOUNDS)
    return m


def provider_map(
    frame: pd.DataFrame,
    counties_geojson: Mapping[str, Any],
    *,
    labels: Mapping[str, str],
    type_labels: Mapping[str, str],
    origin: tuple[float, float] | None = None,
    tile_url: str = "",
    attribution_lines: Sequence[str] = DEFAULT_ATTRIBUTION,
    height: int | str = "100%",
    bounds: list[list[float]] | None = None,
) -> OfflineMap:
    """The county map with one clustered, coloured marker per row that has coordinates.

    ``labels`` holds the popup words: phone, capacity, languages, address, approximate and,
    optionally, origin and ``capacity_<status>`` for each capacity status.
    """
    m = base_map(
        counties_geojson,
        tile_url=tile_url,
        attribution_lines=attribution_lines,
        height=height,
        bounds=bounds,
    )
    _PointLayer(marker_data(frame, labels=labels, type_labels=type_labels, origin=origin)).add_to(m)
    return m


def bounds_around(
    points: Sequence[tuple[float, float]], pad_km: float = 15.0
) -> list[list[float]] | None:
    """A view around (lat, lon) points with a margin, or None when there are none."""
    if not points:
        return None
    pad_lat = pad_km / 111.0  # a degree of latitude is about 111 km
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    pad_lon = pad_lat / max(0.3, math.cos(math.radians(sum(lats) / len(lats))))
    return [[min(lats) - pad_lat, min(lons) - pad_lon], [max(lats) + pad_lat, max(lons) + pad_lon]]


def marker_data(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    type_labels: Mapping[str, str],
    origin: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """The JSON payload the browser turns into markers: column arrays, one entry per marker."""
    rows = frame[frame["latitude"].notna() & frame["longitude"].notna()]
    types = list(SERVICE_TYPES) + sorted(
        {str(t) for t in rows["service_type"].dropna().unique()} - set(SERVICE_TYPES)
    )
    index = {t: i for i, t in enumerate(types)}
    generalised = [v == "generalised" for v in _values(rows, "location_precision")]
    fields = [_popup_column(rows, c, labels) for c in _POPUP_COLUMNS]
    # Defence in depth: an approximate location never carries its address to the browser.
    fields[-1] = ["" if hidden else a for hidden, a in zip(generalised, fields[-1])]
    return {
        "lat": [round(float(v), 6) for v in rows["latitude"]],
        "lon": [round(float(v), 6) for v in rows["longitude"]],
        "t": [index.get(str(t), 0) for t in rows["service_type"]],
        "g": [int(v) for v in generalised],
        "p": list(zip(*fields)),
        "typeLabels": [type_labels.get(t, t) for t in types],
        "colours": [PALETTE.get(t, UNKNOWN_COLOUR) for t in types],
        "words": {k: str(v) for k, v in labels.items()},
        "origin": [float(origin[0]), float(origin[1])] if origin else None,
        "originColour": ORIGIN_COLOUR,
    }


def _values(rows: pd.DataFrame, name: str) -> list[Any]:
    """A column as a list of Python values (tolist: much faster than astype(object))."""
    return rows[name].tolist() if name in rows.columns else [None] * len(rows)


def _popup_column(rows: pd.DataFrame, name: str, labels: Mapping[str, str]) -> list[str]:
    """One popup field as display strings ("" when missing)."""
    values = [None if v is None or v is pd.NA or v != v else str(v) for v in _values(rows, name)]
    if name == "languages" and "popup_languages" in rows.columns:
        return _popup_column(rows, "popup_languages", labels)
    if name == "languages":
        return [", ".join(p for p in v.split(",") if p) if v else "" for v in values]
    if name == "capacity_status":
        if "popup_capacity" in rows.columns:  # a caller's text, e.g. with the report's date
            return _popup_column(rows, "popup_capacity", labels)
        return [labels.get(f"capacity_{v}", v) if v else "" for v in values]
    return [v or "" for v in values]


def legend_html(
    type_labels: Mapping[str, str],
    palette: Mapping[str, str] = PALETTE,
    *,
    approximate_label: str = "",
) -> str:
    """A small HTML legend of marker colours (and the approximate-location symbol)."""
    dot = "display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;"
    items = [
        f'<span style="margin-right:12px;white-space:nowrap">'
        f'<span style="{dot}background:{html.escape(colour)};border:1px solid #222"></span>'
        f"{html.escape(type_labels.get(code, code))}</span>"
        for code, colour in palette.items()
    ]
    if approximate_label:
        items.append(
            f'<span style="white-space:nowrap"><span style="{dot}border:2px dashed #555">'
            f"</span>{html.escape(approximate_label)}</span>"
        )
    style = "font-size:0.85rem;line-height:1.8"
    return f'<div class="punte-map-legend" style="{style}">{"".join(items)}</div>'
