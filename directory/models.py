"""Frozen dataclasses of the domain model (HSDS 3.0 field names) that validate themselves.

Rows become models here, once; storage works with plain dicts. ``to_row`` and ``from_row``
are exact inverses, which a hypothesis test checks.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, ClassVar, TypeVar

from directory import vocab
from directory.errors import ValidationError
from directory.json_text import dumps
from directory.reasons import Reason, as_reasons
from directory.referrals.case_codes import CaseCodeError, check_case_code
from directory.referrals.consent import AGE_BANDS

M = TypeVar("M", bound="Model")

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MAX_TEXT = 2000


@lru_cache(maxsize=4096)  # a bulk import repeats the same few language and gender lists
def _JSON(value: tuple[Any, ...]) -> str:
    return dumps(value)


def _need(cond: bool, field_name: str, message: str) -> None:
    if not cond:
        raise ValidationError(field_name, message)


def _one_of(value: str, allowed: tuple[str, ...], field_name: str) -> None:
    _need(value in allowed, field_name, f"{value!r} is not one of {', '.join(allowed)}")


def _all_of(values: tuple[str, ...], allowed: tuple[str, ...], field_name: str) -> None:
    for v in values:
        _one_of(v, allowed, field_name)


def _text(value: str | None, field_name: str, required: bool = False, limit: int = MAX_TEXT):
    if required:
        _need(bool(value and value.strip()), field_name, "is required")
    if value is not None:
        _need(len(value) <= limit, field_name, f"is longer than {limit} characters")


@cache
def _field_kinds(cls: type) -> dict[str, type | None]:
    """Map each field to the type that needs decoding from a row (None for plain values)."""
    kinds: dict[str, type | None] = {}
    for name, hint in typing.get_type_hints(cls).items():
        if name not in {f.name for f in dataclasses.fields(cls)}:
            continue
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        base = typing.get_origin(hint) or hint
        kinds[name] = base if base in (tuple, date, datetime, bool) else None
    return kinds


@cache
def _encoded_fields(cls: type) -> tuple[tuple[str, type], ...]:
    return tuple((n, k) for n, k in _field_kinds(cls).items() if k is not None)


class Model:
    """Shared row codec: tuples are JSON text, dates ISO text, bools 0/1."""

    table: ClassVar[str]

    def to_row(self) -> dict[str, Any]:
        row = dict(vars(self))  # field order
        # Convert only the fields that need it: this runs for every record of a bulk import.
        model: type = type(self)  # as a plain class: mypy misreads a model class as unhashable
        for name, kind in _encoded_fields(model):
            value = row[name]
            if value is not None:
                if kind is tuple:
                    row[name] = _JSON(value)
                elif kind is bool:
                    row[name] = int(value)
                else:
                    row[name] = value.isoformat()
        return row

    @classmethod
    def from_row(cls: type[M], row: dict[str, Any]) -> M:
        kwargs: dict[str, Any] = {}
        model: type = cls
        for name, kind in _field_kinds(model).items():
            if name not in row:
                continue
            value = row[name]
            if value is not None and kind is not None:
                if kind is tuple:
                    value = tuple(json.loads(value)) if isinstance(value, str) else tuple(value)
                elif kind in (date, datetime) and isinstance(value, str):
                    value = kind.fromisoformat(value)
                elif kind is bool:
                    value = bool(value)
            kwargs[name] = value
        return cls(**kwargs)

    def replace(self: M, **changes: Any) -> M:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class Organization(Model):
    table: ClassVar[str] = "organization"
    id: str
    name: str
    legal_status: str
    description: str = ""
    website: str | None = None
    email: str | None = None
    cui: str | None = None  # Romanian fiscal code, the HSDS organization_identifier
    active: bool = True
    is_demo: bool = False
    version: int = 1

    def __post_init__(self) -> None:
        _text(self.name, "name", required=True, limit=200)
        _text(self.description, "description")
        _one_of(self.legal_status, vocab.LEGAL_STATUSES, "legal_status")
        if self.email:
            _need("@" in self.email and len(self.email) <= 254, "email", "is not an e-mail address")
        if self.website:
            _need(
                self.website.startswith(("https://", "http://")),
                "website",
                "must start with https://",
            )
        if self.cui:
            _need(
                re.fullmatch(r"(RO)?\d{2,10}", self.cui) is not None,
                "cui",
                "must be 2–10 digits, optionally prefixed by RO",
            )


@dataclass(frozen=True)
class Location(Model):
    table: ClassVar[str] = "location"
    id: str
    organization_id: str
    name: str
    latitude: float
    longitude: float
    county_code: str
    siruta: int | None = None
    address_1: str | None = None
    locality: str | None = None
    postal_code: str | None = None
    geocode_source: str = "gazetteer"
    geocode_precision: str = "locality"
    disclosure: str = "public"
    active: bool = True
    is_demo: bool = False
    version: int = 1

    def __post_init__(self) -> None:
        _text(self.name, "name", required=True, limit=200)
        _text(self.address_1, "address_1", limit=300)
        _one_of(self.disclosure, vocab.DISCLOSURES, "disclosure")
        _one_of(self.geocode_precision, vocab.GEOCODE_PRECISIONS, "geocode_precision")
        lat_lo, lat_hi = vocab.RO_LAT
        lon_lo, lon_hi = vocab.RO_LON
        _need(
            lat_lo <= self.latitude <= lat_hi,
            "latitude",
            f"{self.latitude} is outside Romania ({lat_lo}–{lat_hi}); are latitude and "
            "longitude swapped?",
        )
        _need(
            lon_lo <= self.longitude <= lon_hi,
            "longitude",
            f"{self.longitude} is outside Romania ({lon_lo}–{lon_hi})",
        )
        _need(
            re.fullmatch(r"[A-Z]{1,2}", self.county_code) is not None,
            "county_code",
            "must be a county code such as 'CJ' or 'B'",
        )
        if self.postal_code:
            _need(
                re.fullmatch(r"\d{6}", self.postal_code) is not None,
                "postal_code",
                "must be 6 digits",
            )

    @property
    def confidential(self) -> bool:
        return self.disclosure != "public"


@dataclass(frozen=True)
class Service(Model):
    table: ClassVar[str] = "service"
    id: str
    organization_id: str
    name: str
    service_type: str
    description: str = ""
    status: str = "active"
    minimum_age: int = 0
    maximum_age: int = 17
    genders: tuple[str, ...] = ("female", "male")
    languages: tuple[str, ...] = ("ro",)
    interpretation_available: bool = False
    child_friendly_criteria: tuple[str, ...] = ()
    trafficking_specialised: bool = False
    accepts_unaccompanied_minors: bool = False
    accepts_parent_with_child: bool = False
    emergency_intake_24_7: bool = False
    accessibility: tuple[str, ...] = ()
    free_of_charge: bool = True
    schedule: str = ""
    intake_phone: str | None = None
    referral_process: str = ""
    capacity_status: str = "unknown"
    beds_available: int | None = None
    beds_total: int | None = None
    capacity_as_of: date | None = None
    assured_date: date | None = None
    assurer: str | None = None
    alert: str | None = None
    alert_expires: date | None = None
    alert_stops_intake: bool = False  # the alert says the service takes no one new now
    specialisations: tuple[str, ...] = ()  # exploitation types, vocab.SPECIALISATIONS
    is_demo: bool = False
    version: int = 1

    def __post_init__(self) -> None:
        _text(self.name, "name", required=True, limit=200)
        _text(self.description, "description")
        _one_of(self.service_type, vocab.SERVICE_TYPES, "service_type")
        _one_of(self.status, vocab.SERVICE_STATUSES, "status")
        _one_of(self.capacity_status, vocab.CAPACITY_STATUSES, "capacity_status")
        _all_of(self.genders, vocab.GENDERS, "genders")
        _need(bool(self.genders), "genders", "name at least one gender served")
        _all_of(
            self.child_friendly_criteria, vocab.CHILD_FRIENDLY_CRITERIA, "child_friendly_criteria"
        )
        _all_of(self.accessibility, vocab.ACCESSIBILITY, "accessibility")
        _all_of(self.specialisations, vocab.SPECIALISATIONS, "specialisations")
        _need(0 <= self.minimum_age <= 25, "minimum_age", "must be between 0 and 25")
        _need(0 <= self.maximum_age <= 25, "maximum_age", "must be between 0 and 25")
        _need(
            self.minimum_age <= self.maximum_age,
            "maximum_age",
            f"the age range {self.minimum_age}–{self.maximum_age} is empty: "
            "minimum_age must not exceed maximum_age",
        )
        _need(bool(self.languages), "languages", "name at least one language, e.g. 'ro'")
        for code in self.languages:
            problem = vocab.language_problem(code)
            _need(problem is None, "languages", problem or "")
        for name in ("beds_available", "beds_total"):
            value = getattr(self, name)
            _need(value is None or 0 <= value <= 10_000, name, "must be between 0 and 10000")
        if self.beds_available is not None and self.beds_total is not None:
            _need(
                self.beds_available <= self.beds_total,
                "beds_available",
                f"{self.beds_available} free beds is more than the {self.beds_total} in total",
            )
        if self.capacity_status != "unknown":
            _need(
                self.capacity_as_of is not None,
                "capacity_as_of",
                "give the date of the capacity report",
            )
        if self.alert:
            _need(self.alert_expires is not None, "alert_expires", "an alert needs an expiry date")
        _need(bool(self.alert) or not self.alert_stops_intake, "alert", "an alert stops intake")
        if self.intake_phone:
            _need(
                re.fullmatch(r"\+?[0-9 ()-]{6,20}", self.intake_phone) is not None,
                "intake_phone",
                "must be a phone number such as +40 21 000 0000",
            )

    @property
    def child_friendly(self) -> bool:
        return set(vocab.CHILD_FRIENDLY_CRITERIA) <= set(self.child_friendly_criteria)

    def to_row(self) -> dict[str, Any]:
        row = super().to_row()
        row["child_friendly"] = int(self.child_friendly)  # stored so SQL and frames can filter
        return row


@dataclass(frozen=True)
class ServiceAtLocation(Model):
    table: ClassVar[str] = "service_at_location"
    id: str
    service_id: str
    location_id: str
    is_demo: bool = False


@dataclass(frozen=True)
class User(Model):
    table: ClassVar[str] = "user"
    username: str
    display_name: str
    role: str
    password_hash: str
    organization_id: str | None = None
    active: bool = True
    is_demo: bool = False
    version: int = 1

    def __post_init__(self) -> None:
        _need(
            USERNAME.fullmatch(self.username) is not None,
            "username",
            "use 2–32 lower-case letters, digits, dot, dash or underscore",
        )
        _text(self.display_name, "display_name", required=True, limit=100)
        _one_of(self.role, vocab.ROLES, "role")
        _need(self.password_hash.startswith("$argon2"), "password_hash", "must be an argon2 hash")


@dataclass(frozen=True)
class Referral(Model):
    """A referral holds a case code and the needs, never the child's identity."""

    table: ClassVar[str] = "referral"
    id: str
    case_code: str
    service_at_location_id: str
    urgency: str
    needs: tuple[str, ...]
    age: int | None  # only with consent; the age band always travels
    created_by: str
    due_at: datetime
    gender: str | None = None
    languages: tuple[str, ...] = ()
    status: str = "draft"
    score: float | None = None
    reasons: tuple[Reason, ...] = ()  # keys with values, translated when read
    consent_fields: tuple[str, ...] = ()
    decline_reason: str | None = None
    organization_id: str | None = None  # the sending caseworker's organisation
    requirements: tuple[str, ...] = ()
    max_km: float | None = None
    # The origin is kept only at UAT level (its seat), enough to offer the next-best match.
    origin_siruta: int | None = None
    sent_at: datetime | None = None
    closed_at: datetime | None = None
    age_band: str | None = None
    version: int = 1

    # Only these reach the append-only audit log: a purge must be able to remove the contents.
    audit_fields: ClassVar[tuple[str, ...]] = ("id", "status", "service_at_location_id", "urgency")

    def __post_init__(self) -> None:
        # The one rule for case codes; the model takes only the normalised form.
        if check_case_code(self.case_code) != self.case_code:
            raise CaseCodeError("characters")
        _one_of(self.urgency, vocab.URGENCIES, "urgency")
        _one_of(self.status, vocab.REFERRAL_STATUSES, "status")
        _all_of(self.needs, vocab.SERVICE_TYPES, "needs")
        if self.age is not None:
            _need(0 <= self.age <= 25, "age", "must be between 0 and 25")
        if self.age_band is not None:
            _one_of(self.age_band, AGE_BANDS, "age_band")
        if self.gender is not None:
            _one_of(self.gender, vocab.GENDERS, "gender")
        if self.decline_reason is not None:
            _one_of(self.decline_reason, vocab.DECLINE_REASONS, "decline_reason")
        if self.score is not None:
            _need(0.0 <= self.score <= 1.0, "score", "must be between 0 and 1")
        object.__setattr__(self, "reasons", as_reasons(self.reasons))  # stored JSON → Reason


MODELS: tuple[type[Model], ...] = (
    Organization,
    Location,
    Service,
    ServiceAtLocation,
    User,
    Referral,
)
