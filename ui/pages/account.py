"""My account: who is signed in, with which role, a password change, and sign-out."""

from __future__ import annotations

import streamlit as st

from directory.access.account import PasswordError, change_password
from directory.access.passwords import MIN_LENGTH
from directory.demo.names import shown_name
from directory.errors import ConflictError, NotFoundError
from directory.models import Organization
from ui import session
from ui.context import lang, store, t
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

name = shown_name(user.username, user.display_name, user.is_demo, lang())
st.markdown(
    f"**{t('account.name')}:** {md(name)}  \n"
    f"**{t('auth.username')}:** `{user.username}`  \n"
    f"**{t('account.role')}:** {t('role.' + user.role)}  \n"
    f"**{t('account.organization')}:** {md(organization)}",
    help=t("account.role_help"),
)
st.subheader(t("account.password.title"))
st.caption(t("account.password.rule", min=MIN_LENGTH))
with st.form("account_password", clear_on_submit=True):
    current = st.text_input(t("account.password.current"), type="password", max_chars=256)
    new = st.text_input(t("account.password.new"), type="password", max_chars=256)
    repeat = st.text_input(t("account.password.repeat"), type="password", max_chars=256)
    change = st.form_submit_button(t("account.password.submit"))
if change:
    try:
        with store() as s:
            change_password(s, user, current, new, repeat)
    except PasswordError as e:
        st.error(t("account.password.error." + e.reason, min=MIN_LENGTH))
    except ConflictError:
        st.error(t("account.password.conflict"))
    else:
        st.success(t("account.password.changed"))

if st.button(t("auth.sign_out"), key="account_sign_out"):
    session.end(notice="auth.signed_out")
    st.rerun()
