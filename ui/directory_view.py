"""The directory as a map and a table, generalised for the viewer's role."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from directory.access.disclosure import generalise
from directory.listings.freshness import capacity_age_text, verified_text
from directory.places.gazetteer import uat_points
from directory.storage.frame import services_frame
from directory.vocab import CAPACITY_STATUSES, SERVICE_TYPES

from .context import lang, settings, store, t
from .widgets import dataframe, multiselect


def data_version(db_path: str) -> int:
    """Grows with every write (each write adds an audit row), so caches refresh after edits."""
    with store() as s:
        return s.data_version()


@st.cache_data(max_entries=8, show_spinner=False)
def generalised_directory(db_path: str, version: int, role: str, data_dir: str) -> pd.DataFrame:
    with store() as s:
        frame = services_frame(s, details=True)
    return generalise(frame, role, uat_points(data_dir))


def load_directory(role: str) -> pd.DataFrame:
    """Every active service at its location, as ``role`` may see it."""
    cfg = settings()
    return generalised_directory(cfg.database, data_version(cfg.database), role, cfg.data_dir)


@st.cache_data(show_spinner=False)
def counties_geojson(data_dir: str) -> dict:
    return json.loads((Path(data_dir) / "ro_counties.geojson").read_text(encoding="utf-8"))


def type_labels() -> dict[str, str]:
    return {code: t("type." + code) for code in SERVICE_TYPES}


def type_filter(key: str) -> list[str]:
    labels = type_labels()
    return multiselect(
        t("directory.types"),
        list(labels),
        format_func=labels.get,
        key=key,
        placeholder=t("directory.all_types"),
    )


def directory_table(frame: pd.DataFrame) -> None:
    labels = type_labels()
    # How fresh each listing is comes right after its capacity, where a screen shows it
    # without scrolling sideways; contact and precision details follow.
    table = pd.DataFrame(
        {
            t("col.service"): frame["service_name"],
            t("col.type"): frame["service_type"].astype(str).map(labels),
            t("col.locality"): frame["locality"],
            t("col.county"): frame["county_code"].astype(str),
            t("col.capacity"): frame["capacity_status"]
            .astype(str)
            .map(lambda c: t("capacity." + c)),
            t("col.verified"): _ages(frame, "assured_date", verified_text),
            t("col.capacity_age"): _ages(frame, "capacity_as_of", capacity_age_text),
            t("col.organization"): frame["organization_name"],
            t("col.address"): frame["address_1"],
            t("col.precision"): frame["location_precision"].map(lambda p: t("precision." + p)),
            t("col.phone"): frame["intake_phone"],
        }
    )
    dataframe(table, width="stretch")


def _ages(frame: pd.DataFrame, column: str, text: Callable[..., str]) -> list[str]:
    """'Verified 12 days ago' and the capacity age, wherever a listing shows."""
    today, language = date.today(), lang()
    return [
        text(None if pd.isna(v) else pd.Timestamp(v).date(), today, language) for v in frame[column]
    ]


def popup_labels() -> dict[str, str]:
    """The words of a map popup, in the session's language."""
    return {
        "phone": t("col.phone"),
        "capacity": t("col.capacity"),
        "languages": t("map.languages"),
        "approximate": t("map.approximate"),
        "address": t("col.address"),
        "organization": t("col.organization"),
        "origin": t("map.origin"),
        "distance": t("map.distance"),
        **{f"capacity_{c}": t("capacity." + c) for c in CAPACITY_STATUSES},
    }


def directory_map(frame: pd.DataFrame, key: str, demo: bool) -> None:
    from streamlit_folium import st_folium

    from . import maps

    cfg = settings()
    attribution = [t("map.attribution.counties"), t("map.attribution.geonames")]
    if demo:
        attribution.append(t("map.attribution.demo"))
    frame = frame.dropna(subset=["latitude", "longitude"])
    # The popup's capacity line says how fresh the listing is (printed as text, never HTML).
    capacity = frame["capacity_status"].astype(str).map(lambda c: t("capacity." + c))
    ages = zip(_ages(frame, "assured_date", verified_text),
               _ages(frame, "capacity_as_of", capacity_age_text), strict=True)  # fmt: skip
    frame = frame.assign(
        popup_capacity=[f"{c} · {v} · {a}" for c, (v, a) in zip(capacity, ages, strict=True)]
    )
    m = maps.provider_map(
        frame,
        counties_geojson(cfg.data_dir),
        labels=popup_labels(),
        type_labels=type_labels(),
        tile_url=cfg.tile_url,
        attribution_lines=attribution,
    )
    st_folium(m, key=key, height=520, use_container_width=True, returned_objects=[])
    legend = maps.legend_html(
        type_labels(), maps.PALETTE, approximate_label=t("map.legend_approximate")
    )
    st.markdown(legend, unsafe_allow_html=True)


def render_directory(role: str, prefix: str) -> None:
    """Type filter, map and table of the directory, as ``role`` may see it."""
    frame = load_directory(role)
    types = type_filter(f"{prefix}_types")
    if types:
        frame = frame[frame["service_type"].isin(types)]
    st.caption(t("directory.count", n=len(frame)))
    directory_map(frame, key=f"{prefix}_map", demo=bool(frame["is_demo"].any()))
    directory_table(frame)
