"""Form validation, table by table: each bad value is named next to its field, in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from directory.listings.validation import check_location, check_organization, check_service

ORG = {"id": "org-1", "name": "Asociația Alfa", "legal_status": "ngo"}
LOC = {
    "id": "loc-1", "organization_id": "org-1", "name": "Sediu", "county_code": "CJ",
    "latitude": 46.77, "longitude": 23.59,
}  # fmt: skip
SVC = {
    "id": "svc-1", "organization_id": "org-1", "name": "Consiliere", "service_type": "legal_aid",
    "genders": ["female", "male"], "languages": "ro, hu", "minimum_age": 0, "maximum_age": 17,
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "english"),
    [
        ({"name": " "}, "name", "This field is required."),
        ({"email": "ana@"}, "email", "ana@ is not an e-mail address (name@example.ro)."),
        ({"website": "not a site"}, "website",
         "not a site is not a website address (https://example.ro)."),
        ({"cui": "RO12AB"}, "cui",
         "RO12AB is not a fiscal code (CUI): 2–10 digits, optionally after RO."),
        ({"legal_status": "club"}, "legal_status", "Choose one of the options."),
    ],
)  # fmt: skip
def test_organisation_problems(change, field, english):
    checked = check_organization({**ORG, **change})
    assert checked.record is None
    assert checked.problems[field].text("en") == english
    assert checked.problems[field].text("ro") != english


def test_organisation_contacts_are_normalised():
    rec = check_organization({**ORG, "website": "alfa.ro", "cui": "ro 123456"}).record
    assert (rec.website, rec.cui) == ("https://alfa.ro", "RO123456")


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"latitude": 23.59, "longitude": 46.77}, "latitude", "edit.error.outside_romania"),
        ({"longitude": 2.35}, "longitude", "edit.error.outside_romania"),
        ({"latitude": None}, "latitude", "edit.error.point_missing"),
        ({"postal_code": "4000"}, "postal_code", "edit.error.postal_code"),
        ({"county_code": ""}, "county_code", "edit.error.county"),
        ({"name": ""}, "name", "edit.error.required"),
    ],
)
def test_location_problems(change, field, key):
    checked = check_location({**LOC, **change})
    assert checked.problems[field].key == key


@pytest.mark.parametrize(
    ("change", "field", "english"),
    [
        ({"minimum_age": 17, "maximum_age": 12}, "maximum_age",
         "The ages are reversed: 17 is more than 12. Swap them."),
        ({"intake_phone": "12"}, "intake_phone",
         "12 is not a phone number; write it like 0722 123 456 or +40 21 000 0000."),
        ({"languages": "romanian"}, "languages",
         "Not an ISO 639 language code: romanian (use ro, hu, en, uk, or rom for Romani)."),
        ({"languages": ""}, "languages", "Name at least one language code, such as ro."),
        ({"genders": []}, "genders", "Tick at least one gender served."),
        ({"service_type": "spa"}, "service_type", "Choose one of the options."),
        ({"capacity_status": "available", "beds_available": 9, "beds_total": 3,
          "capacity_as_of": date(2026, 11, 1)}, "beds_available",
         "9 places available is more than the 3 in total."),
        ({"capacity_status": "full"}, "capacity_as_of", "Give the date of the capacity report."),
        ({"alert": "Closed for works"}, "alert_expires",
         "Give the date until which the alert holds (its expiry)."),
        ({"alert_stops_intake": True}, "alert",
         'Only an alert can stop intake: write the alert\'s text or untick "Stops intake".'),
    ],
)  # fmt: skip
def test_service_problems(change, field, english):
    checked = check_service({**SVC, **change})
    assert checked.record is None
    assert checked.problems[field].text("en") == english


def test_service_phone_becomes_e164_and_specialisations_keep_vocabulary_order():
    rec = check_service(
        {**SVC, "intake_phone": "0722 123 456", "specialisations": ["labour", "sexual"]}
    ).record
    assert rec.intake_phone == "+40722123456"
    assert rec.specialisations == ("sexual", "labour")
    assert rec.languages == ("ro", "hu")


def test_every_problem_of_a_form_is_reported_at_once():
    checked = check_service({**SVC, "name": "", "languages": "", "genders": []})
    assert set(checked.problems) == {"name", "languages", "genders"}


def test_an_alert_is_kept_with_its_expiry_and_whether_it_stops_intake():
    until = date(2026, 12, 20)
    rec = check_service(
        {**SVC, "alert": " No new children ", "alert_expires": until, "alert_stops_intake": True}
    ).record
    assert (rec.alert, rec.alert_expires, rec.alert_stops_intake) == (
        "No new children",
        until,
        True,
    )
    # Clearing the text clears the whole notice: no orphan expiry, no stop without words.
    cleared = check_service({**SVC, "alert": "", "alert_expires": until}).record
    assert (cleared.alert, cleared.alert_expires, cleared.alert_stops_intake) == (None, None, False)
