"""The admin's audit view: filters by actor, action (reveals first) and date; safe CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from directory.access.passwords import hash_password
from directory.models import User
from directory.storage.audit import AuditEntry
from directory.storage.store import Store
from ui.registry import PAGES

from .conftest import seed_small, use_database


def admin_page(monkeypatch, db) -> AppTest:
    use_database(monkeypatch, db)
    spec = next(p for p in PAGES if p.slug == "admin")
    at = AppTest.from_file(str(spec.path), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["auth"] = {"username": "root", "last_seen": datetime.now(UTC).isoformat()}
    return at.run()


def test_filters_and_formula_safe_export(monkeypatch, db_url):
    db = db_url
    with Store.init(db) as s:
        s.insert(User("root", "Root", "admin", hash_password("root password 1")), actor="cli")
        seed_small(s, n=1)
        s.log(AuditEntry("=HYPERLINK(\"https://example.org\")", "reveal", "location", "loc-1",
                         reason="@SUM(A1) court order"))  # fmt: skip
        s.log(AuditEntry("root", "export", "directory"))
    at = admin_page(monkeypatch, db)
    assert not at.exception
    actions = at.multiselect(key="admin_actions")
    assert actions.options[0] == "reveal"  # reveals first
    actions.select("reveal")
    at = at.run()
    shown = at.dataframe[-1].value
    assert list(shown["Action"]) == ["reveal"]
    actor_col = [c for c in shown.columns if c not in ("#",)][1]
    assert shown[actor_col].iloc[0].startswith("'=")  # formula-safe in the shown table
    at.selectbox(key="admin_actor").set_value("root")
    at = at.run()
    assert at.dataframe[-1].value.empty  # root revealed nothing
    at.selectbox(key="admin_actor").set_value("anyone")
    at.multiselect(key="admin_actions").unselect("reveal")
    at = at.run()
    assert len(at.dataframe[-1].value) >= 6
    # A date range in the past holds nothing.
    at.date_input(key="admin_dates").set_value((datetime(2020, 1, 1), datetime(2020, 1, 2)))
    at = at.run()
    assert at.dataframe[-1].value.empty


def test_export_goes_through_the_safe_writer(db_url):
    import pandas as pd

    from directory.listings.export import table_csv_bytes

    with Store.init(db_url) as s:
        s.log(AuditEntry("=cmd|' /C calc'!A0", "reveal", "location", "x", reason="+1 court"))
        rows = s.audit_rows(actions=["reveal"])
    data = table_csv_bytes(pd.DataFrame(rows)).decode("utf-8")
    parsed = list(csv.DictReader(io.StringIO(data)))
    assert parsed[0]["actor"].startswith("'=") and parsed[0]["reason"].startswith("'+")
