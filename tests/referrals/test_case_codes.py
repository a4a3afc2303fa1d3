"""Case codes: real formats accepted, a child's identity refused with the reason why."""

from __future__ import annotations

import pytest

from directory.errors import ValidationError
from directory.i18n import translate
from directory.referrals.case_codes import REASONS, CaseCodeError, check_case_code

ACCEPTED = [
    ("VS-2026-0142", "VS-2026-0142"),
    ("vs-2026-0142", "VS-2026-0142"),
    ("  VS - 2026 - 0142 ", "VS-2026-0142"),
    ("1234/2026", "1234/2026"),
    ("1234 / 2026", "1234/2026"),
    ("DGASPC-IS/1234/2026", "DGASPC-IS/1234/2026"),
    ("dgaspc-is/1234/2026", "DGASPC-IS/1234/2026"),
    ("DGASPC/VS/12", "DGASPC/VS/12"),
    ("DGASMB-S3/455/2025", "DGASMB-S3/455/2025"),
    ("ANITP-2026-0001", "ANITP-2026-0001"),
    ("DIICOT/123/D/P/2025", "DIICOT/123/D/P/2025"),
    ("IGPR-45120/2026", "IGPR-45120/2026"),
    ("CRAOR-2026-77", "CRAOR-2026-77"),
    ("IPJ-CJ/3321/2026", "IPJ-CJ/3321/2026"),
    ("SPAS-BV-2026-12", "SPAS-BV-2026-12"),
    ("B-2026-7", "B-2026-7"),
    ("CJ-2025-0999", "CJ-2025-0999"),
    ("TL/2026/0042", "TL/2026/0042"),
    ("NR-12/2026", "NR-12/2026"),
    ("DOS-2026-318", "DOS-2026-318"),
    ("REF-0042", "REF-0042"),
    ("A1B2", "A1B2"),
    ("0142", "0142"),
    ("12345/03.04".replace(".", "/"), "12345/03/04"),
    ("2026-000123", "2026-000123"),
    ("123456789012", "123456789012"),  # 12 digits: not a CNP's shape, not a phone
    ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
    ("DEADBEEF-FACE-CAFE-BEAD-00000000ABCD", "DEADBEEF-FACE-CAFE-BEAD-00000000ABCD"),
    ("550E8400-E29B-41D4-A716-446655440000", "550E8400-E29B-41D4-A716-446655440000"),
    ("AG-2026/0015", "AG-2026/0015"),
    ("SCJU-CJ/88/2026", "SCJU-CJ/88/2026"),
    ("ISU-MS-2026-3", "ISU-MS-2026-3"),
    ("X9-2026", "X9-2026"),
    ("DGASPC-IS/1234/2026/0001/0002/0003/00045", "DGASPC-IS/1234/2026/0001/0002/0003/00045"),
]

REFUSED = [
    ("", "required"),
    ("   ", "required"),
    # a personal numeric code (CNP), bare or split
    ("6091231123456", "cnp"),
    ("1850101123456", "cnp"),
    ("VS-6091231123456", "cnp"),
    ("609-1231-123456", "cnp"),
    ("6 091231 123456", "cnp"),
    ("9999999999999", "cnp"),  # 13 digits, whatever the control digit
    # phone numbers
    ("0722123456", "phone"),
    ("0722 123 456", "phone"),
    ("0722-123-456", "phone"),
    ("+40722123456", "phone"),
    ("+40 722 123 456", "phone"),
    ("0040722123456", "phone"),
    ("0264123456", "phone"),  # fixed line, Cluj
    ("021 312 3456", "phone"),  # fixed line, Bucharest
    ("VS-0722123456", "phone"),
    # e-mail addresses
    ("maria.popescu@example.org", "email"),
    ("MP2011@YAHOO.COM", "email"),
    # names, with or without a year or digits
    ("POPESCU-MARIA-2011", "name"),
    ("maria-popescu-2010", "name"),
    ("MARIAPOPESCU1", "name"),
    ("Ana Popescu", "name"),
    ("ANA-2011", "name"),
    ("ANA-POP", "name"),
    ("POPESCU ANA 2", "name"),
    ("ION/2026", "name"),
    ("ELENA-12", "name"),
    ("IONESCU-A-2012", "name"),
    ("Andrei2010", "name"),
    ("MARIA1", "name"),
    ("VS-POPESCU-12", "name"),
    ("P0PESCU-2011", "name"),
    ("A" * 23 + "1", "name"),
    # shape
    ("VS_2026_01", "characters"),
    ("-VS-2026", "characters"),
    ("VS#2026", "characters"),
    ("AB1", "length"),
    ("DGASPC-IS/1234/2026/0001/0002/0003/000456", "length"),
    ("DGASPC-VS", "digit"),
]


@pytest.mark.parametrize("given, stored", ACCEPTED)
def test_real_case_codes_are_accepted(given, stored):
    assert check_case_code(given) == stored


@pytest.mark.parametrize("given, reason", REFUSED)
def test_identity_and_malformed_codes_are_refused_with_the_reason(given, reason):
    with pytest.raises(CaseCodeError) as e:
        check_case_code(given)
    assert e.value.reason == reason
    assert isinstance(e.value, ValidationError) and e.value.field == "case_code"
    assert "VS-2026-0142" in str(e.value)  # says what a case code looks like


def test_the_table_is_large_enough():
    assert len(ACCEPTED) >= 30 and len(REFUSED) >= 30


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_every_reason_and_the_rule_are_translated(lang):
    for reason in REASONS:
        key = f"ref.invalid.case_code.{reason}"
        assert translate(key, lang) != key
    assert "VS-2026-0142" in translate("ref.case_code_help", lang)
