"""Pin checks: outside Romania, outside the chosen county, far from the geocoded locality."""

from __future__ import annotations

import pytest

from directory.listings.pin import distance_km, pin_warnings
from directory.places.geocoder import shared_geocoder

from ..conftest import DATA_DIR

TURDA = (46.5667, 23.7833)


@pytest.mark.parametrize(
    ("point", "county", "anchor", "keys"),
    [
        (TURDA, "CJ", TURDA, []),
        (TURDA, "AB", None, ["pin.outside_county"]),
        ((46.77, 23.59), "CJ", TURDA, ["pin.far"]),  # Cluj-Napoca, about 30 km from Turda
        ((48.85, 2.35), "CJ", TURDA, ["pin.outside_romania"]),
    ],
)
def test_pin_warnings(point, county, anchor, keys):
    found = pin_warnings(shared_geocoder(str(DATA_DIR)), point, county, anchor, "Turda")
    assert [w.key for w in found] == keys


def test_the_far_warning_names_the_distance_in_both_languages():
    (w,) = pin_warnings(shared_geocoder(str(DATA_DIR)), (46.77, 23.59), "CJ", TURDA, "Turda")
    assert w.text("en").startswith(f"The pin is {round(distance_km((46.77, 23.59), TURDA), 1)} km")
    assert w.text("ro").startswith("Reperul este la")
