"""Matching: each hard rule, rule precedence, ties and order."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matching.needs import AvoidArea
from matching.prepared import prepare
from matching.rank import rank
from matching.rules import RULE_NAMES

from .matching_support import (
    IASI,
    MINOR_SHELTER,
    NORTH_100KM,
    POLICY,
    SHELTER,
    SQUARE,
    TODAY,
    frame_of,
    ids,
    needs_of,
    only_rule,
    policy,
    prep,
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Hard rules, one row each


@pytest.mark.parametrize(
    ("service", "needs", "rule"),
    [
        ({"status": "inactive"}, needs_of(), "inactive"),
        ({"status": "temporarily closed"}, needs_of(), "inactive"),
        ({"minimum_age": 16}, needs_of(age=15), "age"),
        ({"maximum_age": 14}, needs_of(age=15), "age"),
        ({"serves_male": False}, needs_of(gender="male"), "gender"),
        ({"serves_female": False}, needs_of(gender="female"), "gender"),
        (SHELTER, replace(MINOR_SHELTER, requirements=("unaccompanied",)), "unaccompanied"),
        (SHELTER, replace(MINOR_SHELTER, requirements=("with_parent",)), "with_parent"),
        ({}, needs_of(requirements=("wheelchair",)), "wheelchair"),
        ({"child_friendly": False}, needs_of(age=17), "not_child_friendly"),
        ({**SHELTER, "capacity_status": "full"}, MINOR_SHELTER, "no_capacity"),
        ({**SHELTER, "capacity_status": "waitlist"}, MINOR_SHELTER, "no_capacity"),
        ({}, needs_of(avoid=AvoidArea(IASI[0], IASI[1], 5.0)), "avoid_area"),
        ({}, needs_of(avoid=AvoidArea(polygon=SQUARE)), "avoid_area"),
        (NORTH_100KM, needs_of(max_km=50), "too_far"),
        ({"latitude": np.nan, "longitude": np.nan}, needs_of(), "too_far"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_hard_rule_excludes_with_its_name(service, needs, rule):
    outcome = only_rule([service], needs)
    assert outcome is not None, f"expected rule {rule}"
    result, excluded = outcome
    assert excluded.rule == rule
    assert excluded.reason.key == f"rule.{rule}"
    assert result.excluded()[0].rule == rule  # the service is of a needed type
    assert result.excluded_counts() == {rule: 1}
    assert not result.matches


@pytest.mark.parametrize(
    ("service", "needs"),
    [
        # The requirements about placement apply to shelters only.
        ({}, needs_of(requirements=("unaccompanied", "with_parent"))),
        # A person of 18 or more is not held to child-friendly services.
        ({"child_friendly": False, "maximum_age": 25}, needs_of(age=18)),
        ({"child_friendly": False, "maximum_age": 25}, needs_of(age=25)),
        # Capacity excludes shelters only: a full counselling service still matches.
        ({"capacity_status": "full"}, needs_of()),
        ({"capacity_status": "waitlist"}, needs_of()),
        # A waitlist shelter matches when the caseworker accepts a waitlist...
        ({**SHELTER, "capacity_status": "waitlist"}, replace(MINOR_SHELTER, accept_waitlist=True)),
        # ...and an unaccompanied child finds a shelter that accepts them.
        (
            {**SHELTER, "accepts_unaccompanied_minors": True},
            replace(MINOR_SHELTER, requirements=("unaccompanied",)),
        ),
        ({"wheelchair": True}, needs_of(requirements=("wheelchair",))),
        ({"serves_male": False}, needs_of(gender=None)),
        ({"minimum_age": 15, "maximum_age": 15}, needs_of(age=15)),  # bounds are inclusive
        (NORTH_100KM, needs_of(max_km=150)),
        # Just outside a 5 km circle, and outside the polygon.
        ({"latitude": IASI[0] + 0.06}, needs_of(avoid=AvoidArea(IASI[0], IASI[1], 5.0))),
        ({"latitude": 47.35}, needs_of(avoid=AvoidArea(polygon=SQUARE))),
    ],
)
def test_services_that_pass_every_rule(service, needs):
    result = rank(prep([service]), needs, POLICY)
    assert ids(result) == ["s000"]
    assert result.excluded(needed_types_only=False) == ()


def test_full_shelter_excluded_but_full_with_waitlist_still_excluded():
    p = prep([{**SHELTER, "capacity_status": "full"}])
    result = rank(p, replace(MINOR_SHELTER, accept_waitlist=True), POLICY)
    assert [e.rule for e in result.excluded()] == ["no_capacity"]
    assert result.excluded()[0].reason.params["status"] == "full"


def test_wrong_type_is_hidden_from_excluded_by_default():
    result = rank(prep([{"service_type": "medical"}]), needs_of(), POLICY)
    assert result.matches == ()
    assert result.excluded() == ()
    (excluded,) = result.excluded(needed_types_only=False)
    assert excluded.rule == "wrong_type"
    assert excluded.service_type == "medical"


def test_excluded_reason_values():
    p = prep([{"minimum_age": 16, "maximum_age": 17}, {**NORTH_100KM}])
    result = rank(p, needs_of(age=15, max_km=50), POLICY)
    by_id = {e.service_at_location_id: e for e in result.excluded()}
    assert by_id["s000"].reason.params == {"km": 0.0, "min": 16, "max": 17, "age": 15}
    assert by_id["s001"].reason.params["max_km"] == 50
    assert by_id["s001"].reason.params["km"] == pytest.approx(100.1, abs=0.2)
    assert [e.service_at_location_id for e in result.excluded()] == ["s000", "s001"]  # nearest


def test_excluded_limit_and_order_by_distance():
    rows = [{"status": "inactive", "latitude": IASI[0] + 0.1 * k} for k in (3, 1, 2)]
    result = rank(prep(rows), needs_of(), POLICY)
    assert [e.service_at_location_id for e in result.excluded()] == ["s001", "s002", "s000"]
    assert [e.service_at_location_id for e in result.excluded(limit=2)] == ["s001", "s002"]


@pytest.mark.parametrize(
    ("service", "needs", "rule"),
    [
        # Every rule is tested, in order, against a service that also fails a later one.
        ({"status": "inactive", "service_type": "medical"}, needs_of(), "inactive"),
        ({"service_type": "medical", "minimum_age": 16}, needs_of(), "wrong_type"),
        ({"minimum_age": 16, "serves_female": False}, needs_of(gender="female"), "age"),
        (
            {**SHELTER, "serves_female": False},
            replace(MINOR_SHELTER, gender="female", requirements=("unaccompanied",)),
            "gender",
        ),
        (
            {**SHELTER, "wheelchair": False},
            replace(MINOR_SHELTER, requirements=("wheelchair", "unaccompanied")),
            "unaccompanied",
        ),
        ({"child_friendly": False}, needs_of(requirements=("wheelchair",)), "wheelchair"),
        (
            {**SHELTER, "child_friendly": False, "capacity_status": "full"},
            MINOR_SHELTER,
            "not_child_friendly",
        ),
        (
            {**SHELTER, "capacity_status": "full"},
            replace(MINOR_SHELTER, avoid=AvoidArea(IASI[0], IASI[1], 5.0)),
            "no_capacity",
        ),
        (
            {"latitude": 48.0},
            needs_of(
                max_km=50, avoid=AvoidArea(polygon=((47.9, 27.0), (47.9, 28.0), (48.1, 27.5)))
            ),
            "avoid_area",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_first_failing_rule_in_table_order_is_reported(service, needs, rule):
    result, excluded = only_rule([service], needs)
    assert excluded.rule == rule


def test_rules_table_order():
    assert RULE_NAMES == (
        "inactive",
        "wrong_type",
        "age",
        "gender",
        "unaccompanied",
        "with_parent",
        "wheelchair",
        "interpreter",
        "not_child_friendly",
        "no_capacity",
        "avoid_area",
        "too_far",
    )


def test_excluded_counts_name_the_first_rule_per_service():
    rows = [
        {"status": "inactive"},
        {"minimum_age": 16},
        {"minimum_age": 16, "child_friendly": False},
        {"child_friendly": False},
        {},
    ]
    result = rank(prep(rows), needs_of(), POLICY)
    assert result.excluded_counts() == {"inactive": 1, "age": 2, "not_child_friendly": 1}
    assert ids(result) == ["s004"]


# --------------------------------------------------------------------------------------
# Order and ties


def test_identical_services_keep_frame_order_every_time():
    p = prep([{}, {}, {}])
    first = rank(p, needs_of(), POLICY)
    assert ids(first) == ["s000", "s001", "s002"]
    assert len({m.score for m in first.matches}) == 1
    for _ in range(5):
        again = rank(p, needs_of(), POLICY)
        assert [(m.service_at_location_id, m.score) for m in again.matches] == [
            (m.service_at_location_id, m.score) for m in first.matches
        ]


def test_tie_break_is_row_not_id():
    frame = frame_of([{}, {}]).iloc[::-1].reset_index(drop=True)  # s001 is now row 0
    assert ids(rank(prepare(frame, TODAY), needs_of(), POLICY)) == ["s001", "s000"]


def test_equal_score_different_distance_orders_nearer_first():
    lat, _ = IASI
    # A better service farther away beats a nearer one: score comes before distance.
    rows = [{"latitude": lat + 0.01, "trafficking_specialised": True}, {}]
    assert ids(rank(prep(rows), needs_of(), POLICY)) == ["s000", "s001"]
    # 0.1 mm apart: the scores are equal to the 9 places the order compares, so the nearer
    # service comes first even though it is the later row.
    rows = [{"latitude": lat + 1e-9}, {}]
    result = rank(prep(rows), needs_of(), POLICY)
    a, b = result.matches
    assert round(a.score, 9) == round(b.score, 9)
    assert a.km < b.km
    assert ids(result) == ["s001", "s000"]


def test_score_beats_distance():
    rows = [{"latitude": IASI[0] + 0.2}, {"latitude": IASI[0] + 0.2, "languages": ",hu,"}]
    result = rank(prep([*rows, {"languages": ",hu,"}]), needs_of(), POLICY)
    assert ids(result)[0] == "s000"


def test_limit():
    p = prep([{"latitude": IASI[0] + 0.01 * k} for k in range(10)])
    assert ids(rank(p, needs_of(), policy(limit=3))) == ["s000", "s001", "s002"]
    assert len(rank(p, needs_of(), POLICY).matches) == 10
