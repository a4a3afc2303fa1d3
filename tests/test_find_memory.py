"""The Find form survives page changes, and is gone on sign-out and idle expiry (issue 15 item 7).

The whole app runs here (app.py with st.navigation), so a page change is a real one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from directory.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIND = "ui/pages/find_services.py"
REFERRALS = "ui/pages/referrals.py"


def signed_in(monkeypatch, db: Path, username: str = "demo-caseworker") -> AppTest:
    monkeypatch.setenv("PUNTE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = "ro"
    at.session_state["auth"] = {"username": username, "last_seen": datetime.now(UTC).isoformat()}
    return at.run()


def fill(at: AppTest) -> AppTest:
    at.text_input(key="find_origin_query").input("Vaslui").run()
    at.number_input(key="find_age").set_value(13).run()
    at.selectbox(key="find_gender").set_value("female").run()
    at.multiselect(key="find_needs").set_value(["legal_aid", "psychological_counselling"]).run()
    at.text_input(key="find_case_code").input("IS-2026-0077")
    return at.run()


def form_values(at: AppTest) -> tuple:
    return (
        at.text_input(key="find_origin_query").value,
        at.number_input(key="find_age").value,
        at.selectbox(key="find_gender").value,
        at.multiselect(key="find_needs").value,
    )


FILLED = ("Vaslui", 13, "female", ["legal_aid", "psychological_counselling"])
EMPTY = ("", 15, "unspecified", [])


def test_the_form_survives_going_to_referrals_and_back(monkeypatch, demo_db):
    at = fill(signed_in(monkeypatch, demo_db))
    assert form_values(at) == FILLED
    at.switch_page(REFERRALS).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Trimiteri"]
    at.run()  # a rerun on the other page: Streamlit drops the unseen widgets' values here
    at.switch_page(FIND).run()
    assert not at.exception
    assert form_values(at) == FILLED
    assert at.text_input(key="find_case_code").value == "IS-2026-0077"
    # The plan is computed again from the kept needs: the form is usable as left.
    assert "#### Asistență juridică" in [m.value for m in at.markdown]
    # Reruns on the page itself keep the latest values, not the kept ones.
    at.number_input(key="find_age").set_value(14).run()
    at.run()
    assert at.number_input(key="find_age").value == 14


def test_without_the_memory_the_form_would_be_lost(monkeypatch, demo_db):
    """The test above can fail: with the kept copy removed, the same trip empties the form."""
    at = fill(signed_in(monkeypatch, demo_db))
    at.switch_page(REFERRALS).run()
    at.run()
    del at.session_state["find_memory"]
    at.switch_page(FIND).run()
    assert form_values(at) == EMPTY


def test_sign_out_clears_the_form(monkeypatch, demo_db):
    at = fill(signed_in(monkeypatch, demo_db))
    at.button(key="sidebar_sign_out").click().run()
    assert "auth" not in at.session_state
    assert not [k for k in at.session_state if str(k).startswith("find_")]
    # The next person to sign in on this browser starts with an empty form.
    at.session_state["auth"] = {
        "username": "demo-caseworker",
        "last_seen": datetime.now(UTC).isoformat(),
    }
    at.run()
    at.switch_page(FIND).run()
    assert form_values(at) == EMPTY


def test_idle_expiry_clears_the_form(monkeypatch, demo_db):
    at = fill(signed_in(monkeypatch, demo_db))
    old = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    at.session_state["auth"] = {"username": "demo-caseworker", "last_seen": old}
    at.run()
    assert "auth" not in at.session_state
    assert not [k for k in at.session_state if str(k).startswith("find_")]


def test_the_form_is_never_written_to_the_database(monkeypatch, demo_db):
    with Store(demo_db) as store:
        before = store.db["audit_log"].count
    at = fill(signed_in(monkeypatch, demo_db))
    at.switch_page(REFERRALS).run()
    at.switch_page(FIND).run()
    with Store(demo_db) as store:
        assert store.db["audit_log"].count == before
        assert store.db["referral"].count == 0
    raw = demo_db.read_bytes() + b"".join(
        p.read_bytes() for p in demo_db.parent.glob(demo_db.name + "-wal")
    )
    assert b"IS-2026-0077" not in raw
