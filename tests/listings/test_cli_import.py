"""`python -m directory import` and `export --format hsds-*`, run as an administrator runs them."""

from __future__ import annotations

import json

import pytest

from directory.models import Organization, Service
from directory.storage.store import Store

from ..test_cli import cli
from .messy import HEADERS, cedillas, csv_text, row, xlsx_bytes


@pytest.fixture
def db(db_url):
    """On each backend."""
    path = db_url
    Store.init(path).close()
    return path


@pytest.fixture
def messy_csv(tmp_path):
    rows = [
        row(0),
        row(1, **{"Tip serviciu": "", "Cod serviciu": "8730CR-V-I"}),
        row(2, **{"Vârsta minimă": "17", "Vârsta maximă": "6"}),
        row(3, Denumire='=HYPERLINK("http://x","y")'),
    ]
    path = tmp_path / "servicii judet.csv"
    path.write_bytes(cedillas(csv_text(rows)).encode("cp1250"))
    return path


def test_dry_run_prints_the_report_and_saves_nothing(db, messy_csv):
    result = cli("import", str(messy_csv), "--dry-run", "--lang", "en", db=db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "encoding cp1250, separator ';'" in out
    assert "valid 1, invalid 2, out of scope 1, duplicates 0" in out
    assert "row 4, column minimum_age: the minimum age 17 is above the maximum age 6" in out
    assert "row 5, column service_name: the cell holds a formula" in out
    assert "row 3, column service_code: out of scope: 8730CR-V-I" in out
    assert "Dry run, nothing saved: would create 1" in out
    with Store(db) as store:
        assert store.is_empty()


def test_import_json_then_again_changes_nothing(db, messy_csv, tmp_path):
    first = cli("import", str(messy_csv), "--json", "--lang", "ro", db=db)
    assert first.returncode == 0, first.stderr
    d = json.loads(first.stdout)
    counts = {k: d[k] for k in ("valid", "invalid", "out_of_scope", "duplicates", "created",
                                "updated", "unchanged")}  # fmt: skip
    assert counts == {"valid": 1, "invalid": 2, "out_of_scope": 1, "duplicates": 0,
                      "created": 1, "updated": 0, "unchanged": 0}  # fmt: skip
    assert d["valid"] + d["invalid"] + d["out_of_scope"] + d["duplicates"] + d["blank"] == 4
    assert d["mapping"]["Denumire"] == "service_name"
    bad = next(r for r in d["rows"] if r["row"] == 4)
    assert bad["reasons"][0]["message"].startswith("rândul 4, coloana minimum_age")
    second = json.loads(cli("import", str(messy_csv), "--json", db=db).stdout)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 1)


def test_columns_option_maps_odd_headers(db, tmp_path):
    headers = ["Unitate", "ONG", "Loc", "Tip"]
    path = tmp_path / "odd.csv"
    path.write_text(csv_text([["Consiliere Turda", "Asociația X", "Turda", "legal aid"]],
                             headers=headers), encoding="utf-8")  # fmt: skip
    plain = cli("import", str(path), "--dry-run", "--lang", "en", db=db)
    assert plain.returncode == 1 and "The file has no column for: service_name" in plain.stderr
    mapped = cli("import", str(path), "--columns",
                 "Unitate=service_name,ONG=organization,Loc=locality,Tip=service_type",
                 "--lang", "en", db=db)  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
    assert "Unitate → service_name" in mapped.stdout
    with Store(db) as store:
        assert [s.service_type for s in store.all(Service)] == ["legal_aid"]
    wrong = cli("import", str(path), "--columns", "Unitate=nume", "--lang", "en", db=db)
    assert wrong.returncode == 1 and "'nume' is not one of Punte's columns" in wrong.stderr


def test_organization_option(db, tmp_path):
    with Store(db) as store:
        store.insert(Organization("dgaspc-cj", "DGASPC Cluj", "public"), actor="t")
    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx_bytes([row(0), row(1)]))
    result = cli("import", str(path), "--organization", "dgaspc-cj", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 2
    with Store(db) as store:
        assert {s.organization_id for s in store.all(Service)} == {"dgaspc-cj"}
        assert store.counts()["organization"] == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty: there is nothing to import"),
        (";".join(HEADERS).encode(), "has a header row but no data rows"),
        (b"%PDF-1.4 binary", "is not a spreadsheet"),
    ],
)
def test_bad_files_get_one_clear_line(db, tmp_path, content, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    result = cli("import", str(path), "--lang", "en", db=db)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_rejected_rows_are_written_to_fix(db, messy_csv, tmp_path):
    out = tmp_path / "respinse.csv"
    cli("import", str(messy_csv), "--dry-run", "--rejected", str(out), "--lang", "en", db=db)
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("row,reasons,Denumire")
    assert "'=HYPERLINK" in text  # the refused formula comes back quoted, never live


def test_template_imports_and_describes_its_columns(db, tmp_path):
    template = cli("import-template")
    assert template.returncode == 0 and template.stdout.startswith("organization_id,")
    path = tmp_path / "template.csv"
    path.write_text(template.stdout, encoding="utf-8")
    result = cli("import", str(path), "--json", db=db)
    assert json.loads(result.stdout)["created"] == 1
    described = cli("import-template", "--describe", "--lang", "en")
    assert "service_code" in described.stdout and "HG 867/2015" in described.stdout


def test_export_hsds_and_import_it_back(db, messy_csv, tmp_path):
    cli("import", str(messy_csv), db=db)
    out = tmp_path / "punte.json"
    result = cli("export", "--format", "hsds-json", "-o", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert "Exported 1 services as hsds-json" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))[0]["name"].startswith("Consiliere")
    again = json.loads(cli("import", str(out), "--json", db=db).stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    full = cli("export", "--format", "hsds-csv", "-o", str(tmp_path / "p.zip"),
               "--include-confidential", db=db)  # fmt: skip
    assert full.returncode == 1 and "needs --reason" in full.stderr


def test_new_subcommands_have_help():
    for args in (["import"], ["import-template"], ["export"]):
        result = cli(*args, "--help")
        assert result.returncode == 0 and "usage: python -m directory" in result.stdout
    assert "hsds-json" in cli("export", "--help").stdout


def test_file_errors_follow_the_language(db, tmp_path):
    path = tmp_path / "gol.csv"
    path.write_bytes(b"")
    result = cli("import", str(path), "--lang", "ro", db=db)
    assert result.returncode == 1 and "gol.csv este gol" in result.stderr
