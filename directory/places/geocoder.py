"""Offline geocoder over the Romanian gazetteer: addresses and place names to UATs and villages.

A query is parsed into street, numbers and place parts (address_parse); the place parts are
looked up by name (name_index); this module decides between the places found: the county
given is a hard limit, a village inside a commune named in the query beats one elsewhere, and
typed alone a name ranks its places by importance (county seat, town by population, commune,
village). Every answer carries a score and a match kind; a typo beyond a small budget is never
guessed, the caller gets "not found" with suggestions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from directory.errors import GeocodeError, NotFoundError
from directory.places.address_parse import Address, PlacePart, parse_address
from directory.places.gazetteer import BUCHAREST_SIRUTA, Gazetteer, load_gazetteer
from directory.places.name_index import TOKEN_PREFIX, Hit, NameIndex
from directory.places.place_names import county_index
from directory.places.reverse import PolygonIndex, ReverseResult
from directory.textnorm import fold

UAT_ABBREVIATION = {"municipiu": "mun.", "oraș": "oraș", "comună": "com.", "sector": ""}
KIND_FITS = {
    "municipiu": {"municipiu", "sector"}, "oraș": {"oraș"}, "comună": {"comună"}, "sat": {"sat"}
}  # fmt: skip
# Importance classes: ambiguity is reported only between places of the same class.
SEAT, TOWN, COMMUNE, VILLAGE = 0, 1, 2, 3
IMPORTANCE = {"municipiu": TOWN, "oraș": TOWN, "sector": TOWN, "comună": COMMUNE, "sat": VILLAGE}
STRONG = frozenset({"exact", "normalised", "abbreviation"})
BASE_SCORE = {"exact": 100.0, "normalised": 99.0, "abbreviation": 97.0, "county": TOKEN_PREFIX}
KIND_MISMATCH, COMMUNE_MISMATCH, POSTAL_MISMATCH = 3.0, 5.0, 1.0
SUGGEST_COUNT = 5
BUCHAREST_NAMES = frozenset({"bucuresti", "bucharest", "buc", "municipiul bucuresti", "b"})
# The first two digits of a postal code name the county (Bucharest: 01-06, one per sector).
POSTAL_COUNTY = {
    "07": "IF", "08": "GR", "10": "PH", "11": "AG", "12": "BZ", "13": "DB", "14": "TR",
    "20": "DJ", "21": "GJ", "22": "MH", "23": "OT", "24": "VL", "30": "TM", "31": "AR",
    "32": "CS", "33": "HD", "40": "CJ", "41": "BH", "42": "BN", "43": "MM", "44": "SM",
    "45": "SJ", "50": "BV", "51": "AB", "52": "CV", "53": "HR", "54": "MS", "55": "SB",
    "60": "BC", "61": "NT", "62": "VN", "70": "IS", "71": "BT", "72": "SV", "73": "VS",
    "80": "GL", "81": "BR", "82": "TL", "90": "CT", "91": "CL", "92": "IL",
}  # fmt: skip
_BUCHAREST_POSTAL = re.compile(r"^0([1-6])\d{4}$")


@dataclass(frozen=True)
class Candidate:
    """One place a query may mean, with its point and how well it matched."""

    name: str
    kind: str
    county_code: str
    county_name: str
    siruta: int
    uat_siruta: int
    uat_name: str
    latitude: float
    longitude: float
    precision: str
    score: float
    uat_kind: str = field(default="", compare=False)
    match: str = "exact"  # exact | normalised | abbreviation | prefix | fuzzy | county | sector
    importance: int = VILLAGE  # SEAT, TOWN, COMMUNE or VILLAGE

    def label(self) -> str:
        """Human label such as 'Arcalia (sat, com. Șieu-Măgheruș, Bistrița-Năsăud)'."""
        if self.kind != "sat":
            return f"{self.name} ({self.kind}, {self.county_name})"
        uat = f"{UAT_ABBREVIATION.get(self.uat_kind, '')} {self.uat_name}".strip()
        return f"{self.name} (sat, {uat}, {self.county_name})"


@dataclass(frozen=True)
class Located:
    """A geocoded query: what the parser read, and the places it may mean, best first."""

    query: str
    address: Address
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    @property
    def ambiguous(self) -> bool:
        return Geocoder.is_ambiguous(list(self.candidates))


def _places(gaz: Gazetteer) -> tuple[list[Candidate], list[int]]:
    """Every UAT, the city of Bucharest and every locality, with their populations.

    A seat village named like its UAT is the UAT itself ("Ciugud", "Avram Iancu"): it is
    returned once, as the UAT, so a commune and its own village are one answer.
    """
    seats = set(gaz.county_seats().values())
    places: list[Candidate] = []
    pops: list[int] = []
    index: dict[int, int] = {}
    for u in gaz.uats:
        index[u.siruta] = len(places)
        importance = SEAT if u.siruta in seats else IMPORTANCE[u.kind]
        places.append(Candidate(
            u.name, u.kind, u.county_code, u.county_name, u.siruta, u.siruta, u.name, u.lat,
            u.lon, "uat_seat", 0.0, u.kind, "exact", importance,
        ))  # fmt: skip
        pops.append(u.population)
    centre = places[index[179169]]  # the GeoNames centre of the city lies in Sector 3
    places.append(Candidate(
        "București", "municipiu", "B", centre.county_name, BUCHAREST_SIRUTA, centre.siruta,
        centre.name, *gaz.bucharest_centre, "city_sector_unknown", 0.0, "municipiu", "exact", SEAT,
    ))  # fmt: skip
    pops.append(sum(u.population for u in gaz.uats if u.kind == "sector"))
    for loc in gaz.localities:
        uat = places[index[loc.uat_siruta]]
        if loc.kind == "seat" and fold(loc.name) == fold(uat.name):
            continue
        # A point that is only the UAT's says nothing about where the village is.
        precision = "uat_only" if loc.coord_source == "uat_point" else "locality"
        places.append(Candidate(
            loc.name, "sat", uat.county_code, uat.county_name, loc.siruta, uat.siruta, uat.name,
            loc.lat, loc.lon, precision, 0.0, uat.kind, "exact", VILLAGE,
        ))  # fmt: skip
        pops.append(loc.population)
    return places, pops


class Geocoder:
    """Forward geocoding of addresses and names, and reverse geocoding by UAT polygon."""

    def __init__(self, data_dir: Path, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._places, self._pops = _places(gazetteer)
        self._index = NameIndex(
            [p.name for p in self._places], [p.county_code for p in self._places]
        )
        self._by_siruta = {p.siruta: i for i, p in enumerate(self._places) if p.kind != "sat"}
        self._county_names = gazetteer.counties()
        self._counties = county_index(self._county_names.items())
        self._seats = {c: self._by_siruta[s] for c, s in gazetteer.county_seats().items()}
        self._sectors = {
            int(p.name[-1]): i for i, p in enumerate(self._places) if p.kind == "sector"
        }
        self._polygons = PolygonIndex(data_dir)

    @classmethod
    def from_data_dir(cls, data_dir: str | Path) -> Geocoder:
        """Build over data_dir's gazetteer; polygons load on the first reverse()."""
        return cls(Path(data_dir), load_gazetteer(data_dir))

    # -- forward -----------------------------------------------------------------------------

    def parse(self, query: str) -> Address:
        """What the parser reads in a query (street, numbers, place parts, county, sector)."""
        return parse_address(query, self._counties, self._index)

    def locate(self, query: str) -> Located:
        """Parse and resolve a query; raises GeocodeError when no place fits."""
        address = self.parse(query)
        hits = self._resolve(address)
        if not hits:
            raise self._not_found(query, address)
        ranked = sorted(hits.items(), key=lambda kv: self._rank_key(kv[0], kv[1]))
        return Located(
            query,
            address,
            tuple(replace(self._places[i], match=m, score=round(s, 1)) for i, (m, s) in ranked),
        )

    def geocode(self, query: str, limit: int = 10) -> list[Candidate]:
        """Every place the query may mean, best first; raises GeocodeError when none."""
        return list(self.locate(query).candidates[: max(limit, 1)])

    def best(self, query: str) -> Candidate:
        """The top candidate for query."""
        return self.locate(query).best

    @staticmethod
    def is_ambiguous(candidates: list[Candidate]) -> bool:
        """True when the first two candidates match equally well and are equally important."""
        if len(candidates) < 2:
            return False
        a, b = candidates[0], candidates[1]
        if a.importance != b.importance:
            return False
        if a.match in STRONG and b.match in STRONG:
            return BASE_SCORE[a.match] - a.score == BASE_SCORE[b.match] - b.score
        return a.match == b.match and a.score == b.score

    def uat(self, siruta: int) -> Candidate:
        """The UAT (or the city of Bucharest) with this SIRUTA code."""
        index = self._by_siruta.get(int(siruta))
        if index is None:
            raise NotFoundError(f"No UAT has SIRUTA code {siruta}; check the code.")
        return replace(self._places[index], score=100.0)

    def counties(self) -> list[tuple[str, str]]:
        """(code, name) of the 42 counties, Bucharest included, sorted by name."""
        return sorted(self._county_names.items(), key=lambda kv: (fold(kv[1]), kv[0]))

    def _rank_key(self, i: int, hit: Hit) -> tuple[int, float, float, int, int, int]:
        match, score = hit
        place = self._places[i]
        if match in STRONG:
            return (
                0,
                BASE_SCORE[match] - score,
                0.0,
                place.importance,
                -self._pops[i],
                place.siruta,
            )
        tier = 1 if match in ("prefix", "county", "sector") else 2
        return (tier, 0.0, -score, place.importance, -self._pops[i], place.siruta)

    # -- resolution --------------------------------------------------------------------------

    def _resolve(self, a: Address) -> dict[int, Hit]:
        """The places the address may mean, with their match kind and score."""
        parts = list(a.places)
        bucharest = all(p.text in BUCHAREST_NAMES for p in parts)
        sector = a.sector
        if sector is None and bucharest and parts and (m := _BUCHAREST_POSTAL.match(a.postal_code)):
            sector = int(m.group(1))
        if sector is not None and bucharest and a.county in (None, "B"):
            return {self._sectors[sector]: ("sector", 100.0)}
        if not parts:
            for _street, tail in a.street_tails:  # "Str Avram Iancu 2 Turda" without commas
                if self._index.strong(tail, tail, a.county):
                    parts = [PlacePart((tail,), typed=(tail,))]
                    break
        if not parts:
            return {self._seats[a.county]: ("county", TOKEN_PREFIX)} if a.county else {}
        found = [self._strong(p, a.county) for p in parts]
        chosen = self._choose(parts, found)
        if chosen is not None:
            name, uats = chosen
            hits = dict(found[name])
            for key, hit in self._extras(parts[name], a.county).items():
                hits.setdefault(key, hit)
            return self._adjust(hits, parts[name].kind, uats, a)
        for part in parts:
            hits = self._inexact(part, a.county)
            if part.text in self._counties and a.county is None:
                hits[self._seats[self._counties[part.text]]] = ("county", TOKEN_PREFIX)
            if hits:
                return self._adjust(hits, part.kind, None, a)
        return {}

    def _scope(self, part: PlacePart, reading: int, county: str | None) -> str | None:
        last = reading == len(part.readings) - 1
        return county or (part.tail_county if last and part.tail_county else None)

    def _strong(self, part: PlacePart, county: str | None) -> dict[int, Hit]:
        """Exact, normalised or abbreviated matches of the first reading that has any."""
        for r, key in enumerate(part.readings):
            hits = self._index.strong(key, part.typed[r], self._scope(part, r, county))
            if hits:
                return hits
        return {}

    def _extras(self, part: PlacePart, county: str | None) -> dict[int, Hit]:
        """Names that extend the one typed ('București' → its sectors), listed after it."""
        return self._index.prefix(part.text, county) if len(part.text) > 3 else {}

    def _inexact(self, part: PlacePart, county: str | None) -> dict[int, Hit]:
        """Prefix and typo-tolerant matches, when no name matched as typed."""
        hits: dict[int, Hit] = {}
        for r, key in enumerate(part.readings):
            scope = self._scope(part, r, county)
            for i, hit in (self._index.fuzzy(key, scope) | self._index.prefix(key, scope)).items():
                if hits.get(i, ("", 0.0))[1] < hit[1]:
                    hits[i] = hit
        return hits

    def _uats_named(self, hits: dict[int, Hit]) -> set[int]:
        return {self._places[i].siruta for i in hits if self._places[i].kind != "sat"}

    def _choose(
        self, parts: list[PlacePart], found: list[dict[int, Hit]]
    ) -> tuple[int, set[int] | None] | None:
        """Which part names the place, and the UATs another part names (the commune hint).

        A village inside a UAT named by another part wins ('Arcalia, Șieu-Măgheruș'); then a
        part marked 'sat'; then the first part naming a UAT (an earlier part that names only
        villages elsewhere is taken for a street: 'Unirii, Turda'); then the first part found.
        """
        order = [i for i, hits in enumerate(found) if hits]
        if not order:
            return None
        uats = [self._uats_named(hits) for hits in found]
        for i in order:
            for j in order:
                if (
                    j != i
                    and uats[j]
                    and any(
                        self._places[k].kind == "sat" and self._places[k].uat_siruta in uats[j]
                        for k in found[i]
                    )
                ):
                    return i, uats[j]
        for i in order:
            if parts[i].kind == "sat":
                other = next((uats[j] for j in order if j != i and uats[j]), None)
                return i, other
        for i in order:
            if uats[i]:
                return i, None
        return order[0], None

    def _adjust(
        self, hits: dict[int, Hit], kind: str | None, uats: set[int] | None, a: Address
    ) -> dict[int, Hit]:
        """Lower the scores of places that do not fit the kind, commune or postal code given."""
        postal_county = POSTAL_COUNTY.get(a.postal_code[:2]) if a.county is None else None
        out: dict[int, Hit] = {}
        for i, (match, score) in hits.items():
            place = self._places[i]
            if kind and place.kind not in KIND_FITS[kind]:
                score -= KIND_MISMATCH
            if uats is not None and place.uat_siruta not in uats:
                score -= COMMUNE_MISMATCH
            if postal_county and place.county_code != postal_county:
                score -= POSTAL_MISMATCH
            out[i] = (match, max(score, 0.0))
        return out

    # -- errors ------------------------------------------------------------------------------

    def _not_found(self, query: str, a: Address) -> GeocodeError:
        """A GeocodeError with near matches (inside the county, when one was given)."""
        county = a.county
        keys = [r for p in a.places for r in p.readings] or [t for _, t in a.street_tails]
        near: dict[int, float] = {}
        for key in keys:
            for i, ratio in self._index.near(key, county).items():
                near[i] = max(near.get(i, 0.0), ratio)
            if county is None and key in self._counties:
                near[self._seats[self._counties[key]]] = 100.0
        labels = self._labels(near)
        if county is None:
            return GeocodeError(query, labels)
        elsewhere = {i: 100.0 for p in a.places for i in self._strong(p, None)}
        return GeocodeError(
            query, labels, county_name=self._county_names[county], elsewhere=self._labels(elsewhere)
        )

    def _labels(self, found: dict[int, float]) -> list[str]:
        ranked = sorted(found, key=lambda i: (-found[i], self._rank_key(i, ("exact", 100.0))))
        return list(dict.fromkeys(self._places[i].label() for i in ranked))[:SUGGEST_COUNT]

    # -- reverse -----------------------------------------------------------------------------

    def reverse(self, latitude: float, longitude: float) -> ReverseResult | None:
        """The UAT containing the point, or None outside Romania."""
        points = [(u.siruta, u.county_code, u.lat, u.lon) for u in self._gazetteer.uats]
        siruta = self._polygons.locate(latitude, longitude, points)
        if siruta is None:
            return None
        uat = self.uat(siruta)
        return ReverseResult(uat.siruta, uat.name, uat.county_code, uat.county_name)


@functools.lru_cache(maxsize=4)
def shared_geocoder(data_dir: str) -> Geocoder:
    """One Geocoder per data directory for the command line and batch imports."""
    return Geocoder.from_data_dir(data_dir)


__all__ = ["Candidate", "Geocoder", "Located", "ReverseResult", "BUCHAREST_SIRUTA"]
