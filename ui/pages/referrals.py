"""Referrals: the caseworker's sent referrals and their status (not built yet)."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.context import t

session.require("referrals")
st.title(t("page.referrals"))
st.info(t("page.not_built"))
