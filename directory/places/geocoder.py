"""Offline geocoder over the Romanian gazetteer (UATs and SIRUTA localities) in data/."""

from __future__ import annotations

import bisect
import csv
import json
import math
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from directory.errors import GeocodeError, NotFoundError, ValidationError
from directory.places.address_parse import BUCHAREST_NAMES, ParsedQuery, county_index, parse_query
from directory.textnorm import fold

KIND_RANK = {"municipiu": 0, "sector": 1, "oraș": 2, "comună": 3, "sat": 4}
UAT_ABBREVIATION = {"municipiu": "mun.", "oraș": "oraș", "comună": "com.", "sector": ""}
# A "sat" hint only lowers communes a little: a seat village named like its commune is merged
# into the commune, so "sat Ciugud" must still find com. Ciugud.
KIND_FITS = {
    "municipiu": {"municipiu", "sector"}, "oraș": {"oraș"}, "comună": {"comună"}, "sat": {"sat"}
}  # fmt: skip
EXACT, TOKEN_PREFIX, CHAR_PREFIX = 100.0, 90.0, 85.0
FUZZY_WEIGHT, FUZZY_CUTOFF, FUZZY_LIMIT = 0.8, 75.0, 30
SUGGEST_CUTOFF, SUGGEST_COUNT = 55.0, 5
PREFIX_MAX_KEYS, MIN_CHAR_PREFIX = 300, 3
KIND_MISMATCH, COMMUNE_MISMATCH, COUNTY_MISMATCH = 3.0, 5.0, 20.0
COMMUNE_FUZZY_CUTOFF = 85.0
# SIRUTA code of the Municipality of Bucharest (the sectors 179141..179196 are its parts); the
# data has no row for it, so the city reuses the GeoNames centre, which lies in Sector 3.
BUCHAREST_SIRUTA = 179132
BUCHAREST_CENTRE_UAT = 179169


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

    def label(self) -> str:
        """Human label such as 'Arcalia (sat, com. Șieu-Măgheruș, Bistrița-Năsăud)'."""
        if self.kind != "sat":
            return f"{self.name} ({self.kind}, {self.county_name})"
        uat = f"{UAT_ABBREVIATION.get(self.uat_kind, '')} {self.uat_name}".strip()
        return f"{self.name} (sat, {uat}, {self.county_name})"


@dataclass(frozen=True)
class ReverseResult:
    """The UAT a point lies in."""

    uat_siruta: int
    uat_name: str
    county_code: str
    county_name: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV into a list of dicts."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _uat_candidate(row: dict[str, str]) -> Candidate:
    """Build the Candidate for one ro_uat.csv row."""
    siruta = int(row["siruta"])
    return Candidate(
        row["name"], row["kind"], row["county_code"], row["county_name"], siruta, siruta,
        row["name"], float(row["lat"]), float(row["lon"]), "uat_seat", 0.0, row["kind"],
    )  # fmt: skip


def _locality_candidate(row: dict[str, str], uat: Candidate) -> Candidate:
    """Build the Candidate for one ro_localities.csv row inside its UAT."""
    # A point that is only the UAT's says nothing about where the village is.
    precision = "uat_only" if row["coord_source"] == "uat_point" else "locality"
    return Candidate(
        row["name"], "sat", uat.county_code, uat.county_name, int(row["siruta"]), uat.siruta,
        uat.name, float(row["lat"]), float(row["lon"]), precision, 0.0, uat.kind,
    )  # fmt: skip


def _bucharest(city: dict[str, str], centre_uat: Candidate) -> Candidate:
    """The city of Bucharest as a whole, at its GeoNames centre."""
    return Candidate(
        "București", "municipiu", "B", centre_uat.county_name, BUCHAREST_SIRUTA, centre_uat.siruta,
        centre_uat.name, float(city["lat"]), float(city["lon"]), "uat_seat", 0.0, "municipiu",
    )  # fmt: skip


def _load_places(data_dir: Path) -> tuple[list[Candidate], list[int], dict[str, int]]:
    """Load UATs, the city of Bucharest and every locality not already a UAT.

    Returns the places, their populations and the SIRUTA of each county's seat.
    """
    places: list[Candidate] = []
    pops: list[int] = []
    uats: dict[int, Candidate] = {}
    seats = {"B": BUCHAREST_SIRUTA}
    for row in _read_csv(data_dir / "ro_uat.csv"):
        uat = _uat_candidate(row)
        uats[uat.siruta] = uat
        places.append(uat)
        pops.append(int(row["pop_domicile_2020"] or 0))
        if row["county_seat"] == "True":
            seats[uat.county_code] = uat.siruta
    geonames = _read_csv(data_dir / "ro_places_geonames.csv")
    village_pop = {r["geonameid"]: int(r["population"] or 0) for r in geonames}
    city = next(r for r in geonames if r["county_code"] == "B" and r["name"] == "București")
    places.append(_bucharest(city, uats[BUCHAREST_CENTRE_UAT]))
    pops.append(sum(pops[i] for i, p in enumerate(places) if p.kind == "sector"))
    for row in _read_csv(data_dir / "ro_localities.csv"):
        uat = uats[int(row["uat_siruta"])]
        # The seat locality named like its UAT is the UAT itself: return it once.
        if row["kind"] == "seat" and fold(row["name"]) == fold(uat.name):
            continue
        places.append(_locality_candidate(row, uat))
        pops.append(village_pop.get(row["geonameid"], 0))
    return places, pops, seats


class Geocoder:
    """Forward geocoding by name with hints, and reverse geocoding by UAT polygon."""

    def __init__(
        self, data_dir: Path, places: list[Candidate], pops: list[int], seats: dict[str, int]
    ) -> None:
        self._data_dir = data_dir
        self._seats = seats
        self._places = places
        self._order = [
            (KIND_RANK[p.kind], -pop, p.siruta) for p, pop in zip(places, pops, strict=True)
        ]
        self._uat_fold = [fold(p.uat_name) for p in places]
        self._by_key: dict[str, list[int]] = {}
        county_keys: dict[str, set[str]] = {}
        for i, place in enumerate(places):
            key = fold(place.name)
            self._by_key.setdefault(key, []).append(i)
            county_keys.setdefault(place.county_code, set()).add(key)
        self._by_key.setdefault("bucharest", []).extend(self._by_key["bucuresti"])
        self._sorted_keys = sorted(self._by_key)
        self._county_keys = {code: sorted(keys) for code, keys in county_keys.items()}
        self._by_siruta = {p.siruta: i for i, p in enumerate(places) if p.kind != "sat"}
        self._county_names = {p.county_code: p.county_name for p in places}
        self._county_index = county_index(self._county_names.items())
        self._sectors = {int(p.name[-1]): i for i, p in enumerate(places) if p.kind == "sector"}
        self._lock = threading.Lock()
        self._spatial: Any = None

    @classmethod
    def from_data_dir(cls, data_dir: str | Path) -> Geocoder:
        """Load the gazetteer CSVs from data_dir; polygons load on the first reverse()."""
        path = Path(data_dir)
        return cls(path, *_load_places(path))

    # -- forward -----------------------------------------------------------------------------

    def geocode(self, query: str, limit: int = 10) -> list[Candidate]:
        """Every place the query may mean, best first; raises GeocodeError when none."""
        readings = parse_query(query, self._county_index)
        hits = self._search(readings)
        if not hits:
            raise GeocodeError(query, self._suggest(readings))
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], self._order[kv[0]]))
        return [replace(self._places[i], score=round(s, 1)) for i, s in ranked[: max(limit, 1)]]

    def best(self, query: str) -> Candidate:
        """The top candidate for query."""
        return self.geocode(query, limit=1)[0]

    @staticmethod
    def is_ambiguous(candidates: list[Candidate]) -> bool:
        """True when the first two candidates tie on score, so the caller must ask."""
        return len(candidates) > 1 and candidates[0].score == candidates[1].score

    def uat(self, siruta: int) -> Candidate:
        """The UAT (or the city of Bucharest) with this SIRUTA code."""
        index = self._by_siruta.get(int(siruta))
        if index is None:
            raise NotFoundError(f"No UAT has SIRUTA code {siruta}; check the code.")
        return replace(self._places[index], score=EXACT)

    def counties(self) -> list[tuple[str, str]]:
        """(code, name) of the 42 counties, Bucharest included, sorted by name."""
        return sorted(self._county_names.items(), key=lambda kv: (fold(kv[1]), kv[0]))

    def _search(self, readings: list[ParsedQuery]) -> dict[int, float]:
        """Exact matches of the first reading that has any, else prefix and fuzzy of all."""
        first = readings[0]
        if first.sector is not None and (not first.name or first.name in BUCHAREST_NAMES):
            return {self._sectors[first.sector]: EXACT}
        for reading in readings:
            if reading.name:
                hits = self._scoped(reading, self._exact_and_prefix)
                if hits:
                    return hits
        merged = self._county_seat(readings[0])
        for reading in readings:
            if reading.name:
                for i, score in self._scoped(reading, self._inexact).items():
                    merged[i] = max(merged.get(i, 0.0), score)
        return merged

    def _county_seat(self, reading: ParsedQuery) -> dict[int, float]:
        """A query that is only a county's name or code may mean its seat, ranked below exact."""
        code = self._county_index.get(reading.name) if reading.name else reading.county
        return {self._by_siruta[self._seats[code]]: TOKEN_PREFIX} if code else {}

    def _scoped(self, reading: ParsedQuery, matcher: Any) -> dict[int, float]:
        """Match inside the county hinted, else the whole country at a penalty."""
        if reading.county:
            hits = matcher(reading.name, reading.county)
            if hits:
                return self._adjust(reading, hits, 0.0)
        hits = matcher(reading.name, None)
        return self._adjust(reading, hits, COUNTY_MISMATCH if reading.county else 0.0)

    def _indices(self, key: str, county: str | None) -> list[int]:
        """Places under a folded key, optionally in one county."""
        found = self._by_key.get(key, [])
        if county is None:
            return found
        return [i for i in found if self._places[i].county_code == county]

    def _exact_and_prefix(self, name: str, county: str | None) -> dict[int, float]:
        """Exact key matches plus names that extend the query; empty when nothing is exact."""
        hits = dict.fromkeys(self._indices(name, county), EXACT)
        if hits:
            for i, score in self._prefix(name, county).items():
                hits.setdefault(i, score)
        return hits

    def _inexact(self, name: str, county: str | None) -> dict[int, float]:
        """Prefix matches and rapidfuzz matches over the precomputed folded names."""
        hits = self._prefix(name, county)
        keys = self._county_keys.get(county, []) if county else self._sorted_keys
        for key, ratio, _ in process.extract(
            name, keys, scorer=fuzz.ratio, limit=FUZZY_LIMIT, score_cutoff=FUZZY_CUTOFF
        ):
            for i in self._indices(key, county):
                hits[i] = max(hits.get(i, 0.0), ratio * FUZZY_WEIGHT)
        return hits

    def _prefix(self, name: str, county: str | None) -> dict[int, float]:
        """Names starting with the query: whole-word prefixes above partial-word ones."""
        hits: dict[int, float] = {}
        start = bisect.bisect_right(self._sorted_keys, name)
        for key in self._sorted_keys[start : start + PREFIX_MAX_KEYS]:
            if not key.startswith(name):
                break
            if key[len(name)] == " ":
                score = TOKEN_PREFIX
            elif len(name) >= MIN_CHAR_PREFIX:
                score = CHAR_PREFIX
            else:
                continue
            for i in self._indices(key, county):
                hits[i] = score
        return hits

    def _adjust(
        self, reading: ParsedQuery, hits: dict[int, float], base: float
    ) -> dict[int, float]:
        """Lower scores of places that do not fit the kind or commune hinted."""
        adjusted: dict[int, float] = {}
        for i, score in hits.items():
            score -= base
            if reading.kind and self._places[i].kind not in KIND_FITS[reading.kind]:
                score -= KIND_MISMATCH
            if reading.commune and not self._in_commune(i, reading.commune):
                score -= COMMUNE_MISMATCH
            adjusted[i] = max(score, 0.0)
        return adjusted

    def _in_commune(self, index: int, commune: str) -> bool:
        """Whether the place lies in the UAT hinted (tolerating a small misspelling)."""
        uat = self._uat_fold[index]
        return uat == commune or fuzz.ratio(uat, commune) >= COMMUNE_FUZZY_CUTOFF

    def _suggest(self, readings: list[ParsedQuery]) -> list[str]:
        """Up to five labels close to what was typed, for the error message."""
        found: dict[int, float] = {}
        for reading in readings:
            code = reading.county or self._county_index.get(reading.name)
            if code in self._seats and (not reading.name or reading.name in self._county_index):
                found[self._by_siruta[self._seats[code]]] = 100.0
            if reading.name:
                for key, ratio, _ in process.extract(
                    reading.name, self._sorted_keys, scorer=fuzz.ratio, limit=10,
                    score_cutoff=SUGGEST_CUTOFF,
                ):  # fmt: skip
                    for i in self._by_key[key]:
                        found[i] = max(found.get(i, 0.0), ratio)
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], self._order[kv[0]]))
        labels = list(dict.fromkeys(self._places[i].label() for i, _ in ranked))
        return labels[:SUGGEST_COUNT]

    # -- reverse -----------------------------------------------------------------------------

    def reverse(self, latitude: float, longitude: float) -> ReverseResult | None:
        """The UAT containing the point, or None outside Romania."""
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            raise ValidationError("latitude", "Latitude and longitude must be numbers.")
        from shapely.geometry import Point  # shapely is only needed for reverse lookups

        point = Point(longitude, latitude)
        uat_tree, uat_ids, county_tree, county_codes = self._spatial_index()
        inside = sorted(uat_ids[i] for i in uat_tree.query(point, predicate="intersects"))
        if inside:
            return self._reverse_result(inside[0])
        counties = sorted(county_codes[i] for i in county_tree.query(point, predicate="intersects"))
        if not counties:
            return None
        return self._reverse_result(self._nearest_uat(latitude, longitude, counties[0]))

    def _reverse_result(self, siruta: int) -> ReverseResult:
        """Build a ReverseResult for a UAT code."""
        uat = self.uat(siruta)
        return ReverseResult(uat.siruta, uat.name, uat.county_code, uat.county_name)

    def _nearest_uat(self, latitude: float, longitude: float, county: str) -> int:
        """SIRUTA of the county's UAT whose point is nearest (simplified polygons leave gaps)."""
        scale = math.cos(math.radians(latitude))
        uats = [
            p
            for p in self._places
            if p.county_code == county and p.kind != "sat" and p.siruta != BUCHAREST_SIRUTA
        ]
        return min(
            uats,
            key=lambda p: (p.latitude - latitude) ** 2 + ((p.longitude - longitude) * scale) ** 2,
        ).siruta

    def _spatial_index(self) -> Any:
        """Load polygons and build STRtrees once, under a lock (Streamlit runs threads)."""
        with self._lock:
            if self._spatial is None:
                from shapely import STRtree
                from shapely.geometry import shape

                def load(name: str, prop: str) -> tuple[Any, list[Any]]:
                    with (self._data_dir / name).open(encoding="utf-8") as f:
                        features = json.load(f)["features"]
                    geoms = [shape(ft["geometry"]) for ft in features]
                    return STRtree(geoms), [ft["properties"][prop] for ft in features]

                uat_tree, uat_ids = load("ro_uat_polygons.geojson", "siruta")
                county_tree, codes = load("ro_counties.geojson", "code")
                self._spatial = (uat_tree, [int(s) for s in uat_ids], county_tree, codes)
            return self._spatial
