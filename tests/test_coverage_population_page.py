"""The Coverage page's population: a partner's file for the session, an admin's for everyone."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory.coverage_data import demand
from directory.storage.store import Store

from .conftest import DATA_DIR, copy_demo
from .test_coverage_page import COVERAGE
from .test_pages import page


@pytest.fixture
def db(demo_template, tmp_path) -> Path:
    return copy_demo(demo_template, tmp_path / "demo.db")


def county_file(per_county: int = 1000) -> bytes:
    counties = sorted(set(demand(str(DATA_DIR)).county))
    return ("county_code,population\n" + "".join(f"{c},{per_county}\n" for c in counties)).encode()


def used(at) -> str:
    """The sentence at the top of the page that says which population is counted."""
    return at.info[0].value.replace("\\", "")  # values from data come markdown-escaped


def upload(at, data: bytes, name: str = "copii-2024.csv"):
    at.file_uploader(key="coverage_upload").set_value((name, data, "text/csv"))
    return at.run()


def test_an_admin_saves_the_file_for_everyone_and_goes_back(monkeypatch, db):
    at = page(monkeypatch, db, COVERAGE.path, role="admin")
    assert used(at).startswith("Populație: după domiciliu, 2020")
    at = upload(at, county_file())
    at.button(key="coverage_save").click().run()
    assert not at.exception and not at.error
    top = used(at)
    assert "copii-2024.csv" in top and "demo-admin" in top and "(42.000 copii)" in top
    assert top.startswith("Populație: copii, din fișierul") and "salvat pentru toți" in top
    with Store(db) as store:
        saved = store.saved_population()
        assert (saved.source, saved.saved_by, saved.level) == ("copii-2024.csv", "demo-admin",
                                                                "county")  # fmt: skip
        assert [r["actor"] for r in store.audit_rows(actions=["population_saved"])] == [
            "demo-admin"
        ]
    # A partner opening the page now counts the saved children, and is told so.
    partner = page(monkeypatch, db, COVERAGE.path, role="partner")
    assert "copii-2024.csv" in used(partner) and "demo-admin" in used(partner)
    # Back to the reference population, for everyone.
    at.button(key="coverage_revert").click().run()
    assert used(at).startswith("Populație: după domiciliu, 2020")
    with Store(db) as store:
        assert store.saved_population() is None
        assert store.audit_rows(actions=["population_reverted"])


def test_a_partner_uses_a_file_for_the_session_only_and_cannot_save_it(monkeypatch, db):
    at = page(monkeypatch, db, COVERAGE.path, role="partner")
    at = upload(at, county_file())
    keys = {b.key for b in at.button}
    assert "coverage_apply" in keys
    assert not keys & {"coverage_save", "coverage_revert"}  # nothing to make it permanent
    at.button(key="coverage_apply").click().run()
    assert not at.exception
    assert used(at) == "Populație: copii, din fișierul încărcat în această sesiune."
    assert any("42.000 copii" in s.value for s in at.success)
    with Store(db) as store:
        assert store.saved_population() is None
        assert not store.audit_rows(actions=["population_saved"])
    # Another session of the same partner still sees the reference population.
    assert used(page(monkeypatch, db, COVERAGE.path, role="partner")).startswith(
        "Populație: după domiciliu"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ro", ["Rândul 3: siruta 54975 apare de două ori", "Rândul 4: siruta „999999”",
                "Rândul 5: populația „multe”"]),
        ("en", ["Row 3: siruta 54975 appears twice", "Row 4: siruta \"999999\"",
                "Row 5: the population \"multe\""]),
    ],
)  # fmt: skip
def test_a_bad_file_names_each_row_and_field_in_the_users_language(monkeypatch, db, lang, expected):
    at = page(monkeypatch, db, COVERAGE.path, role="admin", lang=lang)
    at = upload(at, b"siruta,population\n54975,5\n54975,6\n999999,1\n1017,multe\n", "bad.csv")
    at.button(key="coverage_save").click().run()
    [error] = at.error
    for text in expected:
        assert text in error.value.replace("\\", "")
    with Store(db) as store:
        assert store.saved_population() is None
