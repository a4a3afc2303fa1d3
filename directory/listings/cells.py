"""Cell readers for imported rows: phones, e-mails, websites, numbers, dates, yes/no, genders.

Each reader appends a Problem (translation key, values, row, column) instead of raising, so
one row can collect every reason at once.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers

from directory import vocab
from directory.listings.problems import Problem
from directory.textnorm import fold as _fold_text


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """textnorm.fold, cached: a file repeats its providers, places and yes/no cells."""
    return _fold_text(text)


EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[a-zA-Z]{2,}$")
_FORMULA = ("=", "+", "-", "@")
# Columns where a leading + or - is part of a legitimate value.
_SIGNED_OK = {"phone", "latitude", "longitude"}
_YES = {"da", "yes", "y", "true", "1", "x", "adevarat"}
_NO = {"nu", "no", "n", "false", "0", "fals", ""}
_GENDERS = {
    "f": ("female",), "feminin": ("female",), "fete": ("female",), "female": ("female",),
    "girls": ("female",), "m": ("male",), "masculin": ("male",), "baieti": ("male",),
    "male": ("male",), "boys": ("male",),
}  # fmt: skip
_BOTH = {"", "ambele", "both", "mixt", "toti", "all", "f m", "m f", "fete baieti"}
LANGUAGES = {
    "romana": "ro", "romanian": "ro", "maghiara": "hu", "hungarian": "hu", "engleza": "en",
    "english": "en", "romani": "rom", "rromani": "rom", "ucraineana": "uk", "ukrainian": "uk",
    "germana": "de", "german": "de", "franceza": "fr", "french": "fr", "rusa": "ru",
    "russian": "ru", "araba": "ar", "arabic": "ar", "turca": "tr", "turkish": "tr",
}  # fmt: skip
_DISCLOSURES = {
    "": "public", "public": "public", "publica": "public", "nu": "public",
    "parteneri": "partners", "partners": "partners", "confidential": "on_accepted_referral",
    "confidentiala": "on_accepted_referral", "da": "on_accepted_referral",
    "on accepted referral": "on_accepted_referral", "never": "never", "niciodata": "never",
    "secret": "never",
}  # fmt: skip
LEGAL = {"public": "public", "publica": "public", "ngo": "ngo", "ong": "ngo",
          "asociatie": "ngo", "fundatie": "ngo", "private": "private", "privat": "private",
          "privata": "private"}  # fmt: skip
PUBLIC_BODIES = ("dgaspc", "directia generala", "primaria", "consiliul", "spas", "anitp")
CAPACITY = {"available": "available", "disponibil": "available", "locuri libere": "available",
             "liber": "available", "full": "full", "plin": "full", "ocupat": "full",
             "waitlist": "waitlist", "lista de asteptare": "waitlist", "unknown": "unknown",
             "necunoscut": "unknown", "": "unknown", "needs assessment": "needs_assessment",
             "needs_assessment": "needs_assessment", "necesita evaluare": "needs_assessment",
             "evaluare": "needs_assessment"}  # fmt: skip
SPECIALISATIONS = {
    "sexual": "sexual", "sexuala": "sexual", "exploatare sexuala": "sexual",
    "online": "online_sexual", "online sexual": "online_sexual", "online_sexual": "online_sexual",
    "exploatare sexuala online": "online_sexual", "sexuala online": "online_sexual",
    "labour": "labour", "labor": "labour", "munca": "labour", "munca fortata": "labour",
    "forced labour": "labour", "forced begging": "forced_begging",
    "forced_begging": "forced_begging", "cersetorie": "forced_begging",
    "cersetorie fortata": "forced_begging", "begging": "forced_begging",
}  # fmt: skip


def neutralise(column: str, value: str, row: int, p: list[Problem], w: list[Problem]) -> str:
    """A formula is refused; a leading + - @ in text is dropped, with a warning."""
    if not value.startswith(_FORMULA):
        return value
    if value.startswith("="):
        p.append(Problem("import.row.formula", {"value": value[:60]}, row, column))
        return value  # the row is invalid; keeping the text avoids a second "required" reason
    if column in _SIGNED_OK or is_number(value):
        return value
    stripped = value.lstrip("+-@ \t")
    w.append(Problem("import.warn.formula_prefix", {"value": value[:60]}, row, column))
    return stripped


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
        return True
    except ValueError:
        return False


def read_website(text: str, row: int, p: list[Problem]) -> str | None:
    if not text:
        return None
    url = text if "://" in text else "https://" + text
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in url:
        p.append(Problem("import.row.website", {"value": text}, row, "website"))
        return None
    return url


_RO_NUMBER = re.compile(r"(?:\+40|0040|0)?([237]\d{8})")
_PUNCTUATION = re.compile(r"[\s().-]+")


def _romanian(text: str) -> phonenumbers.PhoneNumber | None:
    """The usual Romanian shapes without phonenumbers' slow parser (validity still checked)."""
    match = _RO_NUMBER.fullmatch(_PUNCTUATION.sub("", text))
    if match is None:
        return None
    return phonenumbers.PhoneNumber(country_code=40, national_number=int(match.group(1)))


def read_phone(text: str, row: int, p: list[Problem], w: list[Problem]) -> str | None:
    if not text:
        return None
    first, *rest = [x for x in re.split(r"[/;,]| sau | or ", text) if x.strip()] or [text]
    if rest:
        w.append(
            Problem(
                "import.warn.extra_phones",
                {"kept": first.strip(), "dropped": ", ".join(rest)},
                row,
                "phone",
            )
        )
    number = _romanian(first)
    if number is None:
        try:
            number = phonenumbers.parse(first, "RO")
        except phonenumbers.NumberParseException:
            number = None
    if number is None or not phonenumbers.is_valid_number(number):
        p.append(Problem("import.row.phone", {"value": text}, row, "phone"))
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def read_int(c: dict[str, str], column: str, row: int, p: list[Problem]) -> int | None:
    text = c.get(column, "")
    if not text:
        return None
    match = re.fullmatch(
        r"\s*(\d{1,5})(?:[.,]0+)?\s*(ani|ani\.|years?|locuri|places|beds)?\s*", text, re.IGNORECASE
    )
    if match is None:
        p.append(Problem("import.row.number", {"value": text}, row, column))
        return None
    return int(match.group(1))


def read_date(c: dict[str, str], column: str, row: int, p: list[Problem]) -> date | None:
    text = c.get(column, "")
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    p.append(Problem("import.row.date", {"value": text}, row, column))
    return None


def read_bool(c: dict[str, str], column: str, row: int, p: list[Problem]) -> bool:
    value = fold(c.get(column, ""))
    if value in _YES or value not in _NO and value.startswith("da"):
        return True
    if value not in _NO:
        p.append(Problem("import.row.yes_no", {"value": c[column]}, row, column))
    return False


def read_disclosure(c: dict[str, str], row: int, p: list[Problem]) -> str:
    value = c.get("disclosure", "")
    code = _DISCLOSURES.get(fold(value), value if value in vocab.DISCLOSURES else None)
    if code is None:
        p.append(
            Problem(
                "import.row.disclosure",
                {"value": value, "allowed": ", ".join(vocab.DISCLOSURES)},
                row,
                "disclosure",
            )
        )
        return "public"
    return code


def read_genders(text: str, row: int, p: list[Problem]) -> tuple[str, ...]:
    key = fold(text)
    if key in _BOTH:
        return ("female", "male")
    found: set[str] = set()
    for part in re.split(r"[ ,;/]+", key):
        if part and part not in _GENDERS:
            p.append(Problem("import.row.genders", {"value": text}, row, "genders"))
            return ("female", "male")
        found.update(_GENDERS.get(part, ()))
    return tuple(g for g in vocab.GENDERS if g in found) or ("female", "male")


def read_specialisations(text: str, row: int, p: list[Problem]) -> tuple[str, ...]:
    """'sexuală; muncă forțată' → ('sexual', 'labour'), in the vocabulary's order."""
    found = set()
    for part in re.split(r"[,;/]", text):
        if not part.strip():
            continue
        code = SPECIALISATIONS.get(fold(part).replace("_", " ")) or SPECIALISATIONS.get(fold(part))
        if code is None:
            p.append(Problem("import.row.specialisation", {"value": part.strip()}, row,
                             "specialisations"))  # fmt: skip
        else:
            found.add(code)
    return tuple(c for c in vocab.SPECIALISATIONS if c in found)
