"""The Find services map: the plan's numbered picks, the other matches, and the origin.

A click on a pick highlights it in the list; "show on map" in the list highlights it here.
Before a plan exists, a click on the map can set the origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from matching.care_plan import CarePlan
from matching.prepared import Prepared

from . import maps, plan_component
from .context import settings, t
from .directory_view import popup_labels, type_labels
from .plan_map import plan_layer, plan_legend_html
from .results import matched_frame

K = "find_"
HIGHLIGHT = K + "highlight"  # the need whose pick is highlighted, on the map and in the list
# What the map sends back, the same in every run: streamlit-folium reads it only when the
# map is first drawn, and the base map is never drawn again (a list that grew when the plan
# appeared was never seen, so a click on a numbered marker did nothing).
RETURNED = [
    "last_clicked", "last_object_clicked", "last_object_clicked_count",
    "last_object_clicked_tooltip",
]  # fmt: skip


def plan_picks(plan: CarePlan) -> list[tuple[str, int]]:
    """(need, frame row) of each pick, in the order the list numbers them."""
    return [(item.need, item.choice.row) for item in plan.items if item.choice is not None]


@dataclass(frozen=True)
class MapView:
    """The map of one run, worked out (plain data) apart from drawing it."""

    base: dict[str, Any]
    layer: Any
    pick_frame: pd.DataFrame
    needs_in_order: list[str]
    picking: bool
    legend: str


def map_view(p: Prepared, plan: CarePlan | None, origin: tuple[float, float] | None) -> MapView:
    cfg = settings()
    picks = plan_picks(plan) if plan else []
    frame = matched_frame(p, plan) if plan else p.frame.iloc[0:0]
    pick_rows = [row for _, row in picks]
    by_row = frame  # indexed by prepared row (matched_frame keeps the frame's index)
    pick_frame = by_row.loc[[r for r in pick_rows if r in by_row.index]]
    others = by_row.drop(index=[r for r in pick_rows if r in by_row.index])
    attribution = [t("map.attribution.counties"), t("map.attribution.geonames")]
    if bool(p.frame["is_demo"].any()):
        attribution.append(t("map.attribution.demo"))
    points = list(zip(pick_frame["latitude"].dropna(), pick_frame["longitude"].dropna()))
    if origin:
        points.append(origin)
    needs_in_order = [need for need, row in picks if row in by_row.index]
    highlight_need = st.session_state.get(HIGHLIGHT)
    highlight = needs_in_order.index(highlight_need) if highlight_need in needs_in_order else None
    layer = plan_layer(
        pick_frame,
        others,
        labels=popup_labels(),
        type_labels=type_labels(),
        pick_heads=[f"{n} · {t('type.' + need)}" for n, need in enumerate(needs_in_order, 1)],
        origin=origin,
        highlight=highlight,
        bounds=maps.bounds_around(points) if plan else None,
    )
    picking = st.session_state.get(K + "origin_mode") == "map"
    legend = plan_legend_html(
        type_labels(), [p.service_type[r] for r in pick_frame.index],
        others_label=t("map.legend.others"), approximate_label=t("map.legend_approximate"),
        origin_label=t("map.origin"),
    )  # fmt: skip
    return MapView(
        base=plan_component.base_parts(cfg.data_dir, cfg.tile_url, tuple(attribution)),
        layer=layer,
        pick_frame=pick_frame,
        needs_in_order=needs_in_order,
        picking=picking,
        legend=legend,
    )


def find_map(view: MapView) -> None:
    """Draw the plan (or nothing yet) and keep the last click: origin, or a pick to highlight."""
    # The base map stays in the browser; only the plan's layer is swapped on each change.
    out = plan_component.show(
        view.base, view.layer, key=K + "map", height=480, returned_objects=RETURNED
    )
    if view.picking:
        clicked = (out or {}).get("last_clicked")
        if clicked and (clicked["lat"], clicked["lng"]) != st.session_state.get(K + "clicked"):
            st.session_state[K + "clicked"] = (clicked["lat"], clicked["lng"])
            st.rerun()  # the origin moved: the form above must read it
    elif view.needs_in_order:
        _highlight_clicked(view.pick_frame, view.needs_in_order, out)
    st.markdown(view.legend, unsafe_allow_html=True)


def _highlight_clicked(picks: pd.DataFrame, needs: list[str], out: dict | None) -> None:
    """A click on a numbered marker highlights that pick in the list below."""
    out = out or {}
    clicked = out.get("last_object_clicked")
    click = (clicked, out.get("last_object_clicked_count"))  # the same marker again counts
    if not clicked or click == st.session_state.get(K + "last_object"):
        return
    st.session_state[K + "last_object"] = click
    # Its tooltip starts with its number ("2 · …"): two picks may share one point.
    number = re.match(r"\s*(\d+) ·", str(out.get("last_object_clicked_tooltip") or ""))
    if number and 1 <= int(number.group(1)) <= len(needs):
        st.session_state[HIGHLIGHT] = needs[int(number.group(1)) - 1]
        return
    for need, (lat, lon) in zip(needs, zip(picks["latitude"], picks["longitude"])):
        if abs(lat - clicked["lat"]) < 1e-6 and abs(lon - clicked["lng"]) < 1e-6:
            st.session_state[HIGHLIGHT] = need
            return
