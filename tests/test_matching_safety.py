"""Matching safety on the true point (issue 12 item 6).

The avoid area (safety) sees where a confidential site really is, whoever looks; the maximum
distance (a preference) and everything shown see only its UAT seat, rounded and labelled.
"""

from __future__ import annotations

import numpy as np
import pytest

from directory.access.matching_view import CLI_VIEWER, MATCHING_VIEWERS, matching_view
from directory.errors import PermissionDeniedError, ValidationError
from directory.i18n import explain
from matching.needs import MIN_AVOID_RADIUS_KM, AvoidArea
from matching.rank import rank

from .conftest import TODAY
from .matching_support import IASI, POLICY, frame_of, needs_of, offset

SIRUTA = 95060  # any code: the test's own gazetteer maps it to the seat below
SEAT = IASI
# The shelter really lies 9 km east of its UAT seat; the seat is what others may be shown.
TRUE_POINT = offset(*SEAT, east_km=9.0)
SEATS = {SIRUTA: SEAT}
ROLES = sorted(MATCHING_VIEWERS)


def _directory(true_point: dict = TRUE_POINT, disclosure: str = "never"):
    """One confidential shelter and one public counselling service, with their real points."""
    frame = frame_of(
        [
            {"service_type": "shelter_emergency", **true_point},
            {"service_type": "psychological_counselling", **offset(*SEAT, north_km=30)},
        ]
    )
    frame["siruta"] = SIRUTA
    frame["disclosure"] = [disclosure, "public"]
    return frame


def _shelter_needs(**kw):
    return needs_of(needs=("shelter_emergency",), **kw)


@pytest.mark.parametrize("role", ROLES)
def test_avoid_circle_round_the_real_point_excludes_a_confidential_shelter(role):
    # The circle holds the real point but not the seat: tested on the seat, it would pass.
    avoid = AvoidArea(TRUE_POINT["latitude"], TRUE_POINT["longitude"], MIN_AVOID_RADIUS_KM)
    p = matching_view(_directory(), role, SEATS, TODAY)
    result = rank(p, _shelter_needs(avoid=avoid), POLICY)
    assert not result.matches
    (excluded,) = result.excluded()
    assert excluded.rule == "avoid_area"
    # Without the area it is a match: the area, not something else, excluded it.
    assert len(rank(p, _shelter_needs(), POLICY).matches) == 1


@pytest.mark.parametrize("role", ROLES)
def test_avoid_circle_round_the_seat_does_not_exclude_a_shelter_elsewhere(role):
    avoid = AvoidArea(SEAT[0], SEAT[1], 3.0)
    p = matching_view(_directory(), role, SEATS, TODAY)
    assert len(rank(p, _shelter_needs(avoid=avoid), POLICY).matches) == 1


def test_the_avoid_radius_is_at_least_two_km_and_a_polygon_as_large():
    with pytest.raises(ValidationError, match="between 2 and 200 km"):
        AvoidArea(SEAT[0], SEAT[1], 1.9)
    tiny = ((47.16, 27.58), (47.16, 27.59), (47.17, 27.59))  # about 0.4 km²
    with pytest.raises(ValidationError, match="at least 12.6 km²"):
        AvoidArea(polygon=tiny)
    assert AvoidArea(SEAT[0], SEAT[1], 2.0).radius_km == 2.0


@pytest.mark.parametrize("role", [CLI_VIEWER, "caseworker"])
def test_no_max_distance_reveals_more_than_the_uat_seat(role):
    """Whatever the slider says, the result depends on the seat only, not on the real point."""
    here = matching_view(_directory(TRUE_POINT), role, SEATS, TODAY)
    elsewhere = matching_view(_directory(offset(*SEAT, north_km=-7.0)), role, SEATS, TODAY)
    seen = set()
    for max_km in range(1, 41):
        needs = _shelter_needs(latitude=SEAT[0] + 0.2, longitude=SEAT[1], max_km=max_km)
        a, b = rank(here, needs, POLICY), rank(elsewhere, needs, POLICY)
        assert [(m.km, m.minutes, m.reasons) for m in a.matches] == [
            (m.km, m.minutes, m.reasons) for m in b.matches
        ], max_km
        assert [(e.rule, e.reason) for e in a.excluded()] == [
            (e.rule, e.reason) for e in b.excluded()
        ]
        seen.add(bool(a.matches))
    assert seen == {True, False}  # the slider did cross the seat's distance


def test_a_role_that_sees_the_site_exactly_ranks_on_its_real_point():
    p = matching_view(_directory(disclosure="partners"), "caseworker", SEATS, TODAY)
    (match,) = rank(p, _shelter_needs(latitude=SEAT[0], longitude=SEAT[1]), POLICY).matches
    assert not match.approximate
    assert match.km == pytest.approx(9.0, abs=0.1)


def test_a_generalised_distance_is_rounded_and_labelled_approximate():
    p = matching_view(_directory(), "caseworker", SEATS, TODAY)
    # From the seat itself: exactly 0 km to the generalised point, never shown as "0.0 km".
    needs = _shelter_needs(latitude=SEAT[0], longitude=SEAT[1])
    (match,) = rank(p, needs, POLICY).matches
    assert match.approximate
    assert match.km == POLICY.approximate_km_step
    distance = match.reasons[0]
    assert distance.key == "reason.distance_approximate"
    assert "approximate" in explain(distance, "en")
    assert "aproximativ" in explain(distance, "ro")
    assert "0.0" not in explain(distance, "en")
    # From 23 km away: shown as 25 km, the minutes scaled to the rounded km.
    far = rank(p, _shelter_needs(**offset(*SEAT, north_km=23.0)), POLICY).matches[0]
    assert (far.km, far.approximate) == (25.0, True)
    assert far.minutes == pytest.approx(25.0 * 1.26 / 50 * 60)
    too_far = rank(p, _shelter_needs(**offset(*SEAT, north_km=23.0), max_km=10), POLICY)
    assert explain(too_far.excluded()[0].reason, "en").startswith("≈25 km")


def test_prepared_arrays_keep_the_true_point_out_of_the_frame():
    p = matching_view(_directory(), "caseworker", SEATS, TODAY)
    assert p.frame.loc[0, "latitude"] == SEAT[0]
    assert p.frame.loc[0, "location_precision"] == "generalised"
    assert not np.isin(TRUE_POINT["longitude"], p.frame.select_dtypes(float).to_numpy()).any()
    assert p.true_lon[0] == TRUE_POINT["longitude"]  # only the prepared arrays hold it


def test_the_partner_role_does_not_match():
    with pytest.raises(PermissionDeniedError, match="partner role does not run matching"):
        matching_view(_directory(), "partner", SEATS, TODAY)


def test_a_generalised_frame_without_its_true_points_is_refused():
    from directory.access.disclosure import generalise
    from matching.prepared import prepare

    with pytest.raises(ValueError, match="true points"):
        prepare(generalise(_directory(), "caseworker", SEATS), TODAY)
