"""A provider's capacity self-update page, opened from a link without an account.

It shows the service's name and capacity fields only: never an address, a map or any other
listing. The token in the link is the only key; every opening and update is logged.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from directory import vocab
from directory.listings import links
from directory.listings.freshness import capacity_age_text
from directory.listings.validation import check_capacity
from ui.context import lang, store, t
from ui.widgets import md, selectbox

K = "capacity_link_"

st.title(t("link.page_title"))
token = str(st.query_params.get(links.QUERY_PARAM, ""))
now = datetime.now(UTC)
try:
    with store() as s:
        if st.session_state.get(K + "opened") != token:  # log an opening once, not each rerun
            view = links.open_link(s, token, now)
            st.session_state[K + "opened"] = token
        else:
            view = links.view_link(s, token, now)
except links.LinkError as e:
    st.error(t(e.key))
    st.stop()

st.subheader(md(view.service_name), anchor=False)
st.caption(t("link.page_help", expires=view.expires_at.date().isoformat()))
st.caption(capacity_age_text(view.capacity_as_of, now.date(), lang()))  # how old the last one is
done = st.session_state.pop(K + "done", None)
if done:
    st.success(t(done))
with st.form(K + "form"):
    status = selectbox(
        t("field.capacity_status"),
        vocab.CAPACITY_STATUSES,
        index=vocab.CAPACITY_STATUSES.index(view.capacity_status),
        format_func=lambda c: t("capacity." + c),
        key=K + "status",
    )
    left, right = st.columns(2)
    free = left.number_input(
        t("field.beds_available"), 0, 10_000, view.beds_available, key=K + "free"
    )
    total = right.number_input(t("field.beds_total"), 0, 10_000, view.beds_total, key=K + "total")
    go = st.form_submit_button(t("capacity.save"), type="primary")
if go:
    problems = check_capacity(status, free, total, now.date())
    if problems:
        for p in problems.values():
            st.error(p.text(lang()))
    else:
        try:
            with store() as s:
                links.update_by_link(s, token, datetime.now(UTC), status, free, total)
        except links.LinkError as e:
            st.error(t(e.key))
            st.stop()
        st.session_state[K + "done"] = "link.saved"
        st.rerun()
if st.button(t("capacity.still_correct"), key=K + "same"):
    try:
        with store() as s:
            links.confirm_by_link(s, token, datetime.now(UTC))
    except links.LinkError as e:
        st.error(t(e.key))
        st.stop()
    st.session_state[K + "done"] = "link.confirmed"
    st.rerun()
