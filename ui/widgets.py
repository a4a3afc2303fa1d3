"""Streamlit widgets with Punte's defaults, so no built-in English text reaches the user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from .context import t


def multiselect(label: str, options: Sequence[Any], **kwargs: Any) -> list[Any]:
    """A multiselect with a translated placeholder and without the untranslated 'Select all'."""
    kwargs.setdefault("placeholder", t("widget.choose"))
    return st.multiselect(label, options, select_all=False, **kwargs)
