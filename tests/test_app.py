"""app.py (the router) under AppTest, on a real temporary database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from directory.storage.store import Store

from .conftest import ROOT, copy_demo, seed_small, use_database

APP = str(ROOT / "app.py")
BANNER = (
    "Date demonstrative: toți furnizorii, adresele și telefoanele sunt fictive. "
    "Nu folosiți aceste date pentru cazuri reale."
)


def run_app(monkeypatch, db: Path, lang: str | None = None, user: str | None = None) -> AppTest:
    use_database(monkeypatch, db)
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.session_state["lang"] = lang
    if user:
        now = datetime.now(UTC).isoformat()
        at.session_state["auth"] = {"username": user, "last_seen": now}
    return at.run()


@pytest.fixture(scope="module")
def demo_db(demo_template, tmp_path_factory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("app") / "demo.db")


def test_demo_directory_shows_banner_and_sign_in_but_no_counts(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db)
    assert not at.exception
    assert [w.value for w in at.warning] == [BANNER]
    # An anonymous visitor learns nothing about the directory's size.
    assert not [c.value for c in at.sidebar.caption if "servicii" in c.value]
    assert at.title[0].value == "Autentificare în Punte"


def test_counts_after_sign_in(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, user="demo-partner")
    assert at.sidebar.caption[0].value.startswith("Directorul conține 480 servicii la 274 locații")
    assert "în 42 județe" in at.sidebar.caption[0].value


def test_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en")
    assert at.warning[0].value.startswith("Demo data: every provider")
    assert at.title[0].value == "Sign in to Punte"


@pytest.mark.parametrize(
    "user, first_page",
    [
        ("demo-caseworker", "Găsește servicii"),
        ("demo-coordinator", "Furnizori și servicii"),
        ("demo-partner", "Acoperire"),
        ("demo-admin", "Furnizori și servicii"),
    ],
)
def test_signed_in_user_lands_on_their_first_page(monkeypatch, demo_db, user, first_page):
    at = run_app(monkeypatch, demo_db, user=user)
    assert not at.exception
    assert at.title[0].value == first_page
    assert at.sidebar.button[0].label == "Ieșire din cont"


def test_sign_out_from_the_sidebar(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, user="demo-partner")
    at.sidebar.button[0].click().run()
    assert "auth" not in at.session_state
    assert at.title[0].value == "Autentificare în Punte"
    assert at.info[0].value == "Ați ieșit din cont."


def test_no_banner_without_demo_data(monkeypatch, tmp_path):
    with Store.init(tmp_path / "real.db") as store:
        seed_small(store, n=2)
    at = run_app(monkeypatch, tmp_path / "real.db")
    assert not at.exception
    assert len(at.warning) == 0


def test_missing_database_is_a_calm_error(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "missing.db")
    assert not at.exception
    assert "python -m directory init" in at.error[0].value


def test_sidebar_links_the_receivers_waiting_referrals(monkeypatch, demo_template, tmp_path):
    from directory.i18n import translate
    from directory.models import User
    from directory.referrals import workflow as referrals
    from directory.referrals.drafts import draft_from_match
    from matching.needs import Needs
    from matching.rank import Match

    db = copy_demo(demo_template, tmp_path / "attention.db")
    with Store(db) as s:
        coordinator = s.get(User, "demo-coordinator")
        sal = next(
            s.db.query(
                "SELECT sal.id FROM service_at_location sal JOIN service sv ON sv.id = "
                "sal.service_id WHERE sv.organization_id = ? LIMIT 1",
                [coordinator.organization_id],
            )
        )["id"]
        needs = Needs(46.6, 27.7, 15, ("shelter_emergency",), urgency="urgent")
        match = Match(sal, "shelter_emergency", 0.9, 1.0, 5, (), (), 0)
        draft = draft_from_match(
            needs, match, case_code="VS-2026-0142", consent_fields=("age",), origin_siruta=None
        )
        referrals.create(s, s.get(User, "demo-caseworker"), draft)
    at = run_app(monkeypatch, db, user="demo-coordinator")
    assert not at.exception
    links = at.sidebar.get("page_link")
    label = translate("attention.receiver", "ro", new=1, overdue=0)
    assert [link.proto.label for link in links] == [label]
    assert [toast.value for toast in at.get("toast")] == [label]
    # The caseworker has nothing declined or overdue: no line.
    assert not run_app(monkeypatch, db, user="demo-caseworker").sidebar.get("page_link")
