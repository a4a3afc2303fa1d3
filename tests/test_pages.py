"""Every page under AppTest on its own, on a real demo database: roles, language, safety."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from directory.demo.accounts import DEMO_USERS, add_demo_accounts
from directory.demo.generator import load_demo
from directory.storage.store import Store
from ui.registry import PAGES, SIGN_IN

from .conftest import BACKENDS, DATA_DIR, TODAY, demo_copy, use_database

ROLE_USER = {role: name for name, _, role, _ in DEMO_USERS}
KEY_LIKE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request, tmp_path_factory) -> Path | str:
    """The demo directory on each backend: every page test runs on SQLite and PostgreSQL."""
    return demo_copy(request, request.param, tmp_path_factory.mktemp("pages"))


def page(
    monkeypatch, db: Path, file: Path, role: str | None = None, lang: str = "ro", **state
) -> AppTest:
    use_database(monkeypatch, db)
    at = AppTest.from_file(str(file), default_timeout=60)
    at.session_state["lang"] = lang
    if role:
        at.session_state["auth"] = {
            "username": ROLE_USER[role],
            "last_seen": datetime.now(UTC).isoformat(),
        }
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def texts(at: AppTest) -> list[str]:
    """Every string a user can read on the page."""
    out = [
        e.value for kind in ("title", "subheader", "markdown", "caption") for e in getattr(at, kind)
    ]
    out += [e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind)]
    out += [
        w.label
        for kind in ("button", "text_input", "selectbox", "multiselect")
        for w in getattr(at, kind)
    ]
    for frame in at.dataframe:
        out += [str(c) for c in frame.value.columns]
    return [str(x) for x in out]


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
def test_page_without_sign_in_shows_nothing(monkeypatch, demo_db, spec):
    at = page(monkeypatch, demo_db, spec.path)
    assert not at.exception
    assert [w.value for w in at.warning] == ["Autentificați-vă pentru a vedea această pagină."]
    assert len(at.dataframe) == 0


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.slug)
@pytest.mark.parametrize("role", sorted(ROLE_USER))
def test_each_role_opens_only_its_pages(monkeypatch, demo_db, spec, role):
    at = page(monkeypatch, demo_db, spec.path, role=role)
    assert not at.exception, at.exception
    denied = [e.value for e in at.error] == [
        "Nu aveți acces la această pagină cu rolul dumneavoastră. Nu sunt afișate date."
    ]
    assert denied is (role not in spec.roles)
    if denied:
        assert len(at.dataframe) == 0 and len(at.title) == 0


def test_query_params_and_forged_session_keys_grant_nothing(monkeypatch, demo_db):
    admin = next(p for p in PAGES if p.slug == "admin")
    use_database(monkeypatch, demo_db)
    at = AppTest.from_file(str(admin.path), default_timeout=60)
    at.query_params["role"] = "admin"
    at.query_params["username"] = "demo-admin"
    at.session_state["auth"] = {
        "username": "demo-partner",
        "role": "admin",  # ignored: the role is read from the database
        "last_seen": datetime.now(UTC).isoformat(),
    }
    at.run()
    assert "Nu aveți acces" in at.error[0].value
    assert len(at.dataframe) == 0


def test_idle_session_expires(monkeypatch, demo_db):
    account = next(p for p in PAGES if p.slug == "account")
    old = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    at = page(monkeypatch, demo_db, account.path, auth={"username": "demo-admin", "last_seen": old})
    assert "auth" not in at.session_state
    assert at.warning[0].value == "Autentificați-vă pentru a vedea această pagină."
    with Store(demo_db) as store:
        last = store.db.execute("SELECT action, reason FROM audit_log ORDER BY id DESC").fetchone()
    assert tuple(last) == ("sign_out", "idle timeout")


def _sign_in(monkeypatch, db, username: str, password: str) -> AppTest:
    at = page(monkeypatch, db, SIGN_IN.path)
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def test_sign_in_page_signs_in(monkeypatch, demo_db):
    at = _sign_in(monkeypatch, demo_db, "demo-partner", "punte-demo-partner")
    assert not at.exception
    assert at.session_state["auth"]["username"] == "demo-partner"


@pytest.mark.parametrize(
    "username, password, message",
    [
        ("", "x", "Introduceți numele de utilizator."),
        ("demo-partner", "", "Introduceți parola."),
        ("x" * 10_000, "whatever", "Numele de utilizator (cel mult 32 de caractere)"),
        ("demo-partner", "wrong-password", "Numele de utilizator sau parola nu sunt corecte."),
        ("no-such-user", "wrong-password", "Numele de utilizator sau parola nu sunt corecte."),
    ],
)
def test_sign_in_page_refuses_with_a_clear_message(
    monkeypatch, demo_db, username, password, message
):
    at = _sign_in(monkeypatch, demo_db, username, password)
    assert not at.exception
    assert at.error[0].value.startswith(message)
    assert "auth" not in at.session_state


def test_sign_in_lockout_message(monkeypatch, db_url):
    db = db_url
    with Store.init(db) as store:
        add_demo_accounts(store, load_demo(store, DATA_DIR, today=TODAY))
    for _ in range(5):
        _sign_in(monkeypatch, db, "demo-coordinator", "wrong-password")
    at = _sign_in(monkeypatch, db, "demo-coordinator", "punte-demo-coordinator")
    # The first wait is one minute; it doubles with each further failure.
    assert at.error[0].value.startswith(
        "Prea multe încercări nereușite. Încercați din nou peste 1 "
    )


@pytest.mark.parametrize("lang", ["ro", "en"])
@pytest.mark.parametrize("spec", [*PAGES, SIGN_IN], ids=lambda s: s.slug)
def test_no_untranslated_text(monkeypatch, demo_db, spec, lang):
    role = next(iter(sorted(spec.roles)), None)
    at = page(monkeypatch, demo_db, spec.path, role=role, lang=lang)
    assert not at.exception
    shown = texts(at)
    assert shown
    assert [s for s in shown if KEY_LIKE.match(s)] == []


def test_english_page(monkeypatch, demo_db):
    account = next(p for p in PAGES if p.slug == "account")
    at = page(monkeypatch, demo_db, account.path, role="partner", lang="en")
    assert at.title[0].value == "My account"
    assert at.button[-1].label == "Sign out"


def test_partner_sees_no_confidential_address(monkeypatch, demo_db):
    coverage = next(p for p in PAGES if p.slug == "coverage")
    at = page(monkeypatch, demo_db, coverage.path, role="partner")
    shown = "".join(frame.value.to_csv() for frame in at.dataframe)
    with Store(demo_db) as store:
        secret = {
            r[0]
            for r in store.db.execute(
                "SELECT address_1 FROM location "
                "WHERE disclosure != 'public' AND address_1 IS NOT NULL"
            )
        }
    assert secret and shown
    assert not [s for s in secret if s in shown]


def test_coordinator_reveals_with_a_reason(monkeypatch, demo_db):
    listings = next(p for p in PAGES if p.slug == "listings")
    at = page(monkeypatch, demo_db, listings.path, role="coordinator")
    assert not at.exception
    at.text_input(key="listings_reveal_reason").input("plasament în urgență")
    reveal_button(at).click().run()
    assert any(x.value.startswith("Adresa exactă:") for x in at.success)
    with Store(demo_db) as store:
        row = store.db.execute(
            "SELECT actor, reason FROM audit_log WHERE action = 'reveal' ORDER BY id DESC"
        ).fetchone()
    assert tuple(row) == ("demo-coordinator", "plasament în urgență")


def test_reveal_without_reason_is_refused(monkeypatch, demo_db):
    listings = next(p for p in PAGES if p.slug == "listings")
    at = page(monkeypatch, demo_db, listings.path, role="coordinator")
    reveal_button(at).click().run()
    assert any(x.value.startswith("Scrieți în câteva cuvinte") for x in at.error)


def reveal_button(at: AppTest):
    """The reveal form's button (the Listings page has many others)."""
    return next(b for b in at.button if b.key.startswith("FormSubmitter:listings_reveal"))


def test_markdown_in_user_text_is_inert():
    from ui.widgets import md

    assert md("[click](javascript:alert(1)) **x** <b>") == (
        r"\[click\]\(javascript\:alert\(1\)\) \*\*x\*\* \<b\>"
    )


@pytest.mark.parametrize("spec", [*PAGES, SIGN_IN], ids=lambda s: s.slug)
def test_no_built_in_english_placeholder(monkeypatch, demo_db, spec):
    """Streamlit's own 'Choose options' and 'Select all' would bypass the translations."""
    role = next(iter(sorted(spec.roles)), None)
    at = page(monkeypatch, demo_db, spec.path, role=role)
    for widget in at.multiselect:
        assert widget.proto.placeholder not in ("", "Choose options"), widget.label
        assert not widget.proto.select_all, widget.label
