"""The audit log in the reader's words; demo names in the reader's language (issue 15 item 6)."""

from __future__ import annotations

import pytest

from directory.audit_view import EMPTY, actor_text, audit_rows, code_text, reason_text
from directory.demo.accounts import DEMO_USERS
from directory.demo.names import DEMO_NAMES, shown_name
from directory.i18n import LANGUAGES, catalog

ID = "3f2b8c1e-0000-4000-8000-000000000042"


@pytest.mark.parametrize(
    ("reason", "ro", "en"),
    [
        (None, EMPTY, EMPTY),
        ("  ", EMPTY, EMPTY),
        ("idle timeout", "sesiune expirată după inactivitate", "session expired after inactivity"),
        ("no_capacity", catalog("ro")["decline.no_capacity"], catalog("en")["decline.no_capacity"]),
        (f"accepted referral {ID}", "trimitere acceptată 3f2b8c1e", "accepted referral 3f2b8c1e"),
        (
            "closed before 2026-05-01, retention 180 days",
            "închise înainte de 01.05.2026, păstrare 180 zile",
            "closed before 01/05/2026, kept 180 days",
        ),
        ("court order 12/2026", "court order 12/2026", "court order 12/2026"),  # typed: as is
    ],
)
def test_reasons_in_the_readers_language(reason, ro, en):
    assert (reason_text(reason, "ro"), reason_text(reason, "en")) == (ro, en)


def test_codes_and_actors_in_words_never_none():
    names = {"demo-admin": "Andrei Stan, administrator (demo)"}
    assert code_text("action", "sign_in", "ro") == "autentificare"
    assert code_text("entity", "service_at_location", "en") == "service at a location"
    assert code_text("action", "brand_new_code", "en") == "brand new code"  # no raw key
    assert code_text("entity", None, "ro") == EMPTY
    assert actor_text("demo-admin", names, "ro") == names["demo-admin"]
    assert actor_text("system", names, "ro") == "sistem"
    assert actor_text("os-user", names, "en") == "os-user"
    row = {"id": 1, "at": "2026-11-30T15:13:00+00:00", "actor": None, "action": "export",
           "entity": "directory", "entity_id": None, "reason": None}  # fmt: skip
    (shown,) = audit_rows([row], names, "ro")
    assert shown == {"id": 1, "at": "30.11.2026, 17:13", "actor": EMPTY, "action": "export",
                     "entity": "director", "entity_id": EMPTY, "reason": EMPTY}  # fmt: skip


def test_demo_accounts_have_names_in_each_language_marked_demo():
    assert {name for name, *_ in DEMO_USERS} == set(DEMO_NAMES)
    for name, stored, _, _ in DEMO_USERS:
        assert stored == DEMO_NAMES[name]["ro"]  # the database keeps the Romanian one
        for lang in LANGUAGES:
            assert DEMO_NAMES[name][lang].endswith("(demo)")
            assert shown_name(name, stored, True, lang) == DEMO_NAMES[name][lang]
    assert "asistentă socială" in DEMO_NAMES["demo-caseworker"]["ro"]
    assert "caseworker" in DEMO_NAMES["demo-caseworker"]["en"]
    # A real account named like a demo one, or a renamed demo one, keeps the name it was given.
    assert shown_name("demo-caseworker", "Maria", False, "en") == "Maria"
    assert shown_name("demo-caseworker", "Maria", True, "en") == "Maria"
    # A demo database made before these names shows them too.
    assert shown_name("demo-admin", "Admin (demo)", True, "ro") == DEMO_NAMES["demo-admin"]["ro"]
