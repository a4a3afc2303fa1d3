"""A deterministic test set of addresses built from the gazetteer (no committed file).

Every county, towns and villages, street names that are also place names, with and without
diacritics, dots and numbers, in the word orders people use.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from directory.places.gazetteer import Uat, load_gazetteer
from directory.textnorm import fold

SEED = 11
# Streets named like communes or villages all over the country.
STREETS = (
    "Avram Iancu", "Mihai Viteazu", "Unirii", "Turzii", "Mihai Eminescu", "Ștefan cel Mare",
    "1 Decembrie 1918", "Libertății", "Republicii", "Horea", "Nicolae Bălcescu",
    "Tudor Vladimirescu",
    "Independenței", "Florilor", "Principală", "Gării", "Morii", "Bisericii", "Crișan", "Cloșca",
)  # fmt: skip
TYPES = ("Str.", "str", "Strada", "STR.", "B-dul", "Bd.", "bd", "Bulevardul", "Calea", "Șos.",
         "sos.", "Aleea", "Al.", "Piața", "P-ța", "Intrarea", "Splaiul", "Prel.")  # fmt: skip
NUMBERS = ("nr. {n}", "nr {n}", "{n}", "nr.{n}", "no. {n}", "nr. {n}, bl. A{n}, sc. B, ap. 3")


@dataclass(frozen=True)
class Case:
    query: str
    uat_siruta: int
    form: str


def _plain(text: str, rng: random.Random) -> str:
    """Drop diacritics half the time (as people type on an English keyboard)."""
    return (
        fold(text).title().replace(" ", "-" if "-" in text else " ") if rng.random() < 0.5 else text
    )


def _street(rng: random.Random) -> str:
    number = rng.choice(NUMBERS).format(n=rng.randint(1, 150))
    return f"{rng.choice(TYPES)} {rng.choice(STREETS)} {number}"


def _town_forms(rng: random.Random, uat: Uat) -> list[Case]:
    name, county = _plain(uat.name, rng), _plain(uat.county_name, rng)
    street = _street(rng)
    forms = [
        f"{street}, {name}, jud. {county}",
        f"{name}, {street}, {county}",
        f"{street}, {name}, judetul {county}",
        f"{street} {name} jud {county}",
        f"{street}, {name}, {uat.county_code}",
    ]
    return [Case(rng.choice(forms), uat.siruta, "street, locality, county")]


def cases(data_dir: Path) -> list[Case]:
    """About 3,000 cases: every UAT with a street, and villages unique in their county."""
    rng = random.Random(SEED)
    gaz = load_gazetteer(data_dir)
    out: list[Case] = []
    for uat in gaz.uats:
        if uat.kind != "sector":
            out.extend(_town_forms(rng, uat))
    names = Counter((loc.county_code, fold(loc.name)) for loc in gaz.localities) + Counter(
        (u.county_code, fold(u.name)) for u in gaz.uats
    )
    villages = [
        loc for loc in gaz.localities
        if loc.kind == "village" and names[(loc.county_code, fold(loc.name))] == 1
    ]  # fmt: skip
    for loc in rng.sample(villages, 1200):
        uat = gaz.uat(loc.uat_siruta)
        name, county = _plain(loc.name, rng), _plain(uat.county_name, rng)
        prefix = {"comună": "com.", "oraș": "oraș", "municipiu": "mun."}[uat.kind]
        forms = [
            f"sat {name}, {prefix} {_plain(uat.name, rng)}, jud. {county}",
            f"{name}, jud. {county}",
            f"{_street(rng)}, sat {name}, jud. {county}",
            f"{name}, {uat.county_code}",
            f"Sat {name} {prefix} {uat.name} jud {county}",
        ]
        out.append(Case(rng.choice(forms), uat.siruta, "village unique in county"))
    return out
