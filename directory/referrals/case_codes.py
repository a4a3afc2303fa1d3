"""Case codes: the code of the case in the sender's own system, never the child's identity.

The rule follows the shapes real codes take, not a list of names:

- 4–40 characters: capitals, digits, ``-`` and ``/`` (a UUID fits), with at least one digit;
- every run of letters is a county code (1–2 letters), a known institution acronym
  (``DGASPC``, ``ANITP``...), or a short abbreviation of at most 4 letters with at most one
  vowel (``NR``, ``DOS``, ``REF``). A longer run, or one with the vowels of a word, spells a
  name: ``POPESCU-MARIA-2011`` and ``MARIAPOPESCU1`` are refused;
- no run of 13 digits, nor a CNP split by separators; no phone number (Romanian mobile or
  fixed, with ``0``, ``+40`` or ``0040``); no e-mail address.

:func:`check_case_code` returns the normalised code or raises :class:`CaseCodeError`, whose
``reason`` the UI translates (``ref.invalid.case_code.<reason>``).
"""

from __future__ import annotations

import re

from directory.errors import ValidationError

MIN_LENGTH, MAX_LENGTH = 4, 40
# Institutions whose registry numbers appear in Romanian child-protection referrals.
ACRONYMS = frozenset(
    {
        "ANITP", "ANPDCA", "ANPDPD", "ANPIS", "CJRAE", "CMBRAE", "CPC", "CRAOR", "CSM",
        "DAS", "DGASMB", "DGASPC", "DGPMB", "DIICOT", "DPC", "DSP", "IGI", "IGPF", "IGPR",
        "IJJ", "IPJ", "ISJ", "ISU", "OPC", "SCJU", "SPAS", "SPC", "SPAC", "UAT",
    }
)  # fmt: skip
VOWELS = frozenset("AEIOUYĂÂÎ")
UUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
ALLOWED = re.compile(r"[A-Z0-9][A-Z0-9/-]*[A-Z0-9]")
# Romanian numbers: mobile 07xx xxx xxx, fixed 02x/03x, with 0, 40, +40 or 0040 in front.
PHONE = re.compile(r"(?:0040|40|0)[237]\d{8}")
# A CNP: sex/century digit, YYMMDD, county, serial and control digit.
CNP_SHAPE = re.compile(r"[1-9]\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{6}")
REASONS = ("required", "email", "phone", "cnp", "name", "characters", "length", "digit")
_MESSAGES = {
    "required": "write the code of the case in your own system",
    "email": "an e-mail address identifies a person",
    "phone": "a phone number identifies a person",
    "cnp": "13 digits have the shape of a personal numeric code (CNP)",
    "name": "its letters spell a word or a name",
    "characters": "use only capitals, digits, - and /",
    "length": f"use {MIN_LENGTH}–{MAX_LENGTH} characters",
    "digit": "a case code has at least one digit",
}
RULE = (
    "a case code is the code of the case in your own system, e.g. VS-2026-0142, 1234/2026, "
    "DGASPC-IS/1234/2026 or a UUID; never a name, CNP, phone number or e-mail address"
)


class CaseCodeError(ValidationError):
    """A case code was refused; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__("case_code", f"{_MESSAGES[reason]}: {RULE}")


def normalise(text: str) -> str:
    """Upper-case, trimmed, without spaces around ``-`` and ``/``."""
    return re.sub(r"\s*([/-])\s*", r"\1", text.strip().upper())


def _looks_like_phone(code: str) -> bool:
    packed = re.sub(r"[\s()./+-]", "", code)
    if packed.isdigit() and PHONE.fullmatch(packed):
        return True
    return any(PHONE.fullmatch(run) for run in re.findall(r"\d+", code))


def _looks_like_cnp(code: str) -> bool:
    """Any 13 digits in a row; or a CNP-shaped run once separators are taken out."""
    if re.search(r"\d{13}", code):
        return True
    packed = re.sub(r"[\s./-]", "", code)
    return any(CNP_SHAPE.fullmatch(packed, i, i + 13) for i in range(len(packed) - 12))


def _word_like(run: str) -> bool:
    if len(run) <= 2 or run in ACRONYMS:
        return False
    vowels = sum(c in VOWELS for c in run)
    return len(run) > 4 or vowels > 1 or (vowels == 1 and run[0] in VOWELS and len(run) > 3)


def check_case_code(text: str) -> str:
    """The normalised case code, or CaseCodeError saying why it is refused."""
    code = normalise(text or "")
    if not code:
        raise CaseCodeError("required")
    if "@" in code:
        raise CaseCodeError("email")
    if _looks_like_phone(code):
        raise CaseCodeError("phone")
    if _looks_like_cnp(code):
        raise CaseCodeError("cnp")
    if UUID.fullmatch(code):
        return code
    if any(_word_like(run) for run in re.findall(r"[^\W\d_]+", code)):
        raise CaseCodeError("name")
    if not ALLOWED.fullmatch(code):
        raise CaseCodeError("characters")
    if not MIN_LENGTH <= len(code) <= MAX_LENGTH:
        raise CaseCodeError("length")
    if not any(c.isdigit() for c in code):
        raise CaseCodeError("digit")
    return code
