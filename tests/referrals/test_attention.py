"""Each role's attention counts: awaiting answer or declined, and overdue."""

from __future__ import annotations

from datetime import timedelta

from directory.referrals import workflow as referrals
from directory.referrals.attention import Attention, attention_for

from .conftest import NOW, move, send, user


def test_the_receiver_counts_awaiting_and_overdue(db, home_sal, other_sal):
    coordinator = user(db, "demo-coordinator")
    assert attention_for(db, coordinator, NOW) == Attention(0, 0)
    send(db, home_sal, urgency="emergency", at=NOW - timedelta(hours=30))  # 24 h: overdue
    send(db, home_sal, urgency="routine", case_code="VS-2026-0143")
    send(db, other_sal, case_code="VS-2026-0144")  # another organisation's service
    assert attention_for(db, coordinator, NOW) == Attention(new=2, overdue=1)


def test_the_sender_counts_declined_until_sent_on(db, home_sal, other_sal):
    caseworker = user(db, "demo-caseworker")
    first = send(db, home_sal, at=NOW - timedelta(hours=2))
    assert attention_for(db, caseworker, NOW) == Attention(0, 0)
    move(db, first, "declined", by="demo-coordinator", at=NOW - timedelta(hours=1))
    assert attention_for(db, caseworker, NOW) == Attention(new=1, overdue=0)
    assert attention_for(db, user(db, "cw-outsider"), NOW) == Attention(0, 0)  # not theirs
    send(db, other_sal, at=NOW)  # sent on to the next service
    assert attention_for(db, caseworker, NOW) == Attention(0, 0)
    assert attention_for(db, caseworker, NOW + timedelta(hours=25)) == Attention(0, 1)


def test_the_referrals_behind_the_counts_are_the_ones_opened_first(db, home_sal, other_sal):
    from directory.referrals.attention import attention_for, needing_attention

    caseworker, coordinator = user(db, "demo-caseworker"), user(db, "demo-coordinator")
    waiting = send(db, other_sal)
    declined = move(db, send(db, home_sal), "declined", by="demo-coordinator")
    mine = referrals.visible_to(db, caseworker)
    assert needing_attention(caseworker, mine, NOW) == [declined.id]
    assert attention_for(db, caseworker, NOW).new == 1
    incoming = referrals.visible_to(db, coordinator)
    assert needing_attention(coordinator, incoming, NOW) == []  # declined: answered
    assert waiting.id not in {r.id for r in incoming}
