"""The Coverage page as a partner reads it: in either language, and with nothing to show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from directory.models import User
from directory.storage.store import Store

from .conftest import copy_demo
from .test_coverage_page import COVERAGE, map_script
from .test_pages import page, texts


@pytest.fixture(scope="module")
def db(demo_template, tmp_path_factory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("coverage_lang") / "demo.db")


def test_choices_survive_a_switch_to_english_and_back(monkeypatch, db):
    at = page(monkeypatch, db, COVERAGE.path, role="partner")
    at.selectbox(key="coverage_type.ro").set_value("medical").run()
    at.radio(key="coverage_by.ro").set_value("km").run()
    assert not at.exception
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    kind, by = at.selectbox(key="coverage_type.en"), at.radio(key="coverage_by.en")
    assert (kind.value, by.value) == ("medical", "km")
    assert by.options == ["minutes", "kilometres"] and "Medical care" in kind.options
    summary = next(m.value for m in at.markdown if m.value.startswith("In "))
    assert "km by road from a medical care service" in summary
    at.session_state["lang"] = "ro"
    at.run()
    assert at.radio(key="coverage_by.ro").value == "km" and not at.exception
    assert at.selectbox(key="coverage_type.ro").value == "medical"


def test_english_page_has_no_romanian_words_of_its_own(monkeypatch, db):
    at = page(monkeypatch, db, COVERAGE.path, role="partner", lang="en")
    script = map_script(at)
    assert "Road network: " in script and "OpenStreetMap contributors" in script
    assert "extras de geo-spatial" not in script and "Limite administrative" not in script
    shown = " ".join(texts(at))
    assert "Total newly covered population: " in shown
    total = re.search(r"Total newly covered population: ([\d,]+)\.", shown).group(1)
    assert "," in total  # 87,757 in English ...
    ro = page(monkeypatch, db, COVERAGE.path, role="partner")
    assert f"Total populație nou acoperită: {total.replace(',', '.')}." in " ".join(texts(ro))


def test_a_type_without_any_provider_says_so_plainly(monkeypatch, tmp_path):
    empty = tmp_path / "empty.db"
    with Store.init(empty) as store:
        store.insert(User("demo-partner", "Partner", "partner", "$argon2id$unset"), actor="test")
    for lang, words in (("ro", "nu are niciun furnizor"), ("en", "has no provider of this type")):
        at = page(monkeypatch, empty, COVERAGE.path, role="partner", lang=lang)
        assert not at.exception
        assert words in at.warning[0].value
        worst = at.dataframe[1].value
        assert len(worst.columns) == 3 and not worst.isna().any().any()  # no empty distances
        assert "None" not in " ".join(texts(at)) and "nan" not in " ".join(texts(at)).split()
