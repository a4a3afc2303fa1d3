"""Referrals on a real demo database: lifecycle, rights, history, locking, audit, reveal, purge."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from directory import audit, referrals
from directory.demo import load_demo
from directory.demo_accounts import add_demo_accounts
from directory.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from directory.frame import service_details
from directory.i18n import translate
from directory.models import Location, Referral, Service, ServiceAtLocation, User
from directory.passwords import hash_password
from directory.referral_sheet import sheet_html
from directory.store import Store
from directory.vocab import DECLINE_REASONS, REFERRAL_STATUSES, SERVICE_TYPES, URGENCIES

from .conftest import DATA_DIR, TODAY

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 30, tzinfo=UTC)
CASE = "VS-2026-0142"
# Argon2 is slow on purpose: hash once for every extra account the tests create.
EXTRA_HASH = hash_password("extra-account-password")
OTHER_ORG = "demo-org-003"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The demo directory and its 4 accounts, built once; each test works on a copy."""
    path = tmp_path_factory.mktemp("referrals") / "template.db"
    with Store.init(path) as store:
        demo = load_demo(store, DATA_DIR, today=TODAY)
        add_demo_accounts(store, demo)
        home = store.get(User, "demo-coordinator").organization_id
        store.bulk_insert(
            [
                # A shelter of the coordinator's own organisation shown only on acceptance.
                Location(
                    "test-loc-secret",
                    home,
                    "Adăpost test (fictiv)",
                    46.64,
                    27.73,
                    "VS",
                    161945,
                    address_1="Strada Ascunsă nr. 1",
                    disclosure="on_accepted_referral",
                ),
                Service("test-svc-secret", home, "Adăpost test (fictiv)", "shelter_emergency"),
                ServiceAtLocation("test-sal-secret", "test-svc-secret", "test-loc-secret"),
                _user("cw-same-org", "caseworker", home),
                _user("cw-outsider", "caseworker", OTHER_ORG),
                _user("cw-lone-a", "caseworker", None),
                _user("cw-lone-b", "caseworker", None),
                _user("coord-other", "coordinator", OTHER_ORG),
            ],
            actor="test",
        )
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path):
    path = tmp_path / "punte.db"
    source = sqlite3.connect(str(template))
    target = sqlite3.connect(str(path))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    with Store(path) as store:
        yield store


def _user(name: str, role: str, organization: str | None) -> User:
    return User(name, name, role, EXTRA_HASH, organization_id=organization)


def user(store: Store, name: str) -> User:
    return store.get(User, name)


def sal_of(store: Store, organization: str, disclosure: str) -> str:
    """A service-at-location run by ``organization`` at a location of that disclosure."""
    row = store.db.execute(
        "SELECT sal.id FROM service_at_location sal JOIN service s ON s.id = sal.service_id "
        "JOIN location l ON l.id = sal.location_id WHERE s.organization_id = ? "
        "AND l.disclosure = ? ORDER BY sal.id LIMIT 1",
        [organization, disclosure],
    ).fetchone()
    assert row, (organization, disclosure)
    return row[0]


def draft(sal: str, **kw) -> referrals.Draft:
    values = {
        "case_code": CASE,
        "service_at_location_id": sal,
        "needs": ("shelter_emergency", "legal_aid"),
        "age": 15,
        "urgency": "emergency",
        "gender": "female",
        "languages": ("ro", "rom"),
        "requirements": ("unaccompanied",),
        "max_km": 200.0,
        "score": 0.91234567,
        "reasons": ("La 0.0 km.", "Locuri disponibile."),
        "consent_fields": ("age", "gender", "needs", "urgency"),
        "origin_siruta": 161945,
        "origin_latitude": 46.63811,
        "origin_longitude": 27.72913,
    }
    return referrals.Draft(**{**values, **kw})


@pytest.fixture
def home_sal(db: Store) -> str:
    """A confidential (on_accepted_referral) site of demo-coordinator's own organisation."""
    return sal_of(db, user(db, "demo-coordinator").organization_id, "on_accepted_referral")


@pytest.fixture
def other_sal(db: Store) -> str:
    return sal_of(db, OTHER_ORG, "public")


def send(store: Store, sal: str, by: str = "demo-caseworker", at: datetime = NOW, **kw):
    return referrals.create(store, user(store, by), draft(sal, **kw), now=at)


def move(store: Store, ref: Referral, to: str, by: str = "demo-admin", at: datetime = NOW, **kw):
    reason = kw.pop("reason_code", "no_capacity" if to == "declined" else None)
    return referrals.change_status(
        store, user(store, by), ref, to, reason_code=reason, now=at, **kw
    )


# ---- due dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "urgency, after",
    [
        ("emergency", timedelta(hours=24)),
        ("urgent", timedelta(hours=72)),
        ("routine", timedelta(days=14)),
    ],
)
def test_due_date_follows_urgency(db, home_sal, urgency, after):
    assert referrals.due_at(urgency, NOW) == NOW + after
    ref = send(db, home_sal, urgency=urgency)
    assert ref.due_at == NOW + after
    assert ref.sent_at == NOW
    stored = referrals.get(db, ref.id)
    assert stored.due_at == NOW + after
    assert stored.urgency == urgency


def test_draft_gets_its_due_date_again_when_sent(db, home_sal):
    ref = referrals.create(
        db, user(db, "demo-caseworker"), draft(home_sal, urgency="urgent"), send=False, now=NOW
    )
    assert ref.status == "draft" and ref.sent_at is None
    later = NOW + timedelta(days=2)
    sent = move(db, ref, "sent", by="demo-caseworker", at=later)
    assert sent.status == "sent"
    assert sent.sent_at == later
    assert sent.due_at == later + timedelta(hours=72)


def test_create_keeps_the_snapshot(db, home_sal):
    ref = send(db, home_sal)
    stored = referrals.get(db, ref.id)
    assert stored == ref
    assert stored.needs == ("shelter_emergency", "legal_aid")
    assert stored.reasons == ("La 0.0 km.", "Locuri disponibile.")
    assert stored.consent_fields == ("age", "gender", "needs", "urgency")
    assert stored.score == 0.9123
    assert stored.created_by == "demo-caseworker"
    assert stored.organization_id == user(db, "demo-caseworker").organization_id
    assert stored.status == "sent"


def test_get_unknown_referral(db):
    with pytest.raises(NotFoundError, match="purged"):
        referrals.get(db, "no-such-referral")


def test_create_for_a_vanished_service(db):
    with pytest.raises(NotFoundError):
        send(db, "demo-sal-999999")
    assert db.db["referral"].count == 0


# ---- case code and consent --------------------------------------------------------------


@pytest.mark.parametrize(
    "given, stored",
    [
        ("VS-2026-0142", "VS-2026-0142"),
        ("vs-2026-0142", "VS-2026-0142"),  # create strips and upper-cases
        ("  dgaspc/vs/12 ", "DGASPC/VS/12"),
        ("A1B2", "A1B2"),  # 4 characters, the shortest
        ("A" * 23 + "1", "A" * 23 + "1"),  # 24 characters, the longest
    ],
)
def test_valid_case_codes(db, home_sal, given, stored):
    assert send(db, home_sal, case_code=given).case_code == stored


@pytest.mark.parametrize(
    "code",
    [
        "Ana Popescu",  # a name, with a space
        "ANA-POP",  # no digit: looks like initials
        "ana-pop",
        "POPESCU ANA 2",
        "AB1",  # too short
        "A" * 24 + "1",  # too long
        "-VS-2026",  # must start with a letter or digit
        "VS_2026_01",
        "",
    ],
)
def test_invalid_case_codes(db, home_sal, code):
    with pytest.raises(ValidationError) as e:
        send(db, home_sal, case_code=code)
    assert e.value.field == "case_code"
    assert "never a name" in str(e.value)
    assert db.db["referral"].count == 0
    assert db.db["referral_event"].count == 0


def test_model_itself_does_not_upper_case(db, home_sal):
    ref = send(db, home_sal)
    with pytest.raises(ValidationError) as e:
        ref.replace(case_code="vs-2026-0142")
    assert e.value.field == "case_code"


@pytest.mark.parametrize(
    "consent, message",
    [
        ((), "tick the fields"),
        (("age", "name"), "unknown fields: name"),
        (("age", "address", "phone"), "unknown fields: address, phone"),
    ],
)
def test_consent_must_be_known_fields(db, home_sal, consent, message):
    with pytest.raises(ValidationError, match=message) as e:
        send(db, home_sal, consent_fields=consent)
    assert e.value.field == "consent_fields"
    assert db.db["referral"].count == 0


def test_every_consent_field_is_accepted(db, home_sal):
    ref = send(db, home_sal, consent_fields=referrals.CONSENT_FIELDS)
    assert ref.consent_fields == referrals.CONSENT_FIELDS


@pytest.mark.parametrize(
    "field, value",
    [("age", 26), ("age", -1), ("urgency", "asap"), ("needs", ("shelter",)), ("gender", "x")],
)
def test_snapshot_is_validated(db, home_sal, field, value):
    with pytest.raises(ValidationError) as e:
        send(db, home_sal, **{field: value})
    assert e.value.field == field


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("demo-caseworker", True),
        ("demo-admin", True),
        ("demo-coordinator", False),
        ("demo-partner", False),
    ],
)
def test_only_caseworkers_and_admins_create(db, home_sal, username, allowed):
    if allowed:
        assert send(db, home_sal, by=username).created_by == username
    else:
        with pytest.raises(PermissionDeniedError):
            send(db, home_sal, by=username)
        assert db.db["referral"].count == 0


# ---- lifecycle ------------------------------------------------------------------------------


def test_accept_then_complete(db, home_sal):
    ref = send(db, home_sal)
    accepted = move(db, ref, "accepted", by="demo-coordinator", at=NOW + timedelta(hours=2))
    assert accepted.status == "accepted"
    assert accepted.version == ref.version + 1
    assert accepted.closed_at is None
    done = move(db, accepted, "completed", by="demo-coordinator", at=NOW + timedelta(days=3))
    assert done.status == "completed"
    assert done.closed_at == NOW + timedelta(days=3)
    assert referrals.get(db, ref.id) == done
    assert referrals.allowed_moves(db, user(db, "demo-admin"), done) == frozenset()


@pytest.mark.parametrize("reason", DECLINE_REASONS)
def test_decline_with_each_coded_reason(db, home_sal, reason):
    ref = send(db, home_sal)
    declined = move(db, ref, "declined", by="demo-coordinator", reason_code=reason)
    assert declined.status == "declined"
    assert declined.decline_reason == reason
    assert declined.closed_at == NOW
    assert referrals.history(db, ref.id)[-1]["reason_code"] == reason


@pytest.mark.parametrize("reason", [None, "", "busy", "NO_CAPACITY"])
def test_decline_needs_a_coded_reason(db, home_sal, reason):
    ref = send(db, home_sal)
    with pytest.raises(ValidationError) as e:
        move(db, ref, "declined", by="demo-coordinator", reason_code=reason)
    assert e.value.field == "decline_reason"
    assert referrals.get(db, ref.id).status == "sent"
    assert len(referrals.history(db, ref.id)) == 1


def test_note_is_limited(db, home_sal):
    ref = send(db, home_sal)
    with pytest.raises(ValidationError) as e:
        move(db, ref, "accepted", by="demo-coordinator", note="x" * 501)
    assert e.value.field == "note"
    assert move(db, ref, "accepted", by="demo-coordinator", note="x" * 500).status == "accepted"


@pytest.mark.parametrize(
    "path, illegal",
    [
        (("declined",), "accepted"),
        (("declined",), "sent"),
        (("accepted", "completed"), "sent"),
        (("accepted", "completed"), "cancelled"),
        (("cancelled",), "sent"),
        (("accepted",), "declined"),
        (("accepted",), "sent"),
        ((), "completed"),  # sent straight to completed
        ((), "draft"),
        ((), "sent"),
        ((), "bogus"),
    ],
)
def test_illegal_transitions(db, home_sal, path, illegal):
    ref = send(db, home_sal)
    for to in path:
        ref = move(db, ref, to)
    events = len(referrals.history(db, ref.id))
    with pytest.raises(ValidationError) as e:
        move(db, ref, illegal)  # even the admin may not
    assert e.value.field == "status"
    assert referrals.get(db, ref.id) == ref
    assert len(referrals.history(db, ref.id)) == events


def test_draft_cannot_be_accepted(db, home_sal):
    ref = referrals.create(db, user(db, "demo-caseworker"), draft(home_sal), send=False, now=NOW)
    with pytest.raises(ValidationError) as e:
        move(db, ref, "accepted", by="demo-coordinator")
    assert e.value.field == "status"


@pytest.mark.parametrize(
    "username, to, allowed",
    [
        ("demo-caseworker", "cancelled", True),  # the sender
        ("demo-caseworker", "accepted", False),
        ("demo-caseworker", "declined", False),
        ("demo-coordinator", "accepted", True),  # coordinator of the provider
        ("demo-coordinator", "declined", True),
        ("demo-coordinator", "cancelled", False),  # only the sender cancels
        ("coord-other", "accepted", False),  # coordinator of another organisation
        ("coord-other", "declined", False),
        ("cw-same-org", "cancelled", False),  # a colleague is not the sender
        ("demo-partner", "cancelled", False),
        ("demo-partner", "accepted", False),
        ("demo-admin", "accepted", True),
        ("demo-admin", "declined", True),
        ("demo-admin", "cancelled", True),
    ],
)
def test_who_may_move_a_sent_referral(db, home_sal, username, to, allowed):
    ref = send(db, home_sal)
    actor = user(db, username)
    assert (to in referrals.allowed_moves(db, actor, ref)) is allowed
    if allowed:
        assert move(db, ref, to, by=username).status == to
        assert referrals.history(db, ref.id)[-1]["actor"] == username
    else:
        with pytest.raises(PermissionDeniedError):
            move(db, ref, to, by=username)
        assert referrals.get(db, ref.id).status == "sent"


@pytest.mark.parametrize(
    "username, moves",
    [
        ("demo-caseworker", {"cancelled"}),
        ("demo-coordinator", {"completed"}),
        ("coord-other", set()),
        ("demo-admin", {"completed", "cancelled"}),
    ],
)
def test_who_may_move_an_accepted_referral(db, home_sal, username, moves):
    ref = move(db, send(db, home_sal), "accepted", by="demo-coordinator")
    assert referrals.allowed_moves(db, user(db, username), ref) == moves


def test_only_the_provider_coordinator_may_complete(db, home_sal):
    ref = move(db, send(db, home_sal), "accepted", by="demo-coordinator")
    with pytest.raises(PermissionDeniedError):
        move(db, ref, "completed", by="coord-other")
    with pytest.raises(PermissionDeniedError):
        move(db, ref, "completed", by="demo-caseworker")
    assert move(db, ref, "completed", by="demo-coordinator").status == "completed"


def test_coordinator_of_another_provider_decides_for_theirs(db, other_sal):
    ref = send(db, other_sal)
    with pytest.raises(PermissionDeniedError):
        move(db, ref, "accepted", by="demo-coordinator")
    assert move(db, ref, "accepted", by="coord-other").status == "accepted"


# ---- history --------------------------------------------------------------------------------


def test_history_keeps_who_when_and_why_in_order(db, home_sal):
    t0, t1, t2 = NOW, NOW + timedelta(hours=1), NOW + timedelta(days=2)
    ref = referrals.create(db, user(db, "demo-caseworker"), draft(home_sal), send=False, now=t0)
    ref = move(db, ref, "sent", by="demo-caseworker", at=t0 + timedelta(minutes=5))
    ref = move(db, ref, "accepted", by="demo-coordinator", at=t1, note="bed 3 kept")
    move(db, ref, "completed", by="demo-coordinator", at=t2, note="placed")
    assert referrals.history(db, ref.id) == [
        {"at": t0.isoformat(), "actor": "demo-caseworker", "from_status": None,
         "to_status": "draft", "reason_code": None, "note": None},
        {"at": (t0 + timedelta(minutes=5)).isoformat(), "actor": "demo-caseworker",
         "from_status": "draft", "to_status": "sent", "reason_code": None, "note": None},
        {"at": t1.isoformat(), "actor": "demo-coordinator", "from_status": "sent",
         "to_status": "accepted", "reason_code": None, "note": "bed 3 kept"},
        {"at": t2.isoformat(), "actor": "demo-coordinator", "from_status": "accepted",
         "to_status": "completed", "reason_code": None, "note": "placed"},
    ]  # fmt: skip


def test_history_of_a_decline(db, home_sal):
    ref = send(db, home_sal)
    move(db, ref, "declined", by="demo-coordinator", reason_code="language", note="no Romani")
    events = referrals.history(db, ref.id)
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "sent"),
        ("sent", "declined"),
    ]
    assert events[1] | {"at": None} == {
        "at": None,
        "actor": "demo-coordinator",
        "from_status": "sent",
        "to_status": "declined",
        "reason_code": "language",
        "note": "no Romani",
    }


def test_history_is_per_referral(db, home_sal, other_sal):
    a = send(db, home_sal)
    b = send(db, other_sal, case_code="VS-2026-0143")
    move(db, a, "cancelled", by="demo-caseworker")
    assert len(referrals.history(db, a.id)) == 2
    assert len(referrals.history(db, b.id)) == 1


# ---- optimistic locking ---------------------------------------------------------------------


def test_second_writer_gets_a_conflict_and_changes_nothing(db, home_sal):
    ref = send(db, home_sal)
    seen_by_coordinator = referrals.get(db, ref.id)
    seen_by_admin = referrals.get(db, ref.id)
    move(db, seen_by_coordinator, "accepted", by="demo-coordinator")
    audit_rows = db.db["audit_log"].count
    with pytest.raises(ConflictError) as e:
        move(db, seen_by_admin, "declined", by="demo-admin", reason_code="no_capacity")
    assert (e.value.expected, e.value.actual) == (1, 2)
    stored = referrals.get(db, ref.id)
    assert stored.status == "accepted"
    assert stored.decline_reason is None
    assert stored.version == 2
    events = referrals.history(db, ref.id)
    assert [e["to_status"] for e in events] == ["sent", "accepted"]
    assert db.db["audit_log"].count == audit_rows
    # Reloading and trying again is judged against the new status.
    with pytest.raises(ValidationError):
        move(db, stored, "declined", by="demo-admin")


# ---- who sees which referrals -------------------------------------------------------------


def test_visible_to_each_role(db, home_sal, other_sal):
    mine = send(db, home_sal, by="demo-caseworker")
    colleague = send(db, other_sal, by="cw-same-org", case_code="VS-2026-0150")
    outsider = send(db, other_sal, by="cw-outsider", case_code="CV-2026-0001")
    lone = send(db, other_sal, by="cw-lone-a", case_code="B-2026-7")

    def seen(username: str) -> set[str]:
        return {r.id for r in referrals.visible_to(db, user(db, username))}

    assert seen("demo-caseworker") == {mine.id, colleague.id}
    assert seen("cw-same-org") == {mine.id, colleague.id}
    assert seen("cw-outsider") == {outsider.id}
    # No organisation: only one's own, never every organisation-less referral.
    assert seen("cw-lone-a") == {lone.id}
    assert seen("cw-lone-b") == set()
    # Coordinators see what comes in to their organisation's services.
    assert seen("demo-coordinator") == {mine.id}
    assert seen("coord-other") == {colleague.id, outsider.id, lone.id}
    assert seen("demo-partner") == set()
    assert seen("demo-admin") == {mine.id, colleague.id, outsider.id, lone.id}


def test_visible_to_orders_by_due_date(db, home_sal):
    routine = send(db, home_sal, urgency="routine")
    emergency = send(db, home_sal, urgency="emergency", at=NOW + timedelta(hours=1))
    urgent = send(db, home_sal, urgency="urgent")
    shown = [r.id for r in referrals.visible_to(db, user(db, "demo-admin"))]
    assert shown == [emergency.id, urgent.id, routine.id]


# ---- overdue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, offset, overdue",
    [
        ((), timedelta(seconds=1), True),
        ((), timedelta(0), False),  # due exactly now is not yet late
        ((), -timedelta(hours=1), False),
        (("accepted",), timedelta(days=5), False),
        (("declined",), timedelta(days=5), False),
        (("accepted", "completed"), timedelta(days=5), False),
        (("cancelled",), timedelta(days=5), False),
    ],
)
def test_is_overdue(db, home_sal, path, offset, overdue):
    ref = send(db, home_sal)
    for to in path:
        ref = move(db, ref, to)
    assert referrals.is_overdue(ref, now=ref.due_at + offset) is overdue


def test_unsent_draft_past_due_is_overdue(db, home_sal):
    ref = referrals.create(db, user(db, "demo-caseworker"), draft(home_sal), send=False, now=NOW)
    assert referrals.is_overdue(ref, now=NOW + timedelta(days=2))


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
    assert audit.verify(db.db).ok


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
    closed_recently = move(db, send(db, home_sal, at=old), "declined", at=recent)
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
    assert audit.verify(db.db).ok

    # Nothing more to purge: no new audit row.
    assert referrals.purge(db, 365, now=NOW) == 0
    assert db.db["audit_log"].count == audit_before + 1
    # A shorter retention takes the recently closed one too, never the open ones.
    assert referrals.purge(db, 0, now=NOW) == 1
    assert {r["id"] for r in db.db["referral"].rows} == {open_old.id, accepted_old.id}
    assert audit.verify(db.db).ok


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
        "languages": "find.languages", "service": "col.service",
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
    ref = send(db, home_sal, reasons=("<img src=x onerror=alert(2)>", "Locuri disponibile."))
    provider = service_details(db, [home_sal]).iloc[0].to_dict()
    html = sheet_html(ref, provider, _labels())

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "Call &amp; ask for &lt;b&gt;intake&lt;/b&gt;" in html
    assert CASE in html
    assert "Locuri disponibile." in html
    assert translate("type.shelter_emergency", "ro") in html
    assert ref.due_at.strftime("%Y-%m-%d %H:%M") in html
    # Nothing that could point at the child: no gender, origin or caseworker.
    for identifying in ("female", "161945", "46.63811", "27.72913", "demo-caseworker"):
        assert identifying not in html, identifying
    assert html.startswith("<!doctype html>") and html.endswith("</html>")


def test_sheet_escapes_a_hostile_label_and_shows_dashes_for_blanks(db, home_sal):
    ref = send(db, home_sal, languages=())
    labels = _labels("en") | {"title": "<i>Referral</i>"}
    html = sheet_html(ref, {}, labels)
    assert "<i>" not in html and "&lt;i&gt;Referral&lt;/i&gt;" in html
    assert "—" in html
    assert "Emergency shelter" in html
