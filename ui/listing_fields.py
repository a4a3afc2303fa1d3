"""Shared bits of the listing forms: errors next to their field, the pinned record, conflicts."""

from __future__ import annotations

from typing import Any

import streamlit as st

from directory.errors import ConflictError
from directory.listings.edit import differing_fields, merge
from directory.listings.validation import Problems
from directory.models import Model

from .context import lang, store, t
from .widgets import dataframe, tm

PROBLEMS = "listings_problems"
PINNED = "listings_pinned"
CONFLICT = "listings_conflict"
NOTICE = "listings_notice"


def set_problems(scope: str, problems: Problems) -> None:
    st.session_state.setdefault(PROBLEMS, {})[scope] = problems


def error_for(scope: str, name: str) -> None:
    """The problem of one field, shown right under it, in the reader's language."""
    problem = st.session_state.get(PROBLEMS, {}).get(scope, {}).get(name)
    if problem is not None:
        st.error(problem.text(lang()), icon="⚠️")


def pinned(record: Model) -> Model:
    """The record as it was when the coordinator started editing it.

    A save sends this version; if someone saved meanwhile the store refuses it and the page
    shows both versions, instead of the form silently taking the newer values.
    """
    key = f"{record.table}:{_id(record)}"
    box = st.session_state.setdefault(PINNED, {})
    if key not in box:
        box[key] = record
    return box[key]


def unpin(record: Model) -> None:
    st.session_state.get(PINNED, {}).pop(f"{record.table}:{_id(record)}", None)


def _id(record: Model) -> str:
    return str(getattr(record, "id", getattr(record, "username", "")))


def notice(key: str, **values: Any) -> None:
    """A success message that survives the rerun after a save."""
    st.session_state[NOTICE] = (key, values)


def show_notice() -> None:
    item = st.session_state.pop(NOTICE, None)
    if item:
        st.success(tm(item[0], **item[1]))


def remember_conflict(original: Model, mine: Model, error: ConflictError) -> None:
    st.session_state[CONFLICT] = (original, mine)


def render_conflict(save: Any) -> None:
    """Both versions side by side; the coordinator keeps theirs or saves theirs + my changes."""
    item = st.session_state.get(CONFLICT)
    if not item:
        return
    original, mine = item
    with store() as s:
        theirs = s.get(type(original), _id(original))
    merged, both = merge(original, mine, theirs)
    st.warning(t("listings.conflict", version=theirs.version))  # type: ignore[attr-defined]
    rows = [
        {t("listings.conflict.field"): f, t("listings.conflict.theirs"): str(getattr(theirs, f)),
         t("listings.conflict.mine"): str(getattr(mine, f)),
         t("listings.conflict.both"): "⚠️" if f in both else ""}
        for f in differing_fields(theirs, mine)
    ]  # fmt: skip
    dataframe(rows, hide_index=True, width="stretch")
    left, right = st.columns(2)
    if left.button(t("listings.conflict.keep_mine"), key="listings_conflict_mine"):
        st.session_state.pop(CONFLICT, None)
        save(merged)
    if right.button(t("listings.conflict.keep_theirs"), key="listings_conflict_theirs"):
        st.session_state.pop(CONFLICT, None)
        unpin(original)
        st.rerun()
