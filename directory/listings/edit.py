"""Who may edit what, and the edits themselves: save, verify, capacity, (de)activate, and
the three-way merge of a stale save (duplicates merge in merge.py).

Every write goes through ``Store.update``/``insert``: one transaction with its audit row, and
a ConflictError when someone saved the record since it was loaded.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TypeVar, cast

from directory.errors import PermissionDeniedError, ValidationError
from directory.listings.validation import Problems, check_capacity
from directory.models import Location, Model, Organization, Service, User
from directory.storage.store import Store

M = TypeVar("M", bound=Model)
_BOOKKEEPING = {"version", "is_demo"}


class FormInvalidError(ValidationError):
    """Some fields hold values a listing does not accept; ``problems`` names each one."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        name, first = next(iter(problems.items()))
        super().__init__(name, first.text("en"))


def editable_organizations(store: Store, user: User) -> set[str] | None:
    """Organisations ``user`` may edit; None means all (an admin)."""
    if user.role == "admin":
        return None
    if user.role != "coordinator":
        return set()
    own = {user.organization_id} if user.organization_id else set()
    return own | store.assigned_organizations(user.username)


def may_edit(store: Store, user: User, organization_id: str) -> bool:
    allowed = editable_organizations(store, user)
    return allowed is None or organization_id in allowed


Owned = Location | Service  # records that belong to one organisation


def _require(store: Store, user: User, record: Model) -> None:
    org = record.id if isinstance(record, Organization) else cast(Owned, record).organization_id
    if not may_edit(store, user, org):
        raise PermissionDeniedError(f"{user.username} may not edit organisation {org}.")


def create(store: Store, user: User, record: M, *, also: tuple[Model, ...] = ()) -> M:
    """Insert a new record (and ``also``, e.g. its service_at_location) in one transaction.

    A coordinator who creates an organisation is assigned to it, so they can go on editing it.
    """
    if isinstance(record, Organization):
        if user.role not in ("admin", "coordinator"):
            raise PermissionDeniedError(f"{user.username} may not create organisations.")
    else:
        _require(store, user, record)
    with store.transaction():
        store.insert(record, actor=user.username)
        for extra in also:
            store.insert(extra, actor=user.username)
        if isinstance(record, Organization) and user.role == "coordinator":
            store.assign(user.username, record.id, actor=user.username)
    return record


def save(store: Store, user: User, record: M, reason: str | None = None) -> M:
    """Save an edited record loaded at ``record.version``; raises ConflictError if stale."""
    _require(store, user, record)
    current = store.get(type(record), record.id)  # type: ignore[attr-defined]
    _require(store, user, current)  # moving a record out of an organisation needs both rights
    return store.update(record, actor=user.username, reason=reason)


def set_active(store: Store, user: User, record: M, active: bool) -> M:
    """Deactivate or reactivate an organisation, location or service; nothing is deleted."""
    changed: M = (
        record.replace(status="active" if active else "inactive")
        if isinstance(record, Service)
        else record.replace(active=active)
    )
    return save(store, user, changed, reason="reactivate" if active else "deactivate")


def verify(store: Store, user: User, service_id: str, today: date) -> Service:
    """Record that ``user`` checked the listing today: assurer and date, nothing else."""
    service = store.get(Service, service_id)
    return save(
        store, user, service.replace(assured_date=today, assurer=user.username), reason="verify"
    )


def set_capacity(
    store: Store,
    actor: User | str,
    service_id: str,
    status: str,
    available: int | None,
    total: int | None,
    as_of: date,
    reason: str = "capacity",
) -> Service:
    """Set a service's capacity report; only the four capacity fields change.

    ``actor`` is a user (checked against their organisations) or, for a provider's
    self-update link, the link's audit name (the link itself was checked by the caller).
    """
    problems = check_capacity(status, available, total, as_of)
    if problems:
        raise FormInvalidError(problems)
    service = store.get(Service, service_id)
    changed = service.replace(
        capacity_status=status, beds_available=available, beds_total=total, capacity_as_of=as_of
    )
    if isinstance(actor, User):
        return save(store, actor, changed, reason=reason)
    return store.update(changed, actor=actor, reason=reason)


def differing_fields(a: Model, b: Model) -> list[str]:
    """Fields whose values differ between two versions of one record (bookkeeping aside)."""
    return [
        f.name
        for f in dataclasses.fields(a)  # type: ignore[arg-type]
        if f.name not in _BOOKKEEPING and getattr(a, f.name) != getattr(b, f.name)
    ]


def merge(original: M, mine: M, theirs: M) -> tuple[M, list[str]]:
    """Three-way merge after a stale save: their record plus my changes.

    Returns the merged record (at their version, ready to save) and the fields both of us
    changed to different values; for those the merged record holds mine, and the page shows
    both so the coordinator decides. Their version stays in the history either way.
    """
    my_changes = set(differing_fields(original, mine))
    their_changes = set(differing_fields(original, theirs))
    both = sorted(f for f in my_changes & their_changes if getattr(mine, f) != getattr(theirs, f))
    merged = theirs.replace(**{f: getattr(mine, f) for f in my_changes})
    return merged, both


def active_flag(record: Organization | Location | Service) -> bool:
    if isinstance(record, Service):
        return record.status == "active"
    return record.active
