"""Pure parsing of a Romanian address or place query into street, number and place parts.

People write addresses in many orders (``Str. Mihai Viteazu nr. 12, Sighișoara, jud. Mureș``,
``Sighisoara, str Mihai Viteazu 12, Mures``, ``700100 Iași, B-dul Independenței 5 bl. A3``), so
the parser works on words, not positions: street types, number markers, county and kind
prefixes, sectors and postal codes are recognised wherever they stand; what is left are the
place parts, in the order typed, for the geocoder to resolve against the gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from directory.errors import ValidationError
from directory.places.place_names import COUNTY_SHORT_NAMES, KIND_PREFIXES, STREET_TYPES, loose
from directory.textnorm import fix_diacritics, fold

MAX_QUERY_LENGTH = 200
COUNTY_PREFIXES = frozenset({"jud", "judet", "judetul", "judeţul"})
# Number markers → the field they fill.
NUMBER_MARKERS: dict[str, str] = {
    "nr": "number", "no": "number", "numar": "number", "numarul": "number",
    "bl": "block", "bloc": "block", "blocul": "block",
    "sc": "staircase", "scara": "staircase",
    "et": "floor", "etaj": "floor", "etajul": "floor",
    "ap": "apartment", "apt": "apartment", "apartament": "apartment", "apartamentul": "apartment",
}  # fmt: skip
SECTOR_WORDS = frozenset({"sector", "sectorul", "sect", "sec"})
_SECTOR_TOKEN = re.compile(r"^s([1-6])$")  # S3, as on Bucharest street signs and lists
_HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-z]?$|^\d{1,4}bis$")
_POSTAL = re.compile(r"^\d{6}$")
_TOKEN = re.compile(r"[^\W_]+")
_SEPARATORS = re.compile(r"[,;\n]")
IGNORED = frozenset({"romania", "ro"})
_POSTAL_WORDS = frozenset({"cod", "postal", "cp"})
MONTHS = frozenset(
    [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ]
)
# Kind prefixes that may also end a name ("Abrud Sat") only count when a name follows them.
_TRAILING_OK = frozenset({"sat", "satul"})
_TYPE_LABELS = frozenset(STREET_TYPES.values())


@dataclass(frozen=True)
class PlacePart:
    """One place named in the query: its folded readings (most literal first) and kind hint."""

    readings: tuple[str, ...]
    kind: str | None = None
    # County named at the end of the part without a comma ("Sfantu Gheorghe Tulcea"): applies
    # to the last reading, which has it cut off.
    tail_county: str | None = None
    typed: tuple[str, ...] = ()  # each reading as typed: lower case, diacritics kept

    @property
    def text(self) -> str:
        """The reading without any kind prefix."""
        return self.readings[-1]


@dataclass(frozen=True)
class Address:
    """What the parser read from one query."""

    places: tuple[PlacePart, ...] = ()
    county: str | None = None
    sector: int | None = None
    postal_code: str = ""
    street: str = ""  # street type and name, e.g. "Str. Mihai Viteazu"
    number: str = ""
    block: str = ""
    staircase: str = ""
    floor: str = ""
    apartment: str = ""
    # (street kept, place text) pairs to try when a street swallowed the place for lack of commas
    street_tails: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def address_1(self) -> str:
        """The street line as listings store it: 'Str. Mihai Viteazu nr. 12, bl. A3, ap. 12'."""
        head = " ".join(p for p in (self.street, f"nr. {self.number}" if self.number else "") if p)
        extra = [
            f"{label} {value}"
            for label, value in (
                ("bl.", self.block),
                ("sc.", self.staircase),
                ("et.", self.floor),
                ("ap.", self.apartment),
            )  # fmt: skip
            if value
        ]
        return ", ".join(p for p in (head, *extra) if p)


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


@dataclass
class _Segment:
    """A run of words of one role inside a comma-separated part."""

    role: str  # place | street | county
    words: list[str] = field(default_factory=list)  # folded
    raw: list[str] = field(default_factory=list)  # as typed
    kind: str | None = None
    prefix: list[str] = field(default_factory=list)  # folded kind prefix words
    numbered: bool = False  # a street that already has its house number


@dataclass
class _State:
    segments: list[_Segment] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    sector: int | None = None
    postal: str = ""


def _street_type(words: list[str], i: int) -> tuple[str, int] | None:
    """The canonical street type starting at words[i] and how many words it takes."""
    for n in (2, 1):
        label = STREET_TYPES.get(" ".join(words[i : i + n]))
        if label and i + n <= len(words):
            return label, n
    return None


def _scan(raw_part: str, state: _State, known: Container[str]) -> None:
    """Read one comma-separated part word by word into segments and fields."""
    raw = _TOKEN.findall(raw_part)
    words = [fold(w).replace(" ", "") for w in raw]
    # A part that is itself a place named like a street ("Fundătura", "Calea Mare") stays one.
    if _street_type(words, 0) and " ".join(words) in known:
        state.segments.append(_Segment("place", words, raw))
        return
    current: _Segment | None = None
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        street = _street_type(words, i)
        if _POSTAL.match(w):
            state.postal = state.postal or w
        elif w in _POSTAL_WORDS and nxt is not None and (_POSTAL.match(nxt) or nxt == "postal"):
            pass
        elif w in SECTOR_WORDS and nxt is not None and nxt in "123456" and len(nxt) == 1:
            state.sector, i = int(nxt), i + 1
        elif _SECTOR_TOKEN.match(w):
            state.sector = int(w[1])
        elif w in NUMBER_MARKERS and nxt is not None:
            state.fields.setdefault(NUMBER_MARKERS[w], raw[i + 1])
            i += 1
            if current is not None and current.role == "place" and not current.kind:
                current.role, current.raw = "street", current.raw  # 'Turzii nr. 5': a street
            if current is not None and current.role == "street":
                current.numbered = True
        elif w in COUNTY_PREFIXES and nxt is not None:
            current = _Segment("county")
            state.segments.append(current)
        elif street and (current is None or current.role != "street" or current.numbered):
            label, n = street
            current = _Segment("street", [], [label])
            state.segments.append(current)
            i += n - 1
        elif (
            w in KIND_PREFIXES
            and nxt is not None
            and (current is None or w not in _TRAILING_OK or current.role != "place")
        ):
            current = _Segment("place", kind=KIND_PREFIXES[w], prefix=[w])
            state.segments.append(current)
        elif (
            current is not None
            and current.role == "street"
            and not current.numbered
            and _HOUSE_NUMBER.match(w)
            and len(current.words) > 0
            and current.words[-1] not in MONTHS
        ):
            state.fields.setdefault("number", raw[i])
            current.numbered = True
        else:
            if current is None or (current.role == "street" and current.numbered):
                current = _Segment("place")
                state.segments.append(current)
            current.words.append(w)
            current.raw.append(raw[i])
        i += 1


def _plain_street(segment: _Segment, state: _State) -> bool:
    """A place segment that ends in a house number ('Mihai Viteazu 12') is a street."""
    if segment.role != "place" or segment.kind or len(segment.words) < 2:
        return False
    if not _HOUSE_NUMBER.match(segment.words[-1]) or segment.words[-2] in MONTHS:
        return False
    state.fields.setdefault("number", segment.raw[-1])
    segment.role, segment.raw = "street", segment.raw[:-1]
    segment.words = segment.words[:-1]
    return True


def _trailing_county(text: str, counties: Mapping[str, str]) -> tuple[str, str] | None:
    """Split 'sfantu gheorghe tulcea' into ('sfantu gheorghe', 'TL') when it ends in a county."""
    tokens = text.split()
    for n in (3, 2, 1):
        if len(tokens) > n:
            code = counties.get(" ".join(tokens[-n:]))
            if code:
                return " ".join(tokens[:-n]), code
    return None


def parse_address(
    query: str, counties: Mapping[str, str], known: Container[str] = frozenset()
) -> Address:
    """Read a query into an Address; ``counties`` maps folded names and codes to county codes.

    ``known`` holds folded place names, so that a place named like a street type ("Calea
    Mare") typed alone is read as a place.
    """
    state = _State()
    for raw_part in _SEPARATORS.split(fix_diacritics(validate_query(query))):
        _scan(raw_part, state, known)
    county: str | None = None
    street_raw: list[str] = []
    places: list[_Segment] = []
    for seg in state.segments:
        if seg.role == "county":
            text = " ".join(seg.words)
            county = county or counties.get(text) or COUNTY_SHORT_NAMES.get(text)
        elif seg.role == "street" or _plain_street(seg, state):
            street_raw = street_raw or seg.raw
        elif seg.words and " ".join(seg.words) not in IGNORED:
            places.append(seg)
    # A bare county name or code after the first place is the county ("Turda, Cluj", "..., CJ").
    kept: list[_Segment] = []
    for seg in places:
        text = " ".join(seg.words)
        if kept and not seg.kind and county is None and text in counties:
            county = counties[text]
        elif not (kept and not seg.kind and county and counties.get(text) == county):
            kept.append(seg)
    parts = []
    for seg in kept:
        text, typed = " ".join(seg.words), loose(" ".join(seg.raw))
        readings = [(" ".join(seg.prefix + seg.words), " ".join([*seg.prefix, typed]))]
        if seg.prefix:
            readings.append((text, typed))
        split = _trailing_county(text, counties) if county is None else None
        if split:
            readings.append((split[0], typed))
        parts.append(
            PlacePart(
                tuple(r for r, _ in readings),
                seg.kind,
                split[1] if split else None,
                tuple(t for _, t in readings),
            )  # fmt: skip
        )
    f = state.fields
    return Address(
        tuple(parts), county, state.sector, state.postal, " ".join(street_raw),
        f.get("number", ""), f.get("block", ""), f.get("staircase", ""), f.get("floor", ""),
        f.get("apartment", ""), _street_tails(street_raw) if not parts else (),
    )  # fmt: skip


def _street_tails(street_raw: list[str]) -> tuple[tuple[str, str], ...]:
    """Ways to cut the last 1-3 words off a street as the place ('Str Avram Iancu Turda')."""
    out = []
    if street_raw and street_raw[0] not in _TYPE_LABELS:  # 'Arcalia nr. 12': maybe a village
        out.append(("", fold(" ".join(street_raw))))
    for n in (3, 2, 1):
        if len(street_raw) > n + 1:
            out.append((" ".join(street_raw[:-n]), fold(" ".join(street_raw[-n:]))))
    return tuple(out)
