"""Coverage: where children are far from services (the analysis is not built yet)."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.context import t
from ui.directory_view import render_directory

user = session.require("coverage")
st.title(t("page.coverage"))
st.info(t("coverage.not_built"))
render_directory(user.role, "coverage")
