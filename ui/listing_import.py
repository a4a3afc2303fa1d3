"""Import on the Listings page: upload, preview with a correctable mapping, commit, downloads."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from directory.listings.columns import FIELDS, template_csv
from directory.listings.importer import ImportReport, commit, preview
from directory.listings.problems import FileProblemError
from directory.listings.report_out import rejected_rows_csv
from directory.models import User

from .context import lang, settings, store, t
from .widgets import dataframe, md, selectbox

K = "listings_import_"
HSDS = {".json": "hsds-json", ".zip": "hsds-csv"}


def _preview(data: bytes, name: str, columns: dict | None, editable: set[str] | None) -> Any:
    suffix = Path(name).suffix.lower()
    with store() as s:
        if suffix in HSDS:
            from directory.listings.hsds_import import read_hsds

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(name).name
                path.write_bytes(data)
                return read_hsds(
                    path, HSDS[suffix], store=s, data_dir=settings().data_dir, editable=editable
                )
        return preview(
            data,
            name=name,
            columns=columns,
            store=s,
            data_dir=settings().data_dir,
            editable=editable,
        )


def _mapping_editor(
    headers: list[str], mapping: dict[str, str | None], source: str
) -> dict[str, str | None] | None:
    """One choice per header; returns the corrected mapping when the coordinator applies it."""
    options = [""] + list(FIELDS)
    # Labels in the user's language, made now (a format_func may run outside the session);
    # the mapping keeps the template's field keys.
    words = {f: t("import.field." + f) for f in FIELDS} | {"": t("import.not_imported")}
    st.caption(t("import.mapping_help", source=t("import.mapping." + source)))
    corrected = {}
    cols = st.columns(3)
    for i, header in enumerate(headers):
        current = mapping.get(header) or ""
        with cols[i % 3]:
            corrected[header] = selectbox(
                md(header),  # a file header is data: no markdown from it
                options,
                index=options.index(current),
                key=f"{K}map_{i}_{header}",
                format_func=words.__getitem__,
            )
        corrected[header] = corrected[header] or None
    if corrected != dict(mapping) and st.button(t("import.apply_mapping"), key=K + "apply"):
        return corrected
    return None


def _rows_table(report: ImportReport) -> None:
    rows = []
    for r in report.rows:
        reasons = r.problems or r.warnings
        for p in reasons or [None]:
            rows.append(
                {
                    t("import.col_row"): r.row,
                    t("import.col_status"): t("import.status." + r.status),
                    t("import.col_column"): (p.column or "") if p else "",
                    t("import.col_reason"): p.text(lang()) if p else "",
                }
            )
    dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _mapping_problem(e: FileProblemError) -> str:
    """The mapping's problem in the page's words: fields by their labels, no command line."""
    twice = e.problem.key == "import.columns.twice"
    keys = str(e.problem.values.get("field" if twice else "fields", "")).split(",")
    names = ", ".join(t("import.field." + k.strip()) for k in keys if k.strip())
    return t("import.page.twice", field=names) if twice else t("import.page.missing", fields=names)


def _correct(digest: str, headers: list[str], mapping: dict, source: str) -> None:
    corrected = _mapping_editor(list(headers), dict(mapping), source)
    if corrected is not None:
        st.session_state.setdefault(K + "columns", {})[digest] = corrected
        st.rerun()


def import_section(user: User, editable: set[str] | None) -> None:
    st.download_button(
        t("import.template"),
        template_csv().encode("utf-8"),
        "punte-template.csv",
        "text/csv",
        key=K + "template",
    )
    upload = st.file_uploader(
        t("import.upload"), type=["csv", "txt", "xlsx", "json", "zip"], key=K + "file"
    )
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    columns = st.session_state.get(K + "columns", {}).get(digest)
    cache_key = (digest, repr(columns))
    if st.session_state.get(K + "report_key") != cache_key:
        try:
            report = _preview(data, upload.name, columns, editable)
        except FileProblemError as e:
            if e.mapping:  # a column is missing or taken twice: let the coordinator fix it
                st.error(_mapping_problem(e))
                _correct(digest, *e.mapping)
            else:
                st.error(e.text(lang()))
            return
        st.session_state[K + "report"], st.session_state[K + "report_key"] = report, cache_key
    report = st.session_state[K + "report"]
    if report.headers:
        _correct(digest, report.headers, report.mapping, report.mapping_source)
    c = report.counts()
    st.info(
        t(
            "import.counts",
            rows=c["rows"],
            valid=c["valid"],
            invalid=c["invalid"],
            out_of_scope=c["out_of_scope"],
            duplicate=c["duplicate"],
            blank=c["blank"],
            probable=c["probable_duplicates"],
        )
    )
    for w in report.file_warnings:
        st.warning(w.text(lang()))
    _rows_table(report)
    if c["invalid"] + c["out_of_scope"] + c["duplicate"]:
        st.download_button(
            t("import.download_invalid"),
            rejected_rows_csv(report, lang()).encode("utf-8"),
            "punte-rows-to-fix.csv",
            "text/csv",
            key=K + "rejected",
        )
    plan = report.plan.counts()
    st.caption(
        t(
            "import.plan",
            created=plan["created"],
            updated=plan["updated"],
            unchanged=plan["unchanged"],
        )
    )
    if c["valid"] and st.button(t("import.commit"), type="primary", key=K + "commit"):
        bar = st.progress(0.0, text=t("import.saving"))
        with store() as s:
            counts = commit(
                s,
                report,
                user.username,
                progress=lambda done, total: bar.progress(done / max(total, 1)),
                assign_new=user.role != "admin",
            )
        bar.progress(1.0)
        st.session_state.pop(K + "report_key", None)
        st.success(t("import.done", **counts))
