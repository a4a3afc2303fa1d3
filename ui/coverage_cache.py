"""The coverage figures of the page, cached by data version, role and choices."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from directory.coverage_data import demand, load_supply, road_graph, with_saved
from directory.listings.export import table_csv_bytes
from directory.settings import Settings
from directory.storage.population_rows import SavedPopulation
from gaps.analysis import Coverage, analyse, what_if
from gaps.model import Demand, Supply
from gaps.sites import Pick, suggest
from travel.roads import RoadGraph

from .context import settings, store
from .directory_view import data_version

POPULATION_KEY = "coverage_population"  # session: (basis, per-UAT array) after an upload


def graph() -> RoadGraph:
    return road_graph(settings())  # read once per process and speeds (lru_cache)


@st.cache_data(max_entries=8, show_spinner=False)
def _supply(db_path: str, version: int, role: str, data_dir: str) -> Supply:
    with store() as s:
        return load_supply(s, role, data_dir)


@st.cache_data(max_entries=4, show_spinner=False)
def _saved(db_path: str, version: int) -> SavedPopulation | None:
    with store() as s:
        return s.saved_population()


def saved_population() -> SavedPopulation | None:
    """The population an admin saved for everyone, or None for the reference one."""
    cfg = settings()
    return _saved(cfg.db, data_version(cfg.db))


def base_demand(cfg: Settings) -> Demand:
    """The population every figure counts: this session's file, else the one an admin saved,
    else the reference (domicile, 2020)."""
    d = with_saved(demand(cfg.data_dir), saved_population())
    upload = st.session_state.get(POPULATION_KEY)
    return d.with_population(upload[1], upload[0]) if upload else d


def _digest(d: Demand) -> str:
    return d.basis + hashlib.sha1(np.ascontiguousarray(d.population).tobytes()).hexdigest()


@st.cache_resource(max_entries=32, show_spinner=False)
def _coverage(
    db_path: str,
    version: int,
    role: str,
    service_type: str,
    child_friendly: bool,
    population: str,
    _demand: Demand,
) -> Coverage:
    # Shared across sessions: Coverage is frozen and its arrays are never written to.
    cfg = settings()
    supply = _supply(db_path, version, role, cfg.data_dir).of_type(service_type, child_friendly)
    return analyse(graph(), _demand, supply, cfg.thresholds_min, cfg.thresholds_km)


def coverage_for(role: str, service_type: str, child_friendly: bool) -> Coverage:
    cfg = settings()
    d = base_demand(cfg)
    version = data_version(cfg.database)
    return _coverage(cfg.database, version, role, service_type, child_friendly, _digest(d), d)


@st.cache_data(max_entries=32, show_spinner=False)
def _suggest(
    db_path: str,
    version: int,
    role: str,
    service_type: str,
    child_friendly: bool,
    population: str,
    k: int,
    threshold: float,
    by: str,
) -> list[Pick]:
    cov = coverage_for(role, service_type, child_friendly)
    return suggest(graph(), cov, k, threshold, by)


def suggestions(
    role: str, service_type: str, child_friendly: bool, k: int, threshold: float, by: str
) -> list[Pick]:
    cfg = settings()
    d = base_demand(cfg)
    args = (role, service_type, child_friendly, _digest(d), k, threshold, by)
    return _suggest(cfg.database, data_version(cfg.database), *args)


# The what-if runs on every rerun (its expander is closed but Streamlit runs it): keep the last
# answers. A Coverage is a shared cached resource, compared by identity.
@lru_cache(maxsize=32)
def closing(cov: Coverage, index: int) -> Coverage:
    return what_if(graph(), cov, close=index)


@lru_cache(maxsize=32)
def adding(cov: Coverage, lat: float, lon: float, county: str, label: str) -> Coverage:
    return what_if(graph(), cov, add=(lat, lon, county, label))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV with every text cell guarded against spreadsheet formulas."""
    return "\ufeff".encode() + table_csv_bytes(frame)  # the BOM makes Excel read ș and ț


@lru_cache(maxsize=4)
def counties(data_dir: str) -> dict:
    """The county outlines, read once per process (never written to: shared by every run).

    ``directory_view.counties_geojson`` is a cache_data: each call unpickles 380 KB again.
    """
    return json.loads((Path(data_dir) / "ro_counties.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=16)  # not st.cache_data: it runs on the download's own thread
def png(
    data_dir: str,
    shares: tuple[tuple[str, float], ...],
    sites: tuple[tuple[float, float], ...],
    words: tuple[str, str, str, str, str],
) -> bytes:
    """The PNG map, drawn once per set of figures and words (matplotlib takes about a second)."""
    from .coverage_maps import png_map

    title, legend_title, attribution, sites_label, no_data = words
    return png_map(
        counties(data_dir),
        dict(shares),
        title=title,
        legend_title=legend_title,
        attribution=attribution,
        sites=pd.DataFrame(sites, columns=["lat", "lon"]),
        sites_label=sites_label,
        no_data=no_data,
    )
