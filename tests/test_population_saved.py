"""A child population saved for everyone: stored, audited, only by an admin, reversible."""

from __future__ import annotations

import pytest

from directory.coverage_data import (
    CHILDREN_SAVED,
    PopulationFileError,
    demand,
    revert_population,
    save_population,
    with_saved,
)
from directory.errors import PermissionDeniedError
from directory.models import User
from directory.storage.store import Store

from .conftest import DATA_DIR

ADMIN = User("boss", "Boss", "admin", "$argon2id$unset")
PARTNER = User("donor", "Donor", "partner", "$argon2id$unset")


@pytest.fixture
def store(db_url):
    with Store(db_url, create=True, audit_key=b"k" * 32) as s:
        yield s


@pytest.fixture(scope="module")
def base():
    return demand(str(DATA_DIR))


def county_file(base, value=lambda c: 100) -> bytes:
    rows = ["county_code,population"] + [f"{c},{value(c)}" for c in sorted(set(base.county))]
    return ("\n".join(rows) + "\n").encode()


def test_nothing_saved_means_the_reference_population(store, base):
    assert store.saved_population() is None
    assert with_saved(base, None) is base
    assert not revert_population(store, ADMIN)  # nothing to go back from: no audit row
    assert store.audit_rows(actions=["population_reverted"]) == []


def test_an_admin_saves_a_population_for_everyone_with_who_when_and_source(store, base):
    saved = save_population(store, ADMIN, county_file(base), "copii-2024.csv", base)
    again = store.saved_population()
    assert again == saved
    assert (again.level, again.source, again.saved_by) == ("county", "copii-2024.csv", "boss")
    assert again.total == pytest.approx(100 * len(set(base.county)))
    assert again.saved_at  # ISO time, UTC
    used = with_saved(base, again)
    assert used.basis == CHILDREN_SAVED
    assert used.population[base.county == "CJ"].sum() == pytest.approx(100)
    [row] = store.audit_rows(actions=["population_saved"])
    assert (row["actor"], row["entity"], row["entity_id"]) == ("boss", "population_set", "1")
    assert store.verify_audit().ok


def test_a_second_save_replaces_the_first_and_going_back_restores_the_reference(store, base):
    save_population(store, ADMIN, county_file(base), "a.csv", base)
    save_population(store, ADMIN, county_file(base, lambda c: 7), "b.csv", base)
    assert store.saved_population().source == "b.csv"
    assert revert_population(store, ADMIN)
    assert store.saved_population() is None  # not back to a.csv: back to the reference
    actions = [r["action"] for r in store.audit_rows(actions=["population_saved",
                                                              "population_reverted"])]  # fmt: skip
    assert actions == ["population_reverted", "population_saved", "population_saved"]


def test_a_partner_may_not_save_or_revert(store, base):
    with pytest.raises(PermissionDeniedError):
        save_population(store, PARTNER, county_file(base), "x.csv", base)
    save_population(store, ADMIN, county_file(base), "x.csv", base)
    with pytest.raises(PermissionDeniedError):
        revert_population(store, PARTNER)
    assert store.saved_population().source == "x.csv"
    assert [r["actor"] for r in store.audit_rows(actions=["population_saved"])] == ["boss"]


def test_a_bad_file_changes_nothing_and_names_every_bad_row(store, base):
    save_population(store, ADMIN, county_file(base), "good.csv", base)
    count = store.counts()["audit_log"]
    rows = ["siruta,population", "54975,5", "54975,6", "999999,1", "1017,many"]
    with pytest.raises(PopulationFileError) as e:
        save_population(store, ADMIN, ("\n".join(rows)).encode(), "bad.csv", base)
    found = [(p.key, p.row, p.values.get("column")) for p in e.value.problems]
    assert found == [
        ("duplicate", 3, "siruta"),
        ("unknown_code", 4, "siruta"),
        ("bad_number", 5, "population"),
    ]
    assert store.saved_population().source == "good.csv"
    assert store.counts()["audit_log"] == count


def test_a_failed_write_leaves_the_population_in_use(store, base, monkeypatch):
    save_population(store, ADMIN, county_file(base), "good.csv", base)
    from directory.storage import audit

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(RuntimeError):
        save_population(store, ADMIN, county_file(base, lambda c: 3), "new.csv", base)
    with pytest.raises(RuntimeError):
        revert_population(store, ADMIN)
    monkeypatch.undo()
    assert store.saved_population().source == "good.csv"
    assert store.db["population_set"].count == 1


def test_the_command_line_counts_the_saved_population_too(store, base):
    import argparse

    from directory.cli.coverage import coverage_report
    from directory.settings import Settings

    settings = Settings.from_env({"PUNTE_DATA_DIR": str(DATA_DIR)})
    args = argparse.Namespace(
        service_type="legal_aid", child_friendly=False, threshold_km=None, threshold_min=60.0,
        worst=3, suggest=0,
    )  # fmt: skip
    assert coverage_report(args, settings, store)["population_basis"] == "domicile_2020"
    save_population(store, ADMIN, county_file(base), "copii.csv", base)
    report = coverage_report(args, settings, store)
    assert report["population_basis"] == CHILDREN_SAVED
    assert report["population"] == pytest.approx(100 * len(set(base.county)))
