"""The referral status form, as each side sees it: nothing preselected, confirm to close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from directory.i18n import translate
from directory.referrals import workflow as referrals

from ..conftest import ROOT
from .conftest import send


def _page(db, monkeypatch, username: str, lang: str = "ro") -> AppTest:
    # Romanian, the default: AppTest calls the pages' format_func outside a script run,
    # where t() cannot read the session's language and falls back to Romanian.
    monkeypatch.setenv("PUNTE_DB", str(db.path))
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "referrals.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["auth"] = {"username": username, "last_seen": datetime.now(UTC).isoformat()}
    return at.run()


def _save(at: AppTest) -> AppTest:
    label = translate("ref.apply", at.session_state["lang"])
    return next(b for b in at.button if b.label == label).click().run()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_coordinator_declines_only_with_reason_and_confirmation(db, home_sal, monkeypatch):
    ref = send(db, home_sal)
    at = _page(db, monkeypatch, "demo-coordinator")
    assert not at.exception
    assert at.selectbox(key="referrals_to").value is None  # nothing preselected
    assert at.checkbox(key="referrals_confirm").value is False
    # A stray Save changes nothing and says what to do.
    at = _save(at)
    assert _errors(at) == [translate("ref.error.choose_status", "ro")]
    assert referrals.get(db, ref.id).status == "sent"
    at.selectbox(key="referrals_to").set_value("declined")
    at = _save(at)
    assert _errors(at) == [translate("ref.error.decline_reason", "ro")]
    at.selectbox(key="referrals_reason").set_value("no_capacity")
    at = _save(at)
    assert _errors(at) == [translate("ref.error.confirm", "ro")]
    assert referrals.get(db, ref.id).status == "sent"
    at.checkbox(key="referrals_confirm").check()
    at = _save(at)
    assert not at.exception and not _errors(at)
    saved = referrals.get(db, ref.id)
    assert (saved.status, saved.decline_reason) == ("declined", "no_capacity")
    assert translate("ref.changed", "ro", status=translate("status.declined", "ro")) in [
        s.value for s in at.success
    ]


def test_caseworker_cancels_only_with_a_written_reason(db, home_sal, monkeypatch):
    ref = send(db, home_sal)
    at = _page(db, monkeypatch, "demo-caseworker")
    assert not at.exception
    assert at.selectbox(key="referrals_to").value is None
    at.selectbox(key="referrals_to").set_value("cancelled")
    at.checkbox(key="referrals_confirm").check()
    at = _save(at)
    assert _errors(at) == [translate("ref.error.cancel_reason", "ro")]
    assert referrals.get(db, ref.id).status == "sent"
    at.text_input(key="referrals_note").input("trimisă din greșeală")
    at = _save(at)
    assert referrals.get(db, ref.id).status == "cancelled"
    assert [e["note"] for e in referrals.history(db, ref.id)][-1] == "trimisă din greșeală"
    # The written reason is case content: the history has it, the append-only log does not.
    logged = " ".join(str(row) for row in db.db["audit_log"].rows)
    assert "greșeală" not in logged and "VS-2026-0142" not in logged
    assert referrals.purge(db, 0, now=datetime.now(UTC) + timedelta(days=1)) == 1
    assert referrals.history(db, ref.id) == []
