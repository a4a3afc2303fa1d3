"""Referrals: due dates, case codes and consent, the lifecycle, rights, history, locking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from directory.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from directory.referrals import workflow as referrals
from directory.vocab import DECLINE_REASONS

from .conftest import NOW, REASONS, draft, move, send, user

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
    # The distance and the language reveal what was not consented to: only capacity stays.
    assert stored.reasons == (REASONS[2],)
    assert stored.consent_fields == ("age", "gender")
    assert stored.age_band == "15-17"
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
        ("DGASPC-IS/1234/2026/0001/0002/0003/00045",) * 2,  # 40 characters, the longest
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
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
        "DGASPC-IS/1234/2026/0001/0002/0003/000456",  # too long
        "-VS-2026",  # must start with a letter or digit
        "VS_2026_01",
        "",
    ],
)
def test_invalid_case_codes(db, home_sal, code):
    with pytest.raises(ValidationError) as e:
        send(db, home_sal, case_code=code)
    assert e.value.field == "case_code"
    assert "never a name" in str(e.value) or "VS-2026-0142" in str(e.value)
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


def test_service_type_of_a_referral(db, home_sal):
    ref = send(db, home_sal)
    assert referrals.service_type_of(db, ref) == "shelter_emergency"
