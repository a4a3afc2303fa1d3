"""Find services: the caseworker's map of providers (matching arrives with the matcher)."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.context import t
from ui.directory_view import render_directory

user = session.require("find")
st.title(t("page.find"))
st.info(t("find.not_built"))
render_directory(user.role, "find")
