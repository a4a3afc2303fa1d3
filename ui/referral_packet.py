"""The packet of one referral on screen: what it stores and was consented, in the reader's words."""

from __future__ import annotations

import streamlit as st

from directory.models import Referral
from directory.referrals.packet import consented_reasons, packet_rows

from .context import lang, t
from .widgets import md


def show_packet(referral: Referral) -> None:
    """The consented fields, then the match reasons limited to what was consented."""
    st.markdown("\n".join(f"- {md(label)}: {md(value)}" for label, value in packet_rows(
        referral, lang())))  # fmt: skip
    st.caption(t("ref.reasons_at_sending"))
    reasons = consented_reasons(referral)
    st.markdown("\n".join(f"- {md(r.text(lang()))}" for r in reasons) or "—")
