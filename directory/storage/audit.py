"""Append-only, keyed hash-chained audit log.

Each row stores an HMAC-SHA256 of its own content and of the previous row's hash, keyed with a
secret kept outside the database (:mod:`directory.storage.audit_key`). Without the key nobody
can re-hash a row they edited, so an edited, inserted or deleted row breaks the chain and
:func:`verify` finds it. Rows at the end, or all of them, can vanish without breaking what is
left, so :func:`head` gives a (row count, head hash) to record elsewhere, and ``verify`` checks
the chain still reaches it.

Rows written before the key existed (``hash_version`` 1) keep their plain SHA-256; the first
keyed row links to them, so they cannot be re-hashed either once ``init`` has sealed them.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Iterable

from sqlite_utils import Database

from directory.json_text import dumps
from directory.storage.pg import executemany

GENESIS = "0" * 64
LEGACY = 1  # plain SHA-256, written before migration m004
KEYED = 2  # HMAC-SHA256 with the audit key
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
class Head:
    """How many rows the log held and the hash of its last one, to be kept outside it."""

    rows: int
    hash: str

    def __str__(self) -> str:
        return f"{self.rows}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        count, sep, digest = text.strip().partition(":")
        if not sep or not count.isdigit() or len(digest) != 64:
            raise ValueError(
                f"{text!r} is not a recorded head: give COUNT:HASH as `audit head` prints it"
            )
        return cls(int(count), digest.lower())


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


def row_hash(row: dict[str, Any], key: bytes | None) -> str:
    """The row's hash: HMAC-SHA256 with ``key``; plain SHA-256 for a legacy row (key None)."""
    # Unit separators keep field boundaries unambiguous; NUL marks a NULL apart from "".
    payload = "\x1f".join("\x00" if row.get(k) is None else str(row[k]) for k in _HASHED)
    if key is None:
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _last(db: Database) -> tuple[int, str, int]:
    row = db.execute(
        "SELECT id, hash, hash_version FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1], row[2]) if row else (0, GENESIS, KEYED)


def last_hash(db: Database) -> str:
    return _last(db)[1]


def head(db: Database) -> Head:
    count = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    return Head(count, last_hash(db))


def append(
    db: Database, entries: Iterable[AuditEntry], at: str | None = None, *, key: bytes
) -> int:
    """Append entries to the chain; call inside the write's transaction so both land or neither.

    Ids are given explicitly: the database refuses any id at or below the last one.
    """
    at = at or utcnow()
    last_id, prev, _ = _last(db)
    rows = []
    for e in entries:
        last_id += 1
        row = {
            "id": last_id,
            "at": at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": _dump(e.before),
            "after": _dump(e.after),
            "reason": e.reason,
            "prev_hash": prev,
            "hash_version": KEYED,
        }
        row["hash"] = prev = row_hash(row, key)
        rows.append(row)
    if not rows:
        return 0
    columns = list(rows[0])
    executemany(
        db,
        f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(r[c] for c in columns) for r in rows],
    )
    return len(rows)


def seal_legacy(db: Database, *, key: bytes) -> bool:
    """Link a keyed row after unkeyed legacy rows, so re-hashing them breaks the chain."""
    if _last(db)[2] != LEGACY:
        return False
    with db.atomic():
        append(db, [AuditEntry("system", "audit_key_adopted", "audit_log")], key=key)
    return True


def verify(db: Database, *, key: bytes, expect: Head | None = None) -> ChainReport:
    """Walk the chain in order and report the first row whose hash or link does not hold.

    With ``expect`` (a head recorded earlier), also fail when the log no longer reaches it:
    rows removed at the end, or every row removed.
    """
    prev, count, keyed_seen = GENESIS, 0, False
    reached = expect is not None and expect.rows == 0 and expect.hash == GENESIS
    cursor = db.execute(
        f"SELECT id, hash, hash_version, {', '.join(_HASHED)} FROM audit_log ORDER BY id"
    )
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values))
        count += 1
        if row["prev_hash"] != prev:
            return ChainReport(count, False, row["id"], "a row before it was removed or changed")
        legacy = row["hash_version"] == LEGACY
        if legacy and keyed_seen:
            return ChainReport(count, False, row["id"], "an unkeyed row after keyed ones")
        keyed_seen = keyed_seen or not legacy
        if not hmac.compare_digest(row_hash(row, None if legacy else key), row["hash"]):
            return ChainReport(count, False, row["id"], "its content was changed")
        prev = row["hash"]
        if expect is not None and count == expect.rows:
            if row["hash"] != expect.hash:
                return ChainReport(
                    count, False, row["id"], "the chain no longer reaches the recorded head"
                )
            reached = True
    if expect is not None and not reached:
        return ChainReport(
            count,
            False,
            None,
            f"the log holds {count} rows but the recorded head had {expect.rows}: "
            "rows at the end were removed",
        )
    return ChainReport(count, True)


def history(db: Database, entity: str, entity_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )
    )
