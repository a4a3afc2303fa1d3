"""Referrals: mine and my organisation's (caseworkers), incoming (coordinators), all (admin)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from directory.formatting import when
from directory.listings.export import table_csv_bytes
from directory.referrals import workflow as referrals
from directory.referrals.attention import needing_attention
from directory.referrals.packet import display_names
from directory.storage.frame import service_details
from directory.vocab import REFERRAL_STATUSES, URGENCIES
from ui import session
from ui.context import lang, store, t
from ui.referral_actions import (
    offer_next_best,
    reveal_button,
    sheet_download,
    show_flash,
    status_actions,
)
from ui.referral_packet import show_packet
from ui.widgets import dataframe, multiselect

K = "referrals_"
user = session.require("referrals")
st.title(t("page.referrals"))
show_flash()

with store() as s:
    items = referrals.visible_to(s, user)
    names = service_details(s, [r.service_at_location_id for r in items]) if items else None
    # Display names, not usernames, for "Sent by" and the history.
    people = display_names(s, {r.created_by for r in items} | {"system"}, lang())
if not items:
    st.info(t("ref.none"))
    st.stop()

service_name = dict(zip(names["service_at_location_id"], names["service_name"]))
now = referrals.now_utc()
c1, c2, c3 = st.columns(3)
with c1:
    statuses = multiselect(
        t("ref.col.status"), REFERRAL_STATUSES, format_func=lambda x: t("status." + x),
        key=K + "status",
    )  # fmt: skip
with c2:
    urgencies = multiselect(
        t("find.urgency"), URGENCIES, format_func=lambda x: t("urgency." + x), key=K + "urgency"
    )
overdue_only = c3.checkbox(t("ref.overdue_only"), key=K + "overdue")
shown = [
    r
    for r in items
    if (not statuses or r.status in statuses)
    and (not urgencies or r.urgency in urgencies)
    and (not overdue_only or referrals.is_overdue(r, now))
]
table = pd.DataFrame(
    {
        t("ref.col.overdue"): ["⚠️" if referrals.is_overdue(r, now) else "" for r in shown],
        t("ref.case_code"): [r.case_code for r in shown],
        t("col.service"): [service_name.get(r.service_at_location_id, "—") for r in shown],
        t("ref.col.status"): [t("status." + r.status) for r in shown],
        t("find.urgency"): [t("urgency." + r.urgency) for r in shown],
        t("ref.col.due"): [when(r.due_at, lang()) for r in shown],
        t("ref.col.sender"): [people.get(r.created_by, r.created_by) for r in shown],
    }
)
dataframe(table, width="stretch")
overdue = sum(referrals.is_overdue(r, now) for r in items)
if overdue:
    st.warning(t("ref.overdue_count", n=overdue))
st.download_button(
    t("ref.export"), table_csv_bytes(table), "trimiteri.csv", "text/csv",
    key=K + "csv",
)  # fmt: skip

if shown:
    st.subheader(t("ref.detail"))

    by_id = {r.id: r for r in shown}

    def label(referral_id: str) -> str:
        r = by_id[referral_id]
        where = service_name.get(r.service_at_location_id, "—")
        return f"{r.case_code} · {where} · {t('status.' + r.status)}"

    # Referral ids as options: stable across reruns, so the label follows a status change.
    # A link from elsewhere (?ref=<id>, e.g. a duplicate warning) opens that referral.
    linked = st.query_params.get("ref")
    ids = list(by_id)
    # Otherwise the first one behind the attention counts, so the sidebar's link lands on it.
    waiting = [i for i in needing_attention(user, items, now) if i in by_id]
    start = ids.index(linked) if linked in by_id else ids.index(waiting[0]) if waiting else 0
    chosen = st.selectbox(t("ref.pick"), ids, index=start, format_func=label, key=K + "pick")
    referral = by_id.get(chosen, shown[0])
    with store() as s:
        events = referrals.history(s, referral.id)
        people |= display_names(s, {e["actor"] for e in events}, lang())
    show_packet(referral)
    dataframe(
        pd.DataFrame(
            {
                t("admin.col.at"): [when(e["at"], lang()) for e in events],
                t("admin.col.actor"): [people.get(e["actor"], e["actor"]) for e in events],
                t("ref.col.status"): [t("status." + e["to_status"]) for e in events],
                t("ref.decline_reason"): [
                    t("decline." + e["reason_code"]) if e["reason_code"] else "" for e in events
                ],
                t("ref.note"): [e["note"] or "" for e in events],
            }
        ),
        width="stretch",
    )
    status_actions(user, referral)
    if user.username == referral.created_by and (
        referral.status == "declined" or referrals.is_overdue(referral, now)
    ):
        offer_next_best(user, referral)
    reveal_button(user, referral)
    sheet_download(user, referral)
