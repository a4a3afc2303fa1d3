"""The store on both backends: migrations, versioned writes, audit rows, search, the frame.

SQLite-only details (WAL, FTS triggers, the exact schema file) are tested on SQLite alone;
tests/test_pg_store.py holds the PostgreSQL-only ones."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from directory.errors import ConflictError, DatabaseNotReadyError, NotFoundError
from directory.models import Service, ServiceAtLocation
from directory.storage.frame import services_frame
from directory.storage.migrations import migrations
from directory.storage.pg import DATABASE_ERRORS, INTEGRITY_ERRORS
from directory.storage.store import Store

from .conftest import drop_guard, make_location, make_org, make_service, seed_small

SCHEMA_FILE = Path(__file__).parent / "schema.sql"


def test_migrations_from_empty_file_give_exact_schema(tmp_path):
    with Store.init(tmp_path / "new.db") as store:
        schema = store.db.schema
        applied = [m.name for m in migrations.applied(store.db)]
    assert applied == [
        "m001_directory",
        "m002_referral_lifecycle",
        "m003_reasons_as_keys",
        "m004_audit_key_and_consent",
        "m005_import_mapping",
        "m006_listing_upkeep",
        "m008_referral_notice",
        "m009_population_set",
        "m010_alert_stops_intake",
    ]
    assert schema.strip() == SCHEMA_FILE.read_text().strip()


def test_migrations_are_idempotent(db_url):
    Store.init(db_url).close()
    with Store.init(db_url) as store:
        history = "_sqlite_migrations" if store.dialect == "sqlite" else "_punte_migrations"
        assert store.db[history].count == len(migrations._migrations)


def test_wal_is_on(tmp_path):
    with Store.init(tmp_path / "punte.db") as store:
        assert store.db.journal_mode == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_foreign_keys_are_enforced(store):
    with pytest.raises(INTEGRITY_ERRORS):
        store.insert(make_location(org="missing-org"), actor="t")
    assert store.db["location"].count == 0
    assert store.db["audit_log"].count == 0


def test_opening_a_missing_database_says_what_to_do(tmp_path):
    with pytest.raises(DatabaseNotReadyError, match="python -m directory init"):
        Store(tmp_path / "nope.db")


def test_insert_writes_one_audit_row(store):
    store.insert(make_org(), actor="ana")
    rows = list(store.db.query("SELECT * FROM audit_log"))
    assert [(r["actor"], r["action"], r["entity"], r["entity_id"]) for r in rows] == [
        ("ana", "create", "organization", "org-1")
    ]
    assert json.loads(rows[0]["after"])["name"] == "Org 1"


def test_every_bulk_record_gets_an_audit_row(store):
    seed_small(store, n=4)
    per_entity = dict(
        store.db.execute("SELECT entity, COUNT(*) FROM audit_log GROUP BY entity").fetchall()
    )
    assert per_entity == {
        "organization": 1,
        "location": 4,
        "service": 4,
        "service_at_location": 4,
    }
    assert store.verify_audit().ok


def test_failed_bulk_insert_leaves_database_as_it_was(store):
    seed_small(store, n=2)
    before = store.counts()
    broken = [make_service(10), ServiceAtLocation("sal-x", "svc-10", "no-such-location")]
    with pytest.raises(INTEGRITY_ERRORS):
        store.bulk_insert(broken, actor="t")
    assert store.counts() == before


def test_update_bumps_version_and_audits_changes(store):
    seed_small(store, n=1)
    service = store.get(Service, "svc-1")
    saved = store.update(service.replace(name="Renamed"), actor="bogdan", reason="phone call")
    assert saved.version == 2
    assert store.get(Service, "svc-1").name == "Renamed"
    row = list(store.db.query("SELECT * FROM audit_log WHERE action = 'update'"))[0]
    assert (row["actor"], row["reason"]) == ("bogdan", "phone call")
    before = json.loads(row["before"])
    assert (before["name"], before["version"]) == ("Service 1", 1)
    assert "beds_total" not in before  # only the changed fields are logged
    assert json.loads(row["after"])["name"] == "Renamed"


def test_stale_save_raises_conflict_and_loses_nothing(store):
    seed_small(store, n=1)
    # Two coordinators open the same service.
    first = store.get(Service, "svc-1")
    second = store.get(Service, "svc-1")
    store.update(first.replace(beds_total=5), actor="ana")
    with pytest.raises(ConflictError, match="Reload it and apply your change again"):
        store.update(second.replace(name="Overwritten"), actor="bogdan")
    kept = store.get(Service, "svc-1")
    assert (kept.beds_total, kept.name, kept.version) == (5, "Service 1", 2)
    assert store.db["audit_log"].count_where("action = 'update'") == 1


def test_conflict_across_two_connections(db_url):
    path = db_url
    with Store.init(path) as a:
        seed_small(a, n=1)
    with Store(path) as a, Store(path) as b:
        loaded_a, loaded_b = a.get(Service, "svc-1"), b.get(Service, "svc-1")
        a.update(loaded_a.replace(name="A"), actor="a")
        with pytest.raises(ConflictError):
            b.update(loaded_b.replace(name="B"), actor="b")
        assert b.get(Service, "svc-1").name == "A"


def test_update_of_missing_record(store):
    seed_small(store, n=1)
    with pytest.raises(NotFoundError):
        store.update(make_service(99), actor="t")


def test_audit_log_is_append_only(store):
    seed_small(store, n=1)
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        store.db.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        store.db.execute("DELETE FROM audit_log")
    assert store.verify_audit().rows == 4


def test_audit_chain_detects_an_edited_row(store):
    seed_small(store, n=2)
    assert store.verify_audit().ok
    drop_guard(store, "audit_log_no_update")
    store.db.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
    report = store.verify_audit()
    assert (report.ok, report.first_bad_id) == (False, 3)


def test_audit_chain_detects_a_deleted_row(store):
    seed_small(store, n=2)
    drop_guard(store, "audit_log_no_delete")
    store.db.execute("DELETE FROM audit_log WHERE id = 2")
    report = store.verify_audit()
    assert (report.ok, report.first_bad_id) == (False, 3)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("iasi", ["svc-2"]),
        ("IAȘI", ["svc-2"]),
        ("consiliere", ["svc-1"]),
        ("Speranta", ["svc-2", "svc-1"]),  # organisation name, without diacritics; by name
        ("nimic", []),
        ('"; DROP TABLE service; --', []),
    ],
)
def test_full_text_search_ignores_diacritics(store, query, expected):
    store.bulk_insert(
        [
            make_org(name="Fundația Speranța"),
            make_service(1, name="Consiliere psihologică", description="Pentru copii"),
            make_service(2, name="Asistență juridică Iași"),
        ],
        actor="t",
    )
    assert [r["id"] for r in store.search(query)] == expected


def test_frame_is_one_row_per_active_service_at_location(store):
    seed_small(store, n=3)
    store.update(store.get(Service, "svc-2").replace(status="inactive"), actor="t")
    store.insert(make_location(9, latitude=45.1), actor="t")
    store.insert(ServiceAtLocation("sal-9", "svc-1", "loc-9"), actor="t")
    frame = services_frame(store)
    assert list(frame["service_at_location_id"]) == ["sal-1", "sal-3", "sal-9"]
    assert frame["languages"].iloc[0] == ",ro,"
    assert bool(frame["serves_female"].iloc[0]) and bool(frame["serves_male"].iloc[0])
    assert frame["child_friendly"].dtype == bool
    assert len(services_frame(store, active_only=False)) == 4


def test_frame_flags_child_friendly_only_with_all_criteria(store):
    from directory.vocab import CHILD_FRIENDLY_CRITERIA

    store.bulk_insert(
        [
            make_org(),
            make_location(1),
            make_service(1, child_friendly_criteria=CHILD_FRIENDLY_CRITERIA),
            make_service(2, child_friendly_criteria=CHILD_FRIENDLY_CRITERIA[:3]),
            ServiceAtLocation("sal-1", "svc-1", "loc-1"),
            ServiceAtLocation("sal-2", "svc-2", "loc-1"),
        ],
        actor="t",
    )
    assert list(services_frame(store)["child_friendly"]) == [True, False]


def test_large_bulk_load_indexes_text_once_and_keeps_triggers(tmp_path, monkeypatch):
    import directory.storage.store as store_module

    store = Store.init(tmp_path / "punte.db")

    monkeypatch.setattr(store_module, "FTS_REBUILD_FROM", 3)
    triggers_before = sorted(t.name for t in store.db.triggers)
    store.bulk_insert(
        [
            make_org(name="Fundația Speranța"),
            *(make_service(i, name=f"Consiliere {i}") for i in range(4)),
        ],
        actor="t",
    )
    assert sorted(t.name for t in store.db.triggers) == triggers_before
    assert len(store.search("consiliere")) == 4
    assert len(store.search("speranta")) == 4
    # The restored triggers index later single writes again.
    store.insert(make_service(9, name="Mediere familială"), actor="t")
    assert [r["id"] for r in store.search("mediere")] == ["svc-9"]


def test_failed_large_bulk_load_restores_triggers(tmp_path, monkeypatch):
    import directory.storage.store as store_module

    store = Store.init(tmp_path / "punte.db")

    monkeypatch.setattr(store_module, "FTS_REBUILD_FROM", 2)
    triggers_before = sorted(t.name for t in store.db.triggers)
    with pytest.raises(sqlite3.IntegrityError):
        store.bulk_insert([make_org(), make_service(1), make_service(1)], actor="t")
    assert sorted(t.name for t in store.db.triggers) == triggers_before
    assert store.is_empty()


def test_numpy_numbers_from_frames_are_stored_and_audited(store):
    import numpy as np

    store.insert(make_org(), actor="t")
    store.insert(make_location(latitude=np.float64(46.5), longitude=np.float64(23.5)), actor="t")
    after = json.loads(
        store.db.execute("SELECT after FROM audit_log ORDER BY id DESC").fetchone()[0]
    )
    assert (after["latitude"], after["longitude"]) == (46.5, 23.5)
