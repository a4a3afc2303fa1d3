"""My account: who is signed in, with which role, and sign-out."""

from __future__ import annotations

import streamlit as st

from directory.errors import NotFoundError
from directory.models import Organization
from ui import session
from ui.context import store, t
from ui.widgets import md

user = session.require("account")
st.title(t("page.account"))

with store() as s:
    try:
        organization = (
            s.get(Organization, user.organization_id).name if user.organization_id else "—"
        )
    except NotFoundError:
        organization = "—"

st.markdown(
    f"**{t('account.name')}:** {md(user.display_name)}  \n"
    f"**{t('auth.username')}:** `{user.username}`  \n"
    f"**{t('account.role')}:** {t('role.' + user.role)}  \n"
    f"**{t('account.organization')}:** {md(organization)}",
    help=t("account.role_help"),
)
if st.button(t("auth.sign_out"), key="account_sign_out"):
    session.end(notice="auth.signed_out")
    st.rerun()
