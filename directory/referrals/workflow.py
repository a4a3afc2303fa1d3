"""Referrals: create, send, accept or decline with a coded reason, complete, cancel, purge.

A referral holds a case code and the needs, never the child's identity. Every status change
keeps who, when and why in ``referral_event``; the audit log records that it happened.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from directory.access.disclosure import sees_exact
from directory.errors import NotFoundError, PermissionDeniedError, ValidationError
from directory.models import Location, Referral, Service, ServiceAtLocation, User
from directory.reasons import Reason
from directory.referrals import guards
from directory.referrals.case_codes import check_case_code
from directory.referrals.consent import CONSENT_FIELDS, apply_consent  # noqa: F401 (re-exported)
from directory.storage import audit
from directory.storage.referral_rows import EventRow, ReferralEvent
from directory.storage.store import Store
from directory.vocab import DECLINE_REASONS

DUE_AFTER = {
    "emergency": timedelta(hours=24),
    "urgent": timedelta(hours=72),
    "routine": timedelta(days=14),
}
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"sent", "cancelled"}),
    "sent": frozenset({"accepted", "declined", "cancelled"}),
    "accepted": frozenset({"completed", "cancelled"}),
    "declined": frozenset(),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
CLOSED = frozenset({"declined", "completed", "cancelled"})
# Which side of a referral may make each change: the sender's or the provider's.
PROVIDER_MOVES = frozenset({"accepted", "declined", "completed"})
SENDER_MOVES = frozenset({"sent", "cancelled"})


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def due_at(urgency: str, sent: datetime) -> datetime:
    """Emergency 24 h, urgent 72 h, routine 14 days after sending."""
    if urgency not in DUE_AFTER:
        raise ValidationError("urgency", f"{urgency!r} is not one of {', '.join(DUE_AFTER)}")
    return sent + DUE_AFTER[urgency]


@dataclass(frozen=True)
class Draft:
    """What the caseworker confirms before sending; validated by the Referral model."""

    case_code: str
    service_at_location_id: str
    needs: tuple[str, ...]
    age: int | None
    urgency: str
    gender: str | None
    languages: tuple[str, ...]
    requirements: tuple[str, ...]
    max_km: float
    score: float
    reasons: tuple[Reason, ...]
    consent_fields: tuple[str, ...]
    origin_siruta: int | None = None
    age_band: str | None = None  # derived from the age when not given


def create(
    store: Store, user: User, draft: Draft, *, send: bool = True, now: datetime | None = None
) -> Referral:
    """Save a referral (sent at once unless ``send`` is False) with its first event."""
    if user.role not in ("caseworker", "admin"):
        raise PermissionDeniedError("Only caseworkers send referrals.")
    # Consent is enforced here, the one entry point, whatever the form sent.
    draft = apply_consent(draft)
    now = now or now_utc()
    store.get(ServiceAtLocation, draft.service_at_location_id)  # NotFoundError if it vanished
    guards.ensure_not_duplicate(store, draft.case_code, draft.service_at_location_id)
    status = "sent" if send else "draft"
    referral = Referral(
        id=str(uuid.uuid4()),
        case_code=check_case_code(draft.case_code),
        service_at_location_id=draft.service_at_location_id,
        urgency=draft.urgency,
        needs=draft.needs,
        age=draft.age,
        age_band=draft.age_band,
        created_by=user.username,
        due_at=due_at(draft.urgency, now),
        gender=draft.gender,
        languages=draft.languages,
        status=status,
        score=round(draft.score, 4),
        reasons=draft.reasons,
        consent_fields=draft.consent_fields,
        organization_id=user.organization_id,
        requirements=draft.requirements,
        max_km=draft.max_km,
        origin_siruta=draft.origin_siruta,
        sent_at=now if send else None,
    )
    return store.insert_referral(
        referral, ReferralEvent(referral.id, now, user.username, None, status)
    )


def provider_organization(store: Store, referral: Referral) -> str:
    link = store.get(ServiceAtLocation, referral.service_at_location_id)
    return store.get(Service, link.service_id).organization_id


def allowed_moves(store: Store, user: User, referral: Referral) -> frozenset[str]:
    """The statuses ``user`` may move this referral to now."""
    possible = TRANSITIONS[referral.status]
    if user.role == "admin":
        return possible
    moves: set[str] = set()
    if user.username == referral.created_by:
        moves |= possible & SENDER_MOVES
    if user.role == "coordinator" and user.organization_id == provider_organization(
        store, referral
    ):
        moves |= possible & PROVIDER_MOVES
    return frozenset(moves)


def change_status(
    store: Store,
    user: User,
    referral: Referral,
    to: str,
    *,
    reason_code: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> Referral:
    """Move a referral on; ``referral.version`` must be the loaded one (optimistic lock)."""
    now = now or now_utc()
    if to not in TRANSITIONS.get(referral.status, ()):
        raise ValidationError("status", f"a {referral.status} referral cannot become {to}")
    if to not in allowed_moves(store, user, referral):
        raise PermissionDeniedError(f"{user.username} may not mark this referral {to}.")
    if to == "declined" and reason_code not in DECLINE_REASONS:
        raise ValidationError("decline_reason", "choose why the referral is declined")
    if note and len(note) > 500:
        raise ValidationError("note", "keep the note under 500 characters")
    changes: dict[str, Any] = {"status": to}
    if to == "declined":
        changes["decline_reason"] = reason_code
    if to == "sent":
        changes |= {"sent_at": now, "due_at": due_at(referral.urgency, now)}
    if to in CLOSED:
        changes["closed_at"] = now
    event = ReferralEvent(referral.id, now, user.username, referral.status, to, reason_code, note)
    return store.save_referral_change(referral.replace(**changes), event, reason=reason_code)


def history(store: Store, referral_id: str) -> list[EventRow]:
    """The status changes of one referral, oldest first."""
    return store.referral_history(referral_id)


def visible_to(store: Store, user: User) -> list[Referral]:
    """A caseworker's own and organisation's referrals; a coordinator's incoming; all for admin."""
    return store.referrals_visible_to(user)


def is_overdue(referral: Referral, now: datetime | None = None) -> bool:
    return referral.status in ("draft", "sent") and referral.due_at < (now or now_utc())


def tried_services(store: Store, case_code: str) -> set[str]:
    """Every service already referred to for this case, so next-best skips them."""
    return store.tried_services(case_code)


def service_type_of(store: Store, referral: Referral) -> str | None:
    """The type of the service a referral went to, or None if it has since been removed."""
    return store.service_type_of_link(referral.service_at_location_id)


def reveal_for_referral(store: Store, user: User, referral: Referral) -> Location:
    """The exact location of an accepted referral, for its sender only; the reveal is logged."""
    link = store.get(ServiceAtLocation, referral.service_at_location_id)
    location = store.get(Location, link.location_id)
    accepted = referral.status in ("accepted", "completed")
    if user.username != referral.created_by or not sees_exact(
        user.role, location.disclosure, accepted_referral=accepted
    ):
        raise PermissionDeniedError("The exact address is shown once the provider accepts.")
    store.log(
        audit.AuditEntry(
            user.username,
            "reveal",
            "location",
            location.id,
            reason=f"accepted referral {referral.id}",
        )
    )
    return location


def purge(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete closed referrals older than the retention period; the log keeps only their ids."""
    now = now or now_utc()
    cutoff = now - timedelta(days=retention_days)
    reason = f"closed before {cutoff.date().isoformat()}, retention {retention_days} days"
    return len(store.purge_closed_referrals(cutoff, reason))


def get(store: Store, referral_id: str) -> Referral:
    try:
        return store.get(Referral, referral_id)
    except NotFoundError:
        raise NotFoundError(f"No referral {referral_id!r}; it may have been purged.") from None
