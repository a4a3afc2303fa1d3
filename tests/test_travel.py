"""The travel seam: one origin to many places, km, minutes and how each was obtained."""

from __future__ import annotations

import numpy as np
import pytest

from travel import METHODS, STRAIGHT_LINE, Places, great_circle_km, legs
from travel.straight_line import AVERAGE_KMH, ROAD_FACTOR

IASI = (47.1585, 27.6014)
VASLUI = (46.6407, 27.7276)
CLUJ = (46.7712, 23.6236)


def test_legs_to_many_places_say_how_they_were_obtained():
    places = Places.of(np.array([VASLUI[0], CLUJ[0], np.nan]), np.array([VASLUI[1], CLUJ[1], 0]))
    trip = legs(IASI, places)
    assert len(trip) == 3
    # Iași–Vaslui is about 58 km and Iași–Cluj about 305 km as the crow flies.
    assert trip.km[0] == pytest.approx(58.5, abs=1.5)
    assert trip.km[1] == pytest.approx(305, abs=5)
    assert np.isnan(trip.km[2]) and np.isnan(trip.minutes[2])
    assert trip.minutes[1] == pytest.approx(trip.km[1] * ROAD_FACTOR / AVERAGE_KMH * 60)
    assert [METHODS[m] for m in trip.method] == [STRAIGHT_LINE] * 3


def test_legs_to_some_rows_follow_the_rows_order():
    lats, lons = np.array([VASLUI[0], CLUJ[0]]), np.array([VASLUI[1], CLUJ[1]])
    places = Places.of(lats, lons)
    both = legs(IASI, places)
    assert list(legs(IASI, places, np.array([1, 0])).km) == [both.km[1], both.km[0]]
    assert legs(IASI, places).km == pytest.approx(great_circle_km(*IASI, lats, lons))


def test_a_place_is_zero_km_from_itself():
    trip = legs(IASI, Places.of(np.array([IASI[0]]), np.array([IASI[1]])))
    assert trip.km[0] == pytest.approx(0, abs=1e-9) and trip.minutes[0] == pytest.approx(0)
