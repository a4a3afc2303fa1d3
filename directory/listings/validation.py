"""Form values → a listing record, or every problem keyed by its field (translation keys).

Each check says what is wrong in the reader's language, next to the field; the model's own
checks (English) are a last line of defence that a form should never reach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from directory import vocab
from directory.errors import ValidationError
from directory.listings.cells import EMAIL, read_phone, read_website
from directory.listings.problems import Problem
from directory.models import Location, Model, Organization, Service

M = TypeVar("M", bound=Model)
Problems = dict[str, Problem]


@dataclass(frozen=True)
class Checked(Generic[M]):
    """A valid record, or None with at least one problem per wrong field."""

    record: M | None
    problems: Problems = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.problems


def _add(p: Problems, name: str, key: str, **values: Any) -> None:
    p.setdefault(name, Problem(key, values))  # shown next to its field: no "column" prefix


def _text(v: dict[str, Any], p: Problems, name: str, required: bool, limit: int) -> str:
    text = str(v.get(name) or "").strip()
    if required and not text:
        _add(p, name, "edit.error.required")
    elif len(text) > limit:
        _add(p, name, "edit.error.too_long", limit=limit)
    return text


def _contacts(v: dict[str, Any], p: Problems, out: dict[str, Any]) -> None:
    email = str(v.get("email") or "").strip()
    if email and (not EMAIL.match(email) or len(email) > 254):
        _add(p, "email", "edit.error.email", value=email)
    out["email"] = email or None
    site = str(v.get("website") or "").strip()
    found: list[Problem] = []
    out["website"] = read_website(site, 0, found) if site else None
    if found:
        _add(p, "website", "edit.error.website", value=site)


def _finish(cls: type[M], values: dict[str, Any], p: Problems) -> Checked[M]:
    if p:
        return Checked(None, p)
    try:
        return Checked(cls(**values))
    except ValidationError as e:  # a rule the form did not check first: still next to its field
        return Checked(
            None, {e.field: Problem("edit.error.model", {"message": e.message}, None, e.field)}
        )


def check_organization(v: dict[str, Any]) -> Checked[Organization]:
    p: Problems = {}
    out: dict[str, Any] = {
        "id": v["id"],
        "name": _text(v, p, "name", True, 200),
        "description": _text(v, p, "description", False, 2000),
        "legal_status": v.get("legal_status") or "",
        "active": bool(v.get("active", True)),
        "is_demo": bool(v.get("is_demo", False)),
        "version": int(v.get("version", 1)),
    }
    if out["legal_status"] not in vocab.LEGAL_STATUSES:
        _add(p, "legal_status", "edit.error.choose")
    _contacts(v, p, out)
    cui = re.sub(r"\s", "", str(v.get("cui") or "")).upper()
    if cui and not re.fullmatch(r"(RO)?\d{2,10}", cui):
        _add(p, "cui", "edit.error.cui", value=cui)
    out["cui"] = cui or None
    return _finish(Organization, out, p)


def check_location(v: dict[str, Any]) -> Checked[Location]:
    p: Problems = {}
    out = {k: v[k] for k in ("id", "organization_id", "siruta", "is_demo", "version") if k in v}
    out.update(
        name=_text(v, p, "name", True, 200),
        address_1=_text(v, p, "address_1", False, 300) or None,
        locality=_text(v, p, "locality", False, 200) or None,
        disclosure=v.get("disclosure") or "public",
        geocode_source=v.get("geocode_source") or "manual",
        geocode_precision=v.get("geocode_precision") or "manual",
        active=bool(v.get("active", True)),
    )
    county = str(v.get("county_code") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{1,2}", county):
        _add(p, "county_code", "edit.error.county")
    out["county_code"] = county
    postal = str(v.get("postal_code") or "").strip()
    if postal and not re.fullmatch(r"\d{6}", postal):
        _add(p, "postal_code", "edit.error.postal_code", value=postal)
    out["postal_code"] = postal or None
    for name, (lo, hi) in (("latitude", vocab.RO_LAT), ("longitude", vocab.RO_LON)):
        value = v.get(name)
        if value is None:
            _add(p, name, "edit.error.point_missing")
        elif not lo <= float(value) <= hi:
            _add(p, name, "edit.error.outside_romania", value=value, lo=lo, hi=hi)
        out[name] = None if value is None else float(value)
    if out["disclosure"] not in vocab.DISCLOSURES:
        _add(p, "disclosure", "edit.error.choose")
    return _finish(Location, out, p)


_SERVICE_KEEP = (
    "id", "organization_id", "capacity_status", "beds_available", "beds_total",
    "capacity_as_of", "assured_date", "assurer", "is_demo", "version",
)  # fmt: skip
_SERVICE_FLAGS = (
    "interpretation_available", "trafficking_specialised", "accepts_unaccompanied_minors",
    "accepts_parent_with_child", "emergency_intake_24_7", "free_of_charge",
)  # fmt: skip
_SERVICE_LISTS = (
    ("genders", vocab.GENDERS), ("child_friendly_criteria", vocab.CHILD_FRIENDLY_CRITERIA),
    ("accessibility", vocab.ACCESSIBILITY), ("specialisations", vocab.SPECIALISATIONS),
)  # fmt: skip


def check_service(v: dict[str, Any]) -> Checked[Service]:
    p: Problems = {}
    out = {k: v.get(k) for k in _SERVICE_KEEP if k in v}
    out.update(
        name=_text(v, p, "name", True, 200),
        description=_text(v, p, "description", False, 2000),
        schedule=_text(v, p, "schedule", False, 2000),
        referral_process=_text(v, p, "referral_process", False, 2000),
        service_type=v.get("service_type") or "",
        status=v.get("status") or "active",
    )
    if out["service_type"] not in vocab.SERVICE_TYPES:
        _add(p, "service_type", "edit.error.choose")
    for name in _SERVICE_FLAGS:
        out[name] = bool(v.get(name, False))
    for name, allowed in _SERVICE_LISTS:
        out[name] = tuple(x for x in allowed if x in set(v.get(name) or ()))
    if not out["genders"]:
        _add(p, "genders", "edit.error.genders")
    lo, hi = int(v.get("minimum_age") or 0), int(v.get("maximum_age") or 0)
    if not (0 <= lo <= 25 and 0 <= hi <= 25):
        _add(p, "maximum_age", "edit.error.age_range")
    elif lo > hi:
        _add(p, "maximum_age", "edit.error.ages_reversed", low=lo, high=hi)
    out.update(minimum_age=lo, maximum_age=hi)
    languages = [x.strip().lower() for x in re.split(r"[,;\s]+", str(v.get("languages") or ""))]
    languages = [x for x in dict.fromkeys(languages) if x]
    bad = [x for x in languages if vocab.language_problem(x)]
    if not languages:
        _add(p, "languages", "edit.error.languages_missing")
    elif bad:
        _add(p, "languages", "edit.error.language", value=", ".join(bad))
    out["languages"] = tuple(languages)
    phone = str(v.get("intake_phone") or "").strip()
    found: list[Problem] = []
    out["intake_phone"] = read_phone(phone, 0, found, []) if phone else None
    if found:
        _add(p, "intake_phone", "edit.error.phone", value=phone)
    _check_alert(v, p, out)
    p.update({k: x for k, x in check_capacity(**_capacity_of(out)).items() if k not in p})
    return _finish(Service, out, p)


def _check_alert(v: dict[str, Any], p: Problems, out: dict[str, Any]) -> None:
    """A provider's temporary notice: its text, until when it holds, and whether it stops intake."""
    alert = _text(v, p, "alert", False, 500)
    stops = bool(v.get("alert_stops_intake"))
    expires = v.get("alert_expires")
    if alert and expires is None:
        _add(p, "alert_expires", "edit.error.alert_expires")
    if stops and not alert:
        _add(p, "alert", "edit.error.alert_stops")
    out.update(
        alert=alert or None,
        alert_expires=expires if alert else None,
        alert_stops_intake=stops and bool(alert),
    )


def _capacity_of(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": values.get("capacity_status") or "unknown",
        "available": values.get("beds_available"),
        "total": values.get("beds_total"),
        "as_of": values.get("capacity_as_of"),
    }


def check_capacity(
    status: str, available: int | None, total: int | None, as_of: date | None
) -> Problems:
    """Problems of a capacity report, keyed by the service field they belong to."""
    p: Problems = {}
    if status not in vocab.CAPACITY_STATUSES:
        _add(p, "capacity_status", "edit.error.choose")
    for name, value in (("beds_available", available), ("beds_total", total)):
        if value is not None and not 0 <= value <= 10_000:
            _add(p, name, "edit.error.beds_range")
    if available is not None and total is not None and available > total:
        _add(p, "beds_available", "edit.error.beds_more", available=available, total=total)
    if status != "unknown" and as_of is None:
        _add(p, "capacity_as_of", "edit.error.as_of")
    return p
