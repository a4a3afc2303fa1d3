"""Reveal a confidential site's exact address on the Listings page (logged, with a reason)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from directory.access.disclosure import can_reveal, reveal
from directory.errors import PermissionDeniedError, ValidationError
from directory.models import User

from .context import store, t
from .widgets import tm


def reveal_section(user: User, frame: pd.DataFrame) -> None:
    with store() as s:
        hidden = [
            loc
            for loc in s.locations_not_public()
            if loc.id in set(frame["location_id"]) and can_reveal(user, loc)
        ]
    if not hidden:
        return
    st.subheader(t("reveal.title"))
    st.caption(t("reveal.help"))
    with st.form("listings_reveal"):
        choice = st.selectbox(
            t("reveal.location"),
            [loc.id for loc in hidden],
            format_func=lambda i: next(
                f"{x.name} ({x.locality or x.county_code})" for x in hidden if x.id == i
            ),
            key="listings_reveal_location",
        )
        reason = st.text_input(t("reveal.reason"), max_chars=500, key="listings_reveal_reason")
        go = st.form_submit_button(t("reveal.submit"))
    if go:
        try:
            with store() as s:
                exact = reveal(s, user, choice, reason)
        except ValidationError:
            st.error(t("reveal.reason_required"))
        except PermissionDeniedError:
            st.error(t("auth.not_allowed"))
        else:
            st.success(
                tm(
                    "reveal.shown",
                    address=exact.address_1 or "—",
                    locality=exact.locality or "",
                    lat=f"{exact.latitude:.5f}",
                    lon=f"{exact.longitude:.5f}",
                )
            )
