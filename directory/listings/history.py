"""A record's history field by field, from the audit log, and one-click undo of the last change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from directory.errors import PunteError
from directory.listings.edit import save
from directory.models import Model, User
from directory.storage.store import Store

M = TypeVar("M", bound=Model)
_NOISE = {"updated_at", "created_at", "version", "child_friendly"}


@dataclass(frozen=True)
class FieldChange:
    """One field of one logged change: who, when, from what to what."""

    audit_id: int
    at: str
    actor: str
    action: str
    field: str
    before: Any
    after: Any
    reason: str | None


class NothingToUndoError(PunteError):
    """The record has no change that can be undone (only its creation, or nothing)."""


def field_changes(store: Store, entity: str, entity_id: str) -> list[FieldChange]:
    """Every logged change of the record, one row per field, newest first."""
    out = []
    for row in reversed(store.audit_history(entity, entity_id)):
        before = json.loads(row["before"]) if row["before"] else {}
        after = json.loads(row["after"]) if row["after"] else {}
        names = [k for k in dict.fromkeys([*before, *after]) if k not in _NOISE]
        if not names:
            names = [""]  # a change with no field (an opening, an assignment) still shows
        for name in names:
            out.append(
                FieldChange(row["id"], row["at"], row["actor"], row["action"], name,
                            before.get(name), after.get(name), row["reason"])
            )  # fmt: skip
    return out


def undo_last(store: Store, user: User, model: type[M], record_id: str) -> M:
    """Put back the fields the last update changed; logged as a new change, not erased."""
    updates = [r for r in store.audit_history(model.table, record_id) if r["action"] == "update"]
    if not updates:
        raise NothingToUndoError(f"{model.table} {record_id} has no change to undo.")
    last = updates[-1]
    before = json.loads(last["before"] or "{}")
    current = store.get(model, record_id)
    row = current.to_row()
    row.update({k: v for k, v in before.items() if k in row and k not in _NOISE})
    restored = model.from_row(row)
    return save(store, user, restored, reason=f"undo of change {last['id']}")
