"""Organisation and service forms: every field validated, each error under its field."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import streamlit as st

from directory import vocab
from directory.errors import ConflictError, PermissionDeniedError
from directory.listings import edit
from directory.listings.validation import check_organization, check_service
from directory.models import Location, Model, Organization, Service, ServiceAtLocation, User

from .context import store, t
from .listing_fields import (
    error_for,
    notice,
    pinned,
    remember_conflict,
    render_conflict,
    set_problems,
    unpin,
)
from .widgets import multiselect, selectbox


def new_id(prefix: str) -> str:
    """The id of the record being created: kept across reruns, so the form keeps its input."""
    return st.session_state.setdefault(
        f"listings_new_{prefix}", f"{prefix}-{uuid.uuid4().hex[:10]}"
    )


def _forget_new(record: Model) -> None:
    for prefix in ("org", "loc", "svc", "sal"):
        if st.session_state.get(f"listings_new_{prefix}") == getattr(record, "id", None):
            st.session_state.pop(f"listings_new_{prefix}")


def save_checked(
    user: User, scope: str, original: Model | None, checked: Any, also: tuple[Model, ...] = ()
) -> None:
    """Show each problem next to its field, or save the checked record (one path per form)."""
    set_problems(scope, checked.problems)
    if checked.record is None:
        st.rerun()
    else:
        store_record(user, original, checked.record, also=also)


def record_actions(user: User, original: Model | None) -> None:
    """Deactivate or reactivate a saved record, and settle a stale save if one is pending."""
    if original is not None:
        active_buttons(user, original)
        render_conflict(lambda merged: store_record(user, original, merged))


def store_record(
    user: User, original: Model | None, record: Model, also: tuple[Model, ...] = ()
) -> None:
    """Create or save ``record``; a stale save keeps both versions for the page to show."""
    try:
        with store() as s:
            if original is None:
                edit.create(s, user, record, also=also)
            else:
                edit.save(s, user, record)
    except ConflictError as e:
        assert original is not None
        remember_conflict(original, record, e)
        st.rerun()
    except PermissionDeniedError:
        st.error(t("auth.not_allowed"))
        return
    if original is not None:
        unpin(original)
    else:
        _forget_new(record)
    notice("listings.saved", name=getattr(record, "name", ""))
    st.rerun()


def _values(record: Model | None) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)} if record else {}  # type: ignore[arg-type]


def organization_form(user: User, record: Organization | None) -> None:
    original = pinned(record) if record else None
    base = _values(original) or {"id": new_id("org"), "legal_status": "ngo"}
    scope, k = "organization", f"listings_org_{base['id']}"
    with st.form(k):
        name = st.text_input(t("field.name"), base.get("name", ""), key=f"{k}_name")
        error_for(scope, "name")
        legal = selectbox(
            t("field.legal_status"),
            vocab.LEGAL_STATUSES,
            index=vocab.LEGAL_STATUSES.index(base["legal_status"]),
            format_func={c: t("legal." + c) for c in vocab.LEGAL_STATUSES}.__getitem__,
            key=f"{k}_legal",
        )
        error_for(scope, "legal_status")
        description = st.text_area(
            t("field.description"), base.get("description", ""), key=f"{k}_description"
        )
        error_for(scope, "description")
        website = st.text_input(t("field.website"), base.get("website") or "", key=f"{k}_web")
        error_for(scope, "website")
        email = st.text_input(t("field.email"), base.get("email") or "", key=f"{k}_email")
        error_for(scope, "email")
        cui = st.text_input(t("field.cui"), base.get("cui") or "", key=f"{k}_cui")
        error_for(scope, "cui")
        go = st.form_submit_button(t("listings.save"), type="primary")
    if go:
        checked = check_organization(
            {
                **base,
                "name": name,
                "legal_status": legal,
                "description": description,
                "website": website,
                "email": email,
                "cui": cui,
            }
        )
        save_checked(user, scope, original, checked)
    record_actions(user, original)


def active_buttons(user: User, record: Organization | Location | Service) -> None:
    """Deactivate or reactivate: nothing is deleted, and the change is in the history."""
    active = edit.active_flag(record)
    label = "listings.deactivate" if active else "listings.reactivate"
    if st.button(t(label), key=f"listings_active_{record.table}_{record.id}"):
        try:
            with store() as s:
                edit.set_active(s, user, s.get(type(record), record.id), not active)
        except PermissionDeniedError:
            st.error(t("auth.not_allowed"))
            return
        unpin(record)
        notice("listings.deactivated" if active else "listings.reactivated", name=record.name)
        st.rerun()


_FLAGS = (
    "trafficking_specialised",
    "interpretation_available",
    "accepts_unaccompanied_minors",
    "accepts_parent_with_child",
    "emergency_intake_24_7",
    "free_of_charge",
)
_LISTS = (
    ("genders", vocab.GENDERS, "gender."),
    ("specialisations", vocab.SPECIALISATIONS, "exploitation."),
    ("child_friendly_criteria", vocab.CHILD_FRIENDLY_CRITERIA, "criterion."),
    ("accessibility", vocab.ACCESSIBILITY, "access."),
)


def service_form(
    user: User, record: Service | None, organization_id: str, locations: list[Location]
) -> None:
    original = pinned(record) if record else None
    base = _values(original) or {
        "id": new_id("svc"),
        "organization_id": organization_id,
        "service_type": vocab.SERVICE_TYPES[0],
        "minimum_age": 0,
        "maximum_age": 17,
        "genders": vocab.GENDERS,
        "languages": ("ro",),
        "free_of_charge": True,
    }
    scope, k = "service", f"listings_svc_{base['id']}"
    v: dict[str, Any] = dict(base)
    with st.form(k):
        v["name"] = st.text_input(t("field.name"), base.get("name", ""), key=f"{k}_name")
        error_for(scope, "name")
        v["service_type"] = selectbox(
            t("field.service_type"),
            vocab.SERVICE_TYPES,
            index=vocab.SERVICE_TYPES.index(base["service_type"]),
            format_func={c: t("type." + c) for c in vocab.SERVICE_TYPES}.__getitem__,
            key=f"{k}_type",
        )
        error_for(scope, "service_type")
        if original is None:
            location = selectbox(
                t("field.location"),
                [x.id for x in locations],
                format_func=lambda i: next(x.name for x in locations if x.id == i),
                key=f"{k}_location",
            )
        v["description"] = st.text_area(
            t("field.description"), base.get("description", ""), key=f"{k}_description"
        )
        left, right = st.columns(2)
        v["minimum_age"] = left.number_input(
            t("field.minimum_age"), 0, 25, int(base["minimum_age"]), key=f"{k}_min"
        )
        v["maximum_age"] = right.number_input(
            t("field.maximum_age"), 0, 25, int(base["maximum_age"]), key=f"{k}_max"
        )
        error_for(scope, "maximum_age")
        v["languages"] = st.text_input(
            t("field.languages"),
            ", ".join(base["languages"]),
            help=t("field.languages_help"),
            key=f"{k}_languages",
        )
        error_for(scope, "languages")
        for name, options, prefix in _LISTS:
            v[name] = multiselect(
                t("field." + name),
                list(options),
                default=list(base.get(name) or ()),
                format_func={c: t(prefix + c) for c in options}.__getitem__,
                key=f"{k}_{name}",
            )
            error_for(scope, name)
        for name in _FLAGS:
            v[name] = st.checkbox(t("field." + name), bool(base.get(name)), key=f"{k}_{name}")
        v["intake_phone"] = st.text_input(
            t("field.intake_phone"), base.get("intake_phone") or "", key=f"{k}_phone"
        )
        error_for(scope, "intake_phone")
        v["schedule"] = st.text_input(
            t("field.schedule"), base.get("schedule", ""), key=f"{k}_schedule"
        )
        v["referral_process"] = st.text_area(
            t("field.referral_process"), base.get("referral_process", ""), key=f"{k}_referral"
        )
        _alert_fields(v, base, scope, k)
        go = st.form_submit_button(t("listings.save"), type="primary")
    if go:
        checked = check_service(v)
        new_link = (
            (ServiceAtLocation(new_id("sal"), checked.record.id, location),)
            if original is None and checked.record is not None
            else ()
        )
        save_checked(user, scope, original, checked, also=new_link)
    record_actions(user, original)


def _alert_fields(v: dict[str, Any], base: dict[str, Any], scope: str, k: str) -> None:
    """The provider's temporary notice; one that stops intake ranks the service down."""
    v["alert"] = st.text_area(t("field.alert"), base.get("alert") or "", key=f"{k}_alert")
    error_for(scope, "alert")
    v["alert_expires"] = st.date_input(
        t("field.alert_expires"), base.get("alert_expires"), format="DD.MM.YYYY",
        key=f"{k}_alert_expires",
    )  # fmt: skip
    error_for(scope, "alert_expires")
    v["alert_stops_intake"] = st.checkbox(
        t("field.alert_stops_intake"), bool(base.get("alert_stops_intake")),
        help=t("field.alert_stops_intake_help"), key=f"{k}_alert_stops",
    )  # fmt: skip
