"""Shared fixtures: every test gets a real temporary SQLite file, never a mock."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path):
    with Store.init(tmp_path / "punte.db") as s:
        yield s


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo directory and its four accounts, built ONCE per session by the command users
    run (`python -m directory demo`). Never write to it: copy it with :func:`copy_demo`."""
    from directory.cli.main import main

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    assert main(["demo", "--db", str(path), "--today", TODAY.isoformat(), "--quiet"]) == 0
    # Fold the write-ahead log into the file, so copying the one file copies everything.
    with sqlite3.connect(path) as db:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    db.close()
    assert busy == 0
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    return path


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
