"""Coverage: where people live far, by road, from a type of service, and where a site helps most."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from directory.vocab import SERVICE_TYPES
from ui import coverage_cache as cc
from ui import coverage_maps, session
from ui.context import settings, t
from ui.coverage_downloads import downloads
from ui.coverage_numbers import share, whole
from ui.coverage_panels import what_if_panel
from ui.coverage_population import basis_text, population_panel
from ui.directory_view import type_labels
from ui.lang_keys import lang_key
from ui.widgets import dataframe

user = session.require("coverage")
cfg = settings()
st.title(t("page.coverage"))

labels = type_labels()
left, middle, right = st.columns(3)
type_key = lang_key("coverage_type")
service_type = left.selectbox(
    t("coverage.type"),
    SERVICE_TYPES,
    format_func=labels.get,
    key=type_key,
    # Legal aid first; a value already chosen wins (index 0 then, so Streamlit does not warn).
    index=0 if type_key in st.session_state else SERVICE_TYPES.index("legal_aid"),
)
by = middle.radio(
    t("coverage.measure"),
    ("min", "km"),
    # Labels made now, in this run's language: a format_func may be called outside the run.
    format_func={b: t("coverage.measure." + b) for b in ("min", "km")}.get,
    horizontal=True,
    key=lang_key("coverage_by"),
)
choices = cfg.thresholds_min if by == "min" else cfg.thresholds_km
threshold = right.selectbox(
    t("coverage.threshold"),
    choices,
    index=min(1, len(choices) - 1),
    key=f"coverage_t_{by}",
    format_func={v: f"{v:g} {t('coverage.unit.' + by)}" for v in choices}.get,
)
child_friendly = left.checkbox(t("coverage.child_friendly"), key="coverage_cf")
k = middle.slider(t("coverage.suggest"), 0, 10, 3, key="coverage_k")

basis = cc.base_demand(cfg).basis
saved = cc.saved_population()
st.info(basis_text(basis, saved))  # which population every figure counts, said plainly
st.caption(t("coverage.estimate_note"))

with st.status(t("coverage.computing"), expanded=False) as status:
    status.write(t("coverage.step.nearest"))
    cov = cc.coverage_for(user.role, service_type, child_friendly)
    status.write(t("coverage.step.sites"))
    picks = cc.suggestions(user.role, service_type, child_friendly, k, threshold, by) if k else []
    status.update(label=t("coverage.done"), state="complete")

d = cov.demand
key = f"share_{threshold:g}_{by}"
counties = cov.counties().sort_values([key, "county_code"]).reset_index(drop=True)
names = {
    f["properties"]["code"]: f["properties"]["name"] for f in cc.counties(cfg.data_dir)["features"]
}
far, total = (
    cov.counties_mostly_far(threshold)
    if by == "min"
    else (int((counties[key] < 0.5).sum()), len(counties))
)
type_label = labels[service_type].lower()
type_words = t("coverage.cf_type", type=type_label) if child_friendly else type_label
national = cov.national()[by][f"{threshold:g}"]
st.subheader(t("coverage.summary_title"))
st.write(
    t(
        "coverage.summary." + by,
        far=far,
        total=total,
        threshold=f"{threshold:g}",
        type=type_words,
        share=share(national),
        providers=len(cov.supply),
    )
)

if not len(cov.supply):
    st.warning(t("coverage.no_providers"))
worst = cov.worst(threshold, 20, by)
sites = pd.DataFrame(
    {
        "lat": [d.lat[p.index] for p in picks],
        "lon": [d.lon[p.index] for p in picks],
        "label": [
            f"{i}. {d.name[p.index]} ({whole(p.gain, signed=True)})" for i, p in enumerate(picks, 1)
        ],
    }
)
providers = pd.DataFrame(
    {
        "lat": cov.supply.lat,
        "lon": cov.supply.lon,
        "label": cov.supply.label,
        "generalised": cov.supply.generalised,
    }
)
shares = dict(zip(counties["county_code"], counties[key]))
attribution = [t("map.attribution.counties"), t("map.attribution.roads")]

from streamlit_folium import st_folium  # noqa: E402  (after the figures: it is slow to import)

m = coverage_maps.choropleth(
    cc.counties(cfg.data_dir),
    shares,
    worst=worst.assign(label=worst["uat"] + " (" + worst["county_code"] + ")"),
    providers=providers,
    sites=sites,
    attribution_lines=attribution,
    tile_url=cfg.tile_url,
    share_label=t("coverage.col.share"),
)
st_folium(m, key="coverage_map", height=520, use_container_width=True, returned_objects=[])
unit = t("coverage.unit." + by)
legend_title = t("coverage.legend", threshold=f"{threshold:g}", unit=unit)
st.markdown(
    coverage_maps.legend_html(
        legend_title,
        t("coverage.legend.worst"),
        t("coverage.legend.providers"),
        t("coverage.legend.sites"),
        t("map.legend_approximate"),
    ),
    unsafe_allow_html=True,  # built from escaped text only
)

st.subheader(t("coverage.by_county"))
chart = pd.DataFrame(
    {t("coverage.col.share"): counties[key].to_numpy() * 100},
    index=counties["county_code"].map(names).fillna(counties["county_code"]),
)
st.bar_chart(chart, horizontal=True, height=700, sort=False)

county_table = pd.DataFrame(
    {
        t("col.county"): counties["county_code"].map(names).fillna(counties["county_code"]),
        t("coverage.col.population"): counties["population"].round().astype(int),
        t("coverage.col.share"): (counties[key] * 100).round(1),
        t("coverage.col.services"): counties["services"],
        t("coverage.col.services_per_100k"): counties["services_per_100k"].round(2),
        t("coverage.col.beds_per_100k"): counties["beds_per_100k"].round(2),
    }
)
dataframe(county_table, hide_index=True, width="stretch")

st.subheader(t("coverage.worst_title"))
worst_table = pd.DataFrame(
    {
        t("coverage.col.uat"): worst["uat"],
        t("col.county"): worst["county_code"],
        t("coverage.col.population"): worst["population"].round().astype(int),
        t("coverage.col.minutes"): worst["road_minutes"].round(0),
        t("coverage.col.km"): worst["road_km"].round(1),
        t("coverage.col.straight_km"): worst["straight_km"].round(1),
        t("coverage.col.nearest"): worst["nearest"].fillna("—"),
    }
)
if not len(cov.supply):  # no provider: no distance to show, only who lives where
    worst_table = worst_table.iloc[:, :3]
dataframe(worst_table, hide_index=True, width="stretch")

if picks:
    st.subheader(t("coverage.sites_title", k=len(picks)))
    site_table = pd.DataFrame(
        {
            t("coverage.col.uat"): [d.name[p.index] for p in picks],
            t("col.county"): [d.county[p.index] for p in picks],
            t("coverage.col.gain"): [round(p.gain) for p in picks],
        }
    )
    dataframe(site_table, hide_index=True, width="stretch")
    st.caption(t("coverage.sites_total", total=whole(sum(p.gain for p in picks))))

title = t("coverage.png_title", type=type_words, threshold=f"{threshold:g}", unit=unit)
words = (
    title + "\n" + basis_text(basis, saved, markdown=False),
    t("coverage.col.share"),
    " · ".join(attribution),
    t("coverage.legend.sites"),
    t("coverage.no_data"),
)
site_points = tuple(zip(sites["lat"], sites["lon"]))
downloads(
    counties,
    cov,
    f"punte-coverage-{service_type}-{threshold:g}{by}",
    lambda: cc.png(cfg.data_dir, tuple(shares.items()), site_points, words),
)

what_if_panel(cov, threshold, by)
population_panel(user)
