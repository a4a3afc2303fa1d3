"""The Find page's optional case code: marks services this case was already referred to."""

from __future__ import annotations

import streamlit as st

from directory.referrals.guards import case_status_by_service

from .context import store, t

CODE_KEY = "find_case_code"


def case_code_box() -> None:
    """At the top of the plan: the case code the referral forms below start from."""
    st.text_input(
        t("find.case_code"), max_chars=24, help=t("ref.case_code_help"), key=CODE_KEY
    )  # kept in the session only; never written until a referral is sent


def current_code() -> str:
    return str(st.session_state.get(CODE_KEY) or "").strip()


def mark_for(service_at_location_id: str) -> str | None:
    """ "open" or "declined" when the current case code was referred there, else None."""
    code = current_code()
    if not code:
        return None
    with store() as s:
        return case_status_by_service(s, code).get(service_at_location_id)


def show_mark(mark: str | None) -> None:
    if mark:
        st.warning(t("find.case_mark." + mark), icon="⚠️")
