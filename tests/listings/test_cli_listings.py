"""`capacity` and `verify` from the command line, on a real database in a subprocess."""

from __future__ import annotations

from datetime import date

import pytest

from directory.models import Service
from directory.storage.store import Store

from ..conftest import seed_small
from ..test_cli import cli


@pytest.fixture
def db(db_url):
    """On each backend."""
    path = db_url
    with Store.init(path) as s:
        seed_small(s, n=1)
    return path


def test_capacity_sets_status_and_places(db):
    result = cli("capacity", "svc-1", "--status", "available", "--beds", "2", "--of", "6", db=db)
    assert result.returncode == 0, result.stderr
    assert "available, 2 of 6 places" in result.stdout
    with Store(db) as s:
        svc = s.get(Service, "svc-1")
    assert (svc.capacity_status, svc.beds_available, svc.beds_total) == ("available", 2, 6)
    assert svc.capacity_as_of == date.today()


def test_capacity_with_more_free_than_total_says_so_and_changes_nothing(db):
    result = cli("capacity", "svc-1", "--status", "available", "--beds", "9", "--of", "6", db=db)
    assert result.returncode == 1
    assert "beds_available: 9 places available is more than the 6 in total." in result.stderr
    with Store(db) as s:
        assert s.get(Service, "svc-1").version == 1


def test_verify_records_the_date_and_an_unknown_service_is_named(db):
    result = cli("verify", "svc-1", db=db)
    assert result.returncode == 0, result.stderr
    with Store(db) as s:
        svc = s.get(Service, "svc-1")
    assert (svc.assured_date, svc.assurer) == (date.today(), "cli")
    missing = cli("verify", "svc-404", db=db)
    assert missing.returncode == 1 and "svc-404" in missing.stderr


def test_merge_shows_the_plan_on_a_dry_run_then_merges(tmp_path):
    path = tmp_path / "m.db"
    with Store.init(path) as s:
        seed_small(s, n=2)
    dry = cli("merge", "service", "svc-1", "svc-2", "--take", "name", "--dry-run", db=path)
    assert dry.returncode == 0, dry.stderr
    assert "name: Service 1 | Service 2  [take]" in dry.stdout
    assert "Moves from svc-2 to svc-1: 1 link, 0 referral." in dry.stdout
    with Store(path) as s:
        assert s.get(Service, "svc-2").status == "active"  # a dry run changes nothing
    done = cli("merge", "service", "svc-1", "svc-2", "--take", "name", db=path)
    assert done.returncode == 0, done.stderr
    with Store(path) as s:
        assert s.get(Service, "svc-1").name == "Service 2"
        assert s.get(Service, "svc-2").status == "inactive"
    again = cli("merge", "service", "svc-1", "svc-2", db=path)
    assert again.returncode == 1 and "merged into svc-1 already" in again.stderr
