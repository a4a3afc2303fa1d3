"""Preview then commit: counts add up, one transaction, and the same file twice changes nothing."""

from __future__ import annotations

import csv
import io

import pytest

from directory.listings.columns import template_csv
from directory.listings.importer import commit, preview
from directory.listings.problems import FileProblemError
from directory.listings.report_out import rejected_rows_csv, report_dict
from directory.models import Location, Organization, Service, ServiceAtLocation

from ..conftest import DATA_DIR, make_location, make_org, make_service
from .messy import HEADERS, cedillas, csv_text, row, xlsx_bytes

MESSY = [
    row(0),
    row(1),
    row(2, **{"Tip serviciu": "", "Cod serviciu": "8730CR-V-I"}),  # out of scope
    row(3, **{"Vârsta minimă": "17", "Vârsta maximă": "6"}),  # invalid
    ["", "", "", "", "", "", "", "", "", "", "", "", ""],  # blank
    row(0, **{"Nr. crt.": "9"}),  # the same service at the same place as row 2
    row(4, Telefon="nu are"),  # invalid
]


def run(store, rows=MESSY, **kw):
    data = cedillas(csv_text(rows)).encode("cp1250")  # as Excel on Windows saves it
    return preview(data, name="servicii.csv", store=store, data_dir=str(DATA_DIR), **kw)


def snapshot(store) -> dict[str, list]:
    return {m.table: sorted(store.all(m), key=lambda r: r.id)
            for m in (Organization, Location, Service, ServiceAtLocation)}  # fmt: skip


def test_every_row_is_counted_once(store):
    report = run(store)
    c = report.counts()
    assert (c["valid"], c["invalid"], c["out_of_scope"], c["duplicate"], c["blank"]) == (
        2, 2, 1, 1, 1,
    )  # fmt: skip
    assert c["valid"] + c["invalid"] + c["out_of_scope"] + c["duplicate"] + c["blank"] == len(MESSY)
    assert [r.row for r in report.rows] == list(range(2, 2 + len(MESSY)))
    dup = report.rows_with("duplicate")[0]
    assert dup.row == 7 and dup.problems[0].key == "import.row.duplicate_row"
    assert "as row 2" in dup.problems[0].text("en")


def test_duplicate_ids_inside_the_file(store):
    headers = [*HEADERS, "ID serviciu"]
    rows = [[*row(0), "S-1"], [*row(1), "S-1"]]
    data = csv_text(rows, headers=headers).encode()
    report = preview(data, name="s.csv", store=store, data_dir=str(DATA_DIR))
    assert [r.status for r in report.rows] == ["valid", "duplicate"]
    assert report.rows[1].problems[0].key == "import.row.duplicate_id"
    assert "the id S-1 was already used on row 2" in report.rows[1].problems[0].text("en")


def test_commit_writes_the_valid_rows_and_logs_them(store):
    counts = commit(store, run(store), actor="coord")
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert store.counts()["service"] == 2 and store.counts()["organization"] == 2
    assert store.verify_audit().ok
    actors = {r["actor"] for r in store.db.query("SELECT actor FROM audit_log")}
    assert actors == {"coord"}


def test_importing_the_same_file_twice_changes_nothing(store):
    commit(store, run(store), actor="coord")
    before, log_rows = snapshot(store), store.counts()["audit_log"]
    again = run(store)
    assert again.plan.counts() == {"created": 0, "updated": 0, "unchanged": 2}
    assert commit(store, again, actor="coord") == {"created": 0, "updated": 0, "unchanged": 2}
    assert snapshot(store) == before
    assert store.counts()["audit_log"] == log_rows


def test_xlsx_and_csv_of_the_same_rows_are_the_same_import(store):
    commit(store, run(store), actor="coord")
    data = xlsx_bytes([row(0), row(1)])
    report = preview(data, name="servicii.xlsx", store=store, data_dir=str(DATA_DIR))
    assert report.plan.counts() == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_changed_cell_updates_only_what_the_file_says(store):
    commit(store, run(store), actor="coord")
    service = next(s for s in store.all(Service) if s.name.endswith("Alba Iulia"))
    loc_id = next(x.location_id for x in store.all(ServiceAtLocation) if x.service_id == service.id)
    location = store.get(Location, loc_id)
    # A coordinator hid the site and verified the service in the app since the import.
    store.update(location.replace(disclosure="never"), actor="coord")
    store.update(service.replace(assurer="coord"), actor="coord")
    report = run(store, [row(0, Telefon="0744 000 111"), row(1)])
    assert report.plan.counts() == {"created": 0, "updated": 1, "unchanged": 1}
    commit(store, report, actor="coord")
    after = store.get(Service, service.id)
    assert after.intake_phone == "+40744000111"
    assert after.assurer == "coord"  # not a column of the file: kept
    assert store.get(Location, loc_id).disclosure == "never"  # the file has no such column


def test_rows_match_stored_records_by_name_and_place(store):
    """A service typed in the app (its own ids) is updated, not duplicated, by the import."""
    org = make_org(9, name="Asociația Speranța Alba Iulia")
    place = {"latitude": 46.06667, "longitude": 23.58333, "county_code": "AB", "siruta": 1017}
    loc = make_location(9, org="org-9", address_1="Str. Școlii nr. 1", locality="Alba Iulia",
                        **place)  # fmt: skip
    svc = make_service(9, org="org-9", name="Consiliere pentru copii Alba Iulia",
                       service_type="psychological_counselling")  # fmt: skip
    store.bulk_insert([org, loc, svc, ServiceAtLocation("sal-9", "svc-9", "loc-9")], actor="t")
    report = run(store, [row(0, Telefon="0744 000 111")])
    assert report.rows[0].service.id == "svc-9"
    assert report.plan.counts() == {"created": 0, "updated": 1, "unchanged": 0}
    commit(store, report, actor="coord")
    assert store.counts()["service"] == 1
    assert store.get(Service, "svc-9").intake_phone == "+40744000111"


def test_a_failed_import_leaves_the_database_unchanged(store):
    commit(store, run(store, [row(0)]), actor="coord")
    before, log_rows = snapshot(store), store.counts()["audit_log"]
    report = run(store, [row(0, Telefon="0744 000 111"), *(row(i) for i in range(1, 30))])
    assert report.plan.counts()["created"] == 29

    def fail_midway(done: int, total: int) -> None:
        if done >= 10:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        store.apply_import(report.plan.creates, report.plan.updates, "coord",
                           progress=fail_midway, batch=10)  # fmt: skip
    assert snapshot(store) == before
    assert store.counts()["audit_log"] == log_rows
    assert store.verify_audit().ok


def test_a_record_changed_since_the_preview_fails_the_whole_commit(store):
    from directory.errors import ConflictError

    commit(store, run(store, [row(0)]), actor="coord")
    report = run(store, [row(0, Telefon="0744 000 111"), row(1)])
    service = store.all(Service)[0]
    store.update(service.replace(schedule="L-V"), actor="someone")
    before = snapshot(store)
    with pytest.raises(ConflictError):
        commit(store, report, actor="coord")
    assert snapshot(store) == before


def test_all_rows_belong_to_the_given_organisation(store):
    store.insert(make_org(5, name="DGASPC Alba"), actor="t")
    report = run(store, [row(0), row(1)], organization_id="org-5")
    assert {r.service.organization_id for r in report.rows} == {"org-5"}
    assert report.plan.counts()["created"] == 2
    assert not [r for r in report.plan.creates if r.table == "organization"]


def test_unknown_organisation_is_refused(store):
    with pytest.raises(FileProblemError, match="No organisation with id 'nope'"):
        run(store, organization_id="nope")


def test_probable_duplicate_of_a_stored_service_is_flagged(store):
    loc = make_location(9, latitude=46.0705, longitude=23.5712, county_code="AB", siruta=1017)
    svc = make_service(9, name="Consiliere pt. copii - Alba Iulia",
                       service_type="psychological_counselling")  # fmt: skip
    store.bulk_insert([make_org(), loc, svc, ServiceAtLocation("sal-9", "svc-9", "loc-9")], "t")
    report = run(store, [row(0)])
    assert [(p.a, p.b) for p in report.duplicates] == [("row 2", "svc-9")]


def test_rejected_rows_download_with_their_reasons(store):
    report = run(store)
    text = rejected_rows_csv(report, "en")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["row"] for r in rows] == ["4", "5", "7", "8"]
    assert "swap them" in rows[1]["reasons"]
    assert rows[1]["Vârsta minimă"] == "17"  # the file's own columns, to fix and re-import


def test_report_json_carries_the_counts_and_reasons(store):
    d = report_dict(run(store), "ro")
    assert (d["valid"], d["invalid"], d["out_of_scope"], d["duplicates"]) == (2, 2, 1, 1)
    bad = next(r for r in d["rows"] if r["row"] == 5)
    assert bad["reasons"][0]["key"] == "import.row.ages_reversed"
    assert bad["reasons"][0]["message"].startswith("rândul 5, coloana minimum_age")


def test_the_template_imports_cleanly(store):
    report = preview(template_csv().encode(), name="template.csv", store=store,
                     data_dir=str(DATA_DIR))  # fmt: skip
    r = report.rows[0]
    assert r.status == "valid", [p.text() for p in r.problems]
    assert report.file_warnings == []
    assert r.service.beds_total == 12 and r.service.capacity_status == "available"
    assert r.organization.cui == "RO12345678"


def test_rows_that_disagree_about_their_organisation_say_so(store):
    report = run(store, [row(0), row(0, Denumire="Alt serviciu", Email="alt@speranta.ro")])
    assert [r.status for r in report.rows] == ["valid", "valid"]
    warning = report.rows[1].warnings[0]
    assert warning.key == "import.warn.organization_differs"
    assert "the details of row 2 were kept" in warning.text("en")
    orgs = [r for r in report.plan.creates if r.table == "organization"]
    assert [o.email for o in orgs] == ["contact@speranta.ro"]
