"""The receiver sees the packet: the stored, consented fields, by name, on screen and sheet."""

from __future__ import annotations

from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from directory.formatting import when
from directory.i18n import translate
from directory.referrals import workflow as referrals
from directory.referrals.packet import consented_reasons, packet_rows
from directory.referrals.sheet import sheet_html

from ..conftest import ROOT
from .conftest import send, user

EVERYTHING = ("age", "gender", "languages", "needs", "urgency", "requirements", "origin_area")


def test_consented_fields_are_shown_by_name(db, home_sal):
    ref = send(db, home_sal, consent_fields=EVERYTHING)
    rows = dict(packet_rows(ref, "ro"))
    assert rows[translate("find.gender", "ro")] == translate("gender.female", "ro")
    assert rows[translate("find.languages", "ro")] == "română, romani"
    assert rows[translate("find.age", "ro")] == "15"
    assert rows[translate("find.requirements", "ro")] == translate(
        "requirement.unaccompanied", "ro"
    )
    english = dict(packet_rows(ref, "en"))
    assert english[translate("find.languages", "en")] == "Romanian, Romani"
    assert consented_reasons(ref) == ref.reasons


def test_fields_not_consented_are_not_shown(db, home_sal):
    ref = send(db, home_sal, consent_fields=("needs", "urgency"))
    labels = [label for label, _ in packet_rows(ref, "en")]
    assert labels == [
        translate("find.needs", "en"),
        translate("find.urgency", "en"),
        translate("ref.age_band", "en"),  # always stored with the needs and urgency
    ]
    # The reasons naming the child's languages or distance go too; the service's stay.
    kept = {r.key for r in consented_reasons(ref)}
    assert kept == {"reason.capacity.available"}


def test_the_sheet_holds_gender_and_language_names_when_consented(db, home_sal):
    ref = send(db, home_sal, consent_fields=EVERYTHING)
    labels = {k: k for k in ("title", "reasons", "footer", "case_code", "status", "due")}
    labels |= {k: k for k in ("service", "organization", "locality", "phone")}
    labels |= {"referral_process": "p", "schedule": "s"}
    html = sheet_html(ref, {"service_name": "Adăpost"}, labels, "en")
    assert "Female" in html or translate("gender.female", "en") in html
    assert "Romanian, Romani" in html and ">ro, rom<" not in html
    bare = sheet_html(send(db, home_sal, consent_fields=("needs",), case_code="VS-2026-0143"),
                      {}, labels, "en")  # fmt: skip
    assert translate("gender.female", "en") not in bare and "Romanian" not in bare


def test_the_coordinator_sees_the_packet_on_screen(db, home_sal, monkeypatch):
    send(db, home_sal, consent_fields=EVERYTHING)
    monkeypatch.setenv("PUNTE_DB", str(db.path))
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "referrals.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["auth"] = {
        "username": "demo-coordinator",
        "last_seen": datetime.now(UTC).isoformat(),
    }
    at.run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown).replace("\\", "")
    (ref,) = referrals.visible_to(db, user(db, "demo-coordinator"))
    for label, value in packet_rows(ref, "en"):
        assert f"{label}: {value}" in shown
    assert "Romanian, Romani" in shown


def test_times_are_local_and_the_sender_is_named(db, home_sal, monkeypatch):
    ref = send(db, home_sal, consent_fields=EVERYTHING)
    monkeypatch.setenv("PUNTE_DB", str(db.path))
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "referrals.py"), default_timeout=60)
    at.session_state["lang"] = "ro"
    at.session_state["auth"] = {
        "username": "demo-coordinator",
        "last_seen": datetime.now(UTC).isoformat(),
    }
    at.run()
    table = at.dataframe[0].value
    sender = user(db, "demo-caseworker").display_name
    assert list(table[translate("ref.col.sender", "ro")]) == [sender] != ["demo-caseworker"]
    assert list(table[translate("ref.col.due", "ro")]) == [when(ref.due_at, "ro")]
    history = at.dataframe[1].value
    assert list(history[translate("admin.col.actor", "ro")]) == [sender]
