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
from directory.referrals.case_codes import check_case_code
from directory.referrals.consent import CONSENT_FIELDS, apply_consent  # noqa: F401 (re-exported)
from directory.storage import audit
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
    reasons: tuple[str, ...]
    consent_fields: tuple[str, ...]
    origin_siruta: int | None = None
    origin_latitude: float | None = None
    origin_longitude: float | None = None
    age_band: str | None = None  # derived from the age when not given
    reason_keys: tuple[str, ...] = ()  # the reasons' keys, to drop those consent withholds


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
        origin_latitude=draft.origin_latitude,
        origin_longitude=draft.origin_longitude,
        sent_at=now if send else None,
    )
    with store.db.atomic():
        store.insert(referral, actor=user.username)
        _event(store, referral.id, user.username, None, status, None, None, now)
    return referral


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
    with store.db.atomic():
        saved = store.update(referral.replace(**changes), actor=user.username, reason=reason_code)
        _event(store, referral.id, user.username, referral.status, to, reason_code, note, now)
    return saved


def _event(
    store: Store,
    referral_id: str,
    actor: str,
    from_status: str | None,
    to_status: str,
    reason_code: str | None,
    note: str | None,
    at: datetime,
) -> None:
    store.db["referral_event"].insert(
        {
            "referral_id": referral_id,
            "at": at.isoformat(),
            "actor": actor,
            "from_status": from_status,
            "to_status": to_status,
            "reason_code": reason_code,
            "note": note,
        }
    )


def history(store: Store, referral_id: str) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            "SELECT at, actor, from_status, to_status, reason_code, note FROM referral_event "
            "WHERE referral_id = ? ORDER BY id",
            [referral_id],
        )
    )


def visible_to(store: Store, user: User) -> list[Referral]:
    """A caseworker's own and organisation's referrals; a coordinator's incoming; all for admin."""
    base = "SELECT r.* FROM referral r"
    if user.role == "admin":
        rows = store.db.query(base + " ORDER BY r.due_at, r.id")
    elif user.role == "caseworker":
        rows = store.db.query(
            base + " WHERE r.created_by = ? OR (r.organization_id IS NOT NULL AND "
            "r.organization_id = ?) ORDER BY r.due_at, r.id",
            [user.username, user.organization_id],
        )
    elif user.role == "coordinator":
        rows = store.db.query(
            base + " JOIN service_at_location sal ON sal.id = r.service_at_location_id "
            "JOIN service s ON s.id = sal.service_id WHERE s.organization_id = ? "
            "ORDER BY r.due_at, r.id",
            [user.organization_id],
        )
    else:
        return []
    return [Referral.from_row(r) for r in rows]


def is_overdue(referral: Referral, now: datetime | None = None) -> bool:
    return referral.status in ("draft", "sent") and referral.due_at < (now or now_utc())


def tried_services(store: Store, case_code: str) -> set[str]:
    """Every service already referred to for this case, so next-best skips them."""
    rows = store.db.execute(
        "SELECT service_at_location_id FROM referral WHERE case_code = ?", [case_code]
    )
    return {r[0] for r in rows}


def service_type_of(store: Store, referral: Referral) -> str | None:
    """The type of the service a referral went to, or None if it has since been removed."""
    row = store.db.execute(
        "SELECT s.service_type FROM service_at_location sal JOIN service s "
        "ON s.id = sal.service_id WHERE sal.id = ?",
        [referral.service_at_location_id],
    ).fetchone()
    return row[0] if row else None


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
    cutoff = (now - timedelta(days=retention_days)).isoformat()
    with store.db.atomic():
        ids = [
            r[0]
            for r in store.db.execute(
                "SELECT id FROM referral WHERE status IN ('declined', 'completed', 'cancelled') "
                "AND closed_at < ? ORDER BY id",
                [cutoff],
            )
        ]
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        store.db.execute(f"DELETE FROM referral_event WHERE referral_id IN ({marks})", ids)
        store.db.execute(f"DELETE FROM referral WHERE id IN ({marks})", ids)
        audit.append(
            store.db,
            [
                audit.AuditEntry(
                    "system", "purge", "referral", None, {"ids": ids}, None,
                    f"closed before {cutoff[:10]}, retention {retention_days} days",
                )
            ],
            key=store.audit_key,
        )  # fmt: skip
    return len(ids)


def get(store: Store, referral_id: str) -> Referral:
    try:
        return store.get(Referral, referral_id)
    except NotFoundError:
        raise NotFoundError(f"No referral {referral_id!r}; it may have been purged.") from None
