"""The Coverage page's what-if and population-upload panels."""

from __future__ import annotations

import numpy as np
import streamlit as st

from directory.coverage_data import CHILDREN_UPLOAD, PopulationFileError, population_from_csv
from directory.places.gazetteer import load_gazetteer
from gaps.analysis import Coverage

from . import coverage_cache as cc
from .context import settings, t


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
            format_func=lambda m: t("coverage.whatif." + m),
            key="coverage_whatif_mode",
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
            f"{after:.1%}",
            f"{(after - before) * 100:+.2f} pp",
        )
        st.write(t("coverage.whatif_people", people=f"{change:+,.0f}"))


def upload_panel(role: str) -> None:
    """A partner's child population per UAT or county, for this session only."""
    with st.expander(t("coverage.upload")):
        st.caption(t("coverage.upload_help"))
        upload = st.file_uploader(t("coverage.upload_file"), type=["csv"], key="coverage_upload")
        if upload is not None and st.button(t("coverage.upload_apply"), key="coverage_apply"):
            base = cc.demand(settings().data_dir)
            try:
                population = population_from_csv(upload.getvalue(), base)
            except PopulationFileError as e:
                where = t("coverage.upload_row", row=e.row) + " " if e.row else ""
                st.error(where + t("coverage.upload_error." + e.key, **e.values))
                return
            st.session_state[cc.POPULATION_KEY] = (CHILDREN_UPLOAD, population)
            st.rerun()
        if cc.POPULATION_KEY in st.session_state:
            total = float(np.sum(st.session_state[cc.POPULATION_KEY][1]))
            st.success(t("coverage.upload_active", total=f"{total:,.0f}"))
            if st.button(t("coverage.upload_reset"), key="coverage_reset"):
                del st.session_state[cc.POPULATION_KEY]
                st.rerun()
