"""What only PostgreSQL needs checking: its guards, concurrent writers, backups, and that it
gives the same answers as SQLite on the same directory."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from directory.errors import ConflictError, DatabaseNotReadyError
from directory.models import Service
from directory.storage import audit
from directory.storage.frame import services_frame
from directory.storage.pg import translate
from directory.storage.pg_store import PgStore
from directory.storage.store import Store

from .conftest import DATA_DIR, TODAY, new_database, seed_small
from .pg_server import PG_BIN


@pytest.fixture
def pg(request, tmp_path) -> str:
    return new_database(request, "postgresql", tmp_path)


def test_a_url_needs_the_audit_key_from_a_setting(pg, monkeypatch, tmp_path):
    """No file can sit beside a URL: without PUNTE_AUDIT_KEY(_FILE) opening fails clearly."""
    monkeypatch.delenv("PUNTE_AUDIT_KEY", raising=False)
    monkeypatch.delenv("PUNTE_AUDIT_KEY_FILE", raising=False)
    with pytest.raises(DatabaseNotReadyError, match="PUNTE_AUDIT_KEY_FILE"):
        Store.init(pg)
    key_file = tmp_path / "pg.audit-key"
    key_file.write_text("k" * 40 + "\n")
    monkeypatch.setenv("PUNTE_AUDIT_KEY_FILE", str(key_file))
    with Store.init(pg) as store:
        seed_small(store, n=1)
        assert store.audit_key == b"k" * 40 and store.verify_audit().ok


def test_only_keyed_audit_rows_may_be_appended(pg):
    with Store.init(pg) as store:
        seed_small(store, n=1)
        last = store.db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC").fetchone()
        legacy = (
            "INSERT INTO audit_log (id, at, actor, action, entity, prev_hash, hash, hash_version) "
            "VALUES (?, 'a', 'x', 'y', 'z', ?, 'h', 1)"
        )
        with pytest.raises(psycopg.Error, match="keyed"):
            store.db.execute(legacy, [last[0] + 1, last[1]])
        assert store.verify_audit().ok


def test_a_url_opens_postgresql_with_the_same_migration_history(pg):
    with Store.init(pg) as store:
        assert isinstance(store, PgStore)
        names = [r[0] for r in store.db.execute("SELECT name FROM _punte_migrations ORDER BY 1")]
        ext = store.db.execute("SELECT extname FROM pg_extension WHERE extname = 'unaccent'")
        assert ext.fetchone() == ("unaccent",)
    from directory.storage.migrations import migrations

    assert names == [m.name for m in migrations._migrations]


def _columns(store: Store) -> dict[str, dict[str, tuple[bool, bool]]]:
    """Each table's columns: (NOT NULL, part of the primary key), without internal tables."""
    out: dict[str, dict[str, tuple[bool, bool]]] = {}
    if store.dialect == "sqlite":
        tables = [
            r[0]
            for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith(("_sqlite", "sqlite_")) and "_fts" not in r[0]
        ]
        for t in tables:
            for _, name, _, notnull, _, pk in store.db.execute(f'PRAGMA table_info("{t}")'):
                # SQLite lets a TEXT primary key hold NULL; PostgreSQL never does.
                out.setdefault(t, {})[name] = (bool(notnull) or pk > 0, pk > 0)
        return out
    rows = store.db.execute(
        """
        SELECT c.table_name, c.column_name, c.is_nullable = 'NO',
               EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                       JOIN information_schema.table_constraints tc
                         ON tc.constraint_name = k.constraint_name
                        AND tc.table_schema = k.table_schema
                       WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema
                         AND k.table_name = c.table_name AND k.column_name = c.column_name)
        FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND c.table_name <> '_punte_migrations'
        """
    )
    for t, name, notnull, pk in rows:
        out.setdefault(t, {})[name] = (notnull, pk)
    return out


def test_both_backends_have_the_same_tables_columns_and_keys(pg, tmp_path):
    """A migration twin that forgets a column, a NOT NULL or a key fails here; so does a
    table that ``migrate-to`` would not copy."""
    from directory.storage.transfer import TABLES

    with Store.init(tmp_path / "s.db") as lite, Store.init(pg) as post:
        on_sqlite, on_pg = _columns(lite), _columns(post)
    assert sorted(on_pg) == sorted(on_sqlite)
    for table in on_sqlite:
        assert on_pg[table] == on_sqlite[table], table
    assert sorted(TABLES) == sorted(on_sqlite)


def test_an_unmigrated_or_unreachable_database_says_what_to_do(pg):
    with pytest.raises(DatabaseNotReadyError, match="python -m directory init"):
        Store(pg)
    with pytest.raises(DatabaseNotReadyError, match="Cannot connect to PostgreSQL.*PUNTE_DATA"):
        Store("postgresql://nobody:secret@127.0.0.1:1/none")


def test_the_password_never_appears_in_messages():
    with pytest.raises(DatabaseNotReadyError) as e:
        Store("postgresql://nobody:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(e.value) and "***" in str(e.value)


def test_placeholders_are_rewritten_outside_literals_only():
    assert translate("SELECT ? , '?', \"a?\" , [b], x::int, :q, 5 % 2") == (
        'SELECT %s , \'?\', "a?" , "b", x::int, %(q)s, 5 %% 2'
    )


def test_truncate_and_out_of_order_inserts_are_refused(pg):
    with Store.init(pg) as store:
        seed_small(store, n=1)
        with pytest.raises(psycopg.Error, match="append-only"):
            store.db.execute("TRUNCATE audit_log")
        forged = "INSERT INTO audit_log (at, actor, action, entity, prev_hash, hash) "
        with pytest.raises(psycopg.Error, match="must follow the last one"):
            store.db.execute(forged + "VALUES ('x', 'm', 'a', 'e', ?, 'h')", [audit.GENESIS])
        with pytest.raises(psycopg.Error, match="must follow the last one"):
            store.db.execute(
                "INSERT INTO audit_log (id, at, actor, action, entity, prev_hash, hash) "
                "VALUES (1, 'x', 'm', 'a', 'e', ?, 'h')",
                [_last(store)],
            )
        assert store.verify_audit().ok


def _last(store: Store) -> str:
    return store.db.execute("SELECT hash FROM audit_log ORDER BY id DESC").fetchone()[0]


def test_concurrent_writers_keep_one_linear_chain(pg):
    with Store.init(pg) as store:
        seed_small(store, n=4)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            with Store(pg) as s:
                for n in range(10):
                    svc = s.get(Service, f"svc-{i}")
                    s.update(svc.replace(beds_available=n), actor=f"w{i}")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(pg) as store:
        report = store.verify_audit()
        assert report.ok and report.rows == 13 + 40
        assert [store.get(Service, f"svc-{i}").version for i in range(1, 5)] == [11] * 4


def test_two_saves_of_one_loaded_record_give_one_save_and_one_conflict(pg):
    with Store.init(pg) as store:
        seed_small(store, n=1)
    with Store(pg) as a, Store(pg) as b:
        loaded_a, loaded_b = a.get(Service, "svc-1"), b.get(Service, "svc-1")
        results: list[str] = []
        barrier = threading.Barrier(2)

        def save(s: Store, svc: Service, name: str) -> None:
            barrier.wait()
            try:
                s.update(svc.replace(name=name), actor=name)
                results.append("saved")
            except ConflictError:
                results.append("conflict")

        threads = [
            threading.Thread(target=save, args=(a, loaded_a, "A")),
            threading.Thread(target=save, args=(b, loaded_b, "B")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["conflict", "saved"]
        assert a.get(Service, "svc-1").version == 2
        assert a.verify_audit().ok


def test_data_version_grows_with_writes_seen_from_another_connection(pg):
    with Store.init(pg) as a, Store(pg) as b:
        before = b.data_version()
        seed_small(a, n=1)
        assert b.data_version() > before


def test_backup_is_a_pg_dump_that_restores(pg, request, tmp_path):
    with Store.init(pg) as store:
        seed_small(store, n=3)
        store.backup_to(tmp_path / "punte.dump")
    target = new_database(request, "postgresql", tmp_path)
    restore = subprocess.run(
        [str(PG_BIN / "pg_restore"), "--no-owner", f"--dbname={target}"]
        + [str(tmp_path / "punte.dump")],
        capture_output=True,
        text=True,
    )
    assert restore.returncode == 0, restore.stderr
    with Store(target) as copy:
        assert copy.counts()["service"] == 3
        assert copy.verify_audit().ok
        assert [r["id"] for r in copy.search("servic")] == ["svc-1", "svc-2", "svc-3"]


def test_both_backends_build_the_same_frame_from_the_demo(pg, tmp_path):
    from directory.demo.generator import load_demo

    frames = []
    for target in (str(tmp_path / "demo.db"), pg):
        with Store.init(target) as store:
            load_demo(store, Path(DATA_DIR), today=TODAY)
            frames.append(services_frame(store, details=True))
            if store.dialect == "postgresql":
                assert store.search("iasi")  # unaccent finds Iași's services
    pd.testing.assert_frame_equal(frames[0], frames[1])
