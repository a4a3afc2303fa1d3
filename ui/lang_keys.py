"""Widget keys per language, for selects and radios whose options are translated.

Streamlit keeps a select's or radio's value in the browser as its label. After a language
switch the old label matches none of the new ones: the radio shows nothing chosen and the
select stays on the old word. A key per language makes a new widget; its value moves over.
"""

from __future__ import annotations

import streamlit as st

from directory.i18n import LANGUAGES

from .context import lang


def lang_key(name: str) -> str:
    """``name`` for this language (``"coverage_by.en"``), holding the value chosen under
    ``name`` itself or under another language's key, if any."""
    key = f"{name}.{lang()}"
    if key not in st.session_state:
        for old in (name, *(f"{name}.{code}" for code in LANGUAGES)):
            if old != key and old in st.session_state:
                st.session_state[key] = st.session_state[old]
                break
    return key
