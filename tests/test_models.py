"""Models validate their own fields and survive a trip through a row."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory import vocab
from directory.errors import ValidationError
from directory.models import Location, Organization, Service

from .conftest import make_location, make_org, make_service

languages = st.lists(
    st.sampled_from(["ro", "hu", "rom", "en", "uk", "de"]), min_size=1, unique=True
)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=50
)


@st.composite
def services(draw) -> Service:
    low = draw(st.integers(0, 25))
    total = draw(st.none() | st.integers(0, 100))
    status = draw(st.sampled_from(vocab.CAPACITY_STATUSES))
    return Service(
        id=draw(st.uuids()).hex,
        organization_id="org",
        name=draw(text.filter(str.strip)),
        service_type=draw(st.sampled_from(vocab.SERVICE_TYPES)),
        description=draw(text),
        status=draw(st.sampled_from(vocab.SERVICE_STATUSES)),
        minimum_age=low,
        maximum_age=draw(st.integers(low, 25)),
        genders=tuple(draw(st.lists(st.sampled_from(vocab.GENDERS), min_size=1, unique=True))),
        languages=tuple(draw(languages)),
        interpretation_available=draw(st.booleans()),
        child_friendly_criteria=tuple(
            draw(st.lists(st.sampled_from(vocab.CHILD_FRIENDLY_CRITERIA), unique=True))
        ),
        accessibility=tuple(draw(st.lists(st.sampled_from(vocab.ACCESSIBILITY), unique=True))),
        capacity_status=status,
        beds_total=total,
        beds_available=None if total is None else draw(st.integers(0, total)),
        capacity_as_of=None if status == "unknown" else draw(st.dates(date(2020, 1, 1))),
        version=draw(st.integers(1, 1000)),
    )


@given(services())
def test_service_round_trips_through_a_row(service):
    row = service.to_row()
    assert row.pop("child_friendly") == int(service.child_friendly)
    assert Service.from_row(row) == service


@given(
    st.floats(43.6, 48.3),
    st.floats(20.2, 29.7),
    st.sampled_from(vocab.DISCLOSURES),
    st.none() | text,
)
def test_location_round_trips_through_a_row(lat, lon, disclosure, address):
    loc = make_location(latitude=lat, longitude=lon, disclosure=disclosure, address_1=address)
    assert Location.from_row(loc.to_row()) == loc


def test_organization_round_trips():
    org = make_org(website="https://example.org", email="a@example.org", cui="RO123456")
    assert Organization.from_row(org.to_row()) == org


@pytest.mark.parametrize(
    "make, changes, field, message",
    [
        (
            make_service,
            {"minimum_age": 16, "maximum_age": 12},
            "maximum_age",
            "range 16–12 is empty",
        ),
        (make_service, {"minimum_age": -1}, "minimum_age", "between 0 and 25"),
        (
            make_service,
            {"languages": ("ron",)},
            "languages",
            "use the two-letter ISO 639-1 code 'ro'",
        ),
        (make_service, {"languages": ("xx",)}, "languages", "not an ISO 639-1"),
        (make_service, {"languages": ("romani",)}, "languages", "not an ISO 639 code"),
        (make_service, {"languages": ()}, "languages", "at least one language"),
        (make_service, {"service_type": "spa"}, "service_type", "'spa' is not one of"),
        (make_service, {"status": "open"}, "status", "not one of"),
        (make_service, {"capacity_status": "available"}, "capacity_as_of", "date of the capacity"),
        (make_service, {"beds_total": 2, "beds_available": 3}, "beds_available", "more than the 2"),
        (make_service, {"genders": ()}, "genders", "at least one gender"),
        (make_service, {"name": "   "}, "name", "is required"),
        (make_service, {"name": "x" * 201}, "name", "longer than 200"),
        (make_service, {"alert": "Closed"}, "alert_expires", "expiry date"),
        (make_service, {"intake_phone": "call me"}, "intake_phone", "phone number"),
        (make_location, {"latitude": 26.1, "longitude": 44.4}, "latitude", "swapped"),
        (make_location, {"longitude": 31.0}, "longitude", "outside Romania"),
        (make_location, {"disclosure": "secret"}, "disclosure", "not one of"),
        (make_location, {"postal_code": "12"}, "postal_code", "6 digits"),
        (make_location, {"county_code": "cluj"}, "county_code", "county code"),
        (make_org, {"legal_status": "charity"}, "legal_status", "not one of"),
        (make_org, {"website": "example.org"}, "website", "https://"),
        (make_org, {"cui": "ABC"}, "cui", "digits"),
    ],
)
def test_invalid_fields_are_named_with_a_fix(make, changes, field, message):
    with pytest.raises(ValidationError) as err:
        make(**changes)
    assert err.value.field == field
    assert message in str(err.value)


def test_romani_uses_iso_639_3_and_rmy_is_accepted():
    assert make_service(languages=("ro", "rom", "rmy")).languages == ("ro", "rom", "rmy")


def test_child_friendly_needs_every_criterion():
    assert make_service(child_friendly_criteria=vocab.CHILD_FRIENDLY_CRITERIA).child_friendly
    assert not make_service(
        child_friendly_criteria=vocab.CHILD_FRIENDLY_CRITERIA[1:]
    ).child_friendly
