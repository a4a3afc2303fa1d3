"""Reads for administration and sign-in: accounts, the audit log, the chain, backups."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from directory.storage import audit

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class UserRow:
    """An account as the admin page lists it: never the password hash."""

    username: str
    display_name: str
    role: str
    active: bool


@dataclass(frozen=True)
class AuditRow:
    """An audit log row as the admin page lists it (without the before/after values)."""

    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str | None
    reason: str | None


class AdminRows:
    """Mixed into Store: accounts, audit rows, sign-in attempts, chain checks, backups."""

    db: Database

    def users(self) -> list[UserRow]:
        """Every account, by username."""
        rows = self.db.query(
            "SELECT username, display_name, role, active FROM user ORDER BY username"
        )
        return [
            UserRow(r["username"], r["display_name"], r["role"], bool(r["active"])) for r in rows
        ]

    def usernames(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT username FROM user")}

    def audit_rows(self, limit: int = 200) -> list[AuditRow]:
        """The latest ``limit`` audit rows, newest first."""
        rows = self.db.query(
            "SELECT id, at, actor, action, entity, entity_id, reason FROM audit_log "
            "ORDER BY id DESC LIMIT ?",
            [limit],
        )
        return [AuditRow(**r) for r in rows]

    def audit_history(self, entity: str, entity_id: str) -> list[dict]:
        """Every audit row about one record, oldest first."""
        return audit.history(self.db, entity, entity_id)

    def verify_audit_chain(self) -> audit.ChainReport:
        """Walk the audit log's hash chain and report the first broken link, if any."""
        return audit.verify(self.db)

    def data_version(self) -> int:
        """Grows with every write (each write adds an audit row), so caches can key on it."""
        return self.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]

    def sign_in_attempts(
        self, username: str, since: datetime, limit: int = 100
    ) -> list[tuple[str, datetime]]:
        """Sign-in outcomes ('sign_in' or 'sign_in_failed') for ``username`` since ``since``,
        newest first."""
        rows = self.db.execute(
            """
            SELECT action, at FROM audit_log
            WHERE entity = 'user' AND entity_id = ? AND action IN ('sign_in', 'sign_in_failed')
              AND at >= ?
            ORDER BY id DESC LIMIT ?
            """,
            [username, since.isoformat(timespec="seconds"), limit],
        ).fetchall()
        return [(action, datetime.fromisoformat(at)) for action, at in rows]

    def backup_to(self, target: str | Path) -> None:
        """Copy the database to a new file with SQLite's online backup (safe while in use)."""
        dest = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()
