"""Changing one's own password: the current one is asked; weak new ones are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from directory.access.account import PasswordError, change_password, is_common
from directory.access.passwords import hash_password, verify_password
from directory.i18n import translate
from directory.models import User
from directory.storage.store import Store
from ui.registry import PAGES

from .conftest import use_database

OLD = "an old but long passphrase"
NEW = "copper kettle under moss"


@pytest.fixture
def ana(store):
    store.insert(User("ana", "Ana", "caseworker", hash_password(OLD)), actor="test")
    return store.get(User, "ana")


@pytest.mark.parametrize(
    "current, new, repeat, reason",
    [
        ("wrong current pass", NEW, NEW, "current_wrong"),
        (OLD, NEW, NEW + "x", "mismatch"),
        (OLD, "short1!", "short1!", "too_short"),
        (OLD, "x" * 257 + "y", "x" * 257 + "y", "too_long"),
        (OLD, "password123", "password123", "common"),
        (OLD, "Parola2026!", "Parola2026!", "common"),
        (OLD, "qwertyuiop", "qwertyuiop", "common"),
        (OLD, "1234567890", "1234567890", "common"),
        (OLD, "punte-demo-caseworker", "punte-demo-caseworker", "common"),
        (OLD, "aaaaaaaaaaaa", "aaaaaaaaaaaa", "common"),
        (OLD, "my name is ana, ok?", "my name is ana, ok?", "has_username"),
        (OLD, OLD, OLD, "same"),
    ],
)
def test_weak_or_wrong_changes_are_refused_and_change_nothing(
    store, ana, current, new, repeat, reason
):
    with pytest.raises(PasswordError) as e:
        change_password(store, ana, current, new, repeat)
    assert e.value.reason == reason
    assert verify_password(store.get(User, "ana").password_hash, OLD)
    for lang in ("ro", "en"):
        key = f"account.password.error.{reason}"
        assert translate(key, lang) != key


def test_a_good_change_is_saved_and_audited(store, ana):
    saved = change_password(store, ana, OLD, NEW, NEW)
    assert saved.version == ana.version + 1
    stored = store.get(User, "ana")
    assert verify_password(stored.password_hash, NEW) and not verify_password(
        stored.password_hash, OLD
    )
    row = store.db.execute(
        "SELECT actor, action, after FROM audit_log WHERE entity = 'user' ORDER BY id DESC"
    ).fetchone()
    assert row[:2] == ("ana", "update") and "password_hash" not in (row[2] or "")


def test_the_common_list_is_not_fooled_by_case_or_a_tail():
    assert is_common("PASSWORD") and is_common("Romania2026!!") and is_common("ILoveYou123")
    assert not is_common(NEW)


def test_account_page_changes_the_password(monkeypatch, db_url):
    db = db_url
    with Store.init(db) as s:
        s.insert(User("ana", "Ana", "caseworker", hash_password(OLD)), actor="test")
    use_database(monkeypatch, db)
    spec = next(p for p in PAGES if p.slug == "account")
    at = AppTest.from_file(str(spec.path), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["auth"] = {"username": "ana", "last_seen": datetime.now(UTC).isoformat()}
    at.run()
    current, new, repeat = at.text_input
    current.input("not the password")
    new.input(NEW)
    repeat.input(NEW)
    at = at.button(key="FormSubmitter:account_password-Change password").click().run()
    assert at.error[0].value == translate("account.password.error.current_wrong", "en")
    current, new, repeat = at.text_input
    current.input(OLD)
    new.input(NEW)
    repeat.input(NEW)
    at = at.button(key="FormSubmitter:account_password-Change password").click().run()
    assert not at.exception and at.success[0].value.startswith("Your password was changed")
    with Store(db) as s:
        assert verify_password(s.get(User, "ana").password_hash, NEW)
