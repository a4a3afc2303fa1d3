"""History of a record field by field, with one-click undo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from directory.errors import ConflictError, PermissionDeniedError
from directory.i18n import catalog
from directory.listings.history import NothingToUndoError, field_changes, undo_last
from directory.listings.merge import merged_into
from directory.models import Location, Organization, Service, User

from .context import lang, store, t
from .listing_fields import notice
from .widgets import dataframe, tm

MODELS = {"organization": Organization, "location": Location, "service": Service}


def history_section(user: User, choices: dict[str, dict[str, str]]) -> None:
    """``choices``: entity → {id: name} of the records the user may edit."""
    entity = st.radio(
        t("history.kind"),
        list(MODELS),
        horizontal=True,
        format_func={e: t("listings.kind." + e) for e in MODELS}.__getitem__,
        key="listings_history_kind",
    )
    records = choices.get(entity, {})
    if not records:
        st.info(t("listings.nothing_here"))
        return
    rid = st.selectbox(
        t("history.record"),
        list(records),
        format_func=records.get,
        key=f"listings_history_{entity}",
    )
    with store() as s:
        changes = field_changes(s, entity, rid)
        survivor = merged_into(s, entity, rid)
    if survivor is not None:  # its history stays here; the listing lives on in the survivor
        st.info(tm("history.merged_into", name=records.get(survivor, survivor)))
    words = catalog(lang())  # fields and actions in words where there are some, else as stored
    table = pd.DataFrame(
        [
            {
                t("history.at"): c.at,
                t("history.who"): c.actor,
                t("history.action"): words.get("history.action." + c.action, c.action),
                t("history.field"): words.get("field." + c.field, c.field),
                t("history.before"): _show(c.before),
                t("history.after"): _show(c.after),
                t("history.reason"): c.reason or "",
            }
            for c in changes
        ]
    )
    dataframe(table, hide_index=True, width="stretch")
    if st.button(t("history.undo"), key=f"listings_history_undo_{entity}_{rid}"):
        try:
            with store() as s:
                undo_last(s, user, MODELS[entity], rid)
        except NothingToUndoError:
            st.info(t("history.nothing_to_undo"))
            return
        except (ConflictError, PermissionDeniedError):
            st.error(t("history.undo_failed"))
            return
        notice("history.undone", name=records[rid])
        st.rerun()


def _show(value: object) -> str:
    return "" if value is None else str(value)
