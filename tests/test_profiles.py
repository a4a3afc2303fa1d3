"""The five profiles of DESIGN.md §3 get a complete, sensible care plan from the demo directory."""

from __future__ import annotations

import pytest

from directory.storage.frame import services_frame
from matching.care_plan import care_plan
from matching.prepared import prepare
from matching.profiles import PROFILES

from .conftest import TODAY
from .matching_support import POLICY


@pytest.fixture(scope="module")
def prepared(demo_template):
    from directory.storage.store import Store

    with Store(demo_template) as store:  # read only
        return prepare(services_frame(store, details=True), TODAY)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_need_of_every_profile_is_met_nearby(prepared, name):
    plan = care_plan(prepared, PROFILES[name], POLICY)
    assert plan.unmet == ()
    for item in plan.items:
        assert item.choice.km <= 50, (item.need, item.choice.km)


def test_the_shelter_anchors_the_plan_only_when_one_is_needed(prepared):
    assert care_plan(prepared, PROFILES["vaslui_girl"], POLICY).anchored_on_shelter
    home = care_plan(prepared, PROFILES["iasi_online"], POLICY)
    assert not home.anchored_on_shelter
    assert {item.ranked_from for item in home.items} == {"origin"}


def test_the_hungarian_speaking_boy_gets_hungarian_or_an_interpreter(prepared):
    plan = care_plan(prepared, PROFILES["harghita_boy"], POLICY)
    for item in plan.items:
        language = dict(item.choice.factors)["language"]
        assert language >= 0.5, item.need
        assert prepared.serves_male[item.choice.row]


def test_the_unaccompanied_child_gets_a_shelter_that_accepts_them(prepared):
    shelter = care_plan(prepared, PROFILES["siret_ukraine"], POLICY).items[0]
    assert shelter.need == "shelter_emergency"
    assert prepared.unaccompanied[shelter.choice.row]


def test_the_young_mother_is_placed_with_her_child(prepared):
    shelter = care_plan(prepared, PROFILES["otopeni_mother"], POLICY).items[0]
    assert shelter.need == "shelter_residential"
    assert prepared.parent_with_child[shelter.choice.row]
