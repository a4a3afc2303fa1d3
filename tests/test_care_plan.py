"""Care plans, needs validation, and the store frame and the matcher agreeing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from directory import vocab
from directory.errors import ValidationError
from directory.models import ServiceAtLocation
from directory.storage.frame import services_frame
from matching.care_plan import care_plan
from matching.needs import AvoidArea
from matching.prepared import prepare
from matching.rank import rank

from .conftest import make_location, make_org, make_service
from .matching_support import (
    BUCURESTI,
    IASI,
    MINOR_SHELTER,
    POLICY,
    SHELTER,
    SQUARE,
    TODAY,
    VASLUI_GIRL,
    factor,
    ids,
    needs_of,
    offset,
    policy,
    prep,
    reasons_by_factor,
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Care plans


def plan_rows() -> list[dict]:
    shelter_at = offset(*BUCURESTI, north_km=40)
    there = (shelter_at["latitude"], shelter_at["longitude"])
    return [
        {"service_type": "psychological_counselling", **offset(*BUCURESTI, east_km=1)},  # s000
        {"service_type": "psychological_counselling", **offset(*there, east_km=1)},  # s001
        {"service_type": "shelter_emergency", **shelter_at},  # s002
        {"service_type": "legal_aid", **offset(*there, north_km=2)},  # s003
        {"service_type": "shelter_emergency", **offset(*BUCURESTI, north_km=60)},  # s004
    ]


def test_care_plan_anchors_on_the_shelter():
    p = prep(plan_rows())
    plan = care_plan(p, VASLUI_GIRL, POLICY)
    assert [item.need for item in plan.items] == list(VASLUI_GIRL.needs)
    shelter, legal, counselling = plan.items
    assert shelter.ranked_from == "origin"
    assert shelter.choice.service_at_location_id == "s002"
    assert plan.anchored_on_shelter
    assert plan.anchor == (p.lat[2], p.lon[2])
    assert legal.ranked_from == counselling.ranked_from == "shelter"
    # The counselling service next to the shelter beats the one next to where she was found.
    assert counselling.choice.service_at_location_id == "s001"
    assert counselling.choice.km == pytest.approx(1.0, abs=0.02)
    assert legal.choice.km == pytest.approx(2.0, abs=0.02)
    assert plan.total_km == pytest.approx(40 + 2 + 1, abs=0.1)
    assert plan.total_km == pytest.approx(sum(i.choice.km for i in plan.items))
    assert plan.total_minutes == pytest.approx(sum(i.choice.minutes for i in plan.items))
    assert plan.unmet == ()
    assert all(item.unmet_reason is None for item in plan.items)


def test_care_plan_order_puts_the_shelter_first():
    needs = replace(VASLUI_GIRL, needs=("legal_aid", "shelter_emergency"))
    plan = care_plan(prep(plan_rows()), needs, POLICY)
    assert [item.need for item in plan.items] == ["shelter_emergency", "legal_aid"]
    assert plan.items[1].ranked_from == "shelter"


def test_care_plan_without_shelter_starts_from_home():
    # The 13-year-old groomed online, living at home in Iași.
    needs = needs_of(age=13, needs=("psychological_counselling", "legal_aid", "family_support"))
    rows = [
        {"service_type": "psychological_counselling", "trafficking_specialised": True},
        {"service_type": "legal_aid", **offset(*IASI, east_km=3)},
        {"service_type": "family_support", **offset(*IASI, north_km=5)},
        {"service_type": "shelter_emergency"},
    ]
    plan = care_plan(prep(rows), needs, POLICY)
    assert not plan.anchored_on_shelter
    assert plan.anchor == IASI
    assert {item.ranked_from for item in plan.items} == {"origin"}
    assert [i.choice.service_at_location_id for i in plan.items] == ["s000", "s001", "s002"]
    assert plan.total_km == pytest.approx(8.0, abs=0.05)


def test_care_plan_picks_swap_to_the_next_candidate():
    p = prep(plan_rows())
    plan = care_plan(p, VASLUI_GIRL, POLICY, picks={"shelter_emergency": 1})
    shelter = plan.items[0]
    assert shelter.pick == 1
    assert shelter.choice.service_at_location_id == "s004"
    assert plan.anchor == (p.lat[4], p.lon[4])
    counselling = care_plan(p, VASLUI_GIRL, POLICY, picks={"psychological_counselling": 1}).items[2]
    assert counselling.choice.service_at_location_id == "s000"
    # A pick past the end stays on the last candidate rather than failing.
    assert care_plan(p, VASLUI_GIRL, POLICY, picks={"legal_aid": 9}).items[1].choice is not None


def test_care_plan_unmet_need_names_the_rule():
    rows = [
        {"service_type": "shelter_emergency", "capacity_status": "full"},
        {"service_type": "shelter_emergency", "capacity_status": "full"},
        {"service_type": "shelter_emergency", "minimum_age": 16},
        {"service_type": "legal_aid"},
    ]
    needs = needs_of(needs=("shelter_emergency", "legal_aid", "medical"))
    plan = care_plan(prep(rows), needs, POLICY)
    assert not plan.anchored_on_shelter
    assert plan.anchor == IASI
    shelter, legal, medical = plan.items
    assert shelter.choice is None
    assert shelter.unmet_reason.key == "plan.unmet.rule"
    assert shelter.unmet_reason.params == {"rule": "no_capacity", "count": 2}
    assert legal.ranked_from == "origin" and legal.choice is not None
    assert medical.unmet_reason.key == "plan.unmet.none"
    assert plan.unmet == ("shelter_emergency", "medical")
    assert plan.total_km == pytest.approx(legal.choice.km)


def test_unmet_reason_ignores_services_of_other_types():
    # Inactive services of another type fail "inactive" before "wrong_type"; they must not
    # be reported as the reason nothing of the needed type exists.
    rows = [{"service_type": "legal_aid", "status": "inactive"}] * 3
    plan = care_plan(prep(rows), needs_of(needs=("medical",)), POLICY)
    assert plan.items[0].unmet_reason.key == "plan.unmet.none"
    result = plan.items[0].result
    assert result.excluded() == ()
    assert len(result.excluded(needed_types_only=False)) == 3


def test_care_plan_rank_options_reach_every_need():
    stale = TODAY - timedelta(days=30)
    rows = [{**SHELTER, "capacity_status": "full", "capacity_as_of": stale}]
    assert care_plan(prep(rows), MINOR_SHELTER, POLICY).unmet == ()
    assert care_plan(prep(rows), MINOR_SHELTER, policy(capacity_stale_days=60)).unmet == (
        "shelter_emergency",
    )


# --------------------------------------------------------------------------------------
# Needs validation


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"age": 30}, "age"),
        ({"age": -1}, "age"),
        ({"needs": ()}, "needs"),
        ({"needs": ("babysitting",)}, "needs"),
        ({"needs": ("legal_aid", "legal_aid")}, "needs"),
        ({"languages": ("ron",)}, "languages"),
        ({"gender": "boy"}, "gender"),
        ({"urgency": "now"}, "urgency"),
        ({"exploitation": "unknown"}, "exploitation"),
        ({"requirements": ("pets",)}, "requirements"),
        ({"latitude": 48.86, "longitude": 2.35}, "origin"),  # Paris
        ({"max_km": 0}, "max_km"),
        ({"max_km": 1001}, "max_km"),
    ],
)
def test_needs_validation(change, field):
    with pytest.raises(ValidationError) as caught:
        needs_of(**change)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"latitude": 47.0},
        {"latitude": 47.0, "longitude": 27.0, "radius_km": 0.0},
        {"latitude": 47.0, "longitude": 27.0, "radius_km": 201.0},
        {"polygon": ((47.0, 27.0), (47.1, 27.0))},
        {"latitude": 47.0, "longitude": 27.0, "radius_km": 5.0, "polygon": SQUARE},
    ],
)
def test_avoid_area_validation(kw):
    with pytest.raises(ValidationError) as caught:
        AvoidArea(**kw)
    assert caught.value.field == "avoid"


# --------------------------------------------------------------------------------------
# Through the real store: the frame and the matcher agree


def test_store_frame_and_matcher_agree(store):
    friendly = vocab.CHILD_FRIENDLY_CRITERIA
    fresh = {"capacity_status": "available", "capacity_as_of": TODAY - timedelta(days=1)}
    b = BUCURESTI
    locations = [
        make_location(1, latitude=b[0], longitude=b[1], county_code="B", siruta=179132),
        make_location(2, **offset(*b, north_km=10), county_code="B", siruta=179132),
        make_location(3, **offset(*b, north_km=20), county_code="B", siruta=179132),
    ]
    services = [
        make_service(
            1,
            service_type="shelter_emergency",
            genders=("female",),
            child_friendly_criteria=friendly,
            languages=("ro", "rom"),
            emergency_intake_24_7=True,
            trafficking_specialised=True,
            assured_date=TODAY - timedelta(days=10),
            **fresh,
        ),
        make_service(
            2,
            service_type="shelter_emergency",
            genders=("male",),
            child_friendly_criteria=friendly,
            **fresh,
        ),
        make_service(
            3,
            service_type="shelter_emergency",
            child_friendly_criteria=friendly,
            capacity_status="full",
            capacity_as_of=TODAY - timedelta(days=2),
        ),
        make_service(4, service_type="shelter_emergency", **fresh),  # not child-friendly
        make_service(
            5,
            service_type="shelter_emergency",
            status="inactive",
            child_friendly_criteria=friendly,
            **fresh,
        ),
        make_service(
            6,
            service_type="legal_aid",
            child_friendly_criteria=friendly,
            languages=("hu",),
            interpretation_available=True,
        ),
        make_service(
            7,
            service_type="psychological_counselling",
            minimum_age=16,
            child_friendly_criteria=friendly,
        ),
    ]
    links = [ServiceAtLocation(f"sal-{i}", f"svc-{i}", f"loc-{1 + i % 3}") for i in range(1, 8)]
    store.bulk_insert([make_org(), *locations, *services, *links], actor="test")

    frame = services_frame(store, active_only=False)
    p = prepare(frame, TODAY)
    assert list(p.ids) == [f"sal-{i}" for i in range(1, 8)]
    plan = care_plan(p, VASLUI_GIRL, POLICY)
    shelter, legal, counselling = plan.items
    assert shelter.choice.service_at_location_id == "sal-1"
    assert shelter.choice.score == pytest.approx(1 - 0.3 * shelter.choice.km / 200)
    by_id = {e.service_at_location_id: e.rule for e in shelter.result.excluded()}
    assert by_id == {
        "sal-2": "gender",
        "sal-3": "no_capacity",
        "sal-4": "not_child_friendly",
        "sal-5": "inactive",
    }
    assert plan.anchored_on_shelter
    assert legal.choice.service_at_location_id == "sal-6"
    assert factor(legal.choice, "language") == 0.5
    assert reasons_by_factor(legal.result)[0]["capacity"].key == "reason.capacity.unknown"
    assert counselling.choice is None
    assert counselling.unmet_reason.params == {"rule": "age", "count": 1}
    # The default frame holds active services only; the matcher sees the same order.
    active = prepare(services_frame(store), TODAY)
    assert "sal-5" not in set(active.ids)
    assert ids(rank(active, VASLUI_GIRL.only("shelter_emergency"), POLICY)) == ["sal-1"]
