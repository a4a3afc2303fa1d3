"""Text normalisation for matching Romanian names typed in any way."""

from __future__ import annotations

import re
import unicodedata

# Cedilla forms are a legacy encoding of ș/ț that still turns up in spreadsheets.
_CEDILLA = str.maketrans({"ş": "ș", "Ş": "Ș", "ţ": "ț", "Ţ": "Ț"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fix_diacritics(text: str) -> str:
    """Replace cedilla ş/ţ with the correct comma-below ș/ț."""
    return text.translate(_CEDILLA)


def fold(text: str) -> str:
    """Lower-case, strip diacritics, and turn punctuation and hyphens into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_only).strip()
