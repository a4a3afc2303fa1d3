"""Per-run context for pages: language, translation, settings and a database connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from directory.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from directory.settings import Settings
from directory.storage.store import Store

LANG_KEY = "lang"


def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """Translate ``key`` into the session's language."""
    return translate(key, lang(), **values)


def settings() -> Settings:
    return Settings.from_env()


@contextmanager
def store() -> Iterator[Store]:
    """A connection for this run only: connections must not cross Streamlit threads."""
    s = Store(settings().database)
    try:
        yield s
    finally:
        s.close()
