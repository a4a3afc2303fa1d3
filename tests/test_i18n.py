"""Both catalogs are complete, consistent and written with correct diacritics."""

from __future__ import annotations

import re
import string

from directory.i18n import LANGUAGES, catalog, translate

PLACEHOLDERS = string.Formatter()


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in PLACEHOLDERS.parse(text) if name}


def test_catalogs_have_the_same_keys():
    ro, en = catalog("ro"), catalog("en")
    assert set(ro) - set(en) == set()
    assert set(en) - set(ro) == set()


def test_translations_are_non_empty_with_the_same_placeholders():
    ro, en = catalog("ro"), catalog("en")
    for key in ro:
        assert ro[key].strip() and en[key].strip(), key
        assert fields(ro[key]) == fields(en[key]), key


def test_romanian_uses_comma_below_diacritics():
    for key, text in catalog("ro").items():
        assert not re.search("[şţŞŢ]", text), key


def test_every_key_used_in_the_code_exists():
    from .conftest import ROOT

    used = set()
    for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]:
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_.]*[a-z_])["']""", path.read_text(encoding="utf-8"))
        )
    for lang in LANGUAGES:
        assert used - set(catalog(lang)) == set(), lang


def test_unknown_key_shows_itself_so_tests_catch_it():
    assert translate("no.such.key", "en") == "no.such.key"
    assert translate("page.find", "xx") == "Găsește servicii"


def test_every_vocabulary_code_has_a_label():
    from directory import vocab

    needed = (
        [f"type.{c}" for c in vocab.SERVICE_TYPES]
        + [f"capacity.{c}" for c in vocab.CAPACITY_STATUSES]
        + [f"role.{c}" for c in vocab.ROLES]
        + [f"auth.error.{c}" for c in ("username_required", "password_required", "too_long")]
        + ["auth.error.invalid", "auth.error.locked", "precision.exact", "precision.generalised"]
    )
    for lang in LANGUAGES:
        assert [k for k in needed if k not in catalog(lang)] == [], lang
