"""Users and audit: accounts, the audit log and its hash chain (administrators only)."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from ui import session
from ui.context import store, t
from ui.widgets import table

admin = session.require("admin")
st.title(t("page.admin"))

with store() as s:
    users = [asdict(u) for u in s.users()]
    log = [asdict(row) for row in s.audit_rows(limit=200)]
    chain = s.verify_audit_chain()

st.subheader(t("admin.users"))
frame = pd.DataFrame(users, columns=["username", "display_name", "role", "active"])
frame["role"] = frame["role"].map(lambda r: t("role." + r))
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
log_frame = pd.DataFrame(
    log, columns=["id", "at", "actor", "action", "entity", "entity_id", "reason"]
)
table(
    log_frame,
    {
        "at": t("admin.col.at"),
        "actor": t("admin.col.actor"),
        "action": t("admin.col.action"),
        "entity": t("admin.col.entity"),
        "entity_id": t("admin.col.entity_id"),
        "reason": t("admin.col.reason"),
    },
)
