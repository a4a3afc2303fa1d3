"""Referrals and privacy: the audit log keeps no contents, reveals, purge, the sheet."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from directory.errors import NotFoundError, PermissionDeniedError
from directory.formatting import when
from directory.i18n import translate
from directory.models import Referral, Service
from directory.referrals import workflow as referrals
from directory.referrals.sheet import sheet_html
from directory.storage import audit
from directory.storage.frame import service_details
from directory.storage.store import Store
from directory.vocab import REFERRAL_STATUSES, SERVICE_TYPES, URGENCIES

from .conftest import CASE, NOW, move, send, user

# ---- tried services and the audit log -----------------------------------------------------


def test_tried_services(db, home_sal, other_sal):
    send(db, home_sal)
    declined = send(db, other_sal)
    move(db, declined, "declined", by="coord-other", reason_code="no_capacity")
    send(db, other_sal, case_code="VS-2026-9999")
    assert referrals.tried_services(db, CASE) == {home_sal, other_sal}
    assert referrals.tried_services(db, "VS-2026-9999") == {other_sal}
    assert referrals.tried_services(db, "XX-0000-0000") == set()


def _referral_audit(store: Store) -> list[dict]:
    return list(store.db.query("SELECT * FROM audit_log WHERE entity = 'referral' ORDER BY id"))


def test_audit_log_holds_only_the_audit_fields(db, home_sal):
    ref = send(db, home_sal, case_code="VS-2026-0777", age=13)
    move(db, ref, "declined", by="demo-coordinator", reason_code="safety_conflict", note="private")
    rows = _referral_audit(db)
    assert [r["action"] for r in rows] == ["create", "update"]
    assert {r["entity_id"] for r in rows} == {ref.id}
    allowed = set(Referral.audit_fields)
    created = json.loads(rows[0]["after"])
    assert set(created) <= allowed
    assert created["status"] == "sent"
    assert created["service_at_location_id"] == home_sal
    updated_before, updated_after = json.loads(rows[1]["before"]), json.loads(rows[1]["after"])
    assert set(updated_before) <= allowed and set(updated_after) <= allowed
    assert (updated_before, updated_after) == ({"status": "sent"}, {"status": "declined"})
    assert rows[1]["reason"] == "safety_conflict"
    assert rows[1]["actor"] == "demo-coordinator"
    text = json.dumps(rows, ensure_ascii=False)
    for secret in ("VS-2026-0777", "case_code", "needs", "shelter_emergency", "age", "female",
                   "private", "origin", "161945", "consent"):  # fmt: skip
        assert secret not in text, secret


def test_no_referral_content_anywhere_in_the_log(db, home_sal):
    ref = send(db, home_sal, case_code="ZZ-2026-4242")
    ref = move(db, ref, "accepted", by="demo-coordinator")
    referrals.reveal_for_referral(db, user(db, "demo-caseworker"), ref)
    move(db, ref, "completed", by="demo-coordinator")
    referrals.purge(db, 0, now=NOW + timedelta(days=1))
    everything = " ".join(
        str(v) for r in db.db.query("SELECT * FROM audit_log") for v in r.values()
    )
    assert "ZZ-2026-4242" not in everything


# ---- reveal ---------------------------------------------------------------------------------


def _reveals(store: Store) -> list[dict]:
    return list(store.db.query("SELECT * FROM audit_log WHERE action = 'reveal' ORDER BY id"))


def test_reveal_only_after_acceptance_and_only_to_the_sender(db, home_sal):
    caseworker = user(db, "demo-caseworker")
    ref = send(db, home_sal)
    with pytest.raises(PermissionDeniedError):
        referrals.reveal_for_referral(db, caseworker, ref)
    assert _reveals(db) == []

    ref = move(db, ref, "accepted", by="demo-coordinator")
    location = referrals.reveal_for_referral(db, caseworker, ref)
    location_id = db.db["service_at_location"].get(home_sal)["location_id"]
    assert location.id == location_id
    assert location.disclosure == "on_accepted_referral"
    assert location.address_1  # the exact address, not a generalised point
    assert (location.latitude, location.longitude) == (
        db.db["location"].get(location_id)["latitude"],
        db.db["location"].get(location_id)["longitude"],
    )
    rows = _reveals(db)
    assert len(rows) == 1
    assert (rows[0]["actor"], rows[0]["entity"], rows[0]["entity_id"]) == (
        "demo-caseworker",
        "location",
        location_id,
    )
    assert rows[0]["reason"] == f"accepted referral {ref.id}"

    for other in ("cw-same-org", "cw-outsider", "demo-partner"):
        with pytest.raises(PermissionDeniedError):
            referrals.reveal_for_referral(db, user(db, other), ref)
    assert len(_reveals(db)) == 1

    done = move(db, ref, "completed", by="demo-coordinator")
    assert referrals.reveal_for_referral(db, caseworker, done).id == location_id
    assert len(_reveals(db)) == 2
    assert db.verify_audit().ok


@pytest.mark.parametrize("path", [("declined",), ("cancelled",)])
def test_no_reveal_for_a_closed_unaccepted_referral(db, home_sal, path):
    ref = send(db, home_sal)
    for to in path:
        ref = move(db, ref, to)
    with pytest.raises(PermissionDeniedError):
        referrals.reveal_for_referral(db, user(db, "demo-caseworker"), ref)
    assert _reveals(db) == []


def test_never_disclosed_site_is_not_revealed_even_when_accepted(db):
    row = db.db.execute(
        "SELECT sal.id FROM service_at_location sal JOIN location l ON l.id = sal.location_id "
        "WHERE l.disclosure = 'never' ORDER BY sal.id LIMIT 1"
    ).fetchone()
    ref = move(db, send(db, row[0]), "accepted")
    with pytest.raises(PermissionDeniedError):
        referrals.reveal_for_referral(db, user(db, "demo-caseworker"), ref)
    assert _reveals(db) == []


# ---- purge ----------------------------------------------------------------------------------


def test_purge_removes_old_closed_referrals_with_their_events(db, home_sal, other_sal):
    old = NOW - timedelta(days=400)
    recent = NOW - timedelta(days=10)
    completed = move(db, move(db, send(db, home_sal, at=old), "accepted", at=old), "completed",
                     at=old)  # fmt: skip
    declined = move(db, send(db, other_sal, at=old), "declined", at=old)
    cancelled = move(db, send(db, home_sal, at=old), "cancelled", at=old)
    open_old = send(db, home_sal, at=old)
    accepted_old = move(db, send(db, other_sal, at=old), "accepted", at=old)
    closed_recently = move(
        db, send(db, home_sal, at=old, case_code="VS-2026-0143"), "declined", at=recent
    )
    purged = {completed.id, declined.id, cancelled.id}
    kept = {open_old.id, accepted_old.id, closed_recently.id}
    kept_events = {i: referrals.history(db, i) for i in kept}
    audit_before = db.db["audit_log"].count

    assert referrals.purge(db, 365, now=NOW) == 3

    assert {r["id"] for r in db.db["referral"].rows} == kept
    for i in purged:
        with pytest.raises(NotFoundError):
            referrals.get(db, i)
        assert referrals.history(db, i) == []
    assert {i: referrals.history(db, i) for i in kept} == kept_events
    assert db.db["audit_log"].count == audit_before + 1
    row = next(db.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert (row["actor"], row["action"], row["entity"], row["entity_id"]) == (
        "system",
        "purge",
        "referral",
        None,
    )
    assert json.loads(row["before"]) == {"ids": sorted(purged)}
    assert row["after"] is None
    assert "retention 365 days" in row["reason"]
    assert CASE not in json.dumps(row)
    # The create and update rows stay and still say the referrals existed.
    for i in purged:
        assert audit.history(db.db, "referral", i)
    assert db.verify_audit().ok

    # Nothing more to purge: no new audit row.
    assert referrals.purge(db, 365, now=NOW) == 0
    assert db.db["audit_log"].count == audit_before + 1
    # A shorter retention takes the recently closed one too, never the open ones.
    assert referrals.purge(db, 0, now=NOW) == 1
    assert {r["id"] for r in db.db["referral"].rows} == {open_old.id, accepted_old.id}
    assert db.verify_audit().ok


def test_purge_with_nothing_closed(db, home_sal):
    send(db, home_sal, at=NOW - timedelta(days=1000))
    audit_before = db.db["audit_log"].count
    assert referrals.purge(db, 0, now=NOW) == 0
    assert db.db["referral"].count == 1
    assert db.db["audit_log"].count == audit_before


# ---- the printable sheet ------------------------------------------------------------------


def _labels(lang: str = "ro") -> dict[str, str]:
    keys = {
        "title": "sheet.title", "reasons": "sheet.reasons", "footer": "sheet.footer",
        "case_code": "ref.case_code", "status": "ref.col.status", "urgency": "find.urgency",
        "due": "ref.col.due", "needs": "find.needs", "age": "find.age",
        "age_band": "ref.age_band", "languages": "find.languages", "service": "col.service",
        "organization": "col.organization", "locality": "col.locality", "phone": "col.phone",
        "referral_process": "sheet.process", "schedule": "sheet.schedule",
    }  # fmt: skip
    labels = {k: translate(v, lang) for k, v in keys.items()}
    labels |= {f"type.{x}": translate("type." + x, lang) for x in SERVICE_TYPES}
    labels |= {f"status.{x}": translate("status." + x, lang) for x in REFERRAL_STATUSES}
    labels |= {f"urgency.{x}": translate("urgency." + x, lang) for x in URGENCIES}
    return labels


def test_sheet_escapes_everything_and_names_no_child(db, home_sal):
    service_id = db.db["service_at_location"].get(home_sal)["service_id"]
    service = db.get(Service, service_id)
    db.update(
        service.replace(
            name="<script>alert(1)</script>",
            referral_process="Call & ask for <b>intake</b>",
        ),
        actor="test",
    )
    # Legacy sentences may name the child's languages: shown only with that consent.
    ref = send(
        db, home_sal, reasons=("<img src=x onerror=alert(2)>", "Locuri disponibile."),
        consent_fields=("age", "gender", "needs", "urgency", "languages"),
    )  # fmt: skip
    provider = service_details(db, [home_sal]).iloc[0].to_dict()
    html = sheet_html(ref, provider, _labels())

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "Call &amp; ask for &lt;b&gt;intake&lt;/b&gt;" in html
    assert CASE in html
    assert "Locuri disponibile." in html
    assert translate("type.shelter_emergency", "ro") in html
    assert when(ref.due_at, "ro") in html  # local time, in the sheet's language
    # Nothing that could point at the child: no gender, origin or caseworker.
    for identifying in ("female", "161945", "46.63811", "27.72913", "demo-caseworker"):
        assert identifying not in html, identifying
    assert html.startswith("<!doctype html>") and html.endswith("</html>")


def test_sheet_escapes_a_hostile_label_and_shows_dashes_for_blanks(db, home_sal):
    ref = send(db, home_sal, languages=())
    labels = _labels("en") | {"title": "<i>Referral</i>"}
    html = sheet_html(ref, {}, labels, "en")
    assert "<i>" not in html and "&lt;i&gt;Referral&lt;/i&gt;" in html
    assert "—" in html
    assert "Emergency shelter" in html
