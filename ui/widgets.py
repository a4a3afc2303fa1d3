"""Streamlit widgets with Punte's defaults, so no built-in English text reaches the user."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from directory.listings.export import safe_frame

from .context import t


def multiselect(label: str, options: Sequence[Any], **kwargs: Any) -> list[Any]:
    """A multiselect with a translated placeholder and without the untranslated 'Select all'."""
    kwargs.setdefault("placeholder", t("widget.choose"))
    return st.multiselect(label, options, select_all=False, **kwargs)


def selectbox(label: str, options: Sequence[Any], **kwargs: Any) -> Any:
    """A selectbox whose placeholder, if it ever shows, is translated."""
    kwargs.setdefault("placeholder", t("widget.choose"))
    return st.selectbox(label, options, **kwargs)


def dataframe(frame: Any, **kwargs: Any) -> Any:
    """st.dataframe with every text cell formula-safe.

    Its toolbar's own "Download as CSV" writes the cells as given, so they are made safe
    before they are shown (the same safe_cell as every other CSV download of the app).
    """
    kwargs.setdefault("hide_index", True)
    if not isinstance(frame, pd.DataFrame):  # rows as dicts, as st.dataframe also takes
        frame = pd.DataFrame(frame)
    return st.dataframe(safe_frame(frame), **kwargs)


def table(frame: Any, columns: dict[str, str]) -> None:
    """A full-width table without its index, its columns renamed to translated headings."""
    dataframe(frame.rename(columns=columns), width="stretch")


# Every ASCII punctuation character may be backslash-escaped in CommonMark, and escaping all
# of them leaves nothing from data that Streamlit's markdown could turn into a link, an image,
# an autolink (``https://``, ``www.``), HTML, emphasis, a table, maths (``$``), a colour or
# icon directive (``:red[…]``, ``:material/…:``) or an emoji shortcode.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GFM turns bare "https://…", "www.…" and "name@host" into links even when their
# punctuation is escaped (measured in Chromium); an invisible word joiner after the scheme
# and before "@" breaks the pattern without changing what the reader sees.
_AUTOLINK_WORDS = re.compile(r"(?i)\b(https?|ftps?|mailto|xmpp|www)\b")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Provider or user text made inert inside markdown: shown exactly, never as markup.

    Every element that renders markdown (st.markdown, st.caption, st.success, st.error,
    st.info, st.warning, widget labels) gets data only through this.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))
    escaped = _AUTOLINK_WORDS.sub(lambda m: m.group(1) + WORD_JOINER, escaped)
    return escaped.replace("\\@", WORD_JOINER + "\\@")


def tm(key: str, **values: object) -> str:
    """``t(key, ...)`` for markdown elements: every value from data is escaped first."""
    return t(key, **{name: md(value) for name, value in values.items()})


def drawn_when_open(label: str, key: str) -> Any | None:
    """An expander whose content is drawn only while it is open; None while it is closed.

    Closed, it is one element: every element of a run is a message after which the browser
    draws the page again (issue 16). Whether it is open is kept under ``key + "_kept"``, not
    only in the widget: the widget's identity includes its label, so switching the language
    would otherwise close it.
    """
    kept = key + "_kept"

    def remember() -> None:
        st.session_state[kept] = bool(st.session_state.get(key))

    box = st.expander(label, expanded=bool(st.session_state.get(kept)), key=key, on_change=remember)
    return box if box.open else None
