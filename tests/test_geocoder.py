"""Tests for the offline geocoder and the pure query parser."""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.errors import GeocodeError, NotFoundError, ValidationError
from directory.places.address_parse import parse_address
from directory.places.geocoder import BUCHAREST_SIRUTA, Candidate, Geocoder, ReverseResult
from directory.places.place_names import county_index
from directory.textnorm import fold

DATA = Path(__file__).parent.parent / "data"

BRASOV, IASI, TIMISOARA, CLUJ = 40198, 95060, 155243, 54975
SATU_MARE, BUSTENI, PIATRA_NEAMT, CIUGUD = 136483, 131210, 120726, 1071
SF_GHEORGHE_CV, SF_GHEORGHE_IL, SF_GHEORGHE_TL = 63394, 94456, 161231
ARCALIA, SIEU_MAGHERUS, SECTOR_3 = 34716, 34690, 179169


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    """One geocoder over the real data for the whole module."""
    return Geocoder.from_data_dir(DATA)


@pytest.fixture(scope="module")
def counties() -> dict[str, str]:
    """The parser's county index built from ro_uat.csv."""
    with (DATA / "ro_uat.csv").open(encoding="utf-8", newline="") as f:
        return county_index({(r["county_code"], r["county_name"]) for r in csv.DictReader(f)})


def _county_seats() -> list[tuple[int, str]]:
    """(siruta, name) of the 41 county seats."""
    with (DATA / "ro_uat.csv").open(encoding="utf-8", newline="") as f:
        return [
            (int(r["siruta"]), r["name"]) for r in csv.DictReader(f) if r["county_seat"] == "True"
        ]


TOP_MATCH = [
    # plain names, case and diacritics
    ("Brașov", BRASOV, "BV"),
    ("Brasov", BRASOV, "BV"),
    ("BRAȘOV", BRASOV, "BV"),
    ("brasov", BRASOV, "BV"),
    ("Iasi", IASI, "IS"),
    ("Timişoara", TIMISOARA, "TM"),  # cedilla ş
    ("TIMIŞOARA", TIMISOARA, "TM"),
    ("Satu-Mare", SATU_MARE, "SM"),
    ("Satu Mare", SATU_MARE, "SM"),
    ("Cluj Napoca", CLUJ, "CJ"),
    ("Cluj-Napoca", CLUJ, "CJ"),
    ("Piatra Neamt", PIATRA_NEAMT, "NT"),  # ends in a county name but is one name
    # prefixes and county hints
    ("mun. Brașov", BRASOV, "BV"),
    ("municipiul Brasov", BRASOV, "BV"),
    ("mun. Brașov, jud. BV", BRASOV, "BV"),
    ("Brașov, jud. Brașov", BRASOV, "BV"),
    ("Brasov jud Brasov", BRASOV, "BV"),
    ("Brasov BV", BRASOV, "BV"),
    ("Brasov, BV", BRASOV, "BV"),
    ("Cluj-Napoca, județul Cluj", CLUJ, "CJ"),
    ("Cluj Napoca, CJ", CLUJ, "CJ"),
    ("oraș Bușteni", BUSTENI, "PH"),
    ("oras Busteni", BUSTENI, "PH"),
    ("or. Busteni, jud. Prahova", BUSTENI, "PH"),
    ("com. Ciugud", CIUGUD, "AB"),
    ("comuna Ciugud, jud Alba", CIUGUD, "AB"),
    ("sat Ciugud", CIUGUD, "AB"),  # the seat village is folded into its commune
    ("Satu Mare, jud. Suceava", 150196, "SV"),
    ("Satu Mare, Harghita", 86501, "HR"),
    # misspellings
    ("Timisora", TIMISOARA, "TM"),
    ("Timisoaraa", TIMISOARA, "TM"),
    ("Brasow", BRASOV, "BV"),
    ("Cluj-Napka", CLUJ, "CJ"),
    ("Iasi, jud Iasi", IASI, "IS"),
    # ambiguous names rank the municipality first; county hints pick the county
    ("Sfântu Gheorghe", SF_GHEORGHE_CV, "CV"),
    ("Sfantu Gheorghe, jud. Tulcea", SF_GHEORGHE_TL, "TL"),
    ("Sfantu Gheorghe, TL", SF_GHEORGHE_TL, "TL"),
    ("Sfantu Gheorghe Tulcea", SF_GHEORGHE_TL, "TL"),
    ("com. Sfantu Gheorghe, jud. Ialomita", SF_GHEORGHE_IL, "IL"),
    # Bucharest
    ("București Sector 3", SECTOR_3, "B"),
    ("Sectorul 3", SECTOR_3, "B"),
    ("Sector 3", SECTOR_3, "B"),
    ("sector 3 bucuresti", SECTOR_3, "B"),
    ("Bucuresti, sect. 3", SECTOR_3, "B"),
    ("Bucuresti", BUCHAREST_SIRUTA, "B"),
    ("municipiul București", BUCHAREST_SIRUTA, "B"),
    # villages
    ("Arcalia", ARCALIA, "BN"),
    ("sat Arcalia", ARCALIA, "BN"),
    ("sat. Arcalia, jud. Bistrita Nasaud", ARCALIA, "BN"),
    ("sat Arcalia, com. Șieu-Măgheruș, jud. Bistrița-Năsăud", ARCALIA, "BN"),
    ("Arcalia com Sieu Magherus", ARCALIA, "BN"),
    ("Valea Mare, com. Dumești, jud. Vaslui", 163770, "VS"),
    ("Valea Mare, Ivanesti, VS", 164525, "VS"),
    # a query that is only a county offers its seat
    ("jud. Cluj", CLUJ, "CJ"),
    ("BV", BRASOV, "BV"),
]


@pytest.mark.parametrize(("query", "siruta", "county"), TOP_MATCH)
def test_best_candidate(geocoder: Geocoder, query: str, siruta: int, county: str) -> None:
    best = geocoder.best(query)
    assert (best.siruta, best.county_code) == (siruta, county)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "Sfântu Gheorghe",
            [SF_GHEORGHE_CV, SF_GHEORGHE_IL, SF_GHEORGHE_TL, 101047, 102400, 117916],
        ),
        ("Sfantu Gheorghe, jud. Tulcea", [SF_GHEORGHE_TL]),
        ("Valea Mare, jud. Vaslui", [161927, 163770, 164525]),
        ("Valea Mare, jud. Valcea", [174085, 168443, 168666]),
    ],
)
def test_every_exact_candidate_comes_back_in_order(
    geocoder: Geocoder, query: str, expected: list[int]
) -> None:
    found = geocoder.geocode(query, limit=100)
    exact = [c.siruta for c in found if c.match in ("exact", "normalised")]
    assert exact == expected


@pytest.mark.parametrize(
    ("query", "ambiguous"),
    [
        ("Sfântu Gheorghe", False),  # the county seat outranks the communes of that name
        ("Iași", False),
        ("Valea Mare", True),  # communes of that name in several counties
        ("Valea Mare, jud. Vaslui", True),  # three villages
        ("Avram Iancu", True),  # two communes
        ("Brașov", False),
        ("Bucuresti", False),
    ],
)
def test_is_ambiguous(geocoder: Geocoder, query: str, ambiguous: bool) -> None:
    assert geocoder.is_ambiguous(geocoder.geocode(query)) is ambiguous


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("com. Sfantu Gheorghe", ["comună", "comună"]),
        ("mun. Sfantu Gheorghe", ["municipiu"]),
        ("sat Sfantu Gheorghe", ["sat", "sat", "sat"]),
    ],
)
def test_kind_prefix_ranks_that_kind_first(
    geocoder: Geocoder, query: str, kinds: list[str]
) -> None:
    assert [c.kind for c in geocoder.geocode(query)[: len(kinds)]] == kinds


@pytest.mark.parametrize(
    ("query", "siruta", "precision", "kind"),
    [
        ("Brașov", BRASOV, "uat_seat", "municipiu"),
        ("Arcalia", ARCALIA, "locality", "sat"),
        ("Coșeni, jud. Covasna", 63429, "uat_only", "sat"),
        ("Bușteni", BUSTENI, "uat_seat", "oraș"),
        ("Sector 3", SECTOR_3, "uat_seat", "sector"),
    ],
)
def test_precision_and_kind(
    geocoder: Geocoder, query: str, siruta: int, precision: str, kind: str
) -> None:
    best = geocoder.best(query)
    assert (best.siruta, best.precision, best.kind) == (siruta, precision, kind)


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Sfântu Gheorghe", "Sfântu Gheorghe (municipiu, Covasna)"),
        ("Arcalia", "Arcalia (sat, com. Șieu-Măgheruș, Bistrița-Năsăud)"),
        ("Poiana Brasov", "Poiana Brașov (sat, mun. Brașov, Brașov)"),
        ("Bucuresti", "București (municipiu, București)"),
    ],
)
def test_label(geocoder: Geocoder, query: str, label: str) -> None:
    assert geocoder.best(query).label() == label


def test_uat_and_seat_locality_are_one_candidate(geocoder: Geocoder) -> None:
    sirutas = [c.siruta for c in geocoder.geocode("Brașov", limit=50)]
    assert sirutas.count(BRASOV) == 1 and 40205 not in sirutas


def test_village_fields(geocoder: Geocoder) -> None:
    best = geocoder.best("Arcalia")
    assert (best.uat_siruta, best.uat_name, best.county_name) == (
        SIEU_MAGHERUS,
        "Șieu-Măgheruș",
        "Bistrița-Năsăud",
    )
    assert best.latitude == pytest.approx(47.08075) and best.longitude == pytest.approx(24.36574)


def test_ranking_is_exact_then_prefix_then_fuzzy(geocoder: Geocoder) -> None:
    results = geocoder.geocode("Bucuresti", limit=10)
    assert results[0].match == "normalised" and all(c.score == 90.0 for c in results[1:7])
    assert {c.kind for c in results[1:7]} == {"sector"}
    assert geocoder.best("Timisora").score < 90.0


def test_order_is_deterministic(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Valea Mare", limit=50) == geocoder.geocode("Valea Mare", limit=50)


def test_limit(geocoder: Geocoder) -> None:
    assert len(geocoder.geocode("Valea Mare", limit=3)) == 3
    results = geocoder.geocode("Valea Mare", limit=100)
    assert sum(c.score == 100.0 for c in results) == 24 and len(results) > 24


@pytest.mark.parametrize("query", ["Xyzzyqwe", "qqqqqqqqqqqqqqqq"])
def test_nothing_found_raises(geocoder: Geocoder, query: str) -> None:
    with pytest.raises(GeocodeError) as info:
        geocoder.geocode(query)
    assert info.value.query == query and len(info.value.suggestions) <= 5


def test_error_suggests_close_names(geocoder: Geocoder) -> None:
    with pytest.raises(GeocodeError) as info:
        geocoder.geocode("Timisxxxxa, jud. Timis")
    assert "Timișoara (municipiu, Timiș)" in info.value.suggestions


@pytest.mark.parametrize("query", ["", "   ", "a" * 201])
def test_invalid_query(geocoder: Geocoder, query: str) -> None:
    with pytest.raises(ValidationError) as info:
        geocoder.geocode(query)
    assert info.value.field == "query"


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (45.6427, 25.5887, (BRASOV, "BV")),
        (44.4268, 26.1025, (SECTOR_3, "B")),
        (47.08075, 24.36574, (SIEU_MAGHERUS, "BN")),
        (48.0, 10.0, None),
        (44.0, 31.0, None),  # Black Sea
    ],
)
def test_reverse(
    geocoder: Geocoder, lat: float, lon: float, expected: tuple[int, str] | None
) -> None:
    result = geocoder.reverse(lat, lon)
    if expected is None:
        assert result is None
    else:
        assert isinstance(result, ReverseResult)
        assert (result.uat_siruta, result.county_code) == expected


def test_reverse_of_every_bucharest_point_is_in_bucharest(geocoder: Geocoder) -> None:
    result = geocoder.reverse(44.4268, 26.1025)
    assert result is not None and result.county_code == "B" and result.county_name == "București"


def test_counties(geocoder: Geocoder) -> None:
    counties = geocoder.counties()
    assert len(counties) == 42 and ("B", "București") in counties and ("CV", "Covasna") in counties
    assert [fold(n) for _, n in counties] == sorted(fold(n) for _, n in counties)


def test_uat_lookup(geocoder: Geocoder) -> None:
    brasov = geocoder.uat(BRASOV)
    assert isinstance(brasov, Candidate) and brasov.label() == "Brașov (municipiu, Brașov)"
    assert geocoder.uat(BUCHAREST_SIRUTA).county_code == "B"
    with pytest.raises(NotFoundError):
        geocoder.uat(12345678)


@pytest.mark.parametrize("query", ["", " ", "x" * 201])
def test_parse_rejects_bad_input(counties: dict[str, str], query: str) -> None:
    with pytest.raises(ValidationError):
        parse_address(query, counties)


@pytest.mark.parametrize(
    ("queries", "budget_ms"),
    [(["Brașov", "Arcalia", "Sfântu Gheorghe", "sat Arcalia, jud. BN"], 1.0),
     (["Timisora", "Brasow", "Cluj-Napka", "Arcalai"], 5.0)],
)  # fmt: skip
def test_median_latency(geocoder: Geocoder, queries: list[str], budget_ms: float) -> None:
    times = []
    for _ in range(25):
        for query in queries:
            start = time.perf_counter_ns()
            geocoder.geocode(query)
            times.append((time.perf_counter_ns() - start) / 1e6)
    # Twice the budget: a loaded CI machine must not make this flaky; the bench checks the rest.
    assert statistics.median(times) < 2 * budget_ms


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seat=st.sampled_from(_county_seats()), data=st.data())
def test_county_seat_without_diacritics_any_case(
    geocoder: Geocoder, seat: tuple[int, str], data: st.DataObject
) -> None:
    siruta, name = seat
    plain = fold(name) if data.draw(st.booleans()) else fold(name).replace(" ", "-")
    upper = data.draw(st.lists(st.booleans(), min_size=len(plain), max_size=len(plain)))
    query = "".join(c.upper() if u else c for c, u in zip(plain, upper, strict=True))
    assert siruta in [c.siruta for c in geocoder.geocode(query)[:3]]


def test_reverse_of_every_uat_inner_point_is_that_uat(geocoder: Geocoder) -> None:
    with (DATA / "ro_uat.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["inner_lat"]]
    wrong = [
        r["siruta"]
        for r in rows
        if (res := geocoder.reverse(float(r["inner_lat"]), float(r["inner_lon"]))) is None
        or res.uat_siruta != int(r["siruta"])
    ]
    assert len(rows) == 3183 and wrong == []
