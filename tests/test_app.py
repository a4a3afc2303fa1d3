"""app.py under AppTest, on a real temporary database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from directory.demo import load_demo
from directory.store import Store

from .conftest import DATA_DIR, ROOT, TODAY, seed_small

APP = str(ROOT / "app.py")


def run_app(monkeypatch, db: Path, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("PUNTE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.session_state["lang"] = lang
    return at.run()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("app") / "demo.db"
    with Store.init(path) as store:
        load_demo(store, DATA_DIR, today=TODAY)
    return path


def test_demo_directory_shows_counts_and_banner(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db)
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Date demonstrative: toți furnizorii, adresele și telefoanele sunt fictive. "
        "Nu folosiți aceste date pentru cazuri reale."
    ]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Servicii"] == "480"
    assert "în 42 județe" in at.markdown[0].value


def test_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en")
    assert at.warning[0].value.startswith("Demo data: every provider")
    assert {m.label for m in at.metric} >= {"Services", "Locations"}


def test_no_banner_without_demo_data(monkeypatch, tmp_path):
    with Store.init(tmp_path / "real.db") as store:
        seed_small(store, n=2)
    at = run_app(monkeypatch, tmp_path / "real.db")
    assert not at.exception
    assert len(at.warning) == 0
    assert {m.label: m.value for m in at.metric}["Servicii"] == "2"


def test_missing_database_is_a_calm_error(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "missing.db")
    assert not at.exception
    assert "python -m directory init" in at.error[0].value
