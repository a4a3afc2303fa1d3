"""The sidebar's attention line: the role's new and overdue referrals, linking to them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from directory.models import User
from directory.referrals.attention import attention_for

from .context import store, t

SHOWN_KEY = "attention_shown"


def attention_link(user: User, referrals_page: Any | None) -> None:
    """A link to the Referrals page with the counts; once per session also a notice."""
    if referrals_page is None:
        return
    with store() as s:
        counts = attention_for(s, user)
    if not counts.any:
        return
    key = "attention.sender" if user.role == "caseworker" else "attention.receiver"
    label = t(key, new=counts.new, overdue=counts.overdue)
    st.page_link(referrals_page, label=label, icon=":material/notifications:")
    if not st.session_state.get(SHOWN_KEY):  # on sign-in: said once, not on every rerun
        st.session_state[SHOWN_KEY] = True
        st.toast(label)
