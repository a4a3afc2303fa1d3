"""Referrals: who sees which, and which are overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from directory.referrals import workflow as referrals

from .conftest import NOW, draft, move, send, user

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
    # Three cases: one case code has one open referral per service.
    routine = send(db, home_sal, urgency="routine", case_code="VS-2026-0001")
    emergency = send(
        db, home_sal, urgency="emergency", at=NOW + timedelta(hours=1), case_code="VS-2026-0002"
    )
    urgent = send(db, home_sal, urgency="urgent", case_code="VS-2026-0003")
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
