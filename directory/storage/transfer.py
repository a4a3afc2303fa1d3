"""Copy a whole directory from one store into an empty one (SQLite → PostgreSQL).

Rows are copied as they are, ids and audit hashes included, in one transaction on the
target; the target's append-only trigger checks every audit row follows the one before, so
a chain that arrives broken is refused while it is copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from directory.errors import DatabaseNotEmptyError, PunteError
from directory.storage.pg import executemany
from directory.storage.store import Store

# Foreign keys first. A table added by a migration must be added here, or the copy refuses.
TABLES = (
    "organization",
    "location",
    "service",
    "service_at_location",
    "user",
    "organization_assignment",
    "capacity_link",
    "referral",
    "referral_event",
    "referral_notice",
    "import_mapping",
    "population_set",
    "audit_log",
)
_IDENTITY = ("referral_event", "population_set", "audit_log")  # integer keys the database hands out
_INTERNAL = ("_sqlite_migrations", "_punte_migrations", "sqlite_")


@dataclass(frozen=True)
class TransferReport:
    counts: dict[str, int]
    audit_rows: int
    last_hash: str | None


def table_counts(store: Store) -> dict[str, int]:
    return {t: store.db[t].count for t in TABLES}


def _unknown_tables(store: Store) -> list[str]:
    rows = store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%\\_fts%' "
        "ESCAPE '\\'"
    ).fetchall()
    names = [r[0] for r in rows]
    return [n for n in names if n not in TABLES and not n.startswith(_INTERNAL)]


def copy_directory(
    source: Store,
    target: Store,
    progress: Callable[[str, int], None] | None = None,
    batch: int = 5000,
) -> TransferReport:
    """Copy every row of ``source`` into the empty ``target``, then check both sides."""
    if source.dialect != "sqlite":
        raise PunteError("migrate-to copies from a SQLite file; --db must name one.")
    unknown = _unknown_tables(source)
    if unknown:
        raise PunteError(
            f"The source holds tables this version cannot copy: {', '.join(unknown)}. "
            "Upgrade Punte, or add them to directory/storage/transfer.py."
        )
    filled = {t: n for t, n in table_counts(target).items() if n}
    if filled:
        listed = ", ".join(f"{t} ({n})" for t, n in filled.items())
        raise DatabaseNotEmptyError(
            f"{target.path} is not empty: {listed}. Copy into an empty database only."
        )
    if target.audit_key != source.audit_key:
        raise PunteError(
            "The PostgreSQL database must use the SQLite database's audit key, or the copied "
            "chain cannot be verified: set PUNTE_AUDIT_KEY_FILE to the SQLite database's "
            "`<database>.audit-key` file (or PUNTE_AUDIT_KEY to its content); nothing was copied."
        )
    before = source.verify_audit()
    if not before.ok:
        hint = ""
        if before.rows == 1:  # every row fails alike when the key is not this database's
            hint = (
                " If the log is intact, the audit key is not this database's: set "
                "PUNTE_AUDIT_KEY_FILE to its `<database>.audit-key` file, for both sides."
            )
        raise PunteError(
            f"The source's audit chain is broken at row {before.first_bad_id} "
            f"({before.problem}); nothing was copied.{hint}"
        )
    with target.db.atomic():
        if target.dialect == "postgresql":
            # Rows written before the key existed are copied as they are (see pg_migrations).
            target.db.execute("SELECT set_config('punte.copying_audit', 'on', true)")
        for table in TABLES:
            cursor = source.db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            columns = [d[0] for d in cursor.description]
            sql = (
                f'INSERT INTO "{table}" ({", ".join(_quoted(c) for c in columns)}) '
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            while rows := cursor.fetchmany(batch):
                executemany(target.db, sql, rows)
                if progress:
                    progress(table, len(rows))
        if target.dialect == "postgresql":
            for table in _IDENTITY:
                target.db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
                )
    return check_copy(source, target)


def check_copy(source: Store, target: Store) -> TransferReport:
    """Same counts in every table, and both audit chains intact and ending on the same hash."""
    counts, copied = table_counts(source), table_counts(target)
    if counts != copied:
        diff = {t: (counts[t], copied[t]) for t in TABLES if counts[t] != copied[t]}
        raise PunteError(f"The copy's counts differ (source, target): {diff}.")
    for name, store in (("source", source), ("target", target)):
        report = store.verify_audit()
        if not report.ok:
            raise PunteError(
                f"The {name}'s audit chain is broken at row {report.first_bad_id}: "
                f"{report.problem}."
            )
    ends = [_last_hash(s) for s in (source, target)]
    if ends[0] != ends[1]:
        raise PunteError("The copied audit chain ends on a different hash than the source's.")
    return TransferReport(copied, copied["audit_log"], ends[1])


def _last_hash(store: Store) -> str | None:
    row = store.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _quoted(column: str) -> str:
    return f'"{column}"'
