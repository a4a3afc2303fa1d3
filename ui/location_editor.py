"""The location form: the address geocoded offline with a choice of candidates, a movable pin."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from directory import vocab
from directory.errors import GeocodeError
from directory.listings.pin import pin_warnings
from directory.listings.validation import check_location
from directory.models import Location, User
from directory.places.geocoder import shared_geocoder

from . import maps
from .context import lang, settings, t
from .directory_view import counties_geojson, popup_labels, type_labels
from .listing_fields import error_for, pinned
from .listing_forms import _values, new_id, record_actions, save_checked
from .widgets import selectbox, tm


def _point_state(k: str) -> dict[str, Any]:
    return st.session_state.setdefault(f"{k}_point", {})


def _apply(k: str, **values: Any) -> None:
    """Put a chosen place into the form's widgets (before they are drawn) and remember it."""
    _point_state(k).update(values)
    for name in ("lat", "lon", "county", "locality", "address", "siruta"):
        if name in values and values[name] is not None:
            st.session_state[f"{k}_{name}"] = values[name]


def _geocode(k: str) -> None:
    query = st.text_input(t("location.find"), key=f"{k}_query", help=t("location.find_help"))
    if st.button(t("location.find_button"), key=f"{k}_find") and query.strip():
        try:
            located = shared_geocoder(settings().data_dir).locate(query)
        except GeocodeError as e:
            st.error(tm("location.not_found", suggestions=", ".join(e.suggestions) or "—"))
            return
        st.session_state[f"{k}_candidates"] = (located.address.address_1, located.candidates[:6])
    street, candidates = st.session_state.get(f"{k}_candidates", ("", ()))
    if candidates:
        labels = [c.label() for c in candidates]
        choice = st.radio(
            t("location.candidates"),
            range(len(labels)),
            format_func=labels.__getitem__,
            key=f"{k}_candidate",
        )
        if st.button(t("location.use_candidate"), key=f"{k}_use"):
            c = candidates[choice]
            _apply(
                k,
                lat=c.latitude,
                lon=c.longitude,
                county=c.county_code,
                locality=c.name,
                siruta=c.uat_siruta,
                address=street or None,
                precision=c.precision,
                source="gazetteer",
                anchor=(c.latitude, c.longitude),
            )
            st.rerun()


def _pin_map(k: str) -> None:
    lat, lon = st.session_state.get(f"{k}_lat"), st.session_state.get(f"{k}_lon")
    point = (lat, lon) if lat is not None and lon is not None else None
    cfg = settings()
    m = maps.provider_map(
        _empty(),
        counties_geojson(cfg.data_dir),
        labels=popup_labels(),
        type_labels=type_labels(),
        origin=point,
        tile_url=cfg.tile_url,
        bounds=maps.bounds_around([point], pad_km=8) if point else None,
    )
    st.caption(t("location.click_to_move"))
    out = st_folium(
        m, key=f"{k}_map", height=380, use_container_width=True, returned_objects=["last_clicked"]
    )
    clicked = (out or {}).get("last_clicked")
    if clicked and (clicked["lat"], clicked["lng"]) != _point_state(k).get("clicked"):
        where = shared_geocoder(cfg.data_dir).reverse(clicked["lat"], clicked["lng"])
        _apply(
            k,
            lat=round(clicked["lat"], 6),
            lon=round(clicked["lng"], 6),
            clicked=(clicked["lat"], clicked["lng"]),
            precision="manual",
            source="manual",
            siruta=where.uat_siruta if where else None,
        )
        st.rerun()
    if point:
        state = _point_state(k)
        for w in pin_warnings(
            shared_geocoder(cfg.data_dir),
            point,
            st.session_state.get(f"{k}_county", ""),
            state.get("anchor"),
            st.session_state.get(f"{k}_locality", ""),
        ):
            st.warning(w.text(lang()))


def _empty():
    import pandas as pd

    return pd.DataFrame(columns=["latitude", "longitude", "service_type"])


def location_form(user: User, record: Location | None, organization_id: str) -> None:
    original = pinned(record) if record else None
    base = _values(original) or {
        "id": new_id("loc"),
        "organization_id": organization_id,
        "disclosure": "public",
        "county_code": "",
    }
    scope, k = "location", f"listings_loc_{base['id']}"
    if f"{k}_lat" not in st.session_state and original is not None:
        _apply(
            k,
            lat=original.latitude,
            lon=original.longitude,
            county=original.county_code,
            locality=original.locality or "",
            address=original.address_1 or "",
            siruta=original.siruta,
            anchor=None,
        )
    _geocode(k)
    _pin_map(k)
    counties = sorted(shared_geocoder(settings().data_dir).counties(), key=lambda c: c[1])
    codes = [""] + [c[0] for c in counties]
    names = dict(counties)
    with st.form(k):
        name = st.text_input(t("field.name"), base.get("name", ""), key=f"{k}_name")
        error_for(scope, "name")
        address = st.text_input(t("field.address_1"), key=f"{k}_address")
        error_for(scope, "address_1")
        locality = st.text_input(t("field.locality"), key=f"{k}_locality")
        county = selectbox(
            t("field.county_code"),
            codes,
            key=f"{k}_county",
            format_func=lambda c: names.get(c, "—"),
        )
        error_for(scope, "county_code")
        postal = st.text_input(
            t("field.postal_code"), base.get("postal_code") or "", key=f"{k}_postal"
        )
        error_for(scope, "postal_code")
        disclosure = selectbox(
            t("field.disclosure"),
            vocab.DISCLOSURES,
            index=vocab.DISCLOSURES.index(base["disclosure"]),
            format_func={c: t("disclosure." + c) for c in vocab.DISCLOSURES}.__getitem__,
            key=f"{k}_disclosure",
        )
        left, right = st.columns(2)
        lat = left.number_input(t("field.latitude"), value=None, format="%.6f", key=f"{k}_lat")
        error_for(scope, "latitude")
        lon = right.number_input(t("field.longitude"), value=None, format="%.6f", key=f"{k}_lon")
        error_for(scope, "longitude")
        go = st.form_submit_button(t("listings.save"), type="primary")
    if go:
        state = _point_state(k)
        checked = check_location(
            {
                **base,
                "name": name,
                "address_1": address,
                "locality": locality,
                "county_code": county,
                "postal_code": postal,
                "disclosure": disclosure,
                "latitude": lat,
                "longitude": lon,
                "siruta": state.get("siruta", base.get("siruta")),
                "geocode_precision": state.get("precision", base.get("geocode_precision")),
                "geocode_source": state.get("source", base.get("geocode_source")),
            }
        )
        save_checked(user, scope, original, checked)
    record_actions(user, original)
