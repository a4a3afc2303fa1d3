"""Imports respect who may edit what, assign new organisations, and read one-column addresses."""

from __future__ import annotations

import json

from directory.listings.edit import editable_organizations
from directory.listings.hsds import export_hsds
from directory.listings.importer import commit, preview
from directory.models import Organization, Service, User

from ..conftest import DATA_DIR, make_org
from .messy import HEADERS, csv_text, row

ANA = User("ana", "Ana", "coordinator", "$argon2id$x", organization_id=None)


def run(store, text: str, user: User = ANA):
    return preview(
        text.encode(), name="f.csv", store=store, data_dir=str(DATA_DIR),
        editable=editable_organizations(store, user),
    )  # fmt: skip


def test_a_row_for_an_organisation_the_importer_may_not_edit_is_invalid(store):
    store.insert(ANA, actor="t")
    first = row(0)
    store.insert(make_org(7, name=first[HEADERS.index("Furnizor")]), actor="t")
    report = run(store, csv_text([first, row(1)]))
    bad = report.rows_with("invalid")
    assert [r.row for r in bad] == [2]
    assert bad[0].problems[0].text("en").startswith("row 2, column organization: Asociația")
    assert "ask an administrator to assign it to you" in bad[0].problems[0].text("en")
    counts = commit(store, report, "ana", assign_new=True)
    assert counts["created"] == 1
    new_org = next(o for o in store.all(Organization) if o.id != "org-7")
    assert store.assigned_organizations("ana") == {new_org.id}
    store.assign("ana", "org-7", actor="admin")  # once assigned, the same file goes in
    assert run(store, csv_text([first])).counts()["valid"] == 1


def test_one_address_column_is_geocoded_and_its_street_kept(store, tmp_path):
    headers = ["Denumire", "Furnizor", "Adresa", "Tip serviciu", "Specializări"]
    text = csv_text(
        [["Consiliere Turda", "Asociația Alfa", "Str. Republicii nr. 3, Turda, jud. Cluj",
          "consiliere psihologica", "sexuală; muncă forțată"]],
        headers,
    )  # fmt: skip
    report = preview(text.encode(), name="a.csv", store=store, data_dir=str(DATA_DIR))
    r = report.rows[0]
    assert r.status == "valid", [p.text("en") for p in r.problems]
    assert (r.location.address_1, r.location.locality, r.location.county_code) == (
        "Str. Republicii nr. 3", "Turda", "CJ",
    )  # fmt: skip
    assert r.service.specialisations == ("sexual", "labour")
    commit(store, report, "t")
    assert store.all(Service)[0].specialisations == ("sexual", "labour")
    export_hsds(store, tmp_path / "x.json", "hsds-json", data_dir=str(DATA_DIR))
    attributes = json.loads((tmp_path / "x.json").read_text())[0]["attributes"]
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in attributes}
    assert {
        ("punte_trafficking_specialisation", "sexual"),
        ("punte_trafficking_specialisation", "labour"),
        ("punte_capacity_status", "capacity_unknown"),
    } <= terms
