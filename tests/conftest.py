"""Shared fixtures: every test gets a real temporary SQLite file, never a mock."""

from __future__ import annotations

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


def build_demo_db(path: Path) -> Path:
    """A real database holding the demo directory and the four demo accounts."""
    from directory.demo.accounts import add_demo_accounts
    from directory.demo.generator import load_demo

    with Store.init(path) as store:
        add_demo_accounts(store, load_demo(store, DATA_DIR, today=TODAY))
    return path
