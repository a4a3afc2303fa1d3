"""Streamlit widgets with Punte's defaults, so no built-in English text reaches the user."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

from .context import t


def multiselect(label: str, options: Sequence[Any], **kwargs: Any) -> list[Any]:
    """A multiselect with a translated placeholder and without the untranslated 'Select all'."""
    kwargs.setdefault("placeholder", t("widget.choose"))
    return st.multiselect(label, options, select_all=False, **kwargs)


def selectbox(label: str, options: Sequence[Any], **kwargs: Any) -> Any:
    """A selectbox whose placeholder, if it ever shows, is translated."""
    kwargs.setdefault("placeholder", t("widget.choose"))
    return st.selectbox(label, options, **kwargs)


def table(frame: Any, columns: dict[str, str]) -> None:
    """A full-width table without its index, its columns renamed to translated headings."""
    st.dataframe(frame.rename(columns=columns), hide_index=True, width="stretch")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: object) -> str:
    """User text made inert inside st.markdown: no links, emphasis or HTML can come from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
