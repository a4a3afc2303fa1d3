"""The Find services map: the matched services and the origin; a click can set the origin."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from matching.care_plan import CarePlan
from matching.prepared import Prepared

from . import maps
from .context import settings, t
from .directory_view import counties_geojson, popup_labels, type_labels
from .results import matched_frame

K = "find_"


def find_map(p: Prepared, plan: CarePlan | None, origin: tuple[float, float] | None) -> None:
    """Draw the matches of ``plan`` (or nothing yet) and keep the last click for the origin."""
    cfg = settings()
    frame = matched_frame(p, plan) if plan else p.frame.iloc[0:0]
    attribution = [t("map.attribution.counties"), t("map.attribution.geonames")]
    if bool(p.frame["is_demo"].any()):
        attribution.append(t("map.attribution.demo"))
    points = list(zip(frame["latitude"].dropna(), frame["longitude"].dropna()))
    if origin:
        points.append(origin)
    m = maps.provider_map(
        frame,
        counties_geojson(cfg.data_dir),
        labels=popup_labels(),
        type_labels=type_labels(),
        origin=origin,
        tile_url=cfg.tile_url,
        attribution_lines=attribution,
        bounds=maps.bounds_around(points) if plan else None,
    )
    picking = st.session_state.get(K + "origin_mode") == "map"
    out = st_folium(
        m,
        key=K + "map",
        height=480,
        use_container_width=True,
        returned_objects=["last_clicked"] if picking else [],
    )
    clicked = (out or {}).get("last_clicked") if picking else None
    if clicked and (clicked["lat"], clicked["lng"]) != st.session_state.get(K + "clicked"):
        st.session_state[K + "clicked"] = (clicked["lat"], clicked["lng"])
        st.rerun()  # the origin moved: the form above must read it
    legend = maps.legend_html(
        type_labels(), maps.PALETTE, approximate_label=t("map.legend_approximate")
    )
    st.markdown(legend, unsafe_allow_html=True)
