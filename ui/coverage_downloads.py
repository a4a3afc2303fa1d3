"""The Coverage page's downloads: CSV of the tables, GeoJSON of the UATs, a PNG map.

The county CSV is small and made at once. The others are made only when their button is
clicked (Streamlit runs the callable then, on another thread): the UAT table, its GeoJSON
and the PNG took a second of every run of the page before. A click does not rerun the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from gaps.analysis import Coverage

from . import coverage_cache as cc
from .context import t
from .coverage_maps import uat_geojson

KINDS = ("counties", "uats", "geojson", "png")  # each labelled "coverage.download.<kind>"


def _geojson(cov: Coverage) -> bytes:
    text = json.dumps(uat_geojson(cov.uats()), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def downloads(counties: pd.DataFrame, cov: Coverage, stem: str, png: Callable[[], bytes]) -> None:
    """Four buttons in a row; ``png`` makes the map when asked (cached by its figures)."""
    st.subheader(t("coverage.downloads"))
    a, b, c, e = st.columns(4)
    buttons = (
        (a, "counties", cc.csv_bytes(counties), f"{stem}-counties.csv", "text/csv"),
        (b, "uats", lambda: cc.csv_bytes(cov.uats()), f"{stem}-uats.csv", "text/csv"),
        (c, "geojson", lambda: _geojson(cov), f"{stem}.geojson", "application/geo+json"),
        (e, "png", png, f"{stem}.png", "image/png"),
    )
    for column, kind, data, name, mime in buttons:
        column.download_button(
            t("coverage.download." + kind),
            data,
            name,
            mime,
            key="coverage_dl_" + kind,
            on_click="ignore",
        )
