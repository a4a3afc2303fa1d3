"""History of a record field by field with one-click undo, and probable duplicates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from directory.errors import ConflictError, PermissionDeniedError
from directory.listings.duplicates import Listing, probable_duplicates
from directory.listings.edit import merge_duplicate
from directory.listings.history import NothingToUndoError, field_changes, undo_last
from directory.models import Location, Organization, Service, User

from .context import store, t
from .listing_fields import notice
from .widgets import dataframe, tm

MODELS = {"organization": Organization, "location": Location, "service": Service}


def history_section(user: User, choices: dict[str, dict[str, str]]) -> None:
    """``choices``: entity → {id: name} of the records the user may edit."""
    entity = st.radio(
        t("history.kind"),
        list(MODELS),
        horizontal=True,
        format_func=lambda e: t("listings.kind." + e),
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
    table = pd.DataFrame(
        [
            {
                t("history.at"): c.at,
                t("history.who"): c.actor,
                t("history.action"): c.action,
                t("history.field"): c.field,
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


def duplicates_section(user: User, frame: pd.DataFrame) -> None:
    """Probable duplicates among the listed services (similar names close together)."""
    listings = [
        Listing(
            str(r.service_id),
            str(r.service_name),
            float(r.latitude),
            float(r.longitude),
            str(r.service_type),
        )
        for r in frame.drop_duplicates("service_id").itertuples()
    ]
    pairs = probable_duplicates(listings)
    if not pairs:
        st.success(t("duplicates.none"))
        return
    names = {x.key: x.name for x in listings}
    dataframe(
        pd.DataFrame(
            [
                {
                    t("duplicates.a"): names[p.a],
                    t("duplicates.b"): names[p.b],
                    t("duplicates.similarity"): round(p.similarity),
                    t("duplicates.km"): round(p.km, 1),
                }
                for p in pairs
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("duplicates.help"))
    for p in pairs[:20]:
        label = tm("duplicates.merge", keep=names[p.a], drop=names[p.b])
        if st.button(label, key=f"listings_merge_{p.a}_{p.b}"):
            try:
                with store() as s:
                    merge_duplicate(s, user, p.a, p.b)
            except (ConflictError, PermissionDeniedError):
                st.error(t("history.undo_failed"))
                return
            notice("duplicates.merged", keep=names[p.a], drop=names[p.b])
            st.rerun()
