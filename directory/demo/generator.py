"""A fictional demo directory, generated deterministically from a seed and a date.

Every record is invented (names, phones, addresses), flagged ``is_demo`` and placed at real
UAT points from ``data/ro_uat.csv``. Anchor services guarantee that the five profiles of
DESIGN.md §3 can be served; the rest is random but reproducible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from directory import vocab
from directory.models import Location, Model, Organization, Service, ServiceAtLocation
from directory.places.gazetteer import Uat, load_gazetteer
from directory.storage.store import Store

DEMO_SEED = 20261123
DEMO_ACTOR = "demo-generator"
DEMO_NOTE = "Înregistrare demonstrativă fictivă."
Progress = Callable[[int, int], None]

LABELS = {
    "shelter_emergency": "Centru de primire în regim de urgență",
    "shelter_residential": "Centru rezidențial", "legal_aid": "Asistență juridică",
    "psychological_counselling": "Consiliere psihologică", "medical": "Asistență medicală",
    "social_reintegration": "Reintegrare socială și profesională",
    "education": "Sprijin educațional", "family_support": "Consiliere familială",
    "hotline": "Linie de urgență", "repatriation": "Repatriere și însoțire",
}  # fmt: skip
# Weight of each type as the main service of a site, and what tends to be offered beside it.
PRIMARY = dict(zip(vocab.SERVICE_TYPES, (15, 12, 14, 10, 10, 10, 8, 8, 4, 8), strict=True))
COMPANIONS = {
    "shelter_emergency": ("psychological_counselling", "medical", "legal_aid"),
    "shelter_residential": ("psychological_counselling", "education", "social_reintegration"),
    "legal_aid": ("repatriation", "family_support", "psychological_counselling"),
    "psychological_counselling": ("family_support", "legal_aid", "education"),
    "medical": ("psychological_counselling", "repatriation"),
    "social_reintegration": ("education", "psychological_counselling", "family_support"),
    "education": ("social_reintegration", "family_support"),
    "family_support": ("psychological_counselling", "legal_aid"),
    "hotline": ("psychological_counselling", "legal_aid"),
    "repatriation": ("legal_aid", "social_reintegration", "medical"),
}
SITE_KINDS = {"shelter_emergency": "Centrul de primire", "shelter_residential": "Adăpostul",
              "hotline": "Dispeceratul", "medical": "Cabinetul medical"}  # fmt: skip
WORDS = (
    "Lumina", "Speranța", "Aurora", "Curcubeul", "Izvorul", "Făclia", "Ancora", "Busola",
    "Zorile", "Primăvara", "Stejarul", "Orizont", "Sprijin", "Încredere", "Albatros", "Lăstarul",
    "Mugurel", "Cuibul", "Temelia", "Brândușa", "Ghiocelul", "Porumbelul", "Liniștea",
    "Răsăritul", "Siguranța", "Călăuza", "Farul", "Podul", "Vatra", "Ocrotirea", "Grija",
    "Zâmbetul", "Ramura", "Cărarea", "Poiana", "Izbânda", "Căldura", "Rădăcina", "Senin",
    "Tăcerea", "Fluturele", "Licurici",
)  # fmt: skip
NGO_NAMES = ("Asociația Demo {w} (fictivă)", "Fundația Exemplu {w} (fictivă)",
             "Asociația Exemplu {w} (fictivă)", "Fundația Demo {w} (fictivă)")  # fmt: skip
PRIVATE_NAMES = ("Clinica Demo {w} SRL (fictivă)", "Centrul Privat Exemplu {w} (fictiv)")
STREETS = ("Strada Demonstrației", "Aleea Exemplului", "Bulevardul Fictiv", "Strada Închipuirii",
           "Calea Imaginară", "Strada Modelului", "Aleea Probei", "Strada Machetei")  # fmt: skip
SCHEDULES = ("Luni–Vineri 09:00–17:00", "Luni–Vineri 08:00–16:00", "Luni–Sâmbătă 10:00–18:00")
# Hungarian-speaking areas (Szeklerland, the western border) and Ukrainian border/refugee hubs.
HU = {"HR": 0.95, "CV": 0.9, "MS": 0.75, "SM": 0.6, "BH": 0.5, "SJ": 0.45, "CJ": 0.45,
      "AR": 0.35, "TM": 0.35, "BV": 0.35, "MM": 0.35, "BN": 0.3, "AB": 0.25, "SB": 0.25,
      "HD": 0.25}  # fmt: skip
UK = {"SV": 0.4, "MM": 0.35, "TL": 0.35, "IS": 0.25, "B": 0.2, "BT": 0.2, "GL": 0.15, "CT": 0.12}
EN = {"B": 0.45, "CJ": 0.35, "TM": 0.35, "IS": 0.3, "BV": 0.25, "CT": 0.25}

# Anchors: (org group, county, UAT name, ((service type, overrides), ...)), one tuple a site.
_FEMALE, _MALE, _HU, _UK = ("female",), ("male",), ("ro", "hu"), ("ro", "uk")
ANCHORS: tuple[tuple[int, str, str, tuple[tuple[str, dict[str, Any]], ...]], ...] = (
    (0, "B", "București Sectorul 2", (
        ("shelter_emergency", {"languages": ("ro", "rom"), "accepts_unaccompanied_minors": True}),
        ("psychological_counselling", {"languages": ("ro", "rom")}), ("legal_aid", {}))),
    (0, "B", "București Sectorul 5", (("hotline", {}), ("legal_aid", {"languages": ("ro", "en")}))),
    (1, "VS", "Vaslui", (("shelter_emergency", {"genders": _FEMALE}), ("legal_aid", {}),
                         ("psychological_counselling", {"languages": ("ro", "rom")}))),
    (2, "IS", "Iași", (("psychological_counselling", {"minimum_age": 6}),
                       ("legal_aid", {}), ("family_support", {}))),
    (2, "IS", "Iași", (("shelter_emergency", {}),)),
    (3, "HR", "Miercurea Ciuc", (("shelter_emergency", {"languages": _HU}),
                                 ("social_reintegration", {"languages": _HU, "minimum_age": 12}))),
    (4, "MS", "Târgu Mureș", (
        ("shelter_residential", {"languages": _HU, "genders": _MALE, "minimum_age": 14,
                                 "maximum_age": 25}),
        ("social_reintegration", {"languages": _HU}), ("education", {"languages": _HU}))),
    (5, "IF", "Otopeni", (
        ("shelter_residential", {"accepts_parent_with_child": True, "genders": _FEMALE,
                                 "minimum_age": 0, "maximum_age": 25}),
        ("medical", {"maximum_age": 25}), ("repatriation", {"maximum_age": 25}))),
    (5, "B", "București Sectorul 1", (("repatriation", {}), ("medical", {}))),
    (6, "SV", "Siret", (
        ("shelter_emergency", {"languages": _UK, "interpretation_available": True,
                               "accepts_unaccompanied_minors": True, "minimum_age": 6}),
        ("legal_aid", {"languages": _UK, "interpretation_available": True}))),
    (6, "SV", "Suceava", (("legal_aid", {"languages": _UK}),
                          ("psychological_counselling", {"languages": _UK}))),
)  # fmt: skip


@dataclass
class _Site:
    """A planned location: its organisation group, UAT, service types and anchor overrides."""

    org: int
    uat: Uat
    types: list[str]
    fixed: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class DemoDirectory:
    """The generated records, one tuple a table."""

    organizations: tuple[Organization, ...]
    locations: tuple[Location, ...]
    services: tuple[Service, ...]
    links: tuple[ServiceAtLocation, ...]

    def records(self) -> list[Model]:
        """All records in foreign-key order: organisations, locations, services, links."""
        return [*self.organizations, *self.locations, *self.services, *self.links]


def load_uats(data_dir: Path) -> dict[str, list[Uat]]:
    """The gazetteer's UATs grouped by county code, in file order."""
    by_county: dict[str, list[Uat]] = {}
    for uat in load_gazetteer(data_dir).uats:
        by_county.setdefault(uat.county_code, []).append(uat)
    return by_county


def _weight(uat: Uat) -> int:
    """Population as a sampling weight; never zero so every UAT can be drawn."""
    return max(1, uat.population)


def _pick_uat(rng: random.Random, uats: list[Uat]) -> Uat:
    """Mostly the county seat (or a Bucharest sector), then towns, rarely a commune."""
    seats = [u for u in uats if u.county_seat or u.kind == "sector"]
    towns = [u for u in uats if u.kind in ("municipiu", "oraș") and u not in seats]
    r = rng.random()
    pool = (seats if r < 0.55 else towns if r < 0.9 else uats) or towns or uats
    return rng.choices(pool, weights=[_weight(u) for u in pool])[0]


def _site_types(rng: random.Random) -> list[str]:
    """A main service type and 0–2 companions; shelters usually also counsel."""
    primary = rng.choices(list(PRIMARY), weights=list(PRIMARY.values()))[0]
    n = rng.choices((1, 2, 3), weights=(58, 29, 13))[0]
    companions = list(COMPANIONS[primary])
    if primary in vocab.SHELTER_TYPES:
        n = max(n, 2) if rng.random() < 0.5 else n
        if rng.random() < 0.2:
            rng.shuffle(companions)
    else:
        rng.shuffle(companions)
    return [primary, *companions[: n - 1]]


def _plan(rng: random.Random, uats: dict[str, list[Uat]], n_services: int) -> list[_Site]:
    """Anchor sites first, then random sites until the services reach ``n_services``."""
    by_name = {(u.county_code, u.name): u for us in uats.values() for u in us}
    sites = [_Site(g, by_name[(c, n)], [t for t, _ in s], [o for _, o in s])
             for g, c, n, s in ANCHORS]  # fmt: skip
    total = sum(len(s.types) for s in sites)
    counties = sorted(uats)
    weights = [sum(_weight(u) for u in uats[c]) for c in counties]
    must = [c for c in counties for _ in range(3)]  # every county gets at least 3 locations
    plans: list[tuple[str, list[str]]] = []
    while total < n_services or len(plans) < len(must):
        i = len(plans)
        county = must[i] if i < len(must) else rng.choices(counties, weights=weights)[0]
        types = _site_types(rng)[: max(1, n_services - total)]
        plans.append((county, types))
        total += len(types)
    org = max(g for g, *_ in ANCHORS) + 1
    plans.sort(key=lambda p: p[0])  # stable: an organisation's sites share a county
    i = 0
    while i < len(plans):
        size = rng.choices((1, 2, 3, 4), weights=(40, 30, 18, 12))[0]
        county = plans[i][0]
        while size and i < len(plans) and plans[i][0] == county:
            sites.append(_Site(org, _pick_uat(rng, uats[county]), plans[i][1]))
            i, size = i + 1, size - 1
        org += 1
    return sites


def _jitter(rng: random.Random, lat: float, lon: float, km: float = 2.0) -> tuple[float, float]:
    """A point at most ``km`` from (lat, lon), kept inside Romania's box."""
    r, a = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    lat2 = lat + r * math.cos(a) / 111.32
    lon2 = lon + r * math.sin(a) / (111.32 * math.cos(math.radians(lat)))
    lat2 = min(max(lat2, vocab.RO_LAT[0]), vocab.RO_LAT[1])
    lon2 = min(max(lon2, vocab.RO_LON[0]), vocab.RO_LON[1])
    return round(lat2, 5), round(lon2, 5)


def _unique(name: str, used: set[str]) -> str:
    """``name``, or ``name`` with a number before the '(fictiv…)' suffix when taken."""
    head, _, tail = name.rpartition(" (")
    k, candidate = 1, name
    while candidate in used:
        k += 1
        candidate = f"{head} {k} ({tail}"
    used.add(candidate)
    return candidate


def _organization(rng: random.Random, i: int, uat: Uat, used: set[str]) -> tuple[Organization, str]:
    """A fictional organisation and the short word that names its sites and services."""
    status = rng.choices(vocab.LEGAL_STATUSES, weights=(22, 63, 15))[0]
    word = rng.choice(WORDS)
    if status == "public":  # one DGASPC a county; other public bodies are local (SPAS)
        word, name = "DGASPC", f"DGASPC Demo {uat.county_name} (fictiv)"
        if name in used:
            word, name = "SPAS", f"Serviciul Public Demo de Asistență Socială {uat.name} (fictiv)"
    else:
        name = rng.choice(NGO_NAMES if status == "ngo" else PRIVATE_NAMES).format(w=word)
    note = f"{DEMO_NOTE} Organizație inventată pentru prezentarea aplicației Punte."
    org = Organization(
        f"demo-org-{i:03d}", _unique(name, used), status, note, f"https://example.org/demo/{i:03d}",
        f"contact-demo-{i:03d}@example.org", is_demo=True,
    )  # fmt: skip
    return org, word


def _location(
    rng: random.Random, i: int, site: _Site, org_id: str, word: str, used: set[str]
) -> Location:
    """A site at a jittered UAT point; most shelters are confidential."""
    disclosure = "public"
    if vocab.SHELTER_TYPES & set(site.types) and rng.random() < 0.7:
        disclosure = rng.choices(("partners", "on_accepted_referral", "never"), (55, 35, 10))[0]
    lat, lon = _jitter(rng, site.uat.lat, site.uat.lon)
    kind = SITE_KINDS.get(site.types[0], "Sediul")
    # The number is the site's own, so no two sites share an address (tests rely on it).
    address = f"{rng.choice(STREETS)} nr. {i}"
    name = _unique(f"{kind} Demo {word} – {site.uat.name} (fictiv)", used)
    return Location(
        f"demo-loc-{i:03d}", org_id, name, lat, lon, site.uat.county_code, site.uat.siruta,
        locality=site.uat.name, postal_code=None,
        address_1=None if disclosure == "never" else address,  # the street is fictional too
        geocode_source="demo", geocode_precision="locality", disclosure=disclosure, is_demo=True,
    )  # fmt: skip


def _languages(rng: random.Random, county: str) -> tuple[str, ...]:
    """Romanian always; Hungarian, Romani, English and Ukrainian by county-dependent odds."""
    odds = (("hu", HU.get(county, 0.14)), ("rom", 0.15), ("en", EN.get(county, 0.15)),
            ("uk", UK.get(county, 0.04)))  # fmt: skip
    return ("ro", *(code for code, p in odds if rng.random() < p))


def _capacity(rng: random.Random, stype: str, today: date) -> dict[str, Any]:
    """Capacity status, beds for shelters, and a report date; about a third are stale."""
    shelter = stype in vocab.SHELTER_TYPES
    # needs_assessment is weighted 0: a non-zero weight would reshuffle the demo's whole stream.
    weights = (40, 20, 15, 25, 0) if shelter else (50, 5, 15, 30, 0)
    status = rng.choices(vocab.CAPACITY_STATUSES, weights=weights)[0]
    total = rng.randint(6, 40) if shelter else None
    free = None
    if shelter and status != "unknown":
        free = rng.randint(1, min(8, total or 1)) if status == "available" else 0
    age_days = rng.randint(0, 10) if rng.random() < 0.65 else rng.randint(15, 60)
    as_of = None if status == "unknown" else today - timedelta(days=age_days)
    return {"capacity_status": status, "beds_available": free, "beds_total": total,
            "capacity_as_of": as_of}  # fmt: skip


def _service_fields(
    rng: random.Random, stype: str, county: str, today: date, private: bool
) -> dict[str, Any]:
    """The randomised fields of one service of type ``stype`` (every 4th alert stops intake)."""
    shelter = stype in vocab.SHELTER_TYPES
    ages = ((12, 17), (0, 17), (14, 25), (6, 13)) if shelter else ((0, 17), (12, 17), (14, 25),
                                                                    (6, 17), (0, 25))  # fmt: skip
    lo, hi = rng.choices(ages, weights=(50, 25, 15, 10) if shelter else (40, 20, 15, 15, 10))[0]
    genders = rng.choices((("female", "male"), ("female",), ("male",)),
                          weights=(72, 18, 10) if shelter else (95, 5, 0))[0]  # fmt: skip
    r = rng.random()
    criteria = vocab.CHILD_FRIENDLY_CRITERIA
    if 0.6 <= r < 0.9:
        picked = set(rng.sample(criteria, rng.randint(1, 3)))
        criteria = tuple(c for c in criteria if c in picked)
    elif r >= 0.9:
        criteria = ()
    access = tuple(a for a, p in zip(vocab.ACCESSIBILITY, (0.3, 0.04, 0.08), strict=True)
                   if rng.random() < p)  # fmt: skip
    intake_24_7 = stype in ("shelter_emergency", "hotline") or (
        stype == "medical" and rng.random() < 0.25
    )
    unaccompanied = {"shelter_emergency": 0.85, "shelter_residential": 0.4, "repatriation": 0.5,
                     "legal_aid": 0.2}.get(stype, 0.0)  # fmt: skip
    parent = {"shelter_residential": 0.35, "shelter_emergency": 0.1}.get(stype, 0.0)
    status = "active"
    if rng.random() < 0.05:
        status = rng.choice(("inactive", "temporarily closed", "defunct"))
    assured = None if rng.random() < 0.05 else today - timedelta(days=rng.randint(0, 365))
    alert, alert_expires, stops = None, None, False
    if rng.random() < 0.06:
        alert_expires = today + timedelta(days=(days := rng.randint(-5, 30)))  # some expired
        what = "nu primim copii noi" if (stops := days % 4 == 0) else "program redus"
        alert = f"Aviz demonstrativ: {what} în perioada lucrărilor de renovare (fictiv)."
    return {
        "status": status, "minimum_age": lo, "maximum_age": hi, "genders": genders,
        "languages": _languages(rng, county), "interpretation_available": rng.random() < 0.3,
        "child_friendly_criteria": criteria, "trafficking_specialised": rng.random() < 0.4,
        "accepts_unaccompanied_minors": rng.random() < unaccompanied,
        "accepts_parent_with_child": rng.random() < parent,
        "emergency_intake_24_7": intake_24_7, "accessibility": access,
        "free_of_charge": not private or rng.random() < 0.4,
        "schedule": "Non-stop (24/7)" if intake_24_7 else rng.choice(SCHEDULES),
        "referral_process": "Admitere la trimiterea DGASPC sau a poliției; evaluare în 24 de ore."
        if shelter else "Trimitere prin Punte sau telefonic; evaluare inițială la prima întâlnire.",
        **_capacity(rng, stype, today),
        "assured_date": assured, "assurer": "Coordonator demo" if assured else None,
        "alert": alert, "alert_expires": alert_expires, "alert_stops_intake": stops,
    }  # fmt: skip


def _anchor_fields(stype: str, today: date) -> dict[str, Any]:
    """What every anchor service guarantees: active, child-friendly, specialised, fresh, open."""
    shelter = stype in vocab.SHELTER_TYPES
    return {
        "status": "active", "minimum_age": 12 if shelter else 0, "maximum_age": 17,
        "genders": ("female", "male"), "child_friendly_criteria": vocab.CHILD_FRIENDLY_CRITERIA,
        "trafficking_specialised": True, "specialisations": vocab.SPECIALISATIONS,
        "capacity_status": "available", "alert_stops_intake": False,
        "beds_available": 3 if shelter else None, "beds_total": 12 if shelter else None,
        "capacity_as_of": today - timedelta(days=1), "assured_date": today - timedelta(days=20),
        "assurer": "Coordonator demo", "alert": None, "alert_expires": None,
    }  # fmt: skip


# Shares of each type among specialised demo services (sexual exploitation is the most common).
_SHARES = {"sexual": 0.75, "online_sexual": 0.35, "labour": 0.3, "forced_begging": 0.15}


def _specialisations(seed: int, k: int, specialised: bool) -> tuple[str, ...]:
    """The k-th service's exploitation types, from their own generator (the rest unchanged)."""
    rng = random.Random(f"{seed}-specialisations-{k}")
    if not specialised or rng.random() < 0.25:  # a quarter say "trafficking" but no type
        return ()
    return tuple(c for c, share in _SHARES.items() if rng.random() < share) or ("sexual",)


def generate(
    data_dir: Path, *, seed: int = DEMO_SEED, today: date, n_services: int = 480
) -> DemoDirectory:
    """The demo directory for ``seed`` and ``today``; the same inputs give the same records."""
    rng = random.Random(seed)
    uats = load_uats(data_dir)
    orgs: dict[int, tuple[Organization, str]] = {}
    locations: list[Location] = []
    services: list[Service] = []
    links: list[ServiceAtLocation] = []
    org_names: set[str] = set()
    loc_names: set[str] = set()
    for site in _plan(rng, uats, n_services):
        if site.org not in orgs:
            orgs[site.org] = _organization(rng, len(orgs) + 1, site.uat, org_names)
        org, word = orgs[site.org]
        loc = _location(rng, len(locations) + 1, site, org.id, word, loc_names)
        locations.append(loc)
        for j, stype in enumerate(site.types):
            k = len(services) + 1
            values = _service_fields(
                rng, stype, site.uat.county_code, today, org.legal_status == "private"
            )
            if site.fixed:  # anchors: guaranteed fields, then the profile's own overrides
                values |= _anchor_fields(stype, today) | site.fixed[j]
            values.setdefault(
                "specialisations", _specialisations(seed, k, values["trafficking_specialised"])
            )
            services.append(Service(
                id=f"demo-svc-{k:03d}", organization_id=org.id, service_type=stype,
                name=f"{LABELS[stype]} – {word} {site.uat.name} (demo, fictiv)",
                description=f"{DEMO_NOTE} {LABELS[stype]} pentru copii și tineri.",
                intake_phone=f"+40 700 000 {k % 1000:03d}", is_demo=True, **values,
            ))  # fmt: skip
            links.append(ServiceAtLocation(f"demo-sal-{k:03d}", f"demo-svc-{k:03d}", loc.id, True))
    return DemoDirectory(
        tuple(o for o, _ in orgs.values()), tuple(locations), tuple(services), tuple(links)
    )


def load_demo(
    store: Store, data_dir: Path, *, today: date, progress: Progress | None = None,
    n_services: int = 480,
) -> DemoDirectory:  # fmt: skip
    """Generate the demo directory and insert it in one transaction (all or nothing)."""
    directory = generate(data_dir, today=today, n_services=n_services)
    store.bulk_insert(directory.records(), DEMO_ACTOR, reason="demo directory", progress=progress)
    return directory
