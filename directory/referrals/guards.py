"""Guards against accidental changes: no duplicate referrals, no one-click destructive moves.

A case code goes to a service once while a referral there is open; a cancel or a decline
needs its reason and an explicit confirmation. The pages ask; these functions decide.
"""

from __future__ import annotations

from directory.errors import DuplicateReferralError
from directory.models import Referral, User
from directory.storage.referral_rows import ReferralEvent
from directory.storage.store import Store

# Changes that end a referral for good: they ask for a reason and a confirmation.
DESTRUCTIVE = frozenset({"cancelled", "declined"})


def normal_case_code(case_code: str) -> str:
    """The case code as stored: trimmed and in capitals."""
    return case_code.strip().upper()


def open_referral_for(store: Store, case_code: str, service_at_location_id: str) -> Referral | None:
    """The open referral (draft, sent or accepted) of this case to this service, if any."""
    return store.open_referral_for(normal_case_code(case_code), service_at_location_id)


def ensure_not_duplicate(store: Store, case_code: str, service_at_location_id: str) -> None:
    """Raise DuplicateReferralError when this case already has an open referral there."""
    existing = open_referral_for(store, case_code, service_at_location_id)
    if existing is not None:
        raise DuplicateReferralError(existing.id)


def case_status_by_service(store: Store, case_code: str) -> dict[str, str]:
    """For a case code: each service it was referred to and the mark to show there.

    "open" when a referral there is still open, else "declined" when one was declined;
    services whose referrals were only cancelled or completed are not marked.
    """
    marks: dict[str, str] = {}
    for sal_id, statuses in store.referral_statuses_for_case(normal_case_code(case_code)).items():
        if any(s in ("draft", "sent", "accepted") for s in statuses):
            marks[sal_id] = "open"
        elif "declined" in statuses:
            marks[sal_id] = "declined"
    return marks


def missing_for_change(
    to: str | None, *, reason_code: str | None, note: str | None, confirmed: bool
) -> str | None:
    """What a status change still lacks, as an error key field, or None when it may go ahead.

    No status chosen -> "choose_status"; a decline without its coded reason -> "decline_reason";
    a cancel without a written reason -> "cancel_reason"; either without the confirmation
    box ticked -> "confirm".
    """
    if not to:
        return "choose_status"
    if to == "declined" and not reason_code:
        return "decline_reason"
    if to == "cancelled" and not (note or "").strip():
        return "cancel_reason"
    if to in DESTRUCTIVE and not confirmed:
        return "confirm"
    return None


def note_resend(store: Store, user: User, referral: Referral, reason: str) -> None:
    """Keep why a case was sent again to a service that had declined it, in its history."""
    note = reason.strip()[:500]
    store.add_referral_event(
        ReferralEvent(referral.id, referral.sent_at or referral.due_at, user.username,
                      referral.status, referral.status, None, note)
    )  # fmt: skip
