"""The Find form survives a trip to another page, for this signed-in browser session only.

Streamlit drops a widget's value once a run ends without that widget on screen, so going
to Referrals and back would empty the form. After every run of the form its values are
copied to one plain (non-widget) session key, which Streamlit keeps; on coming back to
the page they are put back before the widgets are drawn. Nothing here touches the
database, and :func:`forget` (called on sign-out and on idle expiry) removes it all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import streamlit as st

PREFIX = "find_"  # every session key of the Find page starts with it
MEMORY = PREFIX + "memory"
# The form's own inputs, by widget key. Buttons and forms are not kept: their state
# cannot be set, and a consent tick must be given again for each referral.
FORM_KEYS = (
    "find_origin_mode", "find_origin_query", "find_origin_candidate", "find_origin_county",
    "find_origin_uat", "find_avoid_query", "find_avoid_km", "find_age", "find_gender",
    "find_urgency", "find_languages", "find_needs", "find_exploitation", "find_requirements",
    "find_limit_unit", "find_max_km", "find_max_min", "find_waitlist", "find_case_code",
    "find_search_query",
)  # fmt: skip


def remember() -> None:
    """Copy the form's current values to the kept key (values of unshown widgets stay)."""
    state = st.session_state
    kept = dict(state.get(MEMORY) or {})
    kept.update({k: state[k] for k in FORM_KEYS if k in state})
    state[MEMORY] = kept


def restore() -> None:
    """Put the kept values back into the widgets' keys, before the widgets are drawn."""
    for key, value in (st.session_state.get(MEMORY) or {}).items():
        if key in FORM_KEYS:
            st.session_state[key] = value


def forget() -> None:
    """Remove everything the Find page keeps in this session: form, picks, map, memory."""
    for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]


def kept(run: Callable[..., None]) -> Callable[..., None]:
    """Wrap a part of the form: restore it on coming back to the page, remember it after
    a run (the needs field's fragment reruns alone, so it remembers for itself)."""

    @wraps(run)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        if st.session_state.pop(RETURNED, False):
            restore()
        try:
            run(*args, **kwargs)
        finally:
            remember()

    return wrapper


RETURNED = PREFIX + "returned"  # set by session.require when the Find page is entered anew
