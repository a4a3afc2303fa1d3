"""The attacks on the audit log that an adversarial test got through, each one now caught."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from directory.errors import DatabaseNotReadyError
from directory.storage import audit
from directory.storage.audit_key import default_key_path
from directory.storage.migrations import migrations
from directory.storage.pg import DATABASE_ERRORS
from directory.storage.store import Store, connect
from tests.conftest import drop_guard, make_service, seed_small
from tests.test_cli import cli

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = "at, actor, action, entity, entity_id, before, after, reason, prev_hash, hash"


def _forged(db, row_id: int, prev: str) -> tuple:
    row = {
        "at": "2026-01-01T00:00:00+00:00", "actor": "mallory", "action": "create",
        "entity": "service", "entity_id": "svc-1", "before": None, "after": None,
        "reason": None, "prev_hash": prev,
    }  # fmt: skip
    return (row_id, *row.values(), audit.row_hash(row, None))


def test_insert_or_replace_cannot_replace_a_row(store):
    seed_small(store, n=2)
    before = list(store.db.execute("SELECT * FROM audit_log ORDER BY id"))
    values = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2)"
    if store.dialect == "postgresql":  # PostgreSQL's spelling of a replace: ON CONFLICT
        with pytest.raises(DATABASE_ERRORS, match="append-only"):
            store.db.execute(
                f"INSERT INTO audit_log (id, {COLUMNS}, hash_version) {values} "
                "ON CONFLICT (id) DO UPDATE SET actor = excluded.actor, hash = excluded.hash",
                _forged(store.db, 3, before[1][-3]),
            )
    for recursive in ("OFF", "ON") if store.dialect == "sqlite" else ():
        store.db.execute(f"PRAGMA recursive_triggers = {recursive}")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(
                f"INSERT OR REPLACE INTO audit_log (id, {COLUMNS}, hash_version) {values}",
                _forged(store.db, 3, before[1][-3]),
            )
    assert list(store.db.execute("SELECT * FROM audit_log ORDER BY id")) == before
    assert store.verify_audit().ok


@pytest.mark.parametrize(
    "sql",
    [
        # an id at or below the last one
        f"INSERT INTO audit_log (id, {COLUMNS}, hash_version) "
        "VALUES (1, 'a', 'x', 'y', 'z', NULL, NULL, NULL, NULL, NULL, 'h', 2)",
        # no id: SQLite would pick one, but only an explicit next id is accepted
        f"INSERT INTO audit_log ({COLUMNS}, hash_version) "
        "VALUES ('a', 'x', 'y', 'z', NULL, NULL, NULL, NULL, NULL, 'h', 2)",
        # an unkeyed (legacy) row appended after the key was adopted
        f"INSERT INTO audit_log (id, {COLUMNS}, hash_version) "
        "VALUES (1000, 'a', 'x', 'y', 'z', NULL, NULL, NULL, NULL, NULL, 'h', 1)",
        "REPLACE INTO audit_log (id, at, actor, action, entity, hash, hash_version) "
        "VALUES (2, 'a', 'x', 'y', 'z', 'h', 2)",
    ],
)
def test_any_insert_that_does_not_append_is_refused(store, sql):
    seed_small(store, n=2)
    if store.dialect == "postgresql" and sql.startswith("REPLACE"):
        sql = sql.replace("REPLACE", "INSERT") + " ON CONFLICT (id) DO UPDATE SET actor = 'x'"
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        store.db.execute(sql)


def test_rehashing_an_edited_row_without_the_key_is_caught(store):
    seed_small(store, n=2)
    drop_guard(store, "audit_log_no_update")
    store.db.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    # The attacker re-computes every hash from row 2 on, with SHA-256 and with a guessed key.
    for guess in (None, b"0" * 64):
        prev = store.db.execute("SELECT hash FROM audit_log WHERE id = 1").fetchone()[0]
        rows = list(store.db.query("SELECT * FROM audit_log WHERE id >= 2 ORDER BY id"))
        for row in rows:
            row["prev_hash"] = prev
            prev = audit.row_hash(row, guess)
            store.db.execute(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                [row["prev_hash"], prev, row["id"]],
            )
        report = store.verify_audit()
        assert (report.ok, report.first_bad_id) == (False, 2)


def test_deleting_the_last_rows_is_caught_against_a_recorded_head(store):
    seed_small(store, n=2)
    recorded = store.audit_head()
    assert recorded.rows == 7 and store.verify_audit(recorded).ok
    drop_guard(store, "audit_log_no_delete")
    store.db.execute("DELETE FROM audit_log WHERE id > 5")
    assert store.verify_audit().ok  # what is left is a valid chain ...
    report = store.verify_audit(recorded)  # ... that no longer reaches the recorded head
    assert not report.ok and "removed" in report.problem


def test_deleting_every_row_is_caught_against_a_recorded_head(store):
    seed_small(store, n=1)
    recorded = store.audit_head()
    drop_guard(store, "audit_log_no_delete")
    store.db.execute("DELETE FROM audit_log")
    assert not store.verify_audit(recorded).ok


def test_a_later_head_still_reaches_an_earlier_one(store):
    seed_small(store, n=1)
    recorded = store.audit_head()
    store.insert(make_service(9), actor="t")
    assert store.verify_audit(recorded).ok
    assert not store.verify_audit(audit.Head(recorded.rows, "f" * 64)).ok


def test_the_key_is_not_in_the_database_and_its_file_is_private(tmp_path):
    path = tmp_path / "punte.db"
    with Store.init(path) as store:
        seed_small(store, n=1)
        key = store.audit_key
        wal = Path(str(path) + "-wal")
        assert wal.exists() and wal.stat().st_mode & 0o777 == 0o600
    key_file = default_key_path(path)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert path.stat().st_mode & 0o777 == 0o600
    assert key not in path.read_bytes()
    key_file.unlink()
    with pytest.raises(DatabaseNotReadyError, match="audit key"):
        Store(path)
    with Store(path, audit_key=b"x" * 64) as wrong:
        assert not wrong.verify_audit().ok


def test_init_makes_an_old_world_readable_database_private(tmp_path):
    path = tmp_path / "old.db"
    sqlite3.connect(str(path)).close()
    os.chmod(path, 0o644)
    Store.init(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_legacy_unkeyed_rows_are_sealed_by_init(tmp_path):
    path = tmp_path / "legacy.db"
    db = connect(path)
    migrations.apply(db, stop_before="m004_audit_key_and_consent")
    prev = audit.GENESIS
    for i in range(1, 4):  # rows as the old code wrote them: plain SHA-256, no key
        row = _forged(db, i, prev)
        db.execute(f"INSERT INTO audit_log (id, {COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)
        prev = row[-1]
    db.close()
    with Store.init(path) as store:
        assert store.verify_audit().ok
        last = store.db.execute("SELECT action, hash_version FROM audit_log ORDER BY id DESC")
        assert last.fetchone() == ("audit_key_adopted", 2)
        # Re-hashing a legacy row (the old attack) now breaks the link to the keyed seal.
        drop_guard(store, "audit_log_no_update")
        row = next(store.db.query("SELECT * FROM audit_log WHERE id = 3"))
        row["actor"] = "someone-else"
        digest = audit.row_hash(row, None)
        store.db.execute(
            "UPDATE audit_log SET actor = ?, hash = ? WHERE id = 3", [row["actor"], digest]
        )
        report = store.verify_audit()
        assert (report.ok, report.first_bad_id) == (False, 4)


def test_cli_head_and_verify_expect(tmp_path):
    path = tmp_path / "cli.db"
    with Store.init(path) as store:
        seed_small(store, n=2)
    head = cli("audit", "head", db=path)
    assert head.returncode == 0, head.stderr
    recorded = head.stdout.strip()
    assert recorded.startswith("7:") and len(recorded) == 2 + 64
    ok = cli("audit", "verify", "--expect", recorded, db=path)
    assert ok.returncode == 0 and "7 rows" in ok.stdout
    with Store(path) as store:
        drop_guard(store, "audit_log_no_delete")
        store.db.execute("DELETE FROM audit_log WHERE id > 4")
    assert cli("audit", "verify", db=path).returncode == 0
    caught = cli("audit", "verify", "--expect", recorded, db=path)
    assert caught.returncode == 1 and "removed" in caught.stderr
    bad = cli("audit", "verify", "--expect", "seven", db=path)
    assert bad.returncode == 1 and "COUNT:HASH" in bad.stderr
