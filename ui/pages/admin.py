"""Users and audit: accounts, the audit log and its hash chain (administrators only)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from directory.audit_view import actor_text, audit_rows, code_text
from directory.listings.export import table_csv_bytes
from directory.referrals.packet import display_names
from directory.storage.audit import AuditEntry
from ui import session
from ui.context import lang, store, t
from ui.widgets import dataframe, multiselect, table

K = "admin_"
LIMIT = 1000

admin = session.require("admin")
st.title(t("page.admin"))

with store() as s:
    users = [asdict(u) for u in s.users()]
    actors, actions = s.audit_actors_and_actions()
    chain = s.verify_audit()
    # Display names, not usernames: of every account that appears in the log or the list.
    names = display_names(s, set(actors) | {u["username"] for u in users}, lang())

st.subheader(t("admin.users"))
frame = pd.DataFrame(users, columns=["username", "display_name", "role", "active"])
frame["role"] = frame["role"].map(lambda r: t("role." + r))
frame["display_name"] = frame["username"].map(names)
frame["active"] = frame["active"].astype(bool)
table(
    frame,
    {
        "username": t("auth.username"),
        "display_name": t("account.name"),
        "role": t("account.role"),
        "active": t("admin.active"),
    },
)
st.caption(t("admin.users_cli"))
__import__("ui.accounts_admin").accounts_admin.accounts_section(admin)

st.subheader(t("admin.audit"))
if chain.ok:
    st.success(t("admin.chain_ok", rows=chain.rows))
else:
    st.error(t("admin.chain_broken", row=chain.first_bad_id))
st.caption(t("admin.chain_head_help"))

c1, c2, c3 = st.columns(3)
# The language read once: a format_func may be called outside the run, where it cannot be.
reader = lang()
anyone = t("admin.filter.anyone")
# The first option is "anyone", the rest are the actors, shown by their display names.
picked = c1.selectbox(
    t("admin.filter.actor"), [anyone, *actors], key=K + "actor",
    format_func=lambda a: a if a == anyone else actor_text(a, names, reader),
)  # fmt: skip
actor = None if picked == anyone and anyone not in actors else picked
# Reveals of confidential addresses first: they are what an audit looks for most.
ordered = sorted(actions, key=lambda a: (a != "reveal", a))
with c2:
    chosen = multiselect(
        t("admin.filter.action"), ordered, key=K + "actions",
        format_func=lambda a: code_text("action", a, reader),
    )  # fmt: skip
today = date.today()
days = c3.date_input(
    t("admin.filter.dates"), (today - timedelta(days=30), today), max_value=today,
    format="DD.MM.YYYY" if reader == "ro" else "DD/MM/YYYY", key=K + "dates",
)  # fmt: skip
start, end = (tuple(days) + (None, None))[:2] if isinstance(days, (tuple, list)) else (days, None)
with store() as s:
    log = s.audit_rows(
        actor=actor,
        actions=chosen,
        since=start.isoformat() if start else None,
        until=(end + timedelta(days=1)).isoformat() if end else None,
        limit=LIMIT,
    )
st.caption(t("admin.audit_count", n=len(log), limit=LIMIT))
columns = {
    "id": "#",
    "at": t("admin.col.at"),
    "actor": t("admin.col.actor"),
    "action": t("admin.col.action"),
    "entity": t("admin.col.entity"),
    "entity_id": t("admin.col.entity_id"),
    "reason": t("admin.col.reason"),
}
shown = audit_rows(log, names, reader)  # local times, words, "—" for nothing; never None
log_frame = pd.DataFrame(shown, columns=list(columns)).rename(columns=columns)
dataframe(log_frame, width="stretch")


def _log_export() -> None:
    with store() as s:
        s.log(AuditEntry(admin.username, "export", "audit_log", None, None, {"rows": len(log)}))


st.download_button(
    t("admin.export"), table_csv_bytes(log_frame), "audit.csv", "text/csv",
    key=K + "csv", on_click=_log_export,
)  # fmt: skip
