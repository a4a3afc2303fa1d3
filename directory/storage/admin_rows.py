"""Reads for administration and sign-in: accounts, the audit log, the chain, backups."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

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


# The client a sign-in row recorded: JSON access is spelled differently on each backend.
_JSON_CLIENT = {
    "sqlite": "json_extract(after, '$.client')",
    "postgresql": "(after::jsonb ->> 'client')",
}


class AdminRows:
    """Mixed into Store: accounts, audit rows, sign-in attempts, chain checks, backups."""

    db: Database
    audit_key: bytes

    def users(self) -> list[UserRow]:
        """Every account, by username."""
        rows = self.db.query(
            'SELECT username, display_name, role, active FROM "user" ORDER BY username'
        )
        return [
            UserRow(r["username"], r["display_name"], r["role"], bool(r["active"])) for r in rows
        ]

    def usernames(self) -> set[str]:
        return {r[0] for r in self.db.execute('SELECT username FROM "user"')}

    def audit_history(self, entity: str, entity_id: str) -> list[dict]:
        """Every audit row about one record, oldest first."""
        return audit.history(self.db, entity, entity_id)

    def data_version(self) -> int:
        """Grows with every write (each write adds an audit row), so caches can key on it."""
        return self.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]

    def user_exists(self, username: str) -> bool:
        return self.db["user"].count_where("username = ?", [username]) > 0

    def sign_in_history(self, name: str, since: datetime) -> list[tuple[str, str, str | None]]:
        """(action, at, client) of sign-ins and failures on ``name`` since ``since``, newest
        first."""
        client = _JSON_CLIENT[getattr(self, "dialect", "sqlite")]
        rows = self.db.execute(
            f"""
            SELECT action, at, {client} FROM audit_log
            WHERE entity = 'user' AND entity_id = ? AND action IN ('sign_in', 'sign_in_failed')
              AND at >= ?
            ORDER BY id DESC LIMIT 200
            """,
            [name, since.isoformat(timespec="seconds")],
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def audit_rows(
        self,
        *,
        actor: str | None = None,
        actions: Iterable[str] = (),
        since: str | None = None,
        until: str | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """Audit rows, newest first, filtered by actor, actions and ISO dates (inclusive)."""
        where, params = [], []
        if actor:
            where.append("actor = ?")
            params.append(actor)
        actions = list(actions)
        if actions:
            where.append(f"action IN ({', '.join('?' for _ in actions)})")
            params += actions
        if since:
            where.append("at >= ?")
            params.append(since)
        if until:
            where.append("at < ?")  # ``until`` is the day after the last one wanted
            params.append(until)
        sql = "SELECT id, at, actor, action, entity, entity_id, reason FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return list(self.db.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit]))

    def audit_actors_and_actions(self) -> tuple[list[str], list[str]]:
        actors = [r[0] for r in self.db.execute("SELECT DISTINCT actor FROM audit_log ORDER BY 1")]
        acts = [r[0] for r in self.db.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1")]
        return actors, acts

    def verify_audit(self, expect: audit.Head | None = None) -> audit.ChainReport:
        """Check the audit chain with this store's key (and that it reaches ``expect``)."""
        return audit.verify(self.db, key=self.audit_key, expect=expect)

    def audit_head(self) -> audit.Head:
        return audit.head(self.db)

    def backup_to(self, target: str | Path) -> None:
        """Copy the database to a new file with SQLite's online backup (safe while in use).

        The file is made with mode 600 first: a backup holds everything the database does.
        """
        from directory.storage.audit_key import create_private_file

        create_private_file(Path(target))
        dest = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()
