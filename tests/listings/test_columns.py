"""Column mapping from the headers coordinators write, and the template that documents ours."""

from __future__ import annotations

import csv
import io

import pytest

from directory.listings.columns import (
    FIELDS,
    check_mapping,
    describe_columns,
    mapping_key,
    parse_columns,
    suggest_mapping,
    template_csv,
)
from directory.listings.importer import preview
from directory.listings.problems import FileProblemError

from ..conftest import DATA_DIR
from .messy import csv_text, row


@pytest.mark.parametrize(
    "header, field",
    [
        ("Denumire", "service_name"), ("Denumirea serviciului", "service_name"),
        ("Furnizor", "organization"), ("Adresa", "address"), ("Adresă", "address"),
        ("Localitate", "locality"), ("Oraș", "locality"), ("Oras", "locality"),
        ("ORAŞUL", "locality"), ("City", "locality"), ("Județ", "county"), ("Judet", "county"),
        ("Județul:", "county"), ("County", "county"), ("Capacitate", "capacity"),
        ("Nr. locuri", "capacity"), ("Telefon", "phone"), ("Tel.", "phone"),
        ("Latitudine", "latitude"), ("Longitudine", "longitude"), ("Lat", "latitude"),
        ("E-mail", "email"), ("Email", "email"), ("Website", "website"), ("Site web", "website"),
        ("Cod serviciu", "service_code"), ("Tip serviciu", "service_type"),
        ("Vârsta minimă", "minimum_age"), ("Varsta minima", "minimum_age"),
        ("Vârsta maximă", "maximum_age"), ("Service name", "service_name"),
        ("Provider", "organization"), ("service_type", "service_type"), ("CUI", "cui"),
        ("Locuri libere", "beds_available"),
    ],
)  # fmt: skip
def test_headers_in_romanian_and_english_with_or_without_diacritics(header, field):
    assert suggest_mapping([header]) == {header: field}


def test_unknown_and_repeated_headers_are_left_unmapped():
    mapping = suggest_mapping(["Nr. crt.", "Observații", "Localitate", "Oraș"])
    assert mapping == {"Nr. crt.": None, "Observații": None, "Localitate": "locality",
                       "Oraș": None}  # fmt: skip


def test_explicit_columns_override_the_suggestion():
    headers = ["Unitate", "Oraș", "Localitate"]
    mapping = parse_columns("Unitate=service_name, oras=locality, Localitate=", headers)
    assert mapping == {"Unitate": "service_name", "Oraș": "locality", "Localitate": None}


@pytest.mark.parametrize(
    "spec, key",
    [
        ("Unitate", "import.columns.syntax"),
        ("Unitate=nume", "import.columns.unknown_field"),
        ("Nimic=service_name", "import.columns.unknown_header"),
    ],
)
def test_bad_column_specs(spec, key):
    with pytest.raises(FileProblemError) as e:
        parse_columns(spec, ["Unitate"])
    assert e.value.problem.key == key


def test_a_mapping_without_the_needed_columns_is_refused_by_name():
    with pytest.raises(FileProblemError, match="no column for: service_name, organization"):
        check_mapping({"Oraș": "locality"})
    check_mapping({"Denumire": "service_name", "Oraș": "locality"}, fixed_organization=True)
    with pytest.raises(FileProblemError, match="Two columns are mapped to locality"):
        check_mapping({"A": "service_name", "B": "organization", "C": "locality",
                       "D": "locality"})  # fmt: skip


def test_mapping_key_ignores_order_case_and_diacritics():
    assert mapping_key(["Județ", "Denumire"]) == mapping_key(["denumire", "JUDET"])
    assert mapping_key(["Județ", "Denumire"]) != mapping_key(["Județ", "Denumire", "Tel"])


def test_template_has_every_column_and_a_described_example():
    rows = list(csv.reader(io.StringIO(template_csv())))
    assert rows[0] == list(FIELDS) and len(rows) == 2
    for lang in ("ro", "en"):
        described = describe_columns(lang)
        assert [d[0] for d in described] == list(FIELDS)
        assert all(not d[2].startswith("import.col.") for d in described), lang


def test_a_corrected_mapping_is_remembered_for_the_same_headers(store):
    from directory.listings.importer import commit

    headers = ["Unitate", "ONG", "Loc", "Tip"]
    data = csv_text([["Consiliere Turda", "Asociația X", "Turda", "legal aid"]], headers=headers)
    spec = "Unitate=service_name,ONG=organization,Loc=locality,Tip=service_type"
    first = preview(data.encode(), name="a.csv", columns=spec, store=store,
                    data_dir=str(DATA_DIR))  # fmt: skip
    assert first.mapping_source == "given"
    commit(store, first, actor="coord")
    again = csv_text([["Consiliere Dej", "Asociația X", "Dej", "legal aid"]],
                     headers=["unitate", "ong", "loc", "tip"])  # fmt: skip
    second = preview(again.encode(), name="b.csv", store=store, data_dir=str(DATA_DIR))
    assert second.mapping_source == "remembered"
    assert second.rows[0].status == "valid"
    logged = list(store.db.query("SELECT actor FROM audit_log WHERE entity = 'import_mapping'"))
    assert logged == [{"actor": "coord"}]
    other = preview(csv_text([row(0)]).encode(), name="c.csv", store=store,
                    data_dir=str(DATA_DIR))  # fmt: skip
    assert other.mapping_source == "suggested"
