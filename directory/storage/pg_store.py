"""The store on PostgreSQL: every Store method, with only the SQLite-only ones written again.

``Store("postgresql://...")`` returns a :class:`PgStore`. The inherited methods run their
SQL through :class:`~directory.storage.pg.PgDatabase`; this class overrides what SQLite does
with its own features: opening and migrating, full-text search (FTS5 there, ``unaccent`` and
a GIN index here), the bulk-load trick and the backup (``pg_dump``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg

from directory.errors import DatabaseNotReadyError
from directory.storage import audit, pg_migrations
from directory.storage.audit_key import resolve_key
from directory.storage.pg import PgDatabase, redacted
from directory.storage.store import Store


class PgStore(Store):
    dialect = "postgresql"

    def __init__(
        self, url: str | Path, *, create: bool = False, audit_key: bytes | None = None
    ) -> None:
        self.url = str(url)
        self.path = redacted(self.url)  # type: ignore[assignment]  # shown in messages
        try:
            self.db = PgDatabase(self.url)  # type: ignore[assignment]
        except psycopg.OperationalError as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise DatabaseNotReadyError(
                f"Cannot connect to PostgreSQL at {self.path}: {first}. Check "
                "PUNTE_DATABASE_URL (or --db) and that the server is running."
            ) from None
        try:
            self.audit_key = audit_key or _url_audit_key(redacted(self.url))
        except Exception:
            self.db.close()
            raise
        if create:
            pg_migrations.apply(self.db)  # type: ignore[arg-type]
            audit.seal_legacy(self.db, key=self.audit_key)
        elif pg_migrations.pending(self.db):  # type: ignore[arg-type]
            self.db.close()
            raise DatabaseNotReadyError(
                f"The database at {self.path} needs migrating. Run `python -m directory init`."
            )

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Every word a prefix, all words in the name or description, accents ignored."""
        words = re.findall(r"\w+", text)
        if not words:
            return []
        sql = """
            SELECT s.id, s.name, s.service_type, o.name AS organization
            FROM service s JOIN organization o ON o.id = s.organization_id,
                 to_tsquery('simple', punte_unaccent(:q)) AS q
            WHERE punte_search_text(s.name, s.description) @@ q
               OR punte_search_text(o.name, o.description) @@ q
            ORDER BY s.name, s.id LIMIT :limit
        """
        terms = " & ".join(f"{w}:*" for w in words)
        return list(self.db.query(sql, {"q": terms, "limit": limit}))

    def backup_to(self, target: str | Path) -> None:
        """A custom-format ``pg_dump`` (restore with ``pg_restore -d URL FILE``)."""
        pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
        # The password travels in the environment, never on a command line others can read.
        parts = psycopg.conninfo.conninfo_to_dict(self.url)
        env = {**os.environ}
        if parts.get("password"):
            env["PGPASSWORD"] = str(parts.pop("password"))
        conninfo = psycopg.conninfo.make_conninfo(**parts)  # type: ignore[arg-type]
        result = subprocess.run(
            [pg_dump, "--format=custom", f"--file={target}", f"--dbname={conninfo}"],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            Path(target).unlink(missing_ok=True)
            raise DatabaseNotReadyError(f"pg_dump failed: {result.stderr.strip()}")


def _url_audit_key(shown: str) -> bytes:
    """The audit key for a database at a URL: only from a setting, as no file sits beside it."""
    from directory.settings import Settings

    cfg = Settings.from_env()
    if not cfg.audit_key and not cfg.audit_key_file:
        raise DatabaseNotReadyError(
            f"No audit key for the PostgreSQL database at {shown}: set PUNTE_AUDIT_KEY (32+ "
            "characters) or PUNTE_AUDIT_KEY_FILE (a mode-600 file holding it). Moving from "
            "SQLite? Point PUNTE_AUDIT_KEY_FILE at the old `<database>.audit-key` file."
        )
    return resolve_key(shown, cfg.audit_key, cfg.audit_key_file, create=False)
