"""The demo directory: deterministic, fictional, nationwide, and able to serve the five profiles."""

from __future__ import annotations

import math
import re
import sqlite3
import time
from collections import Counter
from dataclasses import astuple
from datetime import timedelta

import pytest

from directory import vocab
from directory.demo.generator import DEMO_ACTOR, DemoDirectory, generate, load_demo, load_uats
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.storage.store import Store

from .conftest import DATA_DIR, TODAY

PHONE = re.compile(r"^\+40 700 000 \d{3}$")
# Real organisations (and their usual spellings) that a demo name must never reproduce.
REAL_NAMES = (
    "salvați copiii", "salvati copiii", "save the children", "eliberare", "adpare",
    "reaching out", "pro refugiu", "anitp", "terre des hommes", "world vision", "caritas",
    "concordia", "estuar", "alternative sociale", "generația tânără", "generatia tanara",
    "hope for life", "necuvinte", "unicef", "fdp", "lumos", "oim ", "iom ", "la strada",
)  # fmt: skip
SHELTERS = vocab.SHELTER_TYPES


@pytest.fixture(scope="module")
def demo() -> DemoDirectory:
    return generate(DATA_DIR, today=TODAY)


def _strings(d: DemoDirectory) -> list[str]:
    """Every text value of every record, tuples included."""
    out: list[str] = []
    for record in d.records():
        for value in astuple(record):
            values = value if isinstance(value, tuple) else (value,)
            out += [v for v in values if isinstance(v, str)]
    return out


def _located(d: DemoDirectory) -> list[tuple[Service, Location]]:
    """Each service with the location it is delivered at."""
    services = {s.id: s for s in d.services}
    locations = {loc.id: loc for loc in d.locations}
    return [(services[x.service_id], locations[x.location_id]) for x in d.links]


def _find(d: DemoDirectory, types: set[str], counties: set[str], age: int, **need) -> list:
    """Active, child-friendly services open now that fit the child; ``need`` adds predicates."""
    return [
        s
        for s, loc in _located(d)
        if s.service_type in types
        and loc.county_code in counties
        and s.status == "active"
        and s.child_friendly
        and s.minimum_age <= age <= s.maximum_age
        and (s.service_type not in SHELTERS or s.capacity_status == "available")
        and all(pred(s) for pred in need.values())
    ]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# ---- determinism ------------------------------------------------------------------------


def test_same_seed_and_day_give_identical_output(demo):
    again = generate(DATA_DIR, today=TODAY)
    assert again == demo
    assert again.records() == demo.records()


def test_other_seed_gives_other_directory(demo):
    other = generate(DATA_DIR, seed=1, today=TODAY)
    assert other.services != demo.services
    assert other.locations != demo.locations


def test_other_day_shifts_only_the_dates(demo):
    later = generate(DATA_DIR, today=TODAY + timedelta(days=3))
    for a, b in zip(demo.services, later.services, strict=True):
        if a.capacity_as_of:
            assert b.capacity_as_of == a.capacity_as_of + timedelta(days=3)
        dates = ("capacity_as_of", "assured_date", "alert_expires")
        assert {k: v for k, v in a.to_row().items() if k not in dates} == {
            k: v for k, v in b.to_row().items() if k not in dates
        }
    assert later.locations == demo.locations


def test_generation_is_fast_and_silent(capsys):
    start = time.perf_counter()
    generate(DATA_DIR, seed=7, today=TODAY)
    assert time.perf_counter() - start < 1.0
    assert capsys.readouterr() == ("", "")


# ---- size and coverage ------------------------------------------------------------------


def test_counts_and_coverage(demo):
    assert len(demo.services) == 480
    assert len(demo.locations) >= 250
    assert len(demo.links) == len(demo.services)
    assert {loc.county_code for loc in demo.locations} == set(load_uats(DATA_DIR))
    assert len({loc.county_code for loc in demo.locations}) == 42
    assert {s.service_type for s in demo.services} == set(vocab.SERVICE_TYPES)
    per_county = Counter(loc.county_code for loc in demo.locations)
    assert min(per_county.values()) >= 3
    assert per_county.most_common(1)[0][0] == "B"  # the capital gets the most


def test_n_services_is_honoured():
    small = generate(DATA_DIR, today=TODAY, n_services=400)
    assert len(small.services) == 400
    assert len({loc.county_code for loc in small.locations}) == 42


def test_structure_org_locations_and_services_per_location(demo):
    per_location = Counter(x.location_id for x in demo.links)
    assert set(per_location.values()) <= {1, 2, 3}
    per_org = Counter(loc.organization_id for loc in demo.locations)
    assert max(per_org.values()) <= 4
    org_ids = {o.id for o in demo.organizations}
    assert {loc.organization_id for loc in demo.locations} == org_ids
    assert {s.organization_id for s in demo.services} <= org_ids
    ids = [r.id for r in demo.records()]
    assert len(ids) == len(set(ids))


def test_most_locations_are_in_county_seats_and_sectors(demo):
    uats = {u.siruta: u for us in load_uats(DATA_DIR).values() for u in us}
    central = sum(
        uats[loc.siruta].county_seat or uats[loc.siruta].kind == "sector" for loc in demo.locations
    )
    assert central / len(demo.locations) > 0.5


# ---- realistic mix ----------------------------------------------------------------------


def test_mix_of_languages_ages_genders_and_capacity(demo):
    s = demo.services
    n = len(s)

    def share(pred) -> float:
        return sum(map(pred, s)) / n

    assert all(x.languages[0] == "ro" for x in s)
    assert 0.15 < share(lambda x: "hu" in x.languages) < 0.35
    assert 0.08 < share(lambda x: "rom" in x.languages) < 0.25
    assert 0.1 < share(lambda x: "en" in x.languages) < 0.3
    assert 0.03 < share(lambda x: "uk" in x.languages) < 0.15
    assert 0.2 < share(lambda x: x.interpretation_available) < 0.4
    assert 0.5 < share(lambda x: x.child_friendly) < 0.7
    assert 0.3 < share(lambda x: x.trafficking_specialised) < 0.5
    assert 0.2 < share(lambda x: "wheelchair" in x.accessibility) < 0.4
    assert 0.02 < share(lambda x: x.status != "active") < 0.1
    assert {x.capacity_status for x in s} == set(vocab.CAPACITY_STATUSES) - {"needs_assessment"}
    assert {x.status for x in s} == set(vocab.SERVICE_STATUSES)
    szekler = [x for x, loc in _located(demo) if loc.county_code in {"HR", "CV"}]
    assert sum("hu" in x.languages for x in szekler) / len(szekler) > 0.7
    shelters = [x for x in s if x.service_type in SHELTERS]
    ages = {(x.minimum_age, x.maximum_age) for x in shelters}
    assert {(12, 17), (0, 17), (14, 25), (6, 13)} <= ages
    genders = Counter(x.genders for x in shelters)
    assert genders[("female",)] and genders[("male",)]
    assert genders[("female", "male")] > len(shelters) / 2
    emergency = [x for x in s if x.service_type == "shelter_emergency"]
    assert sum(x.accepts_unaccompanied_minors for x in emergency) > len(emergency) / 2
    assert all(
        x.emergency_intake_24_7 for x in s if x.service_type in {"shelter_emergency", "hotline"}
    )
    assert any(x.accepts_parent_with_child for x in s if x.service_type == "shelter_residential")


def test_capacity_and_dates_derive_from_today(demo):
    for x in demo.services:
        if x.capacity_status == "unknown":
            assert x.capacity_as_of is None
        else:
            assert TODAY - timedelta(days=60) <= x.capacity_as_of <= TODAY
        if x.service_type in SHELTERS and x.capacity_status == "available":
            assert 0 < x.beds_available <= x.beds_total
        if x.service_type not in SHELTERS:
            assert x.beds_total is None
        if x.assured_date:
            assert x.assured_date <= TODAY and x.assurer
        if x.alert:
            assert x.alert_expires is not None
    as_of = [x.capacity_as_of for x in demo.services if x.capacity_as_of]
    assert any(TODAY - d > timedelta(days=14) for d in as_of)  # some reports are stale
    assert any(TODAY - d <= timedelta(days=14) for d in as_of)
    assured = [x.assured_date for x in demo.services if x.assured_date]
    assert any(TODAY - d > timedelta(days=180) for d in assured)
    assert any(x.alert for x in demo.services)


# ---- fictional and safe -----------------------------------------------------------------


def test_every_record_is_demo_and_named_as_fiction(demo):
    assert all(r.is_demo for r in demo.records())
    for r in (*demo.organizations, *demo.locations, *demo.services):
        name = r.name.lower()
        assert "fictiv" in name and ("demo" in name or "exemplu" in name)
    for x in demo.services:
        assert PHONE.fullmatch(x.intake_phone)
        assert x.description.startswith("Înregistrare demonstrativă fictivă.")
    for o in demo.organizations:
        assert o.cui is None
        assert o.email.endswith("@example.org")
        assert o.website.startswith("https://example.org/demo/")
        assert "Înregistrare demonstrativă fictivă." in o.description
    assert Counter(o.legal_status for o in demo.organizations).keys() == set(vocab.LEGAL_STATUSES)


def test_no_real_organisation_names(demo):
    names = [r.name.lower() for r in (*demo.organizations, *demo.locations, *demo.services)]
    for real in REAL_NAMES:
        assert not [n for n in names if real in n], real


def test_no_cedilla_letters_anywhere(demo):
    text = "".join(_strings(demo))
    assert not set("şţŞŢ") & set(text)
    assert "ș" in text and "ț" in text


def test_locations_sit_near_their_uat_and_inside_romania(demo):
    uats = {u.siruta: u for us in load_uats(DATA_DIR).values() for u in us}
    for loc in demo.locations:
        uat = uats[loc.siruta]
        assert loc.county_code == uat.county_code and loc.locality == uat.name
        assert _km(loc.latitude, loc.longitude, uat.lat, uat.lon) <= 2.05
        assert vocab.RO_LAT[0] <= loc.latitude <= vocab.RO_LAT[1]
        assert vocab.RO_LON[0] <= loc.longitude <= vocab.RO_LON[1]
        assert (loc.geocode_source, loc.geocode_precision) == ("demo", "locality")
        assert loc.postal_code is None


def test_most_shelter_locations_are_confidential_and_others_public(demo):
    types: dict[str, set[str]] = {}
    for s, loc in _located(demo):
        types.setdefault(loc.id, set()).add(s.service_type)
    shelter = [loc for loc in demo.locations if types[loc.id] & SHELTERS]
    other = [loc for loc in demo.locations if not types[loc.id] & SHELTERS]
    assert 0.5 <= sum(loc.confidential for loc in shelter) / len(shelter) <= 0.9
    assert all(loc.disclosure == "public" for loc in other)
    assert {loc.disclosure for loc in shelter} == set(vocab.DISCLOSURES)
    for loc in demo.locations:
        if loc.disclosure != "never":
            assert re.fullmatch(r"(Strada|Aleea|Bulevardul|Calea) \w+ nr\. \d+", loc.address_1)


# ---- the five profiles of DESIGN.md §3 ---------------------------------------------------


def test_profile_a_girl_from_vaslui_found_in_bucharest(demo):
    girl = {"gender": lambda s: "female" in s.genders}
    for counties in ({"B", "IF"}, {"VS", "IS"}):
        assert _find(demo, {"shelter_emergency"}, counties, 15, **girl)
        assert _find(demo, {"legal_aid"}, counties, 15, **girl)
        assert _find(demo, {"psychological_counselling"}, counties, 15, **girl)
    assert _find(demo, {"shelter_emergency"}, {"VS"}, 15, **girl)


def test_profile_b_hungarian_speaking_boy_from_harghita(demo):
    boy_hu = {"gender": lambda s: "male" in s.genders, "hu": lambda s: "hu" in s.languages}
    szekler = {"HR", "CV", "MS"}
    assert _find(demo, set(SHELTERS), szekler, 16, **boy_hu)
    assert _find(demo, {"social_reintegration"}, szekler, 16, **boy_hu)


def test_profile_c_online_grooming_at_home_in_iasi(demo):
    assert _find(
        demo, {"psychological_counselling"}, {"IS"}, 13, t=lambda s: s.trafficking_specialised
    )
    assert _find(demo, {"legal_aid"}, {"IS"}, 13)
    assert _find(demo, {"family_support"}, {"IS"}, 13)


def test_profile_d_young_mother_repatriated_through_otopeni(demo):
    mother = {"f": lambda s: "female" in s.genders}
    parent = {"p": lambda s: s.accepts_parent_with_child, **mother}
    assert _find(demo, {"shelter_residential"}, {"B", "IF"}, 17, **parent)
    assert _find(demo, {"medical"}, {"B", "IF"}, 17, **mother)
    assert _find(demo, {"repatriation"}, {"B", "IF"}, 17, **mother)


def test_profile_e_unaccompanied_ukrainian_boy_at_siret(demo):
    speaks = {"uk": lambda s: "uk" in s.languages or s.interpretation_available}
    alone = {"u": lambda s: s.accepts_unaccompanied_minors, **speaks}
    assert _find(demo, {"shelter_emergency"}, {"SV"}, 14, **alone)
    assert _find(demo, {"legal_aid"}, {"SV"}, 14, **speaks)


def test_profiles_hold_for_other_seeds():
    for seed in (1, 2):
        d = generate(DATA_DIR, seed=seed, today=TODAY)
        assert _find(d, {"shelter_emergency"}, {"SV"}, 14, u=lambda s: "uk" in s.languages)
        assert _find(d, set(SHELTERS), {"HR", "CV", "MS"}, 16, hu=lambda s: "hu" in s.languages)


# ---- loading into a real database -------------------------------------------------------


def test_load_demo_writes_every_record_with_audit_and_progress(tmp_path):
    calls: list[tuple[int, int]] = []
    with Store.init(tmp_path / "t.db") as store:
        d = load_demo(
            store, DATA_DIR, today=TODAY, progress=lambda done, total: calls.append((done, total))
        )
        counts = store.counts()
        audit = list(store.db.query("SELECT actor, action, entity, entity_id FROM audit_log"))
        services = store.all(Service)
    total = len(d.records())
    assert calls and calls[-1] == (total, total)
    assert counts["organization"] == len(d.organizations)
    assert counts["location"] == len(d.locations)
    assert counts["service"] == counts["demo"] == len(d.services)
    assert counts["service_at_location"] == len(d.links)
    assert counts["confidential_locations"] == sum(loc.confidential for loc in d.locations)
    assert len(audit) == total
    assert {(a["actor"], a["action"]) for a in audit} == {(DEMO_ACTOR, "create")}
    assert {(a["entity"], a["entity_id"]) for a in audit} == {(r.table, r.id) for r in d.records()}
    assert sorted(services, key=lambda s: s.id) == sorted(d.services, key=lambda s: s.id)


def test_loading_twice_fails_and_changes_nothing(tmp_path):
    with Store.init(tmp_path / "t.db") as store:
        load_demo(store, DATA_DIR, today=TODAY)
        before = store.counts()
        with pytest.raises(sqlite3.IntegrityError):
            load_demo(store, DATA_DIR, today=TODAY)
        assert store.counts() == before


def test_a_conflict_on_the_last_record_rolls_back_everything(tmp_path):
    last_link = generate(DATA_DIR, today=TODAY).links[-1].id
    org = Organization("x-org", "Org X", "ngo")
    loc = Location("x-loc", "x-org", "Loc X", 46.77, 23.59, "CJ")
    svc = Service("x-svc", "x-org", "Svc X", "legal_aid")
    with Store.init(tmp_path / "t.db") as store:
        store.bulk_insert([org, loc, svc, ServiceAtLocation(last_link, "x-svc", "x-loc")], "test")
        before = store.counts()
        with pytest.raises(sqlite3.IntegrityError):
            load_demo(store, DATA_DIR, today=TODAY)
        assert store.counts() == before
        assert not store.has_demo_data()
