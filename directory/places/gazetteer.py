"""The one loader of the reference gazetteer in data/: UATs, localities and small lookups over them.

Everything that reads ``ro_uat.csv`` or ``ro_localities.csv`` (the geocoder, the demo generator,
the pages' county lists, coverage) goes through :func:`load_gazetteer`, which reads the files
once per data directory and returns frozen rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

UAT_FILE = "ro_uat.csv"
LOCALITY_FILE = "ro_localities.csv"
GEONAMES_FILE = "ro_places_geonames.csv"
# SIRUTA code of the Municipality of Bucharest (its six sectors are the UATs in the data).
BUCHAREST_SIRUTA = 179132
# The source flags 40 county seats; Ilfov's seat, the town of Buftea, is not flagged because
# Ilfov's seat moved there from Bucharest. Bucharest is its own "county" and has no seat row.
EXTRA_COUNTY_SEATS = {"IF": 100576}


@dataclass(frozen=True)
class Uat:
    """One administrative unit (commune, town, municipality or Bucharest sector)."""

    siruta: int
    name: str
    kind: str  # comună | oraș | municipiu | sector
    county_code: str
    county_name: str
    lat: float
    lon: float
    population: int  # by domicile, 2020 (see data/SOURCES.md, caveat P1)
    county_seat: bool
    seat_siruta: int | None  # the locality that is the UAT's seat; None for sectors


@dataclass(frozen=True)
class Locality:
    """One SIRUTA locality (village or part of a town) inside its UAT."""

    siruta: int
    name: str
    kind: str  # seat | component | village
    uat_siruta: int
    county_code: str
    lat: float
    lon: float
    coord_source: str  # geonames | uat_seat | uat_point (the UAT's point, not the village's)
    population: int  # GeoNames population when the locality has a GeoNames point, else 0


@dataclass(frozen=True)
class Gazetteer:
    """Every UAT and locality, in file order, with lookups by SIRUTA code."""

    uats: tuple[Uat, ...]
    localities: tuple[Locality, ...]
    # GeoNames centre of the whole city of Bucharest (the data has no UAT row for the city).
    bucharest_centre: tuple[float, float]
    _by_siruta: dict[int, Uat] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_siruta", {u.siruta: u for u in self.uats})

    def uat(self, siruta: int) -> Uat:
        """The UAT with this SIRUTA code (KeyError when there is none)."""
        return self._by_siruta[siruta]

    def counties(self) -> dict[str, str]:
        """County code → county name, Bucharest included, in file order."""
        return {u.county_code: u.county_name for u in self.uats}

    def county_seats(self) -> dict[str, int]:
        """County code → SIRUTA of its seat (41 counties; Bucharest is the city itself)."""
        seats = {u.county_code: u.siruta for u in self.uats if u.county_seat}
        return {**seats, **EXTRA_COUNTY_SEATS, "B": BUCHAREST_SIRUTA}

    def localities_of(self, uat_siruta: int) -> Iterator[Locality]:
        """The localities of one UAT, in file order."""
        return (loc for loc in self.localities if loc.uat_siruta == uat_siruta)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=4)
def _load(data_dir: str) -> Gazetteer:
    root = Path(data_dir)
    uats = tuple(
        Uat(
            int(r["siruta"]),
            r["name"],
            r["kind"],
            r["county_code"],
            r["county_name"],
            float(r["lat"]),
            float(r["lon"]),
            int(r["pop_domicile_2020"] or 0),
            r["county_seat"] == "True",
            int(r["seat_siruta"]) if r["seat_siruta"] else None,
        )  # fmt: skip
        for r in _rows(root / UAT_FILE)
    )
    geonames = _rows(root / GEONAMES_FILE)
    population = {r["geonameid"]: int(r["population"] or 0) for r in geonames}
    centre = next(r for r in geonames if r["county_code"] == "B" and r["name"] == "București")
    localities = tuple(
        Locality(
            int(r["siruta"]),
            r["name"],
            r["kind"],
            int(r["uat_siruta"]),
            r["county_code"],
            float(r["lat"]),
            float(r["lon"]),
            r["coord_source"],
            population.get(r["geonameid"], 0) if r["geonameid"] else 0,
        )  # fmt: skip
        for r in _rows(root / LOCALITY_FILE)
    )
    return Gazetteer(uats, localities, (float(centre["lat"]), float(centre["lon"])))


def load_gazetteer(data_dir: str | Path) -> Gazetteer:
    """The gazetteer of data_dir, read once per directory and shared (its rows are frozen)."""
    return _load(str(Path(data_dir).resolve()))


@lru_cache(maxsize=4)
def uat_points(data_dir: str) -> dict[int, tuple[float, float]]:
    """SIRUTA code of each UAT → its seat (latitude, longitude), the generalised point."""
    return {u.siruta: (u.lat, u.lon) for u in load_gazetteer(data_dir).uats}


@lru_cache(maxsize=4)
def uats_by_county(data_dir: str) -> dict[str, list[tuple[int, str, str]]]:
    """County code → its UATs as (siruta, name, kind), sorted by name."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    for u in load_gazetteer(data_dir).uats:
        out.setdefault(u.county_code, []).append((u.siruta, u.name, u.kind))
    for uats in out.values():
        uats.sort(key=lambda u: (u[1], u[0]))
    return out
