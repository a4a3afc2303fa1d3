"""A PostgreSQL connection that speaks the small part of sqlite-utils' API the store uses.

The store's methods are written once, against ``db.query``, ``db.execute``, ``db.atomic``,
``db[table].count`` / ``.count_where`` / ``.insert`` and :func:`executemany`, with ``?`` (or
``:name``) placeholders and double-quoted identifiers. :class:`PgDatabase` rewrites the
placeholders for psycopg and runs the same SQL on PostgreSQL, so a new store method works on
both backends unless it uses a feature one of them lacks (see ``dialect`` in store.py).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row

# Every write transaction holds this lock: the audit chain reads its last hash and appends
# after it, so two writers must not interleave (the chain would fork). Writes are short and
# rare next to reads, which never take it.
WRITE_LOCK = 0x50554E5445  # "PUNTE"

URL_SCHEMES = ("postgresql://", "postgres://")
DATABASE_ERRORS = (sqlite3.DatabaseError, psycopg.Error)
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)

_TOKENS = re.compile(
    r"'(?:[^']|'')*'"  # a string literal stays as it is
    r'|"[^"]*"'  # so does a quoted identifier
    r"|\[([A-Za-z_]\w*)\]"  # SQLite's [column] quoting
    r"|(?<!:):([A-Za-z_]\w*)"  # :name, but not the ::type of a cast
    r"|\?|%"
)


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache(maxsize=512)
def translate(sql: str, with_params: bool = True) -> str:
    """SQLite-style SQL for psycopg: ``?`` → ``%s``, ``:name`` → ``%(name)s``, ``[c]`` → ``"c"``.

    psycopg reads ``%`` only when parameters are given, so only then is it doubled.
    """

    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token[0] in "'\"":
            return token
        if m.group(1):
            return f'"{m.group(1)}"'
        if not with_params:
            return token
        if m.group(2):
            return f"%({m.group(2)})s"
        return "%s" if token == "?" else "%%"

    return _TOKENS.sub(sub, sql)


class PgTable:
    """``db[table]``: the counts, lookup and single-row insert the store uses."""

    def __init__(self, db: PgDatabase, name: str) -> None:
        self.db, self.name = db, name

    @property
    def count(self) -> int:
        return self.db.execute(f'SELECT count(*) FROM "{self.name}"').fetchone()[0]

    def count_where(self, where: str, params: Sequence[Any] | None = None) -> int:
        sql = f'SELECT count(*) FROM "{self.name}" WHERE {where}'
        return self.db.execute(sql, params).fetchone()[0]

    @property
    def rows(self) -> Iterator[dict[str, Any]]:
        return self.db.query(f'SELECT * FROM "{self.name}"')

    def get(self, key: Any) -> dict[str, Any]:
        """The row whose primary key is ``key``; sqlite-utils' NotFoundError when there is none."""
        from sqlite_utils.db import NotFoundError

        pk = self.db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary",
            [f'"{self.name}"'],
        ).fetchone()[0]
        rows = list(self.db.query(f'SELECT * FROM "{self.name}" WHERE "{pk}" = ?', [key]))
        if not rows:
            raise NotFoundError(f"No {self.name} with {pk} {key!r}")
        return rows[0]

    def insert(self, row: dict[str, Any]) -> None:
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        sql = f'INSERT INTO "{self.name}" ({columns}) VALUES ({marks})'
        self.db.execute(sql, list(row.values()))


class PgDatabase:
    """One psycopg connection in autocommit mode; :meth:`atomic` opens a write transaction."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = psycopg.connect(url, autocommit=True)

    # Any, like sqlite3's cursor rows to the store: ``.fetchone()[0]`` reads alike on both.
    def execute(self, sql: str, params: Any = None) -> Any:
        return self.conn.execute(translate(sql, bool(params)), params or None)

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(translate(sql, bool(params)), params or None)
            return iter(cur.fetchall())

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(translate(sql), rows)

    def __getitem__(self, table: str) -> PgTable:
        return PgTable(self, table)

    def table(self, name: str) -> PgTable:
        return PgTable(self, name)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction (a savepoint when nested); the outermost one holds the write lock."""
        if self.conn.info.transaction_status != TransactionStatus.IDLE:
            with self.conn.transaction():
                yield
            return
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            yield

    def close(self) -> None:
        self.conn.close()


def executemany(db: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """One prepared statement for many rows, on either backend."""
    if isinstance(db, PgDatabase):
        db.executemany(sql, rows)
    else:
        db.conn.executemany(sql, rows)


def dialect(db: Any) -> str:
    return "postgresql" if isinstance(db, PgDatabase) else "sqlite"
