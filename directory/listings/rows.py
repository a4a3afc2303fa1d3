"""One spreadsheet row → an organisation, a location and a service, or the reasons it is not.

Every reason is a Problem (a translation key with its values, the row and the column), so
the preview page and the CLI say it in the reader's language. Nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from directory import vocab
from directory.errors import ValidationError
from directory.listings import cells, row_place, service_codes
from directory.listings.cells import fold
from directory.listings.problems import Problem
from directory.models import Location, Organization, Service, ServiceAtLocation


@dataclass
class RowContext:
    geocoder: Any
    data_dir: str
    organization: Organization | None = None  # --organization: every row belongs to it
    geocode_cache: row_place.Cache = field(default_factory=dict)


@dataclass
class RowResult:
    row: int  # the file's line number as a spreadsheet shows it (the header is row 1)
    status: str  # valid | invalid | out_of_scope | duplicate | blank
    cells: dict[str, str]
    organization: Organization | None = None
    location: Location | None = None
    service: Service | None = None
    link: ServiceAtLocation | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)  # an HSDS service's other sites and links


def stable_id(prefix: str, *parts: object) -> str:
    """An id from a row's identity, so the same file imported twice gives the same records."""
    text = "\x1f".join(fold(str(p)) for p in parts)
    return f"{prefix}-{hashlib.sha1(text.encode()).hexdigest()[:12]}"


def read_row(raw: dict[str, str], row: int, ctx: RowContext) -> RowResult:
    """Turn the mapped cells of one row into models, or into reasons."""
    result = RowResult(row, "invalid", raw)
    if not any(raw.values()):
        result.status = "blank"
        return result
    p, w = result.problems, result.warnings
    clean = {k: cells.neutralise(k, v, row, p, w) for k, v in raw.items()}
    org = _organization(clean, row, ctx, p)
    if not clean.get("service_name"):
        p.append(Problem("import.row.required", {}, row, "service_name"))
    service_type, trafficking, out_of_scope = _service_type(clean, row, ctx, p, w)
    if out_of_scope is not None:  # a real service Punte does not list: reported, not fixed
        result.status = "out_of_scope"
        result.problems[:] = [out_of_scope]
        return result
    place = row_place.locate(ctx.geocoder, clean, row, ctx.geocode_cache, p, w)
    phone = cells.read_phone(clean.get("phone", ""), row, p, w)
    ages = (
        cells.read_int(clean, "minimum_age", row, p),
        cells.read_int(clean, "maximum_age", row, p),
    )
    if None not in ages and ages[0] > ages[1]:  # type: ignore[operator]
        p.append(
            Problem(
                "import.row.ages_reversed", {"min": ages[0], "max": ages[1]}, row, "minimum_age"
            )
        )
    if p or org is None or place is None or service_type is None:
        return result
    loc_id = clean.get("location_id") or stable_id(
        "imp-loc", org.id, place.siruta or place.locality, clean.get("address", "")
    )
    name = clean.get("service_name", "")
    try:
        location = Location(
            loc_id,
            org.id,
            clean.get("location_name") or name or place.locality or "",
            place.latitude,
            place.longitude,
            place.county_code,
            place.siruta,
            place.address_1 or clean.get("address") or None,
            place.locality,
            clean.get("postal_code") or None,
            place.source,
            place.precision,
            cells.read_disclosure(clean, row, p),
        )
        service = _service(
            clean, row, ctx, org.id, loc_id, service_type, trafficking, phone, ages, p, w
        )
    except ValidationError as e:
        p.append(Problem("import.row.field", {"message": e.message}, row, _column(e.field)))
        return result
    if p or service is None:
        return result
    result.status = "valid"
    result.organization, result.location, result.service = org, location, service
    result.link = ServiceAtLocation(stable_id("imp-sal", service.id, loc_id), service.id, loc_id)
    return result


def _service_type(
    c: dict[str, str], row: int, ctx: RowContext, p: list[Problem], w: list[Problem]
) -> tuple[str | None, bool, Problem | None]:
    """The Punte type from the type column or the national code, and any out-of-scope reason."""
    typed, code_text = c.get("service_type", ""), c.get("service_code", "")
    service_type = None
    if typed:
        service_type = (
            typed if typed in vocab.SERVICE_TYPES else service_codes.type_from_words(typed)
        )
        if service_type is None:
            p.append(
                Problem(
                    "import.row.unknown_type",
                    {"value": typed, "types": ", ".join(vocab.SERVICE_TYPES)},
                    row,
                    "service_type",
                )
            )
            return None, False, None
    code = service_codes.normalise_code(code_text) if code_text else ""
    trafficking = code in service_codes.TRAFFICKING_CODES
    if code:
        known = service_codes.nomenclature(ctx.data_dir).get(code)
        if known is None:
            w.append(Problem("import.warn.unknown_code", {"code": code_text}, row, "service_code"))
        elif code not in service_codes.CODE_TYPES:
            if service_type is None:
                out = Problem(
                    "import.row.out_of_scope", {"code": code, "name": known.name}, row,
                    "service_code",
                )  # fmt: skip
                return None, False, out
            w.append(
                Problem(
                    "import.warn.code_out_of_scope_typed",
                    {"code": code, "name": known.name, "type": service_type},
                    row,
                    "service_code",
                )
            )
        elif service_type is None:
            service_type = service_codes.CODE_TYPES[code]
    if service_type is None:
        p.append(Problem("import.row.no_type", {}, row, "service_type"))
    return service_type, trafficking, None


def _service(
    c: dict[str, str],
    row: int,
    ctx: RowContext,
    org_id: str,
    loc_id: str,
    service_type: str,
    trafficking: bool,
    phone: str | None,
    ages: tuple[int | None, int | None],
    p: list[Problem],
    w: list[Problem],
) -> Service | None:
    name = c.get("service_name", "")
    if not name:
        p.append(Problem("import.row.required", {}, row, "service_name"))
        return None
    genders = cells.read_genders(c.get("genders", ""), row, p)
    languages = tuple(
        cells.LANGUAGES.get(fold(x), x.strip().lower())
        for x in re.split(r"[,;/]", c.get("languages", "") or "ro")
        if x.strip()
    ) or ("ro",)
    total = cells.read_int(c, "capacity", row, p)
    free = cells.read_int(c, "beds_available", row, p)
    as_of = cells.read_date(c, "capacity_as_of", row, p)
    status = cells.CAPACITY.get(fold(c.get("capacity_status", "")))
    if status is None:
        p.append(
            Problem(
                "import.row.capacity_status",
                {"value": c["capacity_status"]},
                row,
                "capacity_status",
            )
        )
        return None
    if status == "unknown" and free is not None and as_of is not None:
        status = "available" if free > 0 else "full"
    if status != "unknown" and as_of is None:
        # A status without the day it was counted would look fresh forever: keep it unknown.
        w.append(Problem("import.warn.capacity_needs_date", {}, row, "capacity_as_of"))
        status, free = "unknown", None
    alert = _alert(c, row, p)
    if alert is None:
        return None
    return Service(
        c.get("service_id") or stable_id("imp-svc", org_id, name, loc_id),
        org_id,
        name,
        service_type,
        description=c.get("description", ""),
        minimum_age=ages[0] if ages[0] is not None else 0,
        maximum_age=ages[1] if ages[1] is not None else 17,
        genders=genders,
        languages=languages,
        trafficking_specialised=trafficking
        or cells.read_bool(c, "trafficking_specialised", row, p),
        emergency_intake_24_7=cells.read_bool(c, "emergency_intake_24_7", row, p),
        specialisations=cells.read_specialisations(c.get("specialisations", ""), row, p),
        schedule=c.get("schedule", ""),
        intake_phone=phone,
        capacity_status=status,
        beds_available=free,
        beds_total=total,
        capacity_as_of=as_of if status != "unknown" else None,
        **alert,
    )


def _alert(c: dict[str, str], row: int, p: list[Problem]) -> dict[str, Any] | None:
    """The provider's current notice, its end and whether it stops intake; None if invalid."""
    text = c.get("alert", "")
    expires = cells.read_date(c, "alert_expires", row, p)
    stops = cells.read_bool(c, "alert_stops_intake", row, p)
    if text and expires is None and "alert_expires" not in {q.column for q in p}:
        p.append(Problem("import.row.alert_expires", {}, row, "alert_expires"))
    if stops and not text:
        p.append(Problem("import.row.alert_stops", {}, row, "alert_stops_intake"))
    if p:
        return None
    return {"alert": text or None, "alert_expires": expires if text else None,
            "alert_stops_intake": stops}  # fmt: skip


def _column(model_field: str) -> str:
    return {
        "intake_phone": "phone",
        "beds_total": "capacity",
        "name": "service_name",
        "address_1": "address",
    }.get(model_field, model_field)


def _organization(
    c: dict[str, str], row: int, ctx: RowContext, p: list[Problem]
) -> Organization | None:
    if ctx.organization is not None:
        return ctx.organization
    name = c.get("organization", "")
    if not name:
        p.append(Problem("import.row.required", {}, row, "organization"))
        return None
    legal = cells.LEGAL.get(fold(c.get("legal_status", "")))
    if legal is None:
        if c.get("legal_status"):
            p.append(
                Problem(
                    "import.row.legal_status", {"value": c["legal_status"]}, row, "legal_status"
                )
            )
            return None
        legal = "public" if any(b in fold(name) for b in cells.PUBLIC_BODIES) else "ngo"
    email = c.get("email", "")
    if email and not cells.EMAIL.match(email):
        p.append(Problem("import.row.email", {"value": email}, row, "email"))
    website = cells.read_website(c.get("website", ""), row, p)
    cui = c.get("cui", "").upper().replace(" ", "") or None
    try:
        return Organization(
            c.get("organization_id") or stable_id("imp-org", name),
            name,
            legal,
            website=website,
            email=email if cells.EMAIL.match(email) else None,
            cui=cui,
        )
    except ValidationError as e:
        column = "organization" if e.field == "name" else e.field
        p.append(Problem("import.row.field", {"message": e.message}, row, column))
        return None
