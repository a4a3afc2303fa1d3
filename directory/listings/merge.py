"""Merge two duplicate organisations, locations or services into the one the coordinator keeps.

Nothing is deleted. The record merged away is deactivated and an audit row marks it as merged
into the survivor (and the survivor as merged from it), so both histories stay readable. What
hung on the duplicate moves to the survivor: an organisation's locations, services and
members; a location's or service's service-at-location rows and their referrals. For each
field that differs the coordinator keeps the survivor's value or takes the duplicate's; fields
that only make sense together (a place, an age range, a capacity report) move as one group.
Every change is logged, and the whole merge is one transaction.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from directory.errors import ConflictError, PermissionDeniedError, PunteError
from directory.listings.edit import active_flag, may_edit
from directory.models import Location, Model, Organization, Service, User
from directory.storage import audit
from directory.storage.store import Store

Record = Organization | Location | Service
KINDS: dict[str, type[Record]] = {
    "organization": Organization,
    "location": Location,
    "service": Service,
}
# Never chosen: identity, bookkeeping, the owner (its children move instead) and the status
# (the survivor keeps its own; the duplicate is deactivated).
_FIXED = {"id", "version", "is_demo", "organization_id", "active", "status"}
# Fields that travel together, so a merge never pairs one record's latitude with the other's
# longitude, or a capacity count with another report's date.
GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "location": {
        "place": ("latitude", "longitude", "county_code", "siruta", "address_1", "locality",
                  "postal_code", "geocode_source", "geocode_precision"),
    },
    "service": {
        "ages": ("minimum_age", "maximum_age"),
        "capacity": ("capacity_status", "beds_available", "beds_total", "capacity_as_of"),
        "verified": ("assured_date", "assurer"),
        "alert": ("alert", "alert_expires", "alert_stops_intake"),
    },
}  # fmt: skip


class MergeError(PunteError):
    """These two records cannot be merged as asked; ``key`` says why (a translation key)."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)


@dataclass(frozen=True)
class Difference:
    """One group of fields (often a single field) whose values differ, side by side."""

    group: str
    fields: tuple[str, ...]
    keep: tuple[Any, ...]  # the survivor's values, in ``fields`` order
    drop: tuple[Any, ...]  # the duplicate's


@dataclass(frozen=True)
class MergePlan:
    """What a merge would do: the two records as loaded, what differs, what moves."""

    entity: str
    keep: Record
    drop: Record
    differences: tuple[Difference, ...]
    moves: dict[str, int]  # e.g. {"location": 2, "service": 3, "referral": 1}


def groups_of(entity: str) -> dict[str, tuple[str, ...]]:
    """Each mergeable field's group: its own name unless it belongs to a named one."""
    named = GROUPS.get(entity, {})
    group_of = {f: g for g, fields in named.items() for f in fields}
    out: dict[str, tuple[str, ...]] = {}
    for f in dataclasses.fields(KINDS[entity]):  # in the model's order: the name comes first
        if f.name not in _FIXED:
            group = group_of.get(f.name, f.name)
            out.setdefault(group, named.get(group, (f.name,)))
    return out


def merged_into(store: Store, entity: str, record_id: str) -> str | None:
    """The survivor a record was merged into, read from its history (None if never merged)."""
    for row in reversed(store.audit_history(entity, record_id)):
        if row["action"] == "merge":
            after = json.loads(row["after"] or "{}")
            if "merged_into" in after:
                return str(after["merged_into"])
    return None


def plan_merge(store: Store, user: User, entity: str, keep_id: str, drop_id: str) -> MergePlan:
    """Check that ``user`` may merge the two and say what differs and what would move."""
    keep, drop = _load_pair(store, user, entity, keep_id, drop_id)
    differences = []
    for group, fields in groups_of(entity).items():
        mine = tuple(getattr(keep, f) for f in fields)
        theirs = tuple(getattr(drop, f) for f in fields)
        if mine != theirs:
            differences.append(Difference(group, fields, mine, theirs))
    return MergePlan(entity, keep, drop, tuple(differences), _moves(store, entity, drop_id))


def merge(
    store: Store,
    user: User,
    plan: MergePlan,
    take: Iterable[str] = (),
) -> Record:
    """Merge ``plan.drop`` into ``plan.keep`` in one transaction; returns the saved survivor.

    ``take`` names the groups (see :func:`groups_of`) whose values come from the duplicate.
    Either record changed since the plan was made: ConflictError, and nothing changes.
    """
    entity, keep, drop = plan.entity, plan.keep, plan.drop
    taken = sorted(set(take))
    groups = groups_of(entity)
    unknown = [g for g in taken if g not in groups]
    if unknown:
        raise MergeError("merge.error.unknown_field", f"Cannot take {', '.join(unknown)}.")
    values = {f: getattr(drop, f) for g in taken for f in groups[g]}
    survivor = keep.replace(**values)  # validates: a bad combination raises ValidationError
    actor = user.username
    why = f"merge of {entity} {drop.id} into {keep.id}"
    with store.transaction():
        # Both records are checked again inside the transaction, at the versions planned.
        current_keep, current_drop = _load_pair(store, user, entity, keep.id, drop.id)
        for loaded, current in ((keep, current_keep), (drop, current_drop)):
            if current.version != loaded.version:
                raise ConflictError(entity, loaded.id, loaded.version, current.version)
        moved = _move_children(store, entity, keep.id, drop.id, actor, why)
        saved = store.update(survivor, actor=actor, reason=why) if values else keep
        gone = (
            drop.replace(status="inactive") if isinstance(drop, Service)
            else drop.replace(active=False)
        )  # fmt: skip
        store.update(gone, actor=actor, reason=why)
        store.log(audit.AuditEntry(actor, "merge", entity, drop.id, None,
                                   {"merged_into": keep.id, "moved": moved}, why))  # fmt: skip
        store.log(audit.AuditEntry(actor, "merge", entity, keep.id, None,
                                   {"merged_from": drop.id, "taken": taken}, why))  # fmt: skip
    return store.get(KINDS[entity], saved.id)


def _load_pair(store: Store, user: User, entity: str, keep_id: str, drop_id: str):
    if entity not in KINDS:
        raise MergeError("merge.error.kind", f"Only {', '.join(KINDS)} can be merged.")
    if keep_id == drop_id:
        raise MergeError("merge.error.same", "A record cannot be merged into itself.")
    model = KINDS[entity]
    keep, drop = store.get(model, keep_id), store.get(model, drop_id)
    for record in (keep, drop):
        org = record.id if isinstance(record, Organization) else record.organization_id
        if not may_edit(store, user, org):
            raise PermissionDeniedError(f"{user.username} may not edit organisation {org}.")
    for record in (keep, drop):
        survivor = merged_into(store, entity, record.id)
        if survivor is not None:
            raise MergeError(
                "merge.error.already", f"{entity} {record.id} was merged into {survivor} already."
            )
    if not active_flag(keep) and active_flag(drop):
        # Keeping the inactive one would take a live listing out of the directory.
        raise MergeError("merge.error.keep_inactive", "Keep the active record, not the other.")
    return keep, drop


def _moves(store: Store, entity: str, drop_id: str) -> dict[str, int]:
    """How many rows hang on the duplicate and would move to the survivor."""
    if entity == "organization":
        return {
            "location": len(store.locations_of(drop_id)),
            "service": len(store.services_of(drop_id)),
            "user": len(store.members_of(drop_id)),
        }
    column = "service_id" if entity == "service" else "location_id"
    links = store.links_at(column, drop_id)
    return {"link": len(links), "referral": store.referral_count(x.id for x in links)}


def _move_children(
    store: Store, entity: str, keep_id: str, drop_id: str, actor: str, why: str
) -> dict[str, int]:
    if entity == "organization":
        return _move_organization(store, keep_id, drop_id, actor, why)
    column = "service_id" if entity == "service" else "location_id"
    other = "location_id" if entity == "service" else "service_id"
    kept = {getattr(x, other): x for x in store.links_at(column, keep_id)}
    moved = {"link": 0, "referral": 0}
    for link in store.links_at(column, drop_id):
        twin = kept.get(getattr(link, other))
        if twin is None:  # the survivor was not offered there yet: the row moves
            store.move_link(link, column, keep_id, actor, why)
            moved["link"] += 1
        else:  # both were: the duplicate's row stays, as history; its referrals move
            moved["referral"] += store.repoint_referrals(link.id, twin.id, actor, why)
    if entity == "service":
        moved["capacity_link"] = store.move_capacity_links(drop_id, keep_id, actor, why)
    return moved


def _move_organization(
    store: Store, keep_id: str, drop_id: str, actor: str, why: str
) -> dict[str, int]:
    children: list[Model] = [*store.locations_of(drop_id), *store.services_of(drop_id)]
    for child in children:
        store.update(cast(Location | Service, child).replace(organization_id=keep_id),
                     actor=actor, reason=why)  # fmt: skip
    members = store.members_of(drop_id)
    for member in members:
        store.update(member.replace(organization_id=keep_id), actor=actor, reason=why)
    for username in store.assignees_of(drop_id):
        store.assign(username, keep_id, actor=actor)  # whoever kept the duplicate keeps this
    referrals = store.move_sending_organization(drop_id, keep_id, actor, why)
    return {
        "location": sum(isinstance(c, Location) for c in children),
        "service": sum(isinstance(c, Service) for c in children),
        "user": len(members),
        "referral": referrals,
    }
