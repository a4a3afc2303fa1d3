"""The provider's capacity page, opened from a link without an account (AppTest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from directory.listings import links
from directory.models import Service, User
from directory.storage.store import Store

from .conftest import ROOT, seed_small, use_database

PAGE = ROOT / "ui" / "pages" / "capacity_update.py"
ANA = User("ana", "Ana", "coordinator", "$argon2id$x", organization_id="org-1")


@pytest.fixture
def linked(db_url, monkeypatch):
    """On each backend."""
    path = db_url
    with Store.init(path) as s:
        seed_small(s, n=1)
        s.update(s.get(Service, "svc-1").replace(name="Adăpost Speranța"), actor="t")
        s.insert(ANA, actor="t")
        loc = s.db.execute("SELECT address_1 FROM location").fetchone()
        assert loc is not None
        url, link = links.create_link(
            s, ANA, "svc-1", now=datetime.now(UTC), days=3, public_url="http://x"
        )
    use_database(monkeypatch, path)
    return path, parse_qs(urlsplit(url).query)[links.QUERY_PARAM][0], link


def open_page(token: str) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["lang"] = "ro"
    at.query_params[links.QUERY_PARAM] = token
    return at.run()


def test_the_page_shows_the_service_and_capacity_fields_only(linked):
    path, token, _ = linked
    at = open_page(token)
    assert not at.exception
    assert [x.value for x in at.subheader] == ["Adăpost Speranța"]
    labels = {w.label for w in [*at.selectbox, *at.number_input]}
    assert labels == {"Capacitate", "Locuri disponibile", "Locuri în total"}
    assert len(at.text_input) == 0 and len(at.dataframe) == 0
    assert not any("Location" in m.value or "23.59" in m.value for m in at.markdown)
    assert "Fără raport de capacitate" in [c.value for c in at.caption]  # never reported yet


def test_an_update_from_the_page_is_saved_and_logged_under_the_link(linked):
    path, token, link = linked
    at = open_page(token)
    at.selectbox(key="capacity_link_status").set_value("available")
    at.number_input(key="capacity_link_free").set_value(2)
    at.number_input(key="capacity_link_total").set_value(5)
    at.button(key="FormSubmitter:capacity_link_form-Salvați capacitatea").click().run()
    assert [x.value for x in at.success] == ["Mulțumim: capacitatea a fost salvată."]
    with Store(path) as s:
        svc = s.get(Service, "svc-1")
        actors = [(r["actor"], r["action"]) for r in s.audit_history("service", "svc-1")]
    assert (svc.capacity_status, svc.beds_available, svc.beds_total) == ("available", 2, 5)
    assert (links.actor_of(link), "open_link") in actors
    assert (links.actor_of(link), "update") in actors


def test_a_wrong_or_revoked_link_shows_only_a_message(linked):
    path, token, link = linked
    at = open_page(token + "x")
    assert [x.value for x in at.error] == [
        "Acest link nu este valid. Cereți un link nou coordonatorului care vi l-a trimis."
    ]
    assert len(at.subheader) == 0 and len(at.selectbox) == 0
    with Store(path) as s:
        s.revoke_capacity_link(link.token_hash, "ana", datetime.now(UTC) - timedelta(seconds=1))
    at = open_page(token)
    assert at.error[0].value.startswith("Acest link a fost retras.")
