"""Each row becomes models or reasons; every reason names the row and the column."""

from __future__ import annotations

import pytest

from directory.listings.importer import preview

from ..conftest import DATA_DIR
from .messy import HEADERS, cedillas, csv_text, row


def only_row(**over: str):
    report = preview(csv_text([row(0, **over)]).encode(), name="s.csv", data_dir=str(DATA_DIR))
    assert len(report.rows) == 1
    return report.rows[0]


def keys(problems) -> list[str]:
    return [p.key for p in problems]


def test_a_plain_row_becomes_an_organisation_a_location_and_a_service():
    r = only_row()
    assert r.status == "valid", [p.text() for p in r.problems]
    assert r.organization.name == "Asociația Speranța Alba Iulia"
    assert r.organization.legal_status == "ngo"
    assert (r.location.county_code, r.location.locality) == ("AB", "Alba Iulia")
    assert r.location.address_1 == "Str. Școlii nr. 1"
    assert r.service.service_type == "psychological_counselling"
    assert r.service.intake_phone == "+40264123456"
    assert (r.service.minimum_age, r.service.maximum_age) == (6, 17)
    assert r.link.service_id == r.service.id and r.link.location_id == r.location.id


def test_public_body_is_guessed_from_its_name():
    assert only_row(Furnizor="DGASPC Alba").organization.legal_status == "public"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("legal_aid", "legal_aid"),
        ("Asistență juridică", "legal_aid"),
        ("asistenta juridica", "legal_aid"),
        ("Legal aid", "legal_aid"),
        ("Centru de primire în regim de urgență", "shelter_emergency"),
        ("Emergency shelter", "shelter_emergency"),
        ("Repatriere", "repatriation"),
    ],
)
def test_service_type_in_romanian_or_english_words(typed, expected):
    assert only_row(**{"Tip serviciu": typed}).service.service_type == expected


def test_unknown_service_type_lists_the_types():
    r = only_row(**{"Tip serviciu": "Cantină"})
    assert r.status == "invalid"
    assert keys(r.problems) == ["import.row.unknown_type"]
    text = r.problems[0].text("en")
    assert text.startswith("row 2, column service_type: 'Cantină' is not a Punte service type")
    assert "legal_aid" in text


@pytest.mark.parametrize(
    "code, expected",
    [
        ("8790CR-C-II", "shelter_emergency"),
        ("8790 cr-c-ii", "shelter_emergency"),  # spaces and lower case, as typed
        ("8899CZ-PN-III", "psychological_counselling"),
        ("8790CR-MC-I", "shelter_residential"),
    ],
)
def test_nomenclature_code_gives_the_type(code, expected):
    r = only_row(**{"Tip serviciu": "", "Cod serviciu": code})
    assert r.status == "valid" and r.service.service_type == expected


def test_trafficking_code_marks_the_service_specialised():
    r = only_row(**{"Tip serviciu": "", "Cod serviciu": "8790CR-VTP-I"})
    assert r.service.service_type == "shelter_residential"
    assert r.service.trafficking_specialised


def test_out_of_scope_code_is_reported_on_its_row():
    r = only_row(**{"Tip serviciu": "", "Cod serviciu": "8730CR-V-I"})
    assert r.status == "out_of_scope"
    assert keys(r.problems) == ["import.row.out_of_scope"]
    assert "Cămine pentru persoane vârstnice" in r.problems[0].text("en")


def test_unknown_code_is_a_warning_and_the_type_column_still_counts():
    r = only_row(**{"Cod serviciu": "1234XX-Z"})
    assert r.status == "valid"
    assert keys(r.warnings) == ["import.warn.unknown_code"]


def test_unknown_code_without_a_type_is_invalid_and_warned():
    r = only_row(**{"Tip serviciu": "", "Cod serviciu": "1234XX-Z"})
    assert r.status == "invalid"
    assert keys(r.problems) == ["import.row.no_type"]
    assert keys(r.warnings) == ["import.warn.unknown_code"]


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("0264 123 456", "+40264123456"),
        ("+40 744 123 456", "+40744123456"),
        ("0040744123456", "+40744123456"),
        ("(0264) 123-456", "+40264123456"),
        ("264123456", "+40264123456"),  # Excel dropped the leading 0 of a number cell
    ],
)
def test_phones_are_stored_in_e164(typed, e164):
    assert only_row(Telefon=typed).service.intake_phone == e164


def test_second_phone_is_warned_not_lost_silently():
    r = only_row(Telefon="0264 123 456 / 0744 123 456")
    assert r.service.intake_phone == "+40264123456"
    assert keys(r.warnings) == ["import.warn.extra_phones"]
    assert "0744 123 456" in r.warnings[0].text("en")


@pytest.mark.parametrize("bad", ["123", "0264 12", "telefon"])
def test_bad_phone(bad):
    r = only_row(Telefon=bad)
    assert r.status == "invalid" and keys(r.problems) == ["import.row.phone"]
    assert r.problems[0].column == "phone"


@pytest.mark.parametrize("bad", ["contact@", "contact speranta.ro", "a@b"])
def test_bad_email(bad):
    r = only_row(Email=bad)
    assert r.status == "invalid" and keys(r.problems) == ["import.row.email"]


def test_formula_cell_is_refused():
    r = only_row(Denumire='=HYPERLINK("http://rau.example","Click")')
    assert r.status == "invalid"
    assert keys(r.problems) == ["import.row.formula"]
    assert r.problems[0].column == "service_name"
    assert "holds a formula" in r.problems[0].text("en")


@pytest.mark.parametrize("lead", ["+", "-", "@"])
def test_leading_formula_characters_in_text_are_neutralised(lead):
    r = only_row(Adresa=f"{lead}Str. Lungă 3")
    assert r.status == "valid"
    assert r.location.address_1 == "Str. Lungă nr. 3"  # the street line as the parser reads it
    assert keys(r.warnings) == ["import.warn.formula_prefix"]


def test_plus_in_a_phone_column_is_a_phone_not_a_formula():
    r = only_row(Telefon="+40264123456")
    assert r.status == "valid" and r.warnings == []


def test_reversed_ages():
    r = only_row(**{"Vârsta minimă": "17", "Vârsta maximă": "6"})
    assert r.status == "invalid"
    assert keys(r.problems) == ["import.row.ages_reversed"]
    assert "minimum age 17 is above the maximum age 6: swap them" in r.problems[0].text("en")


def test_ages_with_words_read():
    r = only_row(**{"Vârsta minimă": "12 ani", "Vârsta maximă": "18 ani"})
    assert (r.service.minimum_age, r.service.maximum_age) == (12, 18)


def test_age_out_of_range_is_the_models_reason_on_the_column():
    r = only_row(**{"Vârsta maximă": "40"})
    assert r.status == "invalid" and r.problems[0].column == "maximum_age"


def test_missing_name_and_provider():
    r = only_row(Denumire="", Furnizor="")
    assert r.status == "invalid"
    assert {(p.key, p.column) for p in r.problems} == {
        ("import.row.required", "organization"),
        ("import.row.required", "service_name"),
    }


def test_unknown_locality_suggests_places():
    r = only_row(Localitate="Xyzzy Qwerty", Județ="Cluj")
    assert r.status == "invalid" and keys(r.problems) == ["import.row.locality_not_found"]
    assert "no Romanian locality matches 'Xyzzy Qwerty'" in r.problems[0].text("en")


def _with_coords(lat: str, lon: str, **over: str):
    headers = [*HEADERS, "Latitudine", "Longitudine"]
    data = csv_text([[*row(0, **over), lat, lon]], headers=headers)
    report = preview(data.encode(), name="s.csv", data_dir=str(DATA_DIR))
    return report.rows[0]


def test_coordinates_with_decimal_comma_are_used():
    r = _with_coords("46,0701", "23,5701")
    assert r.status == "valid" and r.warnings == []
    assert (r.location.latitude, r.location.longitude) == (46.0701, 23.5701)
    assert r.location.geocode_precision == "manual"


def test_swapped_coordinates_are_swapped_back_with_a_warning():
    r = _with_coords("23.5701", "46.0701")
    assert (r.location.latitude, r.location.longitude) == (46.0701, 23.5701)
    assert keys(r.warnings) == ["import.warn.swapped_coordinates"]
    assert "Swap them in the file" in r.warnings[0].text("en")


def test_coordinates_outside_romania_fall_back_to_the_locality():
    r = _with_coords("48.8566", "2.3522")  # Paris
    assert r.status == "valid"
    assert keys(r.warnings) == ["import.warn.outside_romania_used_locality"]
    assert r.location.locality == "Alba Iulia" and r.location.geocode_precision != "manual"


def test_coordinates_outside_romania_and_no_locality_is_invalid():
    r = _with_coords("48.8566", "2.3522", Localitate="", Județ="")
    assert r.status == "invalid" and keys(r.problems) == ["import.row.outside_romania"]


def test_point_in_another_uat_is_warned():
    r = _with_coords("46.7712", "23.6236")  # Cluj-Napoca, but the row says Alba Iulia
    assert r.status == "valid"
    assert keys(r.warnings) == ["import.warn.point_outside_uat"]
    assert "Cluj-Napoca" in r.warnings[0].text("en")


def test_cedilla_names_still_geocode():
    text = cedillas(csv_text([row(0, Localitate="Bistrița", Județ="Bistrița-Năsăud")]))
    report = preview(text.encode("cp1250"), name="s.csv", data_dir=str(DATA_DIR))
    assert report.rows[0].location.locality == "Bistrița"
    assert report.rows[0].location.county_code == "BN"
