"""Pure parsing of a typed Romanian place query into a name and hints (kind, county, commune)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from directory.errors import ValidationError
from directory.textnorm import fix_diacritics, fold

MAX_QUERY_LENGTH = 200

# Folded prefix word → the kind of place it announces.
KIND_PREFIXES: dict[str, str] = {
    "mun": "municipiu",
    "municipiu": "municipiu",
    "municipiul": "municipiu",
    "oras": "oraș",
    "orasul": "oraș",
    "or": "oraș",
    "com": "comună",
    "comuna": "comună",
    "sat": "sat",
    "satul": "sat",
    "loc": "sat",
    "localitatea": "sat",
}
COUNTY_PREFIXES = frozenset({"jud", "judet", "judetul"})
# Markers that may start a new part mid-text when the user typed no commas. "sat" is left out
# because names such as "Abrud Sat" end with it.
_INNER_MARKERS = COUNTY_PREFIXES | {"com", "comuna", "mun", "municipiul", "oras", "orasul"}
_SECTOR = re.compile(r"\bsect(?:or(?:ul)?)?\s*([1-6])\b")
_SEPARATORS = re.compile(r"[,;\n]")
_POSTAL_CODE = re.compile(r"^\d{6}$")
_IGNORED = frozenset({"romania", "ro"})
BUCHAREST_NAMES = frozenset({"bucuresti", "bucharest", "municipiul bucuresti", "b"})


@dataclass(frozen=True)
class ParsedQuery:
    """One reading of a query: folded name plus optional hints."""

    name: str
    kind: str | None = None
    county: str | None = None
    commune: str | None = None
    sector: int | None = None


@dataclass(frozen=True)
class _Part:
    """One comma-separated part of a query, classified."""

    tag: str  # "plain" | "named" | "county"
    text: str  # folded text after any prefix word
    literal: str  # folded text as typed, prefix included
    kind: str | None = None


def county_index(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map folded county names and lower-case codes to the county code."""
    index: dict[str, str] = {}
    for code, name in pairs:
        index[fold(name)] = code
        index[code.lower()] = code
    return index


def validate_query(query: str) -> str:
    """Return the stripped query, or raise ValidationError when empty or too long."""
    if not isinstance(query, str) or not query.strip():
        raise ValidationError("query", "Type the name of a locality, for example 'Brașov'.")
    text = query.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            "query", f"A place name has at most {MAX_QUERY_LENGTH} characters; shorten it."
        )
    return text


def _split_inner(tokens: list[str]) -> list[list[str]]:
    """Split a token list where a marker word (jud, com, ...) starts a new part."""
    parts: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        if i > 0 and token in _INNER_MARKERS and i < len(tokens) - 1 and parts[-1]:
            parts.append([])
        parts[-1].append(token)
    return parts


def _classify(tokens: list[str]) -> _Part:
    """Tag one part by its leading prefix word."""
    literal = " ".join(tokens)
    rest = " ".join(tokens[1:])
    if len(tokens) > 1 and tokens[0] in COUNTY_PREFIXES:
        return _Part("county", rest, literal)
    if len(tokens) > 1 and tokens[0] in KIND_PREFIXES:
        return _Part("named", rest, literal, KIND_PREFIXES[tokens[0]])
    return _Part("plain", literal, literal)


def _parts(text: str) -> tuple[list[_Part], int | None]:
    """Cut the query into classified parts and pull out a Bucharest sector number."""
    sector: int | None = None
    parts: list[_Part] = []
    for raw in _SEPARATORS.split(fix_diacritics(text)):
        folded = fold(raw)
        match = _SECTOR.search(folded)
        if match:
            sector = int(match.group(1))
            folded = (folded[: match.start()] + " " + folded[match.end() :]).strip()
        tokens = folded.split()
        if tokens:
            parts.extend(_classify(chunk) for chunk in _split_inner(tokens))
    return parts, sector


def _pick_name(parts: list[_Part]) -> _Part | None:
    """Choose the part naming the place: an explicit village first, else the first non-county."""
    for part in parts:
        if part.kind == "sat":
            return part
    return next((p for p in parts if p.tag != "county"), None)


def _trailing_county(name: str, counties: Mapping[str, str]) -> tuple[str, str] | None:
    """Split 'Sfantu Gheorghe Tulcea' into ('sfantu gheorghe', 'TL') when it ends in a county."""
    tokens = name.split()
    for n in (3, 2, 1):
        if len(tokens) > n:
            code = counties.get(" ".join(tokens[-n:]))
            if code:
                return " ".join(tokens[:-n]), code
    return None


def parse_query(query: str, counties: Mapping[str, str]) -> list[ParsedQuery]:
    """Read a query into readings, the most literal first (a name like 'Sat Nou' stays whole)."""
    parts, sector = _parts(validate_query(query))
    name_part = _pick_name(parts)
    county: str | None = None
    commune: str | None = None
    for part in parts:
        if part is name_part:
            continue
        if part.tag == "county" or (part.tag == "plain" and part.text in counties):
            county = county or counties.get(part.text)
        elif part.text in _IGNORED or _POSTAL_CODE.match(part.text):
            continue
        elif commune is None:
            commune = part.text
    base = ParsedQuery("", county=county, commune=commune, sector=sector)
    if name_part is None:
        return [base]
    readings = [replace(base, name=name_part.literal)]
    if name_part.tag == "named":
        readings.append(replace(base, name=name_part.text, kind=name_part.kind))
    if county is None:
        for reading in list(readings):
            split = _trailing_county(reading.name, counties)
            if split:
                readings.append(replace(reading, name=split[0], county=split[1]))
    return readings
