"""Append-only, hash-chained audit log.

Each row stores the SHA-256 of its own content and of the previous row's hash, so an edited
or deleted row breaks the chain and :func:`verify` finds it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Iterable

from sqlite_utils import Database

from directory.json_text import dumps

GENESIS = "0" * 64
_HASHED = ("at", "actor", "action", "entity", "entity_id", "before", "after", "reason", "prev_hash")


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    action: str
    entity: str
    entity_id: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ChainReport:
    rows: int
    ok: bool
    first_bad_id: int | None = None
    problem: str | None = None


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Rows keep their field order, so no key sorting is needed for a stable text.
def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else dumps(value)


def row_hash(row: dict[str, Any]) -> str:
    # Unit separators keep field boundaries unambiguous; NUL marks a NULL apart from "".
    payload = "\x1f".join("\x00" if row.get(k) is None else str(row[k]) for k in _HASHED)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def last_hash(db: Database) -> str:
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def append(db: Database, entries: Iterable[AuditEntry], at: str | None = None) -> int:
    """Append entries to the chain; call inside the write's transaction so both land or neither."""
    at = at or utcnow()
    prev = last_hash(db)
    rows = []
    for e in entries:
        row = {
            "at": at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": _dump(e.before),
            "after": _dump(e.after),
            "reason": e.reason,
            "prev_hash": prev,
        }
        row["hash"] = prev = row_hash(row)
        rows.append(row)
    columns = [*_HASHED, "hash"]
    db.conn.executemany(
        f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(r[c] for c in columns) for r in rows],
    )
    return len(rows)


def verify(db: Database) -> ChainReport:
    """Walk the chain in order and report the first row whose hash or link does not hold."""
    prev, count = GENESIS, 0
    cursor = db.execute(f"SELECT id, hash, {', '.join(_HASHED)} FROM audit_log ORDER BY id")
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values))
        count += 1
        if row["prev_hash"] != prev:
            return ChainReport(count, False, row["id"], "a row before it was removed or changed")
        if row_hash(row) != row["hash"]:
            return ChainReport(count, False, row["id"], "its content was changed")
        prev = row["hash"]
    return ChainReport(count, True)


def history(db: Database, entity: str, entity_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )
    )
