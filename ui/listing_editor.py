"""The Edit tab: pick an organisation, then it, one of its sites or services, or a new one."""

from __future__ import annotations

import streamlit as st

from directory.models import Organization, User

from .context import store, t
from .listing_forms import organization_form, service_form
from .location_editor import location_form
from .widgets import selectbox

NEW = ""
KINDS = ("organization", "location", "service")


def editor_section(user: User, organizations: list[Organization]) -> None:
    kind = st.radio(
        t("listings.kind"),
        KINDS,
        horizontal=True,
        key="listings_edit_kind",
        format_func={k: t("listings.kind." + k) for k in KINDS}.__getitem__,
    )
    orgs = {o.id: o for o in organizations}
    if kind == "organization":
        choice = selectbox(
            t("listings.record"),
            [NEW, *orgs],
            key="listings_edit_org",
            format_func={NEW: t("listings.new"), **{i: o.name for i, o in orgs.items()}}.get,
        )
        if choice == NEW and user.role not in ("admin", "coordinator"):
            return
        organization_form(user, orgs.get(choice))
        return
    if not orgs:
        st.info(t("listings.no_organizations"))
        return
    org_id = selectbox(
        t("listings.organization"),
        list(orgs),
        key=f"listings_edit_{kind}_org",
        format_func=lambda i: orgs[i].name,
    )
    with store() as s:
        locations = s.locations_of(org_id)
        records = {x.id: x for x in (locations if kind == "location" else s.services_of(org_id))}
    choice = selectbox(
        t("listings.record"),
        [NEW, *records],
        key=f"listings_edit_{kind}_id",
        format_func={NEW: t("listings.new"), **{i: r.name for i, r in records.items()}}.get,
    )
    if kind == "location":
        location_form(user, records.get(choice), org_id)  # type: ignore[arg-type]
    elif not locations and choice == NEW:
        st.info(t("listings.location_first"))
    else:
        service_form(user, records.get(choice), org_id, locations)  # type: ignore[arg-type]
