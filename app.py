"""Punte: router only. Page config, language, sign-in, then the pages of the user's role."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from directory.demo.names import shown_name
from directory.errors import DatabaseNotReadyError
from directory.i18n import LANGUAGES
from directory.listings.links import QUERY_PARAM as CAPACITY_TOKEN
from ui import session
from ui.attention import attention_link
from ui.context import LANG_KEY, lang, store, t
from ui.registry import SIGN_IN, pages_for
from ui.static_assets import ensure_static
from ui.widgets import tm

ROOT = Path(__file__).resolve().parent
LANGUAGE_NAMES = {"ro": "Română", "en": "English"}

st.set_page_config(
    page_title="Punte", page_icon=str(ROOT / "ui" / "assets" / "punte.png"), layout="wide"
)
ensure_static(ROOT)

st.sidebar.selectbox(
    t("sidebar.language"),
    LANGUAGES,
    key=LANG_KEY,
    format_func=LANGUAGE_NAMES.get,
)

try:
    with store() as s:
        counts = s.counts()
        counties = s.county_count()
except DatabaseNotReadyError:
    st.error(t("error.db_not_ready"))
    st.stop()

if counts["demo"]:
    st.warning(t("demo.banner"), icon="⚠️")

# A provider's capacity self-update link opens its own page, without an account.
if CAPACITY_TOKEN in st.query_params:
    st.navigation(
        [st.Page(ROOT / "ui" / "pages" / "capacity_update.py", title=t("link.page_title"))],
        position="hidden",
    ).run()
    st.stop()

user = session.current_user()
specs = pages_for(user.role) if user else [SIGN_IN]
pages = [
    st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.slug)
    for spec in specs
]
with st.sidebar:
    if user:  # the size of the directory is not for anonymous visitors
        st.caption(
            t(
                "home.counts",
                services=counts["service"],
                locations=counts["location"],
                organizations=counts["organization"],
                counties=counties,
            )
        )
        name = shown_name(user.username, user.display_name, user.is_demo, lang())
        st.caption(tm("sidebar.signed_in_as", name=name, role=t("role." + user.role)))
        slugs = [spec.slug for spec in specs]
        attention_link(user, pages[slugs.index("referrals")] if "referrals" in slugs else None)
        if st.button(t("auth.sign_out"), key="sidebar_sign_out"):
            session.end(notice="auth.signed_out")
            st.rerun()

st.navigation(pages).run()
