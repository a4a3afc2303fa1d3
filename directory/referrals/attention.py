"""What needs each role's attention now: counts for the sidebar and the sign-in notice.

The receiver (a coordinator) is waiting on its answer to sent referrals; the sender (a
caseworker) on declined ones not yet sent on elsewhere. Both see the overdue ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.models import Referral, User
from directory.referrals.workflow import is_overdue, now_utc
from directory.storage.store import Store


@dataclass(frozen=True)
class Attention:
    """``new``: awaiting an answer (receiver) or declined and not sent on (sender)."""

    new: int
    overdue: int

    @property
    def any(self) -> bool:
        return bool(self.new or self.overdue)


def _followed_up(declined: Referral, items: list[Referral]) -> bool:
    """True when the same case was sent somewhere after this referral was declined."""
    closed = declined.closed_at or declined.due_at
    return any(
        r.case_code == declined.case_code and r.id != declined.id and (r.sent_at or closed) > closed
        for r in items
    )


def attention_for(store: Store, user: User, now: datetime | None = None) -> Attention:
    """The counts for ``user``'s role; zero for roles that neither send nor receive."""
    now = now or now_utc()
    items = store.referrals_visible_to(user)
    if user.role == "caseworker":
        mine = [r for r in items if r.created_by == user.username]
        declined = [r for r in mine if r.status == "declined" and not _followed_up(r, mine)]
        return Attention(len(declined), sum(is_overdue(r, now) for r in mine))
    if user.role in ("coordinator", "admin"):
        return Attention(
            sum(r.status == "sent" for r in items), sum(is_overdue(r, now) for r in items)
        )
    return Attention(0, 0)


def needing_attention(user: User, items: list[Referral], now: datetime | None = None) -> list[str]:
    """The ids of the referrals behind ``user``'s counts, in the order of ``items``.

    The Referrals page opens the first of them, so the count's link lands on what it counted.
    """
    now = now or now_utc()
    if user.role == "caseworker":
        mine = [r for r in items if r.created_by == user.username]
        return [
            r.id
            for r in mine
            if (r.status == "declined" and not _followed_up(r, mine)) or is_overdue(r, now)
        ]
    if user.role in ("coordinator", "admin"):
        return [r.id for r in items if r.status == "sent" or is_overdue(r, now)]
    return []
