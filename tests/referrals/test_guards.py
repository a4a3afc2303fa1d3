"""No duplicates and no one-click destructive changes (issue 15 items 3 and 4)."""

from __future__ import annotations

import pytest

from directory.errors import DuplicateReferralError
from directory.referrals import guards
from directory.referrals import workflow as referrals

from .conftest import CASE, move, send, user


def test_an_open_referral_blocks_a_second_one_and_names_it(db, home_sal):
    first = send(db, home_sal)
    before = db.db["referral"].count
    with pytest.raises(DuplicateReferralError) as caught:
        send(db, home_sal, case_code=" vs-2026-0142 ")  # the same code, typed differently
    assert caught.value.existing_id == first.id
    assert db.db["referral"].count == before  # nothing was written


def test_accepted_still_blocks_but_closed_ones_do_not(db, home_sal):
    first = move(db, send(db, home_sal), "accepted", by="demo-coordinator")
    with pytest.raises(DuplicateReferralError):
        send(db, home_sal)
    move(db, first, "completed", by="demo-coordinator")
    again = send(db, home_sal)  # a new episode once the earlier one closed
    assert again.status == "sent"


def test_another_case_or_service_is_not_a_duplicate(db, home_sal, other_sal):
    send(db, home_sal)
    assert send(db, other_sal).status == "sent"
    assert send(db, home_sal, case_code="VS-2026-0143").status == "sent"


def test_case_marks_show_open_and_declined_services(db, home_sal, other_sal):
    assert guards.case_status_by_service(db, CASE) == {}
    declined = move(db, send(db, home_sal), "declined", by="demo-coordinator")
    send(db, other_sal)
    marks = guards.case_status_by_service(db, CASE.lower())
    assert marks == {home_sal: "declined", other_sal: "open"}
    assert guards.open_referral_for(db, CASE, home_sal) is None
    assert declined.decline_reason == "no_capacity"
    # Cancelled referrals are not marked: the caseworker withdrew them.
    other = guards.open_referral_for(db, CASE, other_sal)
    move(db, other, "cancelled", by="demo-caseworker", note="sent by mistake")
    assert guards.case_status_by_service(db, CASE) == {home_sal: "declined"}


@pytest.mark.parametrize(
    ("to", "reason", "note", "confirmed", "missing"),
    [
        (None, None, None, False, "choose_status"),
        ("accepted", None, None, False, None),
        ("declined", None, None, True, "decline_reason"),
        ("declined", "no_capacity", None, False, "confirm"),
        ("declined", "no_capacity", None, True, None),
        ("cancelled", None, "  ", True, "cancel_reason"),
        ("cancelled", None, "sent twice", False, "confirm"),
        ("cancelled", None, "sent twice", True, None),
    ],
)
def test_a_destructive_change_needs_its_reason_and_a_confirmation(
    to, reason, note, confirmed, missing
):
    assert (
        guards.missing_for_change(to, reason_code=reason, note=note, confirmed=confirmed) == missing
    )


def test_tried_services_still_lists_every_service_for_next_best(db, home_sal, other_sal):
    move(db, send(db, home_sal), "declined", by="demo-coordinator")
    send(db, other_sal)
    assert referrals.tried_services(db, CASE) == {home_sal, other_sal}


def test_a_resend_reason_is_kept_in_the_history(db, home_sal):
    move(db, send(db, home_sal), "declined", by="demo-coordinator")
    again = send(db, home_sal)  # allowed: the earlier one is closed
    guards.note_resend(db, user(db, "demo-caseworker"), again, "  places free again  ")
    events = referrals.history(db, again.id)
    assert [(e["to_status"], e["note"]) for e in events] == [
        ("sent", None),
        ("sent", "places free again"),
    ]
