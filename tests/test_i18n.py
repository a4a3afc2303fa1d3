"""Both catalogs are complete, consistent and written with correct diacritics."""

from __future__ import annotations

import re
import string
from pathlib import Path

from directory.i18n import LANGUAGES, catalog, translate

PLACEHOLDERS = string.Formatter()


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in PLACEHOLDERS.parse(text) if name}


def _matcher_keys() -> dict[str, tuple[str, ...]]:
    """Criteria named in a why-not reason, factors named where a score is explained, the
    accessibility a match shows, and the units of the travel limit."""
    from directory.vocab import ACCESSIBILITY, CHILD_FRIENDLY_CRITERIA
    from matching.rules import FACTORS

    return {
        "criterion.": CHILD_FRIENDLY_CRITERIA, "factor.": tuple(f.name for f in FACTORS),
        "access.": ACCESSIBILITY, "find.limit.": ("km", "min"),
    }  # fmt: skip


def test_catalogs_have_the_same_keys():
    ro, en = catalog("ro"), catalog("en")
    assert set(ro) - set(en) == set()
    assert set(en) - set(ro) == set()


def test_translations_are_non_empty_with_the_same_placeholders():
    ro, en = catalog("ro"), catalog("en")
    for key in ro:
        assert ro[key].strip() and en[key].strip(), key
        assert fields(ro[key]) == fields(en[key]), key


def test_each_key_has_one_translation():
    """A merge once left two msgstr lines under one msgid: Babel silently kept the first."""
    root = Path(__file__).resolve().parent.parent / "locale"
    for language in LANGUAGES:
        doubled, key, seen = [], None, False
        for line in (root / f"{language}.po").read_text(encoding="utf-8").splitlines():
            if line.startswith("msgid "):
                key, seen = line, False
            elif line.startswith("msgstr "):
                if seen:
                    doubled.append(key)
                seen = True
        assert doubled == [], f"{language}.po: {doubled}"


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


# A key built at run time ("type." + code) is a prefix in the code and a value from a
# vocabulary: each prefix names where its values come from, so every built key is checked.
DYNAMIC_CALL = re.compile(
    r"""\b(?:t|translate|tr)\(\s*(?:["']([a-z_.]+\.)["']\s*\+|f["']([a-z_.]+\.)\{)"""
)


def raised_reasons(path: str, error: str) -> tuple[str, ...]:
    """Every reason code a module raises ``error`` with, read from its source."""
    from .conftest import ROOT

    found = re.findall(rf'{error}\(\s*"([a-z_0-9]+)"', (ROOT / path).read_text())
    assert found, (path, error)
    return tuple(dict.fromkeys(found))


COVERAGE_UNITS = ("km", "min")  # the page measures coverage by road time or by distance


def _dynamic_keys() -> dict[str, tuple[str, ...]]:
    import matching.needs as needs_module
    from directory import vocab
    from directory.coverage_data import CHILDREN_SAVED, CHILDREN_UPLOAD
    from directory.listings.columns import COLUMNS
    from directory.referrals.workflow import CONSENT_FIELDS
    from gaps.model import DOMICILE_2020
    from matching.rules import RULE_NAMES
    from ui.coverage_downloads import KINDS as COVERAGE_DOWNLOADS
    from ui.needs_form import LANGUAGE_CHOICES

    from .conftest import ROOT

    # Every reason a PopulationFileError of the coverage upload can give.
    upload_errors = re.findall(
        r'PopulationFileError\(\s*"([a-z_0-9]+)"',
        (ROOT / "directory" / "coverage_data.py").read_text(),
    )
    assert upload_errors
    # Every field a ValidationError of the needs form can name.
    needs_fields = re.findall(
        r'ValidationError\(\s*"([a-z_]+)"', (ROOT / "matching" / "needs.py").read_text()
    )
    assert needs_module.Needs and needs_fields
    return {
        **_matcher_keys(),
        "type.": vocab.SERVICE_TYPES,
        "capacity.": vocab.CAPACITY_STATUSES,
        "status.": vocab.REFERRAL_STATUSES,
        "urgency.": vocab.URGENCIES,
        "role.": vocab.ROLES,
        "gender.": vocab.GENDERS,
        "decline.": vocab.DECLINE_REASONS,
        "precision.": ("exact", "generalised"),
        "rule_name.": RULE_NAMES,
        "lang.": tuple(LANGUAGE_CHOICES),
        "requirement.": needs_module.REQUIREMENTS,
        "exploitation.": needs_module.EXPLOITATION_TYPES,
        "consent.": tuple(CONSENT_FIELDS),
        "find.origin.mode.": ("search", "list", "map"),
        "auth.error.": ("username_required", "password_required", "too_long", "locked", "invalid"),
        "ref.invalid.": ("case_code", "consent_fields"),
        "ref.error.": (
            "decline_reason",
            "status",
            "choose_status",
            "cancel_reason",
            "confirm",
            "resend",
        ),  # fmt: skip
        "find.case_mark.": ("open", "declined"),
        "field.": tuple(dict.fromkeys(needs_fields)),
        "coverage.measure.": COVERAGE_UNITS,
        "coverage.unit.": COVERAGE_UNITS,
        "coverage.summary.": COVERAGE_UNITS,
        "coverage.whatif.": ("add", "close"),
        "coverage.download.": COVERAGE_DOWNLOADS,
        "coverage.basis.": (DOMICILE_2020, CHILDREN_UPLOAD, CHILDREN_SAVED),
        "coverage.upload_error.": tuple(dict.fromkeys(upload_errors)),
        "import.col.": tuple(c.name for c in COLUMNS),
        "import.field.": tuple(c.name for c in COLUMNS),
        # MergePlan.moves and merge results (directory/listings/merge.py).
        "merge.moves.": ("location", "service", "user", "referral", "link", "capacity_link"),
        "account.password.error.": raised_reasons("directory/access/account.py", "PasswordError"),
        "disclosure.": vocab.DISCLOSURES,
        "legal.": vocab.LEGAL_STATUSES,
        "listings.kind.": ("organization", "location", "service"),
        # RowResult.status and ImportReport.mapping_source (directory/listings/).
        "import.status.": ("valid", "invalid", "out_of_scope", "duplicate", "blank"),
        "import.mapping.": ("suggested", "remembered", "given"),
        "accounts.invalid.": ("username", "display_name", "role"),
        "ref.invalid.case_code.": raised_reasons(
            "directory/referrals/case_codes.py", "CaseCodeError"
        ),
        # The two e-mail notices of directory/referrals/notify.py, each a subject and a body.
        "notice.": tuple(
            f"{kind}.{part}"
            for kind in ("new_emergency", "overdue")
            for part in ("subject", "body")
        ),
    }


def test_every_key_built_at_run_time_exists():
    from .conftest import ROOT

    known = _dynamic_keys()
    prefixes = set()
    for path in [
        ROOT / "app.py",
        *(ROOT / "ui").rglob("*.py"),
        *(ROOT / "directory").rglob("*.py"),
    ]:
        for plain, formatted in DYNAMIC_CALL.findall(path.read_text(encoding="utf-8")):
            prefixes.add(plain or formatted)
    assert prefixes - set(known) == set(), "say where the values of these prefixes come from"
    assert {"type.", "status.", "capacity.", "lang."} <= prefixes  # the scan does find them
    for lang in LANGUAGES:
        missing = [
            p + v for p, values in known.items() for v in values if p + v not in catalog(lang)
        ]
        assert missing == [], lang


def test_every_reason_key_of_the_matcher_exists():
    from directory.vocab import CAPACITY_STATUSES
    from matching.rules import FACTORS, RULES

    keys = {rule.text_key for rule in RULES}
    keys |= {f"reason.capacity.{c}" for c in CAPACITY_STATUSES}
    keys |= {"reason.capacity.stale", "reason.distance", "reason.distance_approximate"}
    keys |= {f"reason.{flag}.{yes}" for flag in ("trafficking", "intake") for yes in ("yes", "no")}
    keys |= {f"reason.verified.{s}" for s in ("never", "recent", "stale")}
    keys |= {f"reason.language.{s}" for s in ("speaks", "interpreter", "none")}
    assert len(FACTORS) == 6  # a new factor brings new sentences: add their keys above
    for lang in LANGUAGES:
        assert sorted(keys - set(catalog(lang))) == [], lang


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
