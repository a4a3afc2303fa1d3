"""Shared fixtures: every test gets a real temporary database, never a mock.

``store`` and ``db_url`` run each test on both backends: a SQLite file, and a PostgreSQL
database of its own (on the server of ``PUNTE_TEST_DATABASE_URL``, else on a throwaway server
started once per run), dropped afterwards. PostgreSQL tests fail, never skip, when no server
can be started.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.storage.store import Store

from .pg_server import PgServer, PgUnavailable

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    _scan_components_once()
    _cheap_password_hashes()


def _cheap_password_hashes() -> None:
    """Hash test passwords with argon2id at its lowest cost, in this test process only.

    The production cost (64 MiB, 3 passes) takes 0.16 s a hash here, on purpose, and the
    suite hashes and verifies about 270 times. An argon2 hash carries its own parameters, so
    verifying works across both costs. `test_auth.py` checks, in a fresh interpreter, that
    the app itself still hashes at the production cost.
    """
    from argon2 import PasswordHasher

    from directory.access import passwords

    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    passwords._DUMMY_HASH = passwords._hasher.hash("punte-timing-equaliser")


def _scan_components_once() -> None:
    """Scan the installed packages for Streamlit components once per test process.

    Every new ``AppTest`` scans the metadata of every installed distribution for v2
    components (about 1,100 files): 0.22 s each time on this 2-core machine, and the suite
    makes about 270 of them. The packages cannot change during a test run, so one scan gives
    the same answer (none of them ships a v2 component today).
    """
    from streamlit.components.v2 import manifest_scanner

    if not hasattr(manifest_scanner.scan_component_manifests, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(
            manifest_scanner.scan_component_manifests
        )


DATA_DIR = ROOT / "data"
TODAY = date(2026, 11, 23)


BACKENDS = ("sqlite", "postgresql")
# No file can sit beside a PostgreSQL URL, so its audit key comes from PUNTE_AUDIT_KEY.
PG_AUDIT_KEY = "test-audit-key-for-postgresql-0123456789abcdef"


@pytest.fixture(scope="session")
def pg_server():
    server = PgServer()
    try:
        server.start()
    except PgUnavailable as e:
        pytest.fail(f"PostgreSQL tests need a server: {e}")
    yield server
    server.stop()


def new_database(request, backend: str, folder: Path, copy_of: str | None = None) -> str:
    """A fresh database for ``backend``: a file path in ``folder`` or a PostgreSQL URL; empty,
    or a copy of the database ``copy_of``. It is dropped when the fixture or test that
    ``request`` belongs to ends."""
    if backend == "sqlite":
        path = folder / "punte.db"
        if copy_of:
            with sqlite3.connect(copy_of) as source, sqlite3.connect(path) as target:
                source.backup(target)
            target.close()
            # The audit key is kept beside a database, never in it: the copy needs its own.
            key = Path(copy_of + ".audit-key")
            if key.exists():
                shutil.copy(key, path.with_name(path.name + ".audit-key"))
        return str(path)
    server = request.getfixturevalue("pg_server")
    # For as long as the database lives, the store finds its key as a deployment would.
    env = pytest.MonkeyPatch()
    env.setenv("PUNTE_AUDIT_KEY", PG_AUDIT_KEY)
    request.addfinalizer(env.undo)
    url = server.new_database(copy_of=copy_of)
    request.addfinalizer(lambda: server.drop_database(url))
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path: Path):
    """Where a test's database lives, on each backend: nothing yet on SQLite, an empty
    database on PostgreSQL. For a test that also uses ``store``, a copy of the session's
    migrated empty database instead, which ``Store.init`` would have made anyway (a copy
    takes a few milliseconds, applying the migrations 30 to 100 ms)."""
    if "store" not in request.fixturenames:
        return new_database(request, request.param, tmp_path)
    template = request.getfixturevalue(f"{request.param}_empty_template")
    return new_database(request, request.param, tmp_path, copy_of=str(template))


@pytest.fixture
def store(db_url: str):
    with Store.init(db_url) as s:
        yield s


@pytest.fixture(scope="session")
def sqlite_empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with every migration applied, made once per session."""
    path = tmp_path_factory.mktemp("empty-template") / "punte.db"
    with pytest.MonkeyPatch.context() as env:  # its key file beside it, whatever ran before
        env.delenv("PUNTE_AUDIT_KEY", raising=False)
        env.delenv("PUNTE_AUDIT_KEY_FILE", raising=False)
        Store.init(path).close()
    return fold_wal(path)


@pytest.fixture(scope="session")
def postgresql_empty_template(pg_server: PgServer):
    """An empty PostgreSQL database with every migration applied, made once per session."""
    url = pg_server.new_database(prefix="punte_empty")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PUNTE_AUDIT_KEY", PG_AUDIT_KEY)
        Store.init(url).close()
    yield url
    pg_server.drop_database(url)


def fold_wal(path: Path) -> Path:
    """Fold the write-ahead log into the file, so copying the one file copies everything."""
    with sqlite3.connect(path) as db:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    db.close()
    assert busy == 0
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    return path


def use_database(monkeypatch, db: Path | str) -> None:
    """Point the app at ``db`` as a deployment would: PUNTE_DATABASE_URL for a URL (it wins),
    PUNTE_DB for a file."""
    if str(db).startswith("postgresql://"):
        monkeypatch.setenv("PUNTE_DATABASE_URL", str(db))
        # new_database() set the key for the database's lifetime; setting it here again would
        # let this monkeypatch, undone last, put it back for the tests that follow.
        if os.environ.get("PUNTE_AUDIT_KEY") != PG_AUDIT_KEY:
            monkeypatch.setenv("PUNTE_AUDIT_KEY", PG_AUDIT_KEY)
    else:
        monkeypatch.delenv("PUNTE_DATABASE_URL", raising=False)
        monkeypatch.setenv("PUNTE_DB", str(db))


def make_org(i: int = 1, **kw) -> Organization:
    return Organization(**{"id": f"org-{i}", "name": f"Org {i}", "legal_status": "ngo", **kw})


def make_location(i: int = 1, org: str = "org-1", **kw) -> Location:
    values = {
        "id": f"loc-{i}",
        "organization_id": org,
        "name": f"Location {i}",
        "latitude": 46.77,
        "longitude": 23.59,
        "county_code": "CJ",
        "siruta": 54975,
    }
    return Location(**{**values, **kw})


def make_service(i: int = 1, org: str = "org-1", **kw) -> Service:
    values = {
        "id": f"svc-{i}",
        "organization_id": org,
        "name": f"Service {i}",
        "service_type": "legal_aid",
    }
    return Service(**{**values, **kw})


def seed_small(store: Store, n: int = 3) -> None:
    """One organisation with ``n`` services, each at its own location."""
    records = [make_org()]
    for i in range(1, n + 1):
        records += [
            make_location(i),
            make_service(i),
            ServiceAtLocation(f"sal-{i}", f"svc-{i}", f"loc-{i}"),
        ]
    store.bulk_insert(records, actor="test")


def build_demo_db(path: Path | str) -> Path | str:
    """A real database (a file or a URL) holding the demo directory and the demo accounts."""
    from directory.demo.accounts import add_demo_accounts
    from directory.demo.generator import load_demo

    with Store.init(path) as store:
        add_demo_accounts(store, load_demo(store, DATA_DIR, today=TODAY))
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo directory and its four accounts, built ONCE per session by the command users
    run (`python -m directory demo`). Never write to it: copy it with :func:`copy_demo`."""
    from directory.cli.main import main

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    with pytest.MonkeyPatch.context() as env:  # its key file beside it, whatever ran before
        env.delenv("PUNTE_AUDIT_KEY", raising=False)
        env.delenv("PUNTE_AUDIT_KEY_FILE", raising=False)
        assert main(["demo", "--db", str(path), "--today", TODAY.isoformat(), "--quiet"]) == 0
    return fold_wal(path)


def copy_demo(template: Path, dest: Path) -> Path:
    """A private copy of the session's demo database, for a test (or module) that writes."""
    shutil.copy(template, dest)
    # The audit log's key lives beside the database, never in it: the copy needs its own.
    key = template.with_name(template.name + ".audit-key")
    if key.exists():
        shutil.copy(key, dest.with_name(dest.name + ".audit-key"))
    return dest


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo database for this test."""
    return copy_demo(demo_template, tmp_path / "demo.db")


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: PgServer):
    """The demo directory on PostgreSQL, built once per session (per xdist worker). Never
    write to it: :func:`demo_any` makes each test a database from it as a template."""
    url = pg_server.new_database(prefix="punte_demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PUNTE_AUDIT_KEY", PG_AUDIT_KEY)
        build_demo_db(url)
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def demo_any(request, tmp_path: Path) -> Path | str:
    """A fresh copy of the demo directory for this test, on each backend."""
    return demo_copy(request, request.param, tmp_path)


def demo_copy(request, backend: str, folder: Path) -> Path | str:
    """A copy of the session's demo directory on ``backend``, for the fixture or test of
    ``request`` (a file copy, or a PostgreSQL database made from the template)."""
    if backend == "sqlite":
        return copy_demo(request.getfixturevalue("demo_template"), folder / "demo.db")
    template = request.getfixturevalue("pg_demo_template")
    return new_database(request, "postgresql", folder, copy_of=template)


def dump_text(store) -> str:
    """Every row of every table as text, on either backend (to prove a secret is absent)."""
    if store.dialect == "sqlite":
        return "\n".join(store.db.iterdump())
    tables = store.db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    return "\n".join(
        f"{t}: {row}" for (t,) in tables for row in store.db.execute(f'SELECT * FROM "{t}"')
    )


def drop_guard(store, trigger: str) -> None:
    """What an attacker with write access to the file or the server could do."""
    if store.dialect == "sqlite":
        store.db.execute(f"DROP TRIGGER {trigger}")
    else:
        store.db.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
