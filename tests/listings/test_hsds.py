"""HSDS 3.1: the export validates against the compiled schemas, hides confidential sites, and
comes back as the same directory; another publisher's HSDS imports field by field."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from directory.demo.generator import load_demo
from directory.listings.hsds import export_hsds
from directory.listings.hsds_import import read_hsds
from directory.listings.importer import commit
from directory.listings.problems import FileProblemError
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.storage.store import Store

from ..conftest import DATA_DIR, TODAY, copy_demo

SCHEMAS = Path("/work/shared/hsds/3.1/schema/compiled")
if not SCHEMAS.exists():  # the shared folder sits beside the repository
    SCHEMAS = Path(__file__).resolve().parents[3] / "shared/hsds/3.1/schema/compiled"


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hsds") / "demo.db"
    with Store.init(path) as store:
        load_demo(store, DATA_DIR, today=TODAY)
    return path


@pytest.fixture
def demo(demo_path, tmp_path):
    path = copy_demo(demo_path, tmp_path / "demo.db")
    with Store(path) as store:
        yield store


def snapshot(store) -> dict[str, list]:
    return {m.table: sorted((r.to_row() for r in store.all(m)), key=lambda r: r["id"])
            for m in (Organization, Location, Service, ServiceAtLocation)}  # fmt: skip


def export(store, tmp_path, fmt="hsds-json", name="out.json", **kw) -> Path:
    out = tmp_path / name
    export_hsds(store, out, fmt, data_dir=str(DATA_DIR), **kw)
    return out


@pytest.mark.skipif(not SCHEMAS.exists(), reason="the shared HSDS schemas are not here")
def test_export_validates_against_the_compiled_hsds_schema(demo, tmp_path):
    services = json.loads(export(demo, tmp_path).read_text(encoding="utf-8"))
    assert len(services) == demo.counts()["service"]
    schema = json.loads((SCHEMAS / "service.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(
        schema, format_checker=jsonschema.FormatChecker()
    )
    errors = [e.message for s in services for e in validator.iter_errors(s)]
    assert errors == []
    # The check can fail: a service without its required status does not validate.
    assert list(validator.iter_errors({k: v for k, v in services[0].items() if k != "status"}))


def test_capacity_is_a_service_capacity_with_a_unit(demo, tmp_path):
    services = json.loads(export(demo, tmp_path).read_text(encoding="utf-8"))
    with_beds = [s for s in demo.all(Service) if s.beds_available is not None]
    caps = [c for s in services for c in s.get("capacities", [])]
    assert len(caps) == len([s for s in with_beds if s.capacity_as_of])
    assert caps and all(c["unit"]["name"] == "places" and "updated" in c for c in caps)


def _locations(services: list[dict]) -> dict[str, dict]:
    out = {}
    for s in services:
        for link in s["service_at_locations"]:
            record = next(a for a in link["location"]["attributes"]
                          if a["taxonomy_term"]["code"] == "punte_record")  # fmt: skip
            out[json.loads(record["value"])["id"]] = link["location"]
    return out


def test_confidential_sites_are_generalised_unless_asked_with_a_reason(demo, tmp_path):
    hidden = [x for x in demo.all(Location) if x.confidential]
    assert hidden
    plain = _locations(json.loads(export(demo, tmp_path).read_text(encoding="utf-8")))
    assert any(x.address_1 for x in hidden)
    for loc in hidden:
        shown = plain[loc.id]
        assert "addresses" not in shown
        if loc.address_1:  # nor in the Punte record carried along
            assert loc.address_1 not in json.dumps(shown, ensure_ascii=False)
        assert (shown["latitude"], shown["longitude"]) != (loc.latitude, loc.longitude)
    with pytest.raises(ValueError, match="needs a reason"):
        export(demo, tmp_path, name="full.json", include_confidential=True)
    path = export(demo, tmp_path, name="full.json", include_confidential=True,
                  reason="audit by ANITP")  # fmt: skip
    full = _locations(json.loads(path.read_text(encoding="utf-8")))
    for loc in hidden:
        exact = (full[loc.id]["latitude"], full[loc.id]["longitude"])
        assert exact == (loc.latitude, loc.longitude)
    logged = list(demo.db.query("SELECT reason, after FROM audit_log WHERE action = 'export'"))
    assert [r["reason"] for r in logged][-1] == "audit by ANITP"
    assert json.loads(logged[-1]["after"])["full"] is True


@pytest.mark.parametrize("fmt, name", [("hsds-json", "full.json"), ("hsds-csv", "full.zip"),
                                       ("hsds-csv", "folder")])  # fmt: skip
def test_round_trip_gives_the_same_directory(demo, tmp_path, fmt, name):
    out = export(demo, tmp_path, fmt, name, include_confidential=True, reason="move server")
    with Store.init(tmp_path / "empty.db") as empty:
        report = read_hsds(out, fmt, store=empty, data_dir=str(DATA_DIR))
        assert report.counts()["valid"] == demo.counts()["service"]
        commit(empty, report, actor="admin")
        assert snapshot(empty) == snapshot(demo)
        again = read_hsds(out, fmt, store=empty, data_dir=str(DATA_DIR))
        assert again.plan.counts()["created"] == again.plan.counts()["updated"] == 0


def test_tabular_package_is_formula_safe_and_reads_back(demo, tmp_path):
    org = demo.all(Organization)[0]
    demo.update(org.replace(name='=HYPERLINK("http://x")'), actor="t")
    out = export(demo, tmp_path, "hsds-csv", "pkg.zip")
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        orgs = z.read("organizations.csv").decode()
        phones = z.read("phones.csv").decode()
    assert {"services.csv", "locations.csv", "service_capacity.csv", "units.csv",
            "datapackage.json"} <= names  # fmt: skip
    assert "'=HYPERLINK" in orgs and "\n=" not in orgs and ",=" not in orgs
    assert ",+40" in phones  # a phone keeps its + (it is not a formula)
    with Store.init(tmp_path / "empty.db") as empty:
        commit(empty, read_hsds(out, "hsds-csv", store=empty, data_dir=str(DATA_DIR)), "a")
        assert empty.get(Organization, org.id).name == '=HYPERLINK("http://x")'


FOREIGN = {
    "id": "ac148810-d857-441c-9679-408f346de14b",
    "name": "Legal clinic for children",
    "status": "active",
    "minimum_age": 10,
    "maximum_age": 18,
    "phones": [{"id": "p1", "number": "021 312 0000"}],
    "capacities": [{"id": "c1", "unit": {"id": "u1", "name": "places"}, "available": 2,
                    "maximum": 5, "updated": "2026-11-20T09:00:00Z"}],  # fmt: skip
    "attributes": [{"id": "a1", "taxonomy_term": {"id": "t1", "code": "L-1", "name": "Legal aid",
                                                  "description": "x"}}],  # fmt: skip
    "organization": {"id": "o-1", "name": "Clinica Juridică", "description": "NGO"},
    "service_at_locations": [{"id": "sal-1", "location": {
        "id": "l-1", "location_type": "physical", "latitude": 44.4268, "longitude": 26.1025,
        "addresses": [{"id": "ad1", "address_1": "Str. Academiei 1", "city": "București",
                       "state_province": "București", "postal_code": "010011", "country": "RO",
                       "address_type": "physical"}]}}],
}  # fmt: skip


def test_another_publishers_hsds_maps_field_by_field(store, tmp_path):
    path = tmp_path / "other.json"
    no_type = {**FOREIGN, "id": "s-2", "attributes": []}
    path.write_text(json.dumps({"contents": [FOREIGN, no_type]}), encoding="utf-8")
    report = read_hsds(path, "hsds-json", store=store, data_dir=str(DATA_DIR))
    good, bad = report.rows
    assert good.status == "valid", [p.text() for p in good.problems]
    s = good.service
    assert (s.service_type, s.intake_phone, s.beds_available, s.beds_total) == (
        "legal_aid", "+40213120000", 2, 5)  # fmt: skip
    assert good.location.county_code == "B" and good.location.address_1 == "Str. Academiei 1"
    assert bad.status == "invalid" and bad.problems[0].key == "import.row.no_type"


@pytest.mark.parametrize("content", ["{not json", "42", ""])
def test_unreadable_hsds_is_refused(tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileProblemError) as e:
        read_hsds(path, "hsds-json", data_dir=str(DATA_DIR))
    assert e.value.problem.key == "import.file.hsds"
