"""Punte: router only. Page config, language, then the pages."""

from __future__ import annotations

import streamlit as st

from directory.errors import DatabaseNotReadyError
from directory.settings import Settings
from directory.store import Store
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

st.set_page_config(page_title="Punte", page_icon="🌉", layout="wide")

lang = st.sidebar.selectbox(
    translate("sidebar.language", st.session_state.get("lang", DEFAULT_LANGUAGE)),
    LANGUAGES,
    key="lang",
    format_func=lambda code: {"ro": "Română", "en": "English"}[code],
)


def t(key: str, **values: object) -> str:
    return translate(key, lang, **values)


@st.cache_data(ttl=30)
def load_counts(db_path: str) -> dict[str, int]:
    with Store(db_path) as store:
        counts = store.counts()
        counts["counties"] = store.db.execute(
            "SELECT COUNT(DISTINCT county_code) FROM location"
        ).fetchone()[0]
    return counts


settings = Settings.from_env()
st.title(t("app.title"))
st.caption(t("app.tagline"))
try:
    counts = load_counts(settings.db)
except DatabaseNotReadyError:
    st.error(t("error.db_not_ready"))
    st.stop()

if counts["demo"]:
    st.warning(t("demo.banner"), icon="⚠️")
if counts["service"] == 0:
    st.info(t("home.empty"))
else:
    st.write(
        t(
            "home.counts",
            services=counts["service"],
            locations=counts["location"],
            organizations=counts["organization"],
            counties=counts["counties"],
        )
    )
    cols = st.columns(4)
    cols[0].metric(t("home.metric.services"), counts["service"])
    cols[1].metric(t("home.metric.locations"), counts["location"])
    cols[2].metric(t("home.metric.organizations"), counts["organization"])
    cols[3].metric(t("home.metric.confidential"), counts["confidential_locations"])
