"""HSDS 3.1 export: nested JSON (one service object per service) and the tabular CSV package.

HSDS ids are UUIDs: a Punte id becomes a stable UUID5, so two exports of the same directory
agree. What HSDS has no field for (service type, genders, criteria, disclosure...) travels as
attributes: the type as a term of the `punte_service_type` taxonomy, and each record whole as
a `punte_record` attribute, so a Punte export imported into Punte gives the same directory.
Confidential locations are moved to their UAT seat without address unless the full export is
asked for with a reason, which is logged.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import orjson

from directory.i18n import translate
from directory.models import Location, Model, Organization, Service, ServiceAtLocation

NAMESPACE = uuid.UUID("6d1b8f3e-5a1c-4c55-9a53-0f2c3a7e8b11")  # Punte's; never change it
TYPE_TAXONOMY = "punte_service_type"
RECORD_TERM = "punte_record"
HSDS_VERSION = "3.1"
SPECIALISATION_TAXONOMY = "punte_trafficking_specialisation"
CAPACITY_TAXONOMY = "punte_capacity_status"


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NS = NAMESPACE.bytes


@lru_cache(maxsize=262_144)  # one service's ids recur in its links, addresses and phones
def hsds_id(kind: str, key: str) -> str:
    """A stable UUID for a Punte id (a UUID already is one): uuid5, written out by hand
    because uuid.uuid5 costs half of a 10,000-service export."""
    if _UUID.fullmatch(key):
        return key
    digest = bytearray(hashlib.sha1(_NS + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _term(code: str, taxonomy: str, name: str, description: str) -> dict[str, Any]:
    return {
        "id": hsds_id("term", f"{taxonomy}:{code}"),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
    }


def _attribute(link: str, entity: str, term: dict[str, Any], value: str) -> dict[str, Any]:
    return {
        "id": hsds_id("attribute", f"{link}:{term['code']}"),
        "link_id": link,
        "link_type": entity,
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
        "value": value,
    }


RECORD = _term(RECORD_TERM, "punte", "Punte record",
               "The Punte record as JSON, for a lossless Punte-to-Punte transfer.")  # fmt: skip
BEDS = {"id": hsds_id("unit", "places"), "name": "places", "scheme": "punte",
        "identifier": "places"}  # fmt: skip


def _upkeep_attributes(sid: str, svc: Any) -> list[dict[str, Any]]:
    """Trafficking specialisations and the capacity status, whatever the service's type."""
    out = [
        _attribute(sid, "service", _term(code, SPECIALISATION_TAXONOMY, code, code), "true")
        for code in svc.specialisations
    ]
    status = _term(f"capacity_{svc.capacity_status}", CAPACITY_TAXONOMY, svc.capacity_status,
                   svc.capacity_status)  # fmt: skip
    as_of = svc.capacity_as_of.isoformat() if svc.capacity_as_of else ""
    out.append(_attribute(sid, "service", status, as_of))
    return out


def _record_attribute(link: str, entity: str, record: Model) -> dict[str, Any]:
    return _attribute(link, entity, RECORD, orjson.dumps(record.to_row()).decode())


@dataclass
class Directory:
    """The records to export, with confidential locations already generalised if needed."""

    organizations: dict[str, Organization]
    locations: dict[str, Location]
    services: list[Service]
    links: list[ServiceAtLocation]
    generalised: set[str] = field(default_factory=set)
    links_by_service: dict[str, list[ServiceAtLocation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for link in self.links:
            self.links_by_service.setdefault(link.service_id, []).append(link)


def load_directory(
    store: Any, uat_points: dict[int, tuple[float, float]], include_confidential: bool
) -> Directory:
    locations = {}
    generalised = set()
    for loc in store.all(Location):
        if loc.confidential and not include_confidential:
            seat = uat_points.get(int(loc.siruta)) if loc.siruta else None
            lat, lon = seat if seat else (round(loc.latitude, 1), round(loc.longitude, 1))
            loc = loc.replace(latitude=lat, longitude=lon, address_1=None, postal_code=None,
                              geocode_precision="uat_seat")  # fmt: skip
            generalised.add(loc.id)
        locations[loc.id] = loc
    return Directory(
        {o.id: o for o in store.all(Organization)},
        locations,
        sorted(store.all(Service), key=lambda s: s.id),
        sorted(store.all(ServiceAtLocation), key=lambda x: x.id),
        generalised,
    )


def _stamp(d: date | None) -> str | None:
    return datetime.combine(d, time()).isoformat() + "Z" if d else None


def organization_object(org: Organization) -> dict[str, Any]:
    oid = hsds_id("organization", org.id)
    out: dict[str, Any] = {
        "id": oid,
        "name": org.name,
        "description": org.description or org.name,
        "legal_status": org.legal_status,
        "attributes": [_record_attribute(oid, "organization", org)],
    }
    if org.email:
        out["email"] = org.email
    if org.website:
        out["website"] = org.website
    if org.cui:
        out["tax_id"] = org.cui
        out["organization_identifiers"] = [{
            "id": hsds_id("organization_identifier", org.id), "organization_id": oid,
            "identifier_scheme": "RO-CUI", "identifier_type": "CUI", "identifier": org.cui,
        }]  # fmt: skip
    return out


def location_object(loc: Location, county_names: dict[str, str]) -> dict[str, Any]:
    lid = hsds_id("location", loc.id)
    out: dict[str, Any] = {
        "id": lid,
        "location_type": "physical",
        "organization_id": hsds_id("organization", loc.organization_id),
        "name": loc.name,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "external_identifier": str(loc.siruta) if loc.siruta else None,
        "external_identifier_type": "SIRUTA" if loc.siruta else None,
        "attributes": [_record_attribute(lid, "location", loc)],
    }
    if loc.address_1:
        out["addresses"] = [{
            "id": hsds_id("address", loc.id), "location_id": lid, "address_1": loc.address_1,
            "city": loc.locality or "", "state_province": county_names.get(loc.county_code,
                                                                           loc.county_code),
            "postal_code": loc.postal_code or "", "country": "RO", "address_type": "physical",
        }]  # fmt: skip
    return {k: v for k, v in out.items() if v is not None}


def service_object(
    svc: Service, d: Directory, county_names: dict[str, str], lang: str = "en"
) -> dict[str, Any]:
    sid = hsds_id("service", svc.id)
    out: dict[str, Any] = {
        "id": sid,
        "organization_id": hsds_id("organization", svc.organization_id),
        "name": svc.name,
        "description": svc.description,
        "status": svc.status,
        "minimum_age": svc.minimum_age,
        "maximum_age": svc.maximum_age,
        "eligibility_description": ", ".join(svc.genders),
        "application_process": svc.referral_process,
        "interpretation_services": "yes" if svc.interpretation_available else "",
        "fees_description": "free of charge" if svc.free_of_charge else "",
        "languages": [
            {"id": hsds_id("language", f"{svc.id}:{c}"), "service_id": sid, "code": c}
            for c in svc.languages
        ],
        "attributes": [
            _attribute(
                sid,
                "service",
                _term(
                    svc.service_type,
                    TYPE_TAXONOMY,
                    translate(f"type.{svc.service_type}", lang),
                    translate(f"type.{svc.service_type}", "ro"),
                ),
                svc.service_type,
            ),
            _record_attribute(sid, "service", svc),
            *_upkeep_attributes(sid, svc),
        ],  # fmt: skip
    }
    if svc.assured_date:
        out["assured_date"] = svc.assured_date.isoformat()
    if svc.alert:
        out["alert"] = svc.alert
    if svc.intake_phone:
        out["phones"] = [{"id": hsds_id("phone", svc.id), "service_id": sid,
                          "number": svc.intake_phone, "type": "voice"}]  # fmt: skip
    if svc.beds_available is not None and svc.capacity_as_of is not None:
        capacity: dict[str, Any] = {
            "id": hsds_id("service_capacity", svc.id), "service_id": sid, "unit": BEDS,
            "available": svc.beds_available, "updated": _stamp(svc.capacity_as_of),
        }  # fmt: skip
        if svc.beds_total is not None:
            capacity["maximum"] = svc.beds_total
        out["capacities"] = [capacity]
    org = d.organizations.get(svc.organization_id)
    if org is not None:
        out["organization"] = organization_object(org)
    out["service_at_locations"] = [
        {
            "id": hsds_id("service_at_location", link.id),
            "service_id": sid,
            "location_id": hsds_id("location", link.location_id),
            "location": location_object(d.locations[link.location_id], county_names),
            "attributes": [
                _record_attribute(
                    hsds_id("service_at_location", link.id), "service_at_location", link
                )
            ],  # fmt: skip
        }
        for link in d.links_by_service.get(svc.id, [])
    ]
    return out


def service_objects(d: Directory, county_names: dict[str, str]) -> Iterator[dict[str, Any]]:
    for svc in d.services:
        yield service_object(svc, d, county_names)


def county_names(data_dir: str) -> dict[str, str]:
    import csv

    with (Path(data_dir) / "ro_uat.csv").open(encoding="utf-8") as f:
        return {r["county_code"]: r["county_name"] for r in csv.DictReader(f)}


def export_hsds(
    store: Any,
    output: str | Path,
    fmt: str,
    *,
    data_dir: str,
    include_confidential: bool = False,
    reason: str | None = None,
    actor: str = "cli",
) -> int:
    """Write the directory as HSDS 3.1 (`hsds-json` file, or `hsds-csv` folder or .zip)."""
    from directory.places.gazetteer import uat_points
    from directory.storage.audit import AuditEntry

    if include_confidential and not (reason or "").strip():
        raise ValueError("A full export with exact confidential sites needs a reason.")
    d = load_directory(store, uat_points(data_dir), include_confidential)
    names = county_names(data_dir)
    if fmt == "hsds-json":
        with open(output, "w", encoding="utf-8") as out:
            out.write("[\n")
            for i, obj in enumerate(service_objects(d, names)):
                out.write((",\n" if i else "") + orjson.dumps(obj).decode())
            out.write("\n]\n")
    elif fmt == "hsds-csv":
        from directory.listings.hsds_tabular import write_package

        write_package(service_objects(d, names), Path(output))
    else:
        raise ValueError(f"Unknown HSDS format {fmt!r}; use hsds-json or hsds-csv.")
    after = {"format": fmt, "services": len(d.services), "full": include_confidential,
             "generalised_locations": len(d.generalised)}  # fmt: skip
    store.log(AuditEntry(actor, "export", "directory", None, None, after, reason))
    return len(d.services)
