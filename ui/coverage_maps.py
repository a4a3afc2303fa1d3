"""Coverage maps: a county choropleth in folium (offline) and a PNG for reports (matplotlib).

Pure functions with no Streamlit: callers pass translated words. Colours are computed here and
given to ``GeoJson(style_function=...)``; ``folium.Choropleth`` and branca colour maps would load
d3 from a CDN and leave the map blank offline. The legend is plain HTML.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import folium
import numpy as np
import pandas as pd

from ui import maps

# Five steps of the share of population within the threshold, from poorly to well served
# (ColorBrewer "RdYlBu", readable with the common colour-vision deficiencies).
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
COLOURS = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")
NO_DATA = "#cccccc"
WORST_COLOUR = "#7b3294"
SITE_COLOUR = "#1a9641"


def share_colour(share: float | None) -> str:
    """The colour of a share in [0, 1]; grey when unknown."""
    if share is None or not np.isfinite(share):
        return NO_DATA
    step = int(np.searchsorted(BINS[1:-1], share, side="right"))
    return COLOURS[min(step, len(COLOURS) - 1)]


def bin_labels() -> list[str]:
    return [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(BINS[:-1], BINS[1:])]


def legend_html(title: str, worst: str, providers: str, sites: str, approximate: str) -> str:
    """The legend as plain HTML (no script), escaped."""
    box = "display:inline-block;width:14px;height:14px;margin-right:4px;vertical-align:middle"
    items = [
        f'<span style="margin-right:10px;white-space:nowrap"><span style="{box};'
        f'background:{c};border:1px solid #555"></span>{html.escape(label)}</span>'
        for c, label in zip(COLOURS, bin_labels())
    ]
    dot = f"{box};border-radius:50%"
    for colour, label, extra in (
        (WORST_COLOUR, worst, ""),
        ("#333333", providers, ""),
        ("#ffffff", approximate, ";border:2px dashed #333"),
        (SITE_COLOUR, sites, ""),
    ):
        items.append(
            f'<span style="margin-right:10px;white-space:nowrap"><span style="{dot};'
            f'background:{colour}{extra}"></span>{html.escape(label)}</span>'
        )
    return (
        f'<div class="punte-coverage-legend" style="font-size:0.85rem;line-height:1.8">'
        f"<b>{html.escape(title)}</b><br>{''.join(items)}</div>"
    )


def choropleth(
    counties_geojson: Mapping[str, Any],
    shares: Mapping[str, float],
    *,
    worst: pd.DataFrame,
    providers: pd.DataFrame,
    sites: pd.DataFrame,
    attribution_lines: Sequence[str],
    tile_url: str = "",
    share_label: str = "",
) -> folium.Map:
    """Counties coloured by share covered; worst UATs, providers and suggested sites on top.

    ``providers`` has lat, lon, label, generalised (confidential sites already at their UAT
    seat); ``worst`` and ``sites`` have lat, lon, label.
    """
    # Without the plain outlines: the choropleth below draws the same polygons (380 KB once).
    m = maps.base_map(
        counties_geojson, tile_url=tile_url, attribution_lines=attribution_lines, outlines=False
    )
    features = []
    for feature in counties_geojson["features"]:
        code = feature["properties"]["code"]
        share = shares.get(code)
        props = {
            "code": code,
            "name": feature["properties"]["name"],
            "share": "—" if share is None else f"{share:.0%}",
            "fill": share_colour(share),
        }
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="coverage",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#555555",
            "weight": 1,
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(["name", "share"], aliases=["", share_label]),
    ).add_to(m)
    # One GeoJSON layer per kind of point: a folium.CircleMarker each cost 8 ms of template
    # rendering (10 s for 1,300 points under load); a layer renders once, whatever its size.
    _points(m, "worst", worst, lambda _: {"radius": 6, "color": WORST_COLOUR,
                                          "fillColor": WORST_COLOUR, "fillOpacity": 0.9,
                                          "weight": 1})  # fmt: skip
    hidden = {"radius": 6, "color": "#333333", "dashArray": "3 3", "fillColor": "#ffffff",
              "fillOpacity": 0.9, "weight": 1}  # fmt: skip
    exact = {"radius": 3, "color": "#333333", "fillColor": "#333333", "fillOpacity": 0.9,
             "weight": 1}  # fmt: skip
    _points(m, "providers", providers, lambda p: hidden if p.get("generalised") else exact)
    _points(m, "sites", sites, lambda _: {"radius": 9, "color": "#000000",
                                          "fillColor": SITE_COLOUR, "fillOpacity": 1,
                                          "weight": 2})  # fmt: skip
    # st_folium asks the map for its bounds (only for a value we never read): folium would walk
    # every coordinate of both county layers in Python, 0.2 s a run. The view is Romania.
    m.get_bounds = lambda: maps.RO_BOUNDS  # type: ignore[method-assign]
    return m


def _points(
    m: folium.Map, name: str, frame: pd.DataFrame, style: Callable[[dict[str, Any]], dict]
) -> None:
    """Points (lat, lon, label, optional generalised) as one layer of circle markers.

    Labels are escaped here: the tooltip writes them into the page as HTML.
    """
    if frame.empty:
        return
    flags = frame["generalised"] if "generalised" in frame else pd.Series(False, frame.index)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(lon), 5),
                                                          round(float(lat), 5)]},
            "properties": {"label": html.escape(str(label)), "generalised": bool(flag)},
        }  # GeoJSON takes x = lon, y = lat
        for lat, lon, label, flag in zip(frame["lat"], frame["lon"], frame["label"], flags)
    ]  # fmt: skip
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(),
        style_function=lambda f: style(f["properties"]),
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
    ).add_to(m)


def png_map(
    counties_geojson: Mapping[str, Any],
    shares: Mapping[str, float],
    *,
    title: str,
    legend_title: str,
    attribution: str,
    sites: pd.DataFrame | None = None,
    sites_label: str = "",
    no_data: str = "",
) -> bytes:
    """A PNG of the county choropleth with title, legend and attribution, for reports."""
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    frame = gpd.GeoDataFrame.from_features(counties_geojson["features"], crs="EPSG:4326")
    frame["fill"] = [share_colour(shares.get(c)) for c in frame["code"]]
    frame = frame.to_crs("EPSG:3844")  # Stereo 70: Romania's own projection, true shapes
    fig, ax = plt.subplots(figsize=(10, 7.5), dpi=120)
    frame.plot(ax=ax, color=frame["fill"], edgecolor="#555555", linewidth=0.6)
    for _, row in frame.iterrows():
        p = row.geometry.representative_point()
        ax.annotate(row["code"], (p.x, p.y), ha="center", va="center", fontsize=7, color="#222")
    handles = [
        Patch(facecolor=c, edgecolor="#555", label=lb) for c, lb in zip(COLOURS, bin_labels())
    ]
    handles.append(Patch(facecolor=NO_DATA, edgecolor="#555", label=no_data or "—"))
    if sites is not None and len(sites):
        pts = gpd.GeoSeries(gpd.points_from_xy(sites["lon"], sites["lat"]), crs="EPSG:4326")
        pts = pts.to_crs("EPSG:3844")  # points_from_xy takes x = lon, y = lat
        ax.scatter(pts.x, pts.y, s=60, c=SITE_COLOUR, edgecolors="black", zorder=3)
        handles.append(
            plt.Line2D(
                [],
                [],
                marker="o",
                ls="",
                markerfacecolor=SITE_COLOUR,
                markeredgecolor="black",
                label=sites_label,
            )
        )
    ax.legend(handles=handles, title=legend_title, loc="lower left", fontsize=8, title_fontsize=8)
    ax.set_title(title, fontsize=12, wrap=True)
    ax.set_axis_off()
    fig.text(0.01, 0.01, attribution, fontsize=6.5, color="#444444", wrap=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def uat_geojson(table: pd.DataFrame) -> dict[str, Any]:
    """UAT results as GeoJSON points at the seats (never a provider's point)."""
    features = []
    for record in table.to_dict("records"):
        lat, lon = record.pop("lat"), record.pop("lon")
        props = {
            k: (None if isinstance(v, float) and not np.isfinite(v) else v)
            for k, v in record.items()
        }
        props = {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()}
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            }
        )  # GeoJSON takes x = lon, y = lat
    return {"type": "FeatureCollection", "features": features}
