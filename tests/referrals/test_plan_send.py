"""Sending a whole care plan at once (issue 15 item 2): all or nothing, each referral its own."""

from __future__ import annotations

import pytest

from directory.errors import PlanDuplicateError, ValidationError
from directory.referrals.case_codes import CaseCodeError
from directory.referrals.plan_send import plan_drafts, send_plan
from matching.needs import Needs
from matching.rank import Match

from .conftest import CASE, NOW, REASONS, move, send, user

NEEDS = Needs(
    latitude=46.64, longitude=27.73, age=15, gender="female", languages=("ro", "rom"),
    needs=("shelter_emergency", "legal_aid", "psychological_counselling"), urgency="emergency",
)  # fmt: skip


def three_services(db) -> list[tuple[str, str, str]]:
    """(service-at-location id, type, service name) of one public service of each plan need."""
    out = []
    for need in NEEDS.needs:
        row = db.db.execute(
            "SELECT sal.id, s.service_type, s.name FROM service_at_location sal "
            "JOIN service s ON s.id = sal.service_id WHERE s.service_type = ? "
            "ORDER BY sal.id LIMIT 1",
            [need],
        ).fetchone()
        out.append(tuple(row))
    return out


def match(sal: str, service_type: str) -> Match:
    return Match(sal, service_type, 0.8, 12.0, 20.0, REASONS, (), 0)


def drafts(db, chosen=None, code=CASE, consent=("age",)):
    services = three_services(db) if chosen is None else chosen
    return plan_drafts(
        NEEDS, [match(sal, kind) for sal, kind, _ in services],
        case_code=code, consent_fields=consent, origin_siruta=161945,
    )  # fmt: skip


def counts(db) -> tuple[int, int, int]:
    return (
        db.db["referral"].count,
        db.db["referral_event"].count,
        db.db.execute("SELECT count(*) FROM audit_log WHERE entity = 'referral'").fetchone()[0],
    )


def test_one_send_creates_one_referral_per_service_each_audited(db):
    caseworker = user(db, "demo-caseworker")
    before = counts(db)
    sent = send_plan(db, caseworker, drafts(db), now=NOW)
    assert len(sent) == 3 and len({r.id for r in sent}) == 3
    assert {r.case_code for r in sent} == {CASE}
    assert all(r.status == "sent" for r in sent)
    after = counts(db)
    assert after == (before[0] + 3, before[1] + 3, before[2] + 3)
    # Each referral has its own status: declining one leaves the others sent.
    move(db, sent[1], "declined")
    statuses = dict(db.db.execute("SELECT id, status FROM referral").fetchall())
    assert [statuses[r.id] for r in sent] == ["sent", "declined", "sent"]


def test_consent_applies_to_every_referral_and_nothing_else_travels(db):
    sent = send_plan(db, user(db, "demo-caseworker"), drafts(db, consent=("age",)), now=NOW)
    assert {r.age for r in sent} == {15}
    assert {r.gender for r in sent} == {None}
    assert {r.languages for r in sent} == {()}
    assert {r.origin_siruta for r in sent} == {None}


def test_a_need_left_out_is_neither_sent_nor_listed(db):
    services = three_services(db)
    chosen = [services[0], services[2]]  # legal aid unticked
    sent = send_plan(db, user(db, "demo-caseworker"), drafts(db, chosen), now=NOW)
    assert [r.service_at_location_id for r in sent] == [services[0][0], services[2][0]]
    assert {r.needs for r in sent} == {("shelter_emergency", "psychological_counselling")}


def test_a_duplicate_blocks_the_whole_plan_and_names_the_service(db):
    services = three_services(db)
    existing = send(db, services[1][0])
    before = counts(db)
    with pytest.raises(PlanDuplicateError) as caught:
        send_plan(db, user(db, "demo-caseworker"), drafts(db, code=" vs-2026-0142 "), now=NOW)
    assert caught.value.duplicates == ((services[1][2], existing.id),)
    assert services[1][2] in str(caught.value)
    assert counts(db) == before  # nothing written, not even the other two


def test_a_failure_midway_rolls_back_every_referral(db):
    services = three_services(db)
    gone = [*services[:2], ("no-such-service", "medical", "?")]
    before = counts(db)
    with pytest.raises(Exception, match="no-such-service|service_at_location"):
        send_plan(db, user(db, "demo-caseworker"), drafts(db, gone), now=NOW)
    assert counts(db) == before


def test_bad_input_is_refused_before_anything_is_written(db):
    caseworker = user(db, "demo-caseworker")
    before = counts(db)
    with pytest.raises(ValidationError) as nothing:
        drafts(db, chosen=[])
    assert nothing.value.field == "plan"
    with pytest.raises(CaseCodeError):
        send_plan(db, caseworker, drafts(db, code="Ana Popescu"), now=NOW)
    twice = three_services(db)[:1] * 2
    with pytest.raises(ValidationError) as repeated:
        send_plan(db, caseworker, drafts(db, twice), now=NOW)
    assert repeated.value.field == "plan"
    assert counts(db) == before


def test_only_caseworkers_send_a_plan(db):
    from directory.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        send_plan(db, user(db, "demo-coordinator"), drafts(db), now=NOW)
    assert db.db["referral"].count == 0


def test_why_a_declined_service_is_sent_again_is_kept_in_its_history(db):
    services = three_services(db)
    declined = move(db, send(db, services[0][0]), "declined")
    notes = {services[0][0]: "a bed was freed, the coordinator phoned"}
    sent = send_plan(db, user(db, "demo-caseworker"), drafts(db), resend_notes=notes, now=NOW)
    again = next(r for r in sent if r.service_at_location_id == services[0][0])
    assert again.id != declined.id
    notes_kept = db.db.execute(
        "SELECT referral_id, note FROM referral_event WHERE note IS NOT NULL"
    ).fetchall()
    assert [tuple(n) for n in notes_kept] == [(again.id, notes[services[0][0]])]
