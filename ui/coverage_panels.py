"""The Coverage page's what-if panel."""

from __future__ import annotations

import streamlit as st

from directory.places.gazetteer import load_gazetteer
from gaps.analysis import Coverage

from . import coverage_cache as cc
from .context import settings, t
from .coverage_numbers import points, share, whole
from .lang_keys import lang_key


def _share(cov: Coverage, threshold: float, by: str) -> float:
    return cov.national()[by].get(f"{threshold:g}", 0.0)


def what_if_panel(cov: Coverage, threshold: float, by: str) -> None:
    """Close a provider or add one at a UAT seat; the directory is never changed."""
    with st.expander(t("coverage.whatif")):
        st.caption(t("coverage.whatif_help"))
        before = _share(cov, threshold, by)
        mode = st.radio(
            t("coverage.whatif_mode"),
            ("close", "add"),
            horizontal=True,
            format_func={m: t("coverage.whatif." + m) for m in ("close", "add")}.get,
            key=lang_key("coverage_whatif_mode"),
        )
        if mode == "close":
            if not len(cov.supply):
                st.info(t("coverage.whatif_none"))
                return
            # Confidential providers are labelled "organisation · UAT" only (coverage_data).
            order = sorted(range(len(cov.supply)), key=lambda i: str(cov.supply.label[i]))
            index = st.selectbox(
                t("coverage.whatif_provider"),
                order,
                key="coverage_whatif_close",
                format_func=lambda i: str(cov.supply.label[i]),
            )
            after_cov = cc.closing(cov, int(index))
        else:
            gazetteer = load_gazetteer(settings().data_dir)
            uats = sorted(gazetteer.uats, key=lambda u: (u.county_code, u.name))
            chosen = st.selectbox(
                t("coverage.whatif_place"),
                range(len(uats)),
                key="coverage_whatif_add",
                format_func=lambda i: f"{uats[i].name} ({uats[i].county_code})",
            )
            u = uats[int(chosen)]
            after_cov = cc.adding(cov, u.lat, u.lon, u.county_code, t("coverage.hypothetical"))
        after = _share(after_cov, threshold, by)
        covered = cov.demand.population[after_cov.covered(threshold, by)].sum()
        change = covered - cov.demand.population[cov.covered(threshold, by)].sum()
        st.metric(
            t("coverage.whatif_result", threshold=f"{threshold:g}", unit=t("coverage.unit." + by)),
            share(after, 1),
            points((after - before) * 100),
        )
        st.write(t("coverage.whatif_people", people=whole(change, signed=True)))
