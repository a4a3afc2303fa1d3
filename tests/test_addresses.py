"""Addresses as people write them: the generated set, the tables of words, messy samples."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path

import pytest

from directory.errors import GeocodeError
from directory.i18n import catalog
from directory.places.batch import geocode_many, read_queries
from directory.places.gazetteer import load_gazetteer
from directory.places.geocoder import BUCHAREST_SIRUTA, Geocoder
from directory.places.place_names import STREET_TYPES
from directory.vocab import GEOCODE_PRECISIONS

from .address_corpus import cases
from .test_cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TURDA, SIGHISOARA, IASI, SECTOR_2, AVRAM_IANCU_AB = 55259, 114514, 95060, 179150, 2577


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_data_dir(DATA)


def test_generated_set_right_uat_first(geocoder: Geocoder) -> None:
    corpus = cases(DATA)
    assert len(corpus) >= 2000
    total, right = Counter(), Counter()
    for case in corpus:
        total[case.form] += 1
        with contextlib.suppress(GeocodeError):
            right[case.form] += geocoder.best(case.query).uat_siruta == case.uat_siruta
    assert right["street, locality, county"] / total["street, locality, county"] >= 0.995
    assert right["village unique in county"] / total["village unique in county"] >= 0.999
    assert len({c.query.split(",")[-1] for c in corpus}) > 42  # every county, several spellings


def test_every_county_seat_typed_alone_is_the_seat(geocoder: Geocoder) -> None:
    gaz = load_gazetteer(DATA)
    seats = gaz.county_seats()
    assert len(seats) == 42  # 41 counties and Bucharest
    for code, siruta in seats.items():
        name = "București" if code == "B" else gaz.uat(siruta).name
        for typed in (name, name.upper(), name.replace("ș", "s").replace("ț", "t").lower()):
            best = geocoder.best(typed)
            assert best.siruta == siruta, typed


MESSY = [
    ("Str. Avram Iancu nr. 2, Turda, jud. Cluj", TURDA, "Str. Avram Iancu nr. 2"),
    ("STR. AVRAM IANCU NR. 2 TURDA JUD. CLUJ", TURDA, "Str. AVRAM IANCU nr. 2"),
    ("Str Avram Iancu 2 Turda judetul Cluj", TURDA, "Str. Avram Iancu nr. 2"),
    ("Avram Iancu 2, Turda, jud. CJ", TURDA, "Avram Iancu nr. 2"),
    ("401004 Turda, Str. Mihai Viteazu 12", TURDA, "Str. Mihai Viteazu nr. 12"),
    ("Str. Mihai Viteazu nr. 12, Sighișoara, jud. Mureș", SIGHISOARA, "Str. Mihai Viteazu nr. 12"),
    ("Sighisoara, str Mihai Viteazu 12, Mures", SIGHISOARA, "Str. Mihai Viteazu nr. 12"),
    ("Turzii nr. 5, Sighisoara, MS", SIGHISOARA, "Turzii nr. 5"),
    ("Calea Moşilor 3, sector 2, Bucureşti", SECTOR_2, "Calea Moșilor nr. 3"),
    ("Şos. Pantelimon 10 Sector 2", SECTOR_2, "Șos. Pantelimon nr. 10"),
    ("Bucuresti S2, Sos Pantelimon nr 10", SECTOR_2, "Șos. Pantelimon nr. 10"),
    ("Str. Fabricii 3, București, 021234", SECTOR_2, "Str. Fabricii nr. 3"),
    ("Com. Avram Iancu, Sat Avram Iancu, jud. Alba", AVRAM_IANCU_AB, ""),
    ("B-dul Independenței nr. 5, bl. A3, sc. B, ap. 12, Iași, 700100", IASI,
     "Bd. Independenței nr. 5, bl. A3, sc. B, ap. 12"),
    ("700100 Iasi, Bulevardul Independentei 5", IASI, "Bd. Independentei nr. 5"),
    ("Str. 1 Decembrie 1918 nr. 4, Turda, Cluj", TURDA, "Str. 1 Decembrie 1918 nr. 4"),
    ("Piata Unirii 1, Turda, CJ", TURDA, "Piața Unirii nr. 1"),
    ("Arcalia nr. 12, jud. BN", 34690, "Arcalia nr. 12"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "uat", "street"), MESSY)
def test_messy_real_world_samples(geocoder: Geocoder, query: str, uat: int, street: str) -> None:
    located = geocoder.locate(query)
    assert located.best.uat_siruta == uat
    assert located.address.address_1 == street


@pytest.mark.parametrize("typed", sorted(STREET_TYPES))
def test_each_street_type(geocoder: Geocoder, typed: str) -> None:
    for form in (typed, typed.upper(), typed.replace(" ", "-") + "."):
        located = geocoder.locate(f"{form} Avram Iancu nr. 7, Turda, jud. Cluj")
        assert located.best.uat_siruta == TURDA, form
        assert located.address.street == f"{STREET_TYPES[typed]} Avram Iancu", form
        assert located.address.number == "7"


@pytest.mark.parametrize(
    ("suffix", "field", "value"),
    [("nr. 12", "number", "12"), ("nr 12", "number", "12"), ("no. 12", "number", "12"),
     ("NR.12", "number", "12"), ("12", "number", "12"), ("nr. 5 bl. A3", "block", "A3"),
     ("nr. 5 sc. B", "staircase", "B"), ("nr. 5, et. 2", "floor", "2"),
     ("nr. 5 ap. 12", "apartment", "12"), ("nr. 5, bloc C1", "block", "C1")],
)  # fmt: skip
def test_number_markers(geocoder: Geocoder, suffix: str, field: str, value: str) -> None:
    address = geocoder.locate(f"Str. Unirii {suffix}, Turda, jud. Cluj").address
    assert getattr(address, field) == value


@pytest.mark.parametrize(
    ("query", "siruta", "match"),
    [("Tg. Mureș", 114319, "abbreviation"), ("Tg Jiu", 77812, "abbreviation"),
     ("Tirgu Mures", 114319, "normalised"), ("Tîrgu Jiu", 77812, "normalised"),
     ("Rm. Valcea", 167473, "abbreviation"), ("Rm. Sărat", 44845, "abbreviation"),
     ("Dr. Tr. Severin", 109773, "abbreviation"), ("Sf. Gheorghe", 63394, "abbreviation"),
     ("Cmpl. Moldovenesc", 146502, "abbreviation"), ("mun. Iasi", 95060, "normalised"),
     ("or. Busteni", 131210, "normalised"), ("com. Ciugud", 1071, "exact"),
     ("sat Arcalia", 34716, "exact"), ("sect. 3", 179169, "sector"),
     ("sectorul 3", 179169, "sector"), ("S3", 179169, "sector"), ("Sector 3", 179169, "sector"),
     ("Bucuresti", BUCHAREST_SIRUTA, "normalised")],
)  # fmt: skip
def test_each_abbreviation(geocoder: Geocoder, query: str, siruta: int, match: str) -> None:
    best = geocoder.best(query)
    assert (best.siruta, best.match) == (siruta, match)


def test_bucharest_without_sector_is_the_city(geocoder: Geocoder) -> None:
    best = geocoder.best("Str. Lipscani 5, București")
    assert (best.siruta, best.precision) == (BUCHAREST_SIRUTA, "city_sector_unknown")
    assert "city_sector_unknown" in GEOCODE_PRECISIONS
    for lang in ("ro", "en"):
        for code in GEOCODE_PRECISIONS:
            assert f"geocode_precision.{code}" in catalog(lang)


def test_nonsense_is_not_guessed(geocoder: Geocoder) -> None:
    with pytest.raises(GeocodeError) as info:
        geocoder.locate("Atlantis")
    assert "Ațintiș (comună, Mureș)" in info.value.suggestions  # suggested, never used


def test_county_constrains_and_error_lists_both(geocoder: Geocoder) -> None:
    # Avram Iancu is a commune in Alba and Bihor, not in Cluj.
    with pytest.raises(GeocodeError) as info:
        geocoder.locate("Avram Iancu, jud. Vaslui")
    message = str(info.value)
    assert message.startswith("No locality in Vaslui matches")
    assert "Avram Iancu (comună, Alba)" in info.value.elsewhere
    assert "other counties: Avram Iancu" in message


def test_plain_not_found_message(geocoder: Geocoder) -> None:
    with pytest.raises(GeocodeError, match="No Romanian locality matches 'Xyzzyq'"):
        geocoder.locate("Xyzzyq")


def test_importance_and_ambiguity(geocoder: Geocoder) -> None:
    for name in ("Iași", "Galați", "Satu Mare", "Bistrița", "Călărași", "Slatina", "Slobozia",
                 "Târgoviște", "Sfântu Gheorghe"):  # fmt: skip
        located = geocoder.locate(name)
        assert located.best.kind == "municipiu" and not located.ambiguous, name
        assert len(located.candidates) > 1  # the others are still listed
    assert geocoder.locate("Avram Iancu").ambiguous  # two communes of comparable importance


def test_batch_in_order_with_errors(geocoder: Geocoder) -> None:
    queries = read_queries("Turda\nAtlantis\n\nSector 2\n")
    records = list(geocode_many(geocoder, queries))
    assert [r["query"] for r in records] == queries
    assert [r["error"] is None for r in records] == [True, False, False, True]
    assert set(records[0]) == set(records[1])
    csv_text = 'id,adresa\n1,"Str. Avram Iancu 2, Turda, jud. Cluj"\n'
    assert read_queries(csv_text, "adresa") == ["Str. Avram Iancu 2, Turda, jud. Cluj"]


def test_cli_batch_json(tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_text('adresa\n"Str. Avram Iancu 2, Turda, jud. Cluj"\nAtlantis\n', "utf-8")
    result = cli("geocode", "--batch", str(source), "--column", "adresa", "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["uat_siruta"] for r in lines] == [TURDA, None]
    assert lines[0]["street"] == "Str. Avram Iancu nr. 2" and lines[0]["match"] == "exact"
    assert "100%" in result.stderr  # the progress bar
    bad = cli("geocode", "--batch", str(source), "--column", "x")
    assert bad.returncode == 1 and "no column 'x'" in bad.stderr
