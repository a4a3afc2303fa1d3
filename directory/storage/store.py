"""The store: migrations, versioned writes with audit rows, and search (SQLite; pg_store.py)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from sqlite_utils import Database

from directory.errors import ConflictError, DatabaseNotReadyError, NotFoundError
from directory.models import Location, Model, Organization, Service, ServiceAtLocation, User
from directory.storage import audit
from directory.storage.admin_rows import AdminRows
from directory.storage.audit_key import create_private_file, resolve_key
from directory.storage.fts import fts_deferred
from directory.storage.listing_rows import ListingRows
from directory.storage.migrations import migrations
from directory.storage.pg import dialect, executemany, is_url
from directory.storage.population_rows import PopulationRows
from directory.storage.referral_rows import ReferralRows

M = TypeVar("M", bound=Model)
Progress = Callable[[int, int], None]

# Insertion order respects foreign keys; deletion runs it backwards.
DIRECTORY_TABLES = ("organization", "location", "service", "service_at_location")
_PK = {"user": "username"}
FTS_REBUILD_FROM = 5000


def connect(path: str | Path) -> Database:
    """Open the database with WAL, foreign keys and a busy timeout for concurrent sessions.

    A new file is created with mode 600 first; SQLite gives its WAL and SHM files the
    database file's mode, so none of them is readable by other users of the machine.
    """
    path = Path(path)
    if str(path) != ":memory:" and not path.exists():
        create_private_file(path)
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    # Reading the whole directory for matching is the hot path; memory-mapped pages halve it.
    db.execute("PRAGMA mmap_size = 268435456")
    db.execute("PRAGMA cache_size = -65536")
    db.execute("PRAGMA temp_store = MEMORY")
    if db.journal_mode != "wal":
        db.enable_wal()
    # In WAL mode NORMAL never corrupts the file; it only skips an fsync per commit.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


class Store(ReferralRows, AdminRows, ListingRows, PopulationRows):
    """All reads and writes of the directory. Every write is one transaction with its audit rows.

    Callers outside ``directory.storage`` use only these named methods, never SQL. ``Store(x)``
    opens SQLite for a file path and PostgreSQL (:class:`PgStore`, same methods) for a
    ``postgresql://`` URL; methods are written once in SQL both run (see pg.py).
    """

    dialect = "sqlite"

    def __new__(cls, target: str | Path, **kw: Any) -> Store:
        if cls is Store and is_url(str(target)):
            from directory.storage.pg_store import PgStore

            return super().__new__(PgStore)
        return super().__new__(cls)

    def __init__(
        self, path: str | Path, *, create: bool = False, audit_key: bytes | None = None
    ) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseNotReadyError(
                f"No database at {self.path}. Create it with `python -m directory init`."
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if audit_key is None:
            from directory.settings import Settings

            cfg = Settings.from_env()
            audit_key = resolve_key(self.path, cfg.audit_key, cfg.audit_key_file, create=create)
        self.audit_key = audit_key
        self.db = connect(self.path)
        if create:
            os.chmod(self.path, 0o600)  # an older file may have been created world-readable
            migrations.apply(self.db)
            audit.seal_legacy(self.db, key=self.audit_key)
        elif migrations.pending(self.db):
            raise DatabaseNotReadyError(
                f"The database at {self.path} needs migrating. Run `python -m directory init`."
            )

    @classmethod
    def init(cls, path: str | Path) -> Store:
        """Create the file if needed and apply pending migrations."""
        return cls(path, create=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reads -------------------------------------------------------------------------

    def get(self, model: type[M], key: str) -> M:
        pk = _PK.get(model.table, "id")
        rows = list(self.db.query(f'SELECT * FROM "{model.table}" WHERE "{pk}" = ?', [key]))
        if not rows:
            raise NotFoundError(f"No {model.table} with {pk} {key!r}.")
        return model.from_row(rows[0])

    def all(self, model: type[M]) -> list[M]:
        """Every record of ``model``, in key order."""
        pk = _PK.get(model.table, "id")
        return [
            model.from_row(r)
            for r in self.db.query(f'SELECT * FROM "{model.table}" ORDER BY "{pk}"')
        ]

    def locations_not_public(self) -> list[Location]:
        """Locations whose exact place is confidential (disclosure other than public), by id."""
        rows = self.db.query("SELECT * FROM location WHERE disclosure != 'public' ORDER BY id")
        return [Location.from_row(r) for r in rows]

    def county_count(self) -> int:
        """How many counties have at least one location."""
        return self.db.execute("SELECT COUNT(DISTINCT county_code) FROM location").fetchone()[0]

    def counts(self) -> dict[str, int]:
        tables = (*DIRECTORY_TABLES, "user", "referral", "audit_log")
        counts = {t: self.db[t].count for t in tables}
        counts["demo"] = self.db["service"].count_where("is_demo = 1")
        counts["active_services"] = self.db["service"].count_where("status = 'active'")
        counts["confidential_locations"] = self.db["location"].count_where("disclosure != 'public'")
        return counts

    def is_empty(self) -> bool:
        return all(self.db[t].count == 0 for t in DIRECTORY_TABLES)

    def has_demo_data(self) -> bool:
        return self.db["service"].count_where("is_demo = 1") > 0

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search on service and organisation names and descriptions."""
        terms = " ".join(f'"{t}"*' for t in text.replace('"', " ").split())
        if not terms:
            return []
        sql = """
            SELECT s.id, s.name, s.service_type, o.name AS organization
            FROM service s JOIN organization o ON o.id = s.organization_id
            WHERE s.rowid IN (SELECT rowid FROM service_fts WHERE service_fts MATCH :q)
               OR o.rowid IN (SELECT rowid FROM organization_fts WHERE organization_fts MATCH :q)
            ORDER BY s.name, s.id LIMIT :limit
        """
        return list(self.db.query(sql, {"q": terms, "limit": limit}))

    # ---- writes ------------------------------------------------------------------------

    def insert(self, record: M, actor: str, reason: str | None = None) -> M:
        """Insert one record and its audit row in one transaction."""
        return self._insert_many([record], actor, reason)[0]

    def bulk_insert(
        self,
        records: Iterable[Model],
        actor: str,
        reason: str | None = None,
        progress: Progress | None = None,
        batch: int = 2000,
    ) -> int:
        """Insert many records in one transaction; a failure leaves the database unchanged."""
        records = list(records)
        large = len(records) >= FTS_REBUILD_FROM
        with self.db.atomic(), fts_deferred(self.db, large and self.dialect == "sqlite"):
            for start in range(0, len(records), batch):
                self._insert_many(records[start : start + batch], actor, reason)
                if progress:
                    progress(min(start + batch, len(records)), len(records))
        return len(records)

    def _insert_many(self, records: list[M], actor: str, reason: str | None) -> list[M]:
        now = audit.utcnow()
        by_table: dict[str, list[dict[str, Any]]] = {}
        entries = []
        for r in records:
            row = r.to_row()
            if "version" in row:
                row.update(created_at=now, updated_at=now)
            by_table.setdefault(r.table, []).append(row)
            entries.append(
                audit.AuditEntry(
                    actor, "create", r.table, str(_key(r)), None, _public(r, row), reason
                )
            )
        with self.db.atomic():
            for table in sorted(by_table, key=_table_order):
                _insert_rows(self.db, table, by_table[table])
            audit.append(self.db, entries, at=now, key=self.audit_key)
        return records

    def update(self, record: M, actor: str, reason: str | None = None) -> M:
        """Save ``record`` if nobody saved it since it was loaded; else raise ConflictError.

        ``record.version`` is the version that was loaded; the saved record gets version + 1.
        """
        pk = _PK.get(record.table, "id")
        key = str(_key(record))
        now = audit.utcnow()
        with _immediate(self.db):
            current = list(self.db.query(f'SELECT * FROM "{record.table}" WHERE "{pk}" = ?', [key]))
            if not current:
                raise NotFoundError(
                    f"No {record.table} with {pk} {key!r}; it may have been removed."
                )
            before = current[0]
            # Every editable model has a version field; Model itself does not declare one.
            loaded = int(vars(record)["version"])
            if before["version"] != loaded:
                raise ConflictError(record.table, key, loaded, before["version"])
            saved = record.replace(version=loaded + 1)
            row = saved.to_row()
            row["updated_at"] = now
            cursor = self.db.execute(
                f'UPDATE "{record.table}" SET {", ".join(_quoted(c) + " = ?" for c in row)} '
                f'WHERE "{pk}" = ? AND version = ?',
                [*row.values(), key, loaded],
            )
            if cursor.rowcount != 1:  # someone committed between our read and our write
                raise ConflictError(record.table, key, loaded, loaded + 1)
            changed = {k for k, v in before.items() if k in row and row[k] != v}
            changed_before = _public(record, {k: before[k] for k in changed})
            changed_after = _public(record, {k: row[k] for k in changed})
            audit.append(
                self.db,
                [
                    audit.AuditEntry(
                        actor, "update", record.table, key, changed_before, changed_after, reason
                    )
                ],
                at=now,
                key=self.audit_key,
            )
        return saved

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run several store writes as one: all are kept, or none if an exception escapes.

        It takes the write lock first (see ``_immediate``): a transaction that reads before it
        writes would otherwise fail with "database is locked" if another session wrote meanwhile.
        """
        with _immediate(self.db):
            yield

    def apply_import(
        self,
        creates: list[Model],
        updates: list[Model],
        actor: str,
        reason: str | None = None,
        progress: Progress | None = None,
        batch: int = 2000,
    ) -> None:
        """Insert and update an import's records in ONE transaction, each with its audit row.

        Updates carry the version that was previewed: a record changed meanwhile raises
        ConflictError and, like any failure, leaves the database as it was.
        """
        creates = sorted(creates, key=lambda r: _table_order(r.table))
        total, done = len(creates) + len(updates), 0
        large = total >= FTS_REBUILD_FROM
        with self.db.atomic(), fts_deferred(self.db, large and self.dialect == "sqlite"):
            for start in range(0, len(creates), batch):
                chunk = creates[start : start + batch]
                self._insert_many(chunk, actor, reason)
                done += len(chunk)
                if progress:
                    progress(done, total)
            for record in updates:
                self.update(record, actor, reason)
                done += 1
                if progress and (done % batch == 0 or done == total):
                    progress(done, total)

    def log(self, entry: audit.AuditEntry, at: datetime | None = None) -> None:
        """Write an audit row that goes with no data change (sign-in, reveal, export)."""
        with self.db.atomic():
            when = at.isoformat(timespec="seconds") if at else None
            audit.append(self.db, [entry], at=when, key=self.audit_key)

    def clear_directory(self, actor: str, reason: str) -> dict[str, int]:
        """Delete every organisation, location and service; one audit row records the counts."""
        with self.db.atomic():
            if self.db["referral"].count:
                self.db.execute("DELETE FROM referral")
            removed = {t: self.db[t].count for t in DIRECTORY_TABLES}
            # Demo accounts belong to the demo directory; real accounts stay, unattached.
            removed["demo users"] = self.db["user"].count_where("is_demo = 1")
            self.db.execute(
                "DELETE FROM organization_assignment WHERE username IN "
                '(SELECT username FROM "user" WHERE is_demo = 1)'
            )
            self.db.execute('DELETE FROM "user" WHERE is_demo = 1')
            self.db.execute('UPDATE "user" SET organization_id = NULL')
            # Assignments and self-update links point at the records removed below.
            self.db.execute("DELETE FROM organization_assignment")
            self.db.execute("DELETE FROM capacity_link")
            for table in reversed(DIRECTORY_TABLES):
                self.db.execute(f"DELETE FROM {table}")
            audit.append(
                self.db,
                [audit.AuditEntry(actor, "clear", "directory", None, removed, None, reason)],
                key=self.audit_key,
            )
        return removed


@contextmanager
def _immediate(db: Database) -> Iterator[None]:
    """A write transaction that takes the write lock first.

    A deferred one that reads and then writes fails at once ("database is locked") when
    another connection wrote in between; BEGIN IMMEDIATE waits for the busy timeout instead,
    so two coordinators saving at the same moment are serialised, not refused. PostgreSQL's
    ``atomic()`` takes its advisory write lock first, which serialises writers the same way.
    """
    if dialect(db) == "postgresql" or db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.execute("COMMIT")


def _insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """One prepared INSERT for many rows; rows of one model share their columns."""
    columns = list(rows[0])
    sql = (
        f'INSERT INTO "{table}" ({", ".join(_quoted(c) for c in columns)}) '
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    executemany(db, sql, [tuple(r[c] for c in columns) for r in rows])


def _quoted(column: str) -> str:
    return f'"{column}"'


def _key(record: Model) -> Any:
    return record.username if isinstance(record, User) else vars(record)["id"]


def _table_order(table: str) -> int:
    order = ("organization", "user", "location", "service", "service_at_location", "referral")
    return order.index(table) if table in order else len(order)


def _public(record: Model, row: dict[str, Any]) -> dict[str, Any]:
    """The audit copy of a row: no secrets, and only the fields a model allows in the log."""
    allowed = getattr(record, "audit_fields", None)
    return {
        k: v for k, v in row.items() if k != "password_hash" and (allowed is None or k in allowed)
    }


__all__ = ["Store", "connect", "Organization", "Location", "Service", "ServiceAtLocation", "User"]
