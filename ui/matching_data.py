"""The prepared matching arrays of the directory, cached per data version and role."""

from __future__ import annotations

from datetime import date

import streamlit as st

from matching.prepared import Prepared, prepare

from .context import settings
from .directory_view import data_version, generalised_directory


@st.cache_resource(max_entries=8, show_spinner=False)
def _prepared(db_path: str, version: int, role: str, data_dir: str, today: str) -> Prepared:
    # Shared across sessions: Prepared is frozen and its arrays are never written to.
    frame = generalised_directory(db_path, version, role, data_dir).reset_index(drop=True)
    return prepare(frame, date.fromisoformat(today))


def prepared_for(role: str) -> Prepared:
    cfg = settings()
    version = data_version(cfg.db)
    return _prepared(cfg.db, version, role, cfg.data_dir, date.today().isoformat())
