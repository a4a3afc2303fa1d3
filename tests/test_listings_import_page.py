"""The import tab of the Listings page under AppTest: the column mapping speaks the user's
language, keeps Punte's field keys, and can be corrected when a needed column is missing."""

from __future__ import annotations

import pytest

from .test_listings_page import LISTINGS
from .test_pages import page

# No column is recognised as the provider's name: the coordinator has to say which one is.
FILE = "Denumire;Localitate;Județ;Tip serviciu;Coloana mea\n".encode() + (
    "Centrul Speranța;Cluj-Napoca;Cluj;asistență juridică;Asociația Speranța\n".encode()
)
MAP_KEY = "listings_import_map_{}_{}"


@pytest.mark.parametrize(
    ("lang", "organization", "locality", "ignored", "missing"),
    [
        ("ro", "Denumire furnizor", "Localitate", "(nu se importă)", "nu are coloană"),
        ("en", "Organisation name", "Locality", "(not imported)", "has no column"),
    ],
)
def test_mapping_selects_show_translated_labels_and_keep_field_keys(
    monkeypatch, demo_db, lang, organization, locality, ignored, missing
):
    at = page(monkeypatch, demo_db, LISTINGS, role="coordinator", lang=lang)
    at.file_uploader(key="listings_import_file").set_value(("parteneri.csv", FILE, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]  # the provider column is missing, said in words...
    assert missing in error and organization in error and "--columns" not in error
    name = at.selectbox(key=MAP_KEY.format(0, "Denumire"))
    town = at.selectbox(key=MAP_KEY.format(1, "Localitate"))
    mine = at.selectbox(key=MAP_KEY.format(4, "Coloana mea"))
    # ...and the mapping is there to correct it, in words, storing the field keys.
    assert (name.value, town.value, mine.value) == ("service_name", "locality", "")
    assert locality in town.options and ignored in mine.options
    assert organization in mine.options and "organization" not in mine.options
    assert not [o for o in mine.options if "_" in o]  # no raw key such as service_type
    mine.set_value("organization").run()
    at.button(key="listings_import_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error
    counts = " ".join(i.value for i in at.info)
    assert "1" in counts
    assert at.button(key="listings_import_commit")
