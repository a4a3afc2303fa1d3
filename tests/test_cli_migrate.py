"""`migrate-to`: a SQLite directory copied into an empty PostgreSQL database, chain intact."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from directory.listings import links
from directory.models import Referral, User
from directory.storage.store import Store
from directory.storage.transfer import TABLES, table_counts

from .conftest import PG_AUDIT_KEY, build_demo_db, new_database
from .referrals.conftest import move, sal_of, send
from .test_cli import cli


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> str:
    """The demo directory with a referral that was sent and then declined (two events), and a
    row in each listing table: an assignment, a capacity link, an import mapping, a
    withdrawn site."""
    folder = tmp_path_factory.mktemp("migrate")
    # Moving to PostgreSQL keeps the audit key: both stores read it from PUNTE_AUDIT_KEY.
    (folder / "source.db.audit-key").write_text(PG_AUDIT_KEY + "\n")
    path = str(build_demo_db(folder / "source.db"))
    with Store(path) as store:
        sal = sal_of(store, "demo-org-003", "public")
        ref = send(store, sal)
        move(store, store.get(Referral, ref.id), "declined")
        coordinator = store.get(User, "demo-coordinator")
        store.assign(coordinator.username, "demo-org-003", actor="test")
        service = store.services_of(coordinator.organization_id)[0]
        links.create_link(
            store, coordinator, service.id, now=datetime.now(UTC), days=3, public_url="http://x"
        )
        store.save_import_mapping("k1", ["Nume"], {"Nume": "name"}, actor="test")
        site = store.locations_of("demo-org-003")[0]
        store.update(site.replace(active=False), actor="test")
        store.record_notice(ref.id, "emergency", datetime.now(UTC))
        store.save_population({1017: 120.0, 9262: 30.0}, "uat", "copii.csv", actor="test")
    return path


def test_migrate_to_copies_everything_and_checks_both_sides(source, request, tmp_path):
    url = new_database(request, "postgresql", tmp_path)
    result = cli("migrate-to", url, "--quiet", db=source)
    assert result.returncode == 0, result.stderr
    assert "Counts match; audit chain intact on both sides" in result.stdout
    with Store(source) as a, Store(url) as b:
        assert a.counts() == b.counts()
        assert table_counts(a) == table_counts(b)
        assert all(table_counts(b)[t] > 0 for t in TABLES)  # every table held rows to copy
        assert a.assignments() == b.assignments()
        sid = a.db.execute("SELECT service_id FROM capacity_link").fetchone()[0]
        assert a.capacity_links(sid) == b.capacity_links(sid)
        assert a.import_mapping("k1") == b.import_mapping("k1") == {"Nume": "name"}
        assert a.locations_of("demo-org-003") == b.locations_of("demo-org-003")
        assert a.saved_population() == b.saved_population()
        assert b.notice_sent(a.all(Referral)[0].id, "emergency")
        assert b.counts()["referral"] == 1 and b.counts()["user"] == 4
        ref_id = a.all(Referral)[0].id
        assert a.referral_history(ref_id) == b.referral_history(ref_id)
        assert a.audit_rows(limit=5) == b.audit_rows(limit=5)
        assert b.verify_audit().ok
        # The copy keeps working: the next write appends to the copied chain.
        before = b.data_version()
        b.update(b.all(Referral)[0], actor="test")
        assert b.data_version() > before and b.verify_audit().ok
        # Identity columns carry on after the copied ids.
        assert b.save_population({1017: 1.0}, "uat", "b.csv", actor="test").id == 2
        assert b.search("iasi") == a.search("iasi")


def test_migrate_to_refuses_a_non_empty_target(source, request, tmp_path):
    url = new_database(request, "postgresql", tmp_path)
    assert cli("migrate-to", url, "--quiet", db=source).returncode == 0
    again = cli("migrate-to", url, "--quiet", db=source)
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "Traceback" not in again.stderr


def test_migrate_to_refuses_a_broken_source_chain(source, request, tmp_path):
    broken = tmp_path / "broken.db"
    with sqlite3.connect(source) as a, sqlite3.connect(broken) as b:
        a.backup(b)
    with sqlite3.connect(broken) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 7")
    url = new_database(request, "postgresql", tmp_path)
    result = cli("migrate-to", url, "--quiet", db=broken)
    assert result.returncode == 1
    assert "audit chain is broken at row 7" in result.stderr
    with Store(url) as target:
        assert target.counts()["audit_log"] == 0


def test_migrate_to_needs_a_url(source):
    result = cli("migrate-to", "/tmp/not-a-url.db", db=source)
    assert result.returncode == 1 and "postgresql://" in result.stderr


def test_migrate_to_with_another_key_says_which_key_to_use(source, request, tmp_path):
    url = new_database(request, "postgresql", tmp_path)
    env = {"PUNTE_AUDIT_KEY": "another-key-" + "x" * 40}
    result = cli("migrate-to", url, "--quiet", db=source, extra_env=env)
    assert result.returncode == 1
    assert "PUNTE_AUDIT_KEY_FILE" in result.stderr and "Traceback" not in result.stderr
