"""A provider's alert (its notice, the day it ends, whether it stops intake) through a
spreadsheet import and an HSDS export and import (issue 16 item 5)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from directory.listings.columns import COLUMNS, FIELDS
from directory.listings.hsds import export_hsds
from directory.listings.hsds_import import read_hsds
from directory.listings.importer import commit, preview
from directory.models import Service
from directory.storage.store import Store

from ..conftest import DATA_DIR
from .test_hsds import FOREIGN

NOTICE = "Nu primim copii noi până la finalul renovării."


def sheet(*changes: dict[str, str]) -> bytes:
    """The template's example row once per ``changes``, with those cells changed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    example = {c.name: c.example for c in COLUMNS}
    for n, change in enumerate(changes):
        row = example | {"service_id": f"SVC-{n}", "service_name": f"Serviciul {n}"} | change
        writer.writerow(row[f] for f in FIELDS)
    return out.getvalue().encode()


def run(store, *changes: dict[str, str]):
    return preview(sheet(*changes), name="servicii.csv", store=store, data_dir=str(DATA_DIR))


STOPS = {"alert": NOTICE, "alert_expires": "2026-12-20", "alert_stops_intake": "da"}


def test_an_alert_that_stops_intake_imports_and_updates(store):
    commit(store, run(store, STOPS, {"alert": "Program redus", "alert_expires": "05.01.2027"}),
           actor="coord")  # fmt: skip
    stops, notice = store.get(Service, "SVC-0"), store.get(Service, "SVC-1")
    assert (stops.alert, stops.alert_expires, stops.alert_stops_intake) == (
        NOTICE, date(2026, 12, 20), True)  # fmt: skip
    assert (notice.alert, notice.alert_expires, notice.alert_stops_intake) == (
        "Program redus", date(2027, 1, 5), False)  # fmt: skip
    again = run(store, STOPS, {"alert": "Program redus", "alert_expires": "05.01.2027"})
    assert again.plan.counts()["updated"] == 0  # the same file twice changes nothing
    # The provider takes children again: "nu" in the file clears the flag, the notice stays.
    report = run(store, STOPS | {"alert_stops_intake": "nu"})
    assert report.plan.counts()["updated"] == 1
    commit(store, report, actor="coord")
    assert store.get(Service, "SVC-0").alert_stops_intake is False
    assert store.get(Service, "SVC-0").alert == NOTICE


def test_a_file_without_the_alert_columns_keeps_the_stored_alert(store):
    commit(store, run(store, STOPS), actor="coord")
    headers = [f for f in FIELDS if not f.startswith("alert")]
    rows = list(csv.DictReader(io.StringIO(sheet(STOPS).decode())))
    out = io.StringIO()
    writer = csv.DictWriter(out, headers, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    report = preview(out.getvalue().encode(), name="fara-aviz.csv", store=store,
                     data_dir=str(DATA_DIR))  # fmt: skip
    assert report.plan.counts()["updated"] == 0
    assert store.get(Service, "SVC-0").alert_stops_intake is True


def test_bad_alert_cells_say_which_row_and_column_in_both_languages(store):
    report = run(
        store,
        STOPS | {"alert_stops_intake": "poate"},
        {"alert_stops_intake": "da"},  # stops intake, but no notice
        {"alert": NOTICE},  # a notice without the day it ends
    )
    assert [r.status for r in report.rows] == ["invalid"] * 3
    (bad_value,), (no_notice,), (no_end,) = (r.problems for r in report.rows)
    assert bad_value.column == "alert_stops_intake"
    ro = "rândul 2, coloana alert_stops_intake: 'poate' nu este da sau nu."
    assert bad_value.text("ro") == ro
    assert bad_value.text("en").startswith("row 2, column alert_stops_intake: 'poate' is not yes")
    assert no_notice.text("ro").startswith("rândul 3, coloana alert_stops_intake: doar un aviz")
    assert "write the notice in the alert column" in no_notice.text("en")
    assert no_end.text("ro").startswith("rândul 4, coloana alert_expires: un aviz are nevoie")
    assert "fill in the alert_expires column" in no_end.text("en")


def test_hsds_export_and_import_carry_the_stops_intake_flag(store, tmp_path):
    commit(store, run(store, STOPS, {}), actor="coord")
    out = tmp_path / "punte.json"
    export_hsds(store, out, "hsds-json", data_dir=str(DATA_DIR))
    with Store.init(tmp_path / "empty.db") as empty:
        commit(empty, read_hsds(out, "hsds-json", store=empty, data_dir=str(DATA_DIR)),
               actor="admin")  # fmt: skip
        assert empty.get(Service, "SVC-0").alert_stops_intake is True
        assert empty.get(Service, "SVC-0").alert_expires == date(2026, 12, 20)
        assert empty.get(Service, "SVC-1").alert is None
        # The provider changed its notice in the source directory: the next import updates it.
        store.update(store.get(Service, "SVC-0").replace(alert_stops_intake=False), actor="c")
        export_hsds(store, out, "hsds-json", data_dir=str(DATA_DIR))
        report = read_hsds(out, "hsds-json", store=empty, data_dir=str(DATA_DIR))
        assert report.plan.counts()["updated"] == 1
        commit(empty, report, actor="admin")
        assert empty.get(Service, "SVC-0").alert_stops_intake is False


def test_another_publishers_hsds_leaves_a_stored_alert_as_it_is(store, tmp_path):
    # Their HSDS has an alert's text but not its end or whether it stops intake: neither a
    # notice of theirs nor its absence may change or clear the one a coordinator keeps here.
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"contents": [FOREIGN]}), encoding="utf-8")
    commit(store, read_hsds(path, "hsds-json", store=store, data_dir=str(DATA_DIR)), "admin")
    kept = store.get(Service, FOREIGN["id"]).replace(
        alert=NOTICE, alert_expires=date(2026, 12, 20), alert_stops_intake=True
    )
    store.update(kept, actor="coord")
    for theirs in ({**FOREIGN, "alert": "Program normal"}, FOREIGN):
        path.write_text(json.dumps({"contents": [theirs]}), encoding="utf-8")
        report = read_hsds(path, "hsds-json", store=store, data_dir=str(DATA_DIR))
        commit(store, report, actor="admin")
        now = store.get(Service, FOREIGN["id"])
        assert (now.alert, now.alert_expires, now.alert_stops_intake) == (
            NOTICE, date(2026, 12, 20), True)  # fmt: skip
