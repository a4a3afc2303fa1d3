"""Sign in with a username and password from Punte's own user table."""

from __future__ import annotations

import streamlit as st

from directory.access.sign_in import SignInError, sign_in
from ui import session
from ui.context import settings, store, t

st.title(t("auth.title"))
notice = st.session_state.pop(session.NOTICE_KEY, None)
if notice:
    st.info(t(notice))

with st.form("sign_in_form"):
    username = st.text_input(t("auth.username"), key="sign_in_username")
    password = st.text_input(t("auth.password"), type="password", key="sign_in_password")
    submitted = st.form_submit_button(t("auth.submit"), type="primary")

if submitted:
    try:
        with store() as s:
            user = sign_in(s, username, password, settings(), client=session.client_address())
    except SignInError as e:
        st.error(t(f"auth.error.{e.problem.code}", minutes=e.problem.minutes))
    else:
        session.start(user)
        st.rerun()

st.caption(t("auth.help"))
