"""Which population the Coverage page counts, and how to change it.

Anyone on the page may use a child-population file for their session. An admin may also save
it for everyone (stored, audited, shown with who saved it, when and from which file) and go
back to the reference population by domicile, 2020.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from directory.coverage_data import (
    CHILDREN_SAVED,
    CHILDREN_UPLOAD,
    PopulationFileError,
    read_population,
    revert_population,
    save_population,
)
from directory.errors import PermissionDeniedError
from directory.formatting import when
from directory.models import User
from directory.storage.population_rows import SavedPopulation

from . import coverage_cache as cc
from .context import lang, settings, store, t
from .coverage_numbers import whole
from .widgets import tm


def basis_text(basis: str, saved: SavedPopulation | None, markdown: bool = True) -> str:
    """One sentence saying which population every figure counts (markdown-safe by default)."""
    if basis == CHILDREN_SAVED and saved is not None:
        values = {
            "source": saved.source,
            "who": saved.saved_by,
            "when": when(saved.saved_at, lang()),
            "total": whole(saved.total),
        }
        return (
            tm("coverage.basis." + basis, **values)
            if markdown
            else t("coverage.basis." + basis, **values)
        )
    return t("coverage.basis." + basis)


def _problems(error: PopulationFileError) -> str:
    """Every bad row of a file, one line each: "Row 3: siruta 54975 appears twice…"."""
    lines = []
    for p in error.problems:
        where = t("coverage.upload_row", row=p.row) + " " if p.row else ""
        lines.append(where + tm("coverage.upload_error." + p.key, **p.values))
    return "  \n".join(lines)


def population_panel(user: User) -> None:
    """The expander under the page: the population in use, a file for the session or for all."""
    saved = cc.saved_population()
    admin = user.role == "admin"
    with st.expander(t("coverage.upload")):
        st.caption(t("coverage.upload_help_admin" if admin else "coverage.upload_help"))
        upload = st.file_uploader(t("coverage.upload_file"), type=["csv"], key="coverage_upload")
        if upload is not None:
            left, right = st.columns(2)
            session_clicked = left.button(t("coverage.upload_apply"), key="coverage_apply")
            save_clicked = admin and right.button(t("coverage.upload_save"), key="coverage_save")
            if session_clicked or save_clicked:
                base = cc.demand(settings().data_dir)
                try:
                    if save_clicked:
                        with store() as s:
                            save_population(s, user, upload.getvalue(), upload.name, base)
                        st.session_state.pop(cc.POPULATION_KEY, None)
                    else:
                        population, _ = read_population(upload.getvalue(), base)
                        st.session_state[cc.POPULATION_KEY] = (CHILDREN_UPLOAD, population)
                except PopulationFileError as e:
                    st.error(_problems(e))
                    return
                except PermissionDeniedError:
                    st.error(t("coverage.saved_denied"))
                    return
                st.rerun()
        if cc.POPULATION_KEY in st.session_state:
            total = float(np.sum(st.session_state[cc.POPULATION_KEY][1]))
            st.success(t("coverage.upload_active", total=whole(total)))
            if st.button(t("coverage.upload_reset"), key="coverage_reset"):
                del st.session_state[cc.POPULATION_KEY]
                st.rerun()
        if saved is not None:
            st.info(basis_text(CHILDREN_SAVED, saved))
            if admin and st.button(t("coverage.saved_revert"), key="coverage_revert"):
                with store() as s:
                    revert_population(s, user)
                st.rerun()
        elif admin:
            st.caption(t("coverage.saved_none"))
