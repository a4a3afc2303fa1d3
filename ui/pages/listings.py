"""Listings: keep the directory true — stale queue, capacity, edit, import, history, reveals."""

from __future__ import annotations

from datetime import date

import streamlit as st

from directory.listings.edit import editable_organizations
from ui import session
from ui.context import store, t
from ui.directory_view import directory_table, load_directory
from ui.listing_fields import show_notice
from ui.listing_queue import capacity_section, stale_section

user = session.require("listings")
st.title(t("page.listings"))
# Always one slot, message or not: an element appearing above the tabs would reset them.
with st.empty():
    show_notice()
today = date.today()

with store() as s:
    editable = editable_organizations(s, user)
    organizations = s.organizations_by_id(editable)
    services = [x for o in organizations for x in s.services_of(o.id)]

queue, capacity, edit_tab, import_tab, history, directory = st.tabs([
    t("listings.tab.queue"), t("listings.tab.capacity"), t("listings.tab.edit"),
    t("listings.tab.import"), t("listings.tab.history"), t("listings.tab.directory"),
], key="listings_tabs")  # fmt: skip
with queue:
    stale_section(user, editable, today)
with capacity:
    capacity_section(user, services, today)
with edit_tab:
    from ui.listing_editor import editor_section

    editor_section(user, organizations)
with import_tab:
    from ui.listing_import import import_section

    import_section(user, editable)
with history:
    from ui.listing_history import history_section
    from ui.listing_merge import duplicates_section

    with store() as s:
        choices = {
            "organization": {o.id: o.name for o in organizations},
            "location": {x.id: x.name for o in organizations for x in s.locations_of(o.id)},
            "service": {x.id: x.name for x in services},
        }
    history_section(user, choices)
    st.subheader(t("duplicates.title"))
    frame = load_directory(user.role)
    if editable is not None:
        frame = frame[frame["organization_id"].isin(editable)]
    duplicates_section(user, organizations, frame)
with directory:
    from ui.listing_reveal import reveal_section

    frame = load_directory(user.role)
    if editable is not None:
        frame = frame[frame["organization_id"].isin(editable)]
    directory_table(frame)
    reveal_section(user, frame)
