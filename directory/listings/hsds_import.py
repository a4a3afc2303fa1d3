"""Import HSDS (3.0 or 3.1): nested JSON, or the tabular CSV package as a folder or .zip.

A Punte export carries each record whole (the `punte_record` attribute) and comes back
exactly. Another publisher's HSDS is mapped field by field: the service type from a
`punte_service_type` term or a term naming a Punte type, the place from the location's
coordinates (or its address's city), the phone to E.164, capacity from service_capacity.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from directory import vocab
from directory.errors import ValidationError
from directory.listings import cells, row_place, service_codes
from directory.listings.columns import FIELDS
from directory.listings.importer import ALERT_COLUMNS, ImportReport, finish
from directory.listings.problems import FileProblemError, Problem
from directory.listings.read_file import MAX_BYTES
from directory.listings.rows import RowResult
from directory.models import Location, Model, Organization, Service, ServiceAtLocation

_MODELS: dict[str, type[Model]] = {
    "organization": Organization, "location": Location, "service": Service,
    "service_at_location": ServiceAtLocation,
}  # fmt: skip


def load_services(path: str | Path, fmt: str) -> list[dict[str, Any]]:
    """The service objects of an HSDS file, whatever its wrapping."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise FileProblemError("import.file.missing", name=str(path))
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise FileProblemError("import.file.too_big", name=name,
                               size_mb=f"{path.stat().st_size / 1048576:.1f}",
                               limit_mb=MAX_BYTES // 1048576)  # fmt: skip
    if fmt == "hsds-csv":
        from directory.listings.hsds_tabular import read_package

        try:
            return read_package(path)
        except (OSError, ValueError) as e:
            raise FileProblemError("import.file.hsds", name=name, error=str(e)[:200]) from None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FileProblemError("import.file.hsds", name=name, error=str(e)[:200]) from None
    if isinstance(data, dict):  # an API page ("contents") or a wrapper ("services")
        data = data.get("contents") or data.get("services") or [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise FileProblemError("import.file.hsds", name=name, error="expected service objects")
    if not data:
        raise FileProblemError("import.file.empty", name=name)
    return data


def read_hsds(
    path: str | Path,
    fmt: str,
    *,
    store: Any = None,
    data_dir: str = "data",
    geocoder: Any = None,
    editable: set[str] | None = None,
) -> ImportReport:
    """Preview an HSDS file like a spreadsheet: each service object is one row."""
    if geocoder is None:
        from directory.places.geocoder import shared_geocoder

        geocoder = shared_geocoder(str(data_dir))
    objs = list(load_services(path, fmt))
    results = [_service_row(obj, i + 1, geocoder) for i, obj in enumerate(objs)]
    report = ImportReport(Path(path).name, fmt, (), {}, results)
    mapped = set(FIELDS)
    if not all(_carries_record(obj) for obj in objs):
        # HSDS has an alert's text but neither its end nor whether it stops intake (Punte's
        # record carries them): another publisher's file leaves a service's alert as it is.
        mapped -= set(ALERT_COLUMNS)
    return finish(report, store, mapped, editable)


def _carries_record(obj: dict[str, Any]) -> bool:
    return any((a.get("taxonomy_term") or {}).get("code") == "punte_record"
               for a in obj.get("attributes") or [])  # fmt: skip


def _punte_record(obj: dict[str, Any], table: str) -> Any:
    """The Punte record carried whole in an export's attributes (a model of ``table``), or None."""
    for a in obj.get("attributes") or []:
        if (a.get("taxonomy_term") or {}).get("code") == "punte_record":
            return _MODELS[table].from_row(json.loads(a["value"]))
    return None


def _service_row(obj: dict[str, Any], n: int, geocoder: Any) -> RowResult:
    ids = {"service_id": str(obj.get("id", ""))}
    result = RowResult(n, "invalid", ids)
    p, w = result.problems, result.warnings
    try:
        svc = _punte_record(obj, "service")
        org_obj = obj.get("organization") or {}
        org = _punte_record(org_obj, "organization") if org_obj else None
        if org is None:
            org = _organization(obj, org_obj, n, p)
        pairs = []
        for link_obj in obj.get("service_at_locations") or []:
            loc_obj = link_obj.get("location") or {}
            loc = _punte_record(loc_obj, "location") or _location(loc_obj, org, geocoder, n, p, w)
            link = _punte_record(link_obj, "service_at_location")
            if loc is not None and svc is not None and link is None:
                link = ServiceAtLocation(str(link_obj.get("id")), svc.id, loc.id)
            pairs.append((loc, link))
        if svc is None and org is not None:
            svc = _service(obj, org, n, p)
    except (ValidationError, ValueError, KeyError, TypeError) as e:
        field = getattr(e, "field", None)
        p.append(Problem("import.row.field", {"message": getattr(e, "message", str(e))}, n, field))
        return result
    if svc is not None:
        pairs = [(loc, link or ServiceAtLocation(f"{svc.id}@{loc.id}", svc.id, loc.id))
                 for loc, link in pairs if loc is not None]  # fmt: skip
    if not pairs and not p:
        p.append(Problem("import.row.no_place", {}, n, "locality"))
    if p or svc is None or org is None:
        return result
    result.status = "valid"
    result.organization, result.service = org, svc
    result.location, result.link = pairs[0]
    result.extra = [m for pair in pairs[1:] for m in pair]
    first_location = pairs[0][0]
    assert first_location is not None  # pairs keep only placed locations
    ids.update(organization_id=org.id, location_id=first_location.id)
    return result


def _organization(obj: dict[str, Any], org: dict[str, Any], n: int, p: list[Problem]):
    if not org.get("name"):
        p.append(Problem("import.row.required", {}, n, "organization"))
        return None
    legal = cells.LEGAL.get(str(org.get("legal_status", "")).lower(), "ngo")
    cui = str(org.get("tax_id") or "").upper().replace(" ", "") or None
    return Organization(
        str(org.get("id") or obj.get("organization_id")), org["name"], legal,
        description=org.get("description") or "", website=org.get("website"),
        email=org.get("email"), cui=cui if cui and cui.lstrip("RO").isdigit() else None,
    )  # fmt: skip


def _location(loc: dict[str, Any], org: Organization | None, geocoder: Any, n: int,
              p: list[Problem], w: list[Problem]) -> Location | None:  # fmt: skip
    if org is None:
        return None
    address = (loc.get("addresses") or [{}])[0]
    found = {
        "latitude": str(loc.get("latitude") or ""),
        "longitude": str(loc.get("longitude") or ""),
        "locality": address.get("city", ""),
        "county": address.get("state_province", ""),
    }
    place = row_place.locate(geocoder, found, n, {}, p, w)
    if place is None:
        return None
    return Location(
        str(loc["id"]), org.id, loc.get("name") or org.name, place.latitude, place.longitude,
        place.county_code, place.siruta, address.get("address_1"), place.locality,
        address.get("postal_code") or None, place.source, place.precision,
    )  # fmt: skip


def _service_type(obj: dict[str, Any]) -> str | None:
    for a in obj.get("attributes") or []:
        term = a.get("taxonomy_term") or {}
        for text in (a.get("value"), term.get("code"), term.get("name")):
            if text in vocab.SERVICE_TYPES:
                return str(text)
            found = service_codes.type_from_words(str(text or ""))
            if found:
                return found
    return None


def _service(obj: dict[str, Any], org: Organization, n: int, p: list[Problem]) -> Service | None:
    service_type = _service_type(obj)
    if service_type is None:
        p.append(Problem("import.row.no_type", {}, n, "service_type"))
        return None
    phone = None
    for ph in obj.get("phones") or []:
        phone = cells.read_phone(str(ph.get("number", "")), n, p, [])
        break
    langs = tuple(x["code"] for x in obj.get("languages") or [] if x.get("code")) or ("ro",)
    status = str(obj["status"]) if obj.get("status") in vocab.SERVICE_STATUSES else "active"
    capacity: dict[str, Any] = {}
    for cap in obj.get("capacities") or []:
        free = int(float(cap["available"]))
        capacity = {
            "beds_available": free, "capacity_status": "available" if free else "full",
            "capacity_as_of": date.fromisoformat(str(cap["updated"])[:10]),
            "beds_total": int(float(cap["maximum"])) if cap.get("maximum") else None,
        }  # fmt: skip
        break
    return Service(
        str(obj["id"]), org.id, obj.get("name") or "", service_type,
        description=obj.get("description") or "", status=status,
        minimum_age=int(float(obj.get("minimum_age") or 0)),
        maximum_age=int(float(obj.get("maximum_age") or 17)),
        languages=langs, intake_phone=phone, **capacity,
    )  # fmt: skip
