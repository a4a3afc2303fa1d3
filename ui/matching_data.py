"""The prepared matching arrays of the directory, cached per data version and role."""

from __future__ import annotations

from datetime import date

import streamlit as st

from directory.access.matching_view import matching_view
from directory.coverage_data import road_graph
from directory.places.gazetteer import uat_points
from directory.storage.frame import services_frame
from matching.prepared import Prepared

from .context import settings, store
from .directory_view import data_version


@st.cache_resource(max_entries=8, show_spinner=False)
def _prepared(db_path: str, version: int, role: str, data_dir: str, today: str) -> Prepared:
    # Shared across sessions: Prepared is frozen and its arrays are never written to. It holds
    # the true points for the avoid rule; its frame, the only thing pages show, does not.
    with store() as s:
        frame = services_frame(s, details=True)
    # The road graph is read once per data folder (cached in travel.roads) and passed in:
    # matching never loads it.
    graph = road_graph(settings())
    return matching_view(frame, role, uat_points(data_dir), date.fromisoformat(today), graph)


def prepared_for(role: str) -> Prepared:
    """Refuses a role that does not match (the partner role): see matching_view."""
    cfg = settings()
    version = data_version(cfg.database)
    return _prepared(cfg.database, version, role, cfg.data_dir, date.today().isoformat())
