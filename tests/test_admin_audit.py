"""The admin's audit view: filters by actor, action (reveals first) and date; safe CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from directory.access.passwords import hash_password
from directory.i18n import translate
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
    assert actions.options[0] == "confidential address revealed"  # reveals first, in words
    actions.select("reveal")
    at = at.run()
    shown = at.dataframe[-1].value
    assert list(shown["Action"]) == ["confidential address revealed"]
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


def audit_page(monkeypatch, db, lang: str) -> AppTest:
    monkeypatch.setenv("PUNTE_DB", str(db))
    spec = next(p for p in PAGES if p.slug == "admin")
    at = AppTest.from_file(str(spec.path), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["auth"] = {
        "username": "demo-admin",
        "last_seen": datetime.now(UTC).isoformat(),
    }
    return at.run()


def every_text(at: AppTest) -> list[str]:
    """Every text the page shows: elements, labels, options and each table cell."""
    kinds = ("markdown", "caption", "success", "error", "subheader", "title", "info", "warning")
    texts = [e.value for kind in kinds for e in getattr(at, kind)]
    for widget in [*at.selectbox, *at.multiselect]:
        texts += [widget.label, *widget.options]
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
        texts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return texts


ADMIN = "Andrei Stan, administrator (demo)"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ro", {"autentificare", "deconectare", "creare", "cont", ADMIN}),
        ("en", {"signed in", "signed out", "created", "account", ADMIN}),
    ],
)
def test_audit_view_is_translated_without_none(monkeypatch, demo_db, lang, words):
    from directory.referrals import workflow as referrals
    from directory.referrals.workflow import Draft

    with Store(demo_db) as s:
        s.log(AuditEntry("demo-admin", "sign_in", "user", "demo-admin"))
        s.log(AuditEntry("demo-admin", "sign_out", "user", "demo-admin", reason="idle timeout"))
        s.log(AuditEntry("anonymous", "sign_in_failed", "user", None))
        sal = s.db.execute("SELECT id FROM service_at_location ORDER BY id LIMIT 1").fetchone()[0]
        ref = referrals.create(s, s.get(User, "demo-caseworker"), Draft(
            "VS-2026-0142", sal, ("legal_aid",), 15, "urgent", None, (), (), 100.0, 0.5, (), ()
        ))  # fmt: skip
        referrals.change_status(s, s.get(User, "demo-admin"), ref, "declined",
                                reason_code="no_capacity")  # fmt: skip
    at = audit_page(monkeypatch, demo_db, lang)
    assert not at.exception
    texts = every_text(at)
    log = at.dataframe[-1].value
    assert len(log) > 10
    cells = set(log.astype(str).to_numpy().ravel())
    assert not {"None", "nan", "NaT", ""} & cells
    assert "—" in cells  # empty cells say so
    assert words <= cells
    # No raw code or key: neither sign_in nor audit.action.sign_in, nor a username.
    raw = re.compile(r"\b(audit|admin|role|decline)\.[a-z_]+|\bsign_in\b|\bno_capacity\b")
    assert not [x for x in texts if raw.search(x)], [x for x in texts if raw.search(x)]
    assert "demo-admin" not in set(log.iloc[:, 2])  # the "who" column shows display names
    # Times are local and in the language's format, not ISO.
    assert all(re.fullmatch(r"\d\d[./]\d\d[./]\d{4}, \d\d:\d\d", v) for v in log.iloc[:, 1])
    declined = log[log.iloc[:, 3] == ("modificare" if lang == "ro" else "changed")]
    assert set(declined.iloc[:, 6]) == {translate("decline.no_capacity", lang)}
