"""The pure matcher: hard rules, soft score, ties, staleness, care plans, and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory import vocab
from directory.errors import ValidationError
from directory.frame import services_frame
from directory.models import ServiceAtLocation
from matching.care_plan import care_plan
from matching.geo import haversine_km
from matching.needs import AvoidArea, Needs
from matching.prepared import prepare
from matching.profiles import PROFILES
from matching.rank import rank
from matching.rules import FACTORS, RULE_NAMES

from .conftest import TODAY, make_location, make_org, make_service

IASI = (47.16, 27.58)
BUCURESTI = (44.4268, 26.1025)

# Exactly the columns prepare() reads, with the defaults each test departs from.
DEFAULTS: dict[str, object] = {
    "service_type": "legal_aid",
    "status": "active",
    "latitude": IASI[0],
    "longitude": IASI[1],
    "minimum_age": 0,
    "maximum_age": 17,
    "languages": ",ro,",
    "serves_female": True,
    "serves_male": True,
    "child_friendly": True,
    "interpretation_available": False,
    "trafficking_specialised": False,
    "accepts_unaccompanied_minors": False,
    "accepts_parent_with_child": False,
    "emergency_intake_24_7": False,
    "wheelchair": False,
    "capacity_status": "available",
    "capacity_as_of": TODAY - timedelta(days=1),
    "assured_date": TODAY - timedelta(days=10),
}
_FLOATS = ("latitude", "longitude", "minimum_age", "maximum_age")
_BOOLS = tuple(k for k, v in DEFAULTS.items() if isinstance(v, bool))
_DATES = ("capacity_as_of", "assured_date")
_CATEGORIES = ("service_type", "status", "languages", "capacity_status")


def frame_of(rows: list[dict]) -> pd.DataFrame:
    """A services frame shaped like directory.frame's, ids s000, s001... in row order."""
    full = [
        {"service_at_location_id": f"s{i:03d}", **DEFAULTS, **row} for i, row in enumerate(rows)
    ]
    columns = ["service_at_location_id", *DEFAULTS]
    frame = pd.DataFrame(full, columns=columns)
    frame["service_at_location_id"] = frame["service_at_location_id"].astype(object)
    for name in _FLOATS:
        frame[name] = frame[name].astype(float)
    for name in _BOOLS:
        frame[name] = frame[name].astype(bool)
    for name in _DATES:
        frame[name] = pd.to_datetime(frame[name])
    for name in _CATEGORIES:
        frame[name] = frame[name].astype(object).astype("category")
    return frame


def prep(rows: list[dict]):
    return prepare(frame_of(rows), TODAY)


def needs_of(**kw) -> Needs:
    values: dict[str, object] = {
        "latitude": IASI[0],
        "longitude": IASI[1],
        "age": 15,
        "needs": ("legal_aid",),
    }
    return Needs(**{**values, **kw})


def ids(result) -> list[str]:
    return [m.service_at_location_id for m in result.matches]


def only_rule(rows: list[dict], needs: Needs, **opts):
    """The rule that excluded the single service, checking excluded() and matches agree."""
    result = rank(prep(rows), needs, **opts)
    if result.matches:
        assert not result.excluded(needed_types_only=False)
        return None
    (excluded,) = result.excluded(needed_types_only=False)
    assert excluded.service_at_location_id == "s000"
    return result, excluded


# --------------------------------------------------------------------------------------
# Hard rules, one row each


SHELTER = {"service_type": "shelter_emergency"}
NORTH_100KM = {"latitude": IASI[0] + 0.9}  # ~100 km north of Iași, still in Romania
SQUARE = ((47.0, 27.4), (47.0, 27.8), (47.3, 27.8), (47.3, 27.4))
MINOR_SHELTER = needs_of(needs=("shelter_emergency",))


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
    result = rank(prep([service]), needs)
    assert ids(result) == ["s000"]
    assert result.excluded(needed_types_only=False) == ()


def test_full_shelter_excluded_but_full_with_waitlist_still_excluded():
    p = prep([{**SHELTER, "capacity_status": "full"}])
    result = rank(p, replace(MINOR_SHELTER, accept_waitlist=True))
    assert [e.rule for e in result.excluded()] == ["no_capacity"]
    assert result.excluded()[0].reason.params["status"] == "full"


def test_wrong_type_is_hidden_from_excluded_by_default():
    result = rank(prep([{"service_type": "medical"}]), needs_of())
    assert result.matches == ()
    assert result.excluded() == ()
    (excluded,) = result.excluded(needed_types_only=False)
    assert excluded.rule == "wrong_type"
    assert excluded.service_type == "medical"


def test_excluded_reason_values():
    p = prep([{"minimum_age": 16, "maximum_age": 17}, {**NORTH_100KM}])
    result = rank(p, needs_of(age=15, max_km=50))
    by_id = {e.service_at_location_id: e for e in result.excluded()}
    assert by_id["s000"].reason.params == {"km": 0.0, "min": 16, "max": 17, "age": 15}
    assert by_id["s001"].reason.params["max_km"] == 50
    assert by_id["s001"].reason.params["km"] == pytest.approx(100.1, abs=0.2)
    assert [e.service_at_location_id for e in result.excluded()] == ["s000", "s001"]  # nearest


def test_excluded_limit_and_order_by_distance():
    rows = [{"status": "inactive", "latitude": IASI[0] + 0.1 * k} for k in (3, 1, 2)]
    result = rank(prep(rows), needs_of())
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
    result = rank(prep(rows), needs_of())
    assert result.excluded_counts() == {"inactive": 1, "age": 2, "not_child_friendly": 1}
    assert ids(result) == ["s004"]


# --------------------------------------------------------------------------------------
# Order and ties


def test_identical_services_keep_frame_order_every_time():
    p = prep([{}, {}, {}])
    first = rank(p, needs_of())
    assert ids(first) == ["s000", "s001", "s002"]
    assert len({m.score for m in first.matches}) == 1
    for _ in range(5):
        again = rank(p, needs_of())
        assert [(m.service_at_location_id, m.score) for m in again.matches] == [
            (m.service_at_location_id, m.score) for m in first.matches
        ]


def test_tie_break_is_row_not_id():
    frame = frame_of([{}, {}]).iloc[::-1].reset_index(drop=True)  # s001 is now row 0
    assert ids(rank(prepare(frame, TODAY), needs_of())) == ["s001", "s000"]


def test_equal_score_different_distance_orders_nearer_first():
    lat, _ = IASI
    # A better service farther away beats a nearer one: score comes before distance.
    rows = [{"latitude": lat + 0.01, "trafficking_specialised": True}, {}]
    assert ids(rank(prep(rows), needs_of())) == ["s000", "s001"]
    # 0.1 mm apart: the scores are equal to the 9 places the order compares, so the nearer
    # service comes first even though it is the later row.
    rows = [{"latitude": lat + 1e-9}, {}]
    result = rank(prep(rows), needs_of())
    a, b = result.matches
    assert round(a.score, 9) == round(b.score, 9)
    assert a.km < b.km
    assert ids(result) == ["s001", "s000"]


def test_score_beats_distance():
    rows = [{"latitude": IASI[0] + 0.2}, {"latitude": IASI[0] + 0.2, "languages": ",hu,"}]
    result = rank(prep([*rows, {"languages": ",hu,"}]), needs_of())
    assert ids(result)[0] == "s000"


def test_limit():
    p = prep([{"latitude": IASI[0] + 0.01 * k} for k in range(10)])
    assert ids(rank(p, needs_of(), limit=3)) == ["s000", "s001", "s002"]
    assert len(rank(p, needs_of()).matches) == 10


# --------------------------------------------------------------------------------------
# Capacity freshness


def factor(match, name: str) -> float:
    return dict(match.factors)[name]


def reasons_by_factor(result) -> list[dict[str, object]]:
    names = [f.name for f in FACTORS if f.applies(result.needs)]
    return [dict(zip(names, m.reasons)) for m in result.matches]


@pytest.mark.parametrize(
    ("status", "days", "score", "key"),
    [
        ("available", 1, 1.0, "reason.capacity.available"),
        ("available", 14, 1.0, "reason.capacity.available"),
        ("available", 15, 0.4, "reason.capacity.stale"),
        ("available", 30, 0.4, "reason.capacity.stale"),
        ("available", None, 0.4, "reason.capacity.unknown"),
        ("unknown", None, 0.4, "reason.capacity.unknown"),
        ("waitlist", 1, 0.2, "reason.capacity.waitlist"),
        ("full", 1, 0.0, "reason.capacity.full"),
        ("full", 30, 0.4, "reason.capacity.stale"),
    ],
)
def test_capacity_factor_and_staleness(status, days, score, key):
    as_of = None if days is None else TODAY - timedelta(days=days)
    result = rank(prep([{"capacity_status": status, "capacity_as_of": as_of}]), needs_of())
    (match,) = result.matches
    assert factor(match, "capacity") == score
    (reasons,) = reasons_by_factor(result)
    assert reasons["capacity"].key == key
    if key == "reason.capacity.stale":
        assert reasons["capacity"].params == {"days": days}


def test_stale_full_shelter_reads_unknown_and_is_not_excluded():
    stale = TODAY - timedelta(days=30)
    p = prep([{**SHELTER, "capacity_status": "full", "capacity_as_of": stale}])
    (match,) = rank(p, MINOR_SHELTER, capacity_stale_days=14).matches
    assert factor(match, "capacity") == 0.4
    # With a longer freshness window the same report is believed, and excludes the shelter.
    result = rank(p, MINOR_SHELTER, capacity_stale_days=60)
    assert result.matches == ()
    assert result.excluded()[0].rule == "no_capacity"


@pytest.mark.parametrize(
    ("assured", "score", "key"),
    [
        (10, 1.0, "reason.verified.recent"),
        (400, 0.3, "reason.verified.stale"),
        (None, 0.0, "reason.verified.never"),
    ],
)
def test_verified_factor(assured, score, key):
    when = None if assured is None else TODAY - timedelta(days=assured)
    result = rank(prep([{"assured_date": when}]), needs_of())
    assert factor(result.matches[0], "verified") == score
    assert reasons_by_factor(result)[0]["verified"].key == key


# --------------------------------------------------------------------------------------
# Language, urgency, weights


@pytest.mark.parametrize(
    ("languages", "interpreter", "child", "score", "key"),
    [
        (",ro,", False, ("ro",), 1.0, "reason.language.speaks"),
        (",hu,ro,", False, ("rom", "ro"), 1.0, "reason.language.speaks"),
        (",hu,", True, ("ro",), 0.5, "reason.language.interpreter"),
        (",hu,", False, ("ro",), 0.0, "reason.language.none"),
        (",rom,", True, ("rom",), 1.0, "reason.language.speaks"),
        (",romx,", False, ("rom",), 0.0, "reason.language.none"),  # whole codes only
        (None, True, ("ro",), 0.5, "reason.language.interpreter"),
        (None, False, ("ro",), 0.0, "reason.language.none"),
    ],
)
def test_language_factor(languages, interpreter, child, score, key):
    row = {"languages": languages, "interpretation_available": interpreter}
    result = rank(prep([row]), needs_of(languages=child))
    assert factor(result.matches[0], "language") == score
    reason = reasons_by_factor(result)[0]["language"]
    assert reason.key == key
    if key == "reason.language.speaks":
        assert reason.params["languages"] == ", ".join(
            c for c in child if f",{c}," in (languages or "")
        )


def test_language_order_speaks_interpreter_none():
    rows = [
        {"languages": ",hu,"},
        {"languages": ",hu,", "interpretation_available": True},
        {"languages": ",hu,ro,"},
    ]
    assert ids(rank(prep(rows), needs_of())) == ["s002", "s001", "s000"]


@pytest.mark.parametrize(
    ("urgency", "applies"), [("emergency", True), ("urgent", False), ("routine", False)]
)
def test_intake_24_7_only_for_emergencies(urgency, applies):
    rows = [{}, {"emergency_intake_24_7": True, "latitude": IASI[0] + 0.05}]
    result = rank(prep(rows), needs_of(urgency=urgency))
    names = [name for name, _ in result.matches[0].factors]
    assert ("intake_24_7" in names) is applies
    assert len(result.matches[0].reasons) == len(names)
    # When it applies, 24/7 intake outweighs 5 km; otherwise the nearer service wins.
    assert ids(result)[0] == ("s001" if applies else "s000")
    if applies:
        keys = {
            m.service_at_location_id: reasons_by_factor(result)[k]["intake_24_7"].key
            for k, m in enumerate(result.matches)
        }
        assert keys == {"s000": "reason.intake.no", "s001": "reason.intake.yes"}


PERFECT = {"trafficking_specialised": True, "emergency_intake_24_7": True}


@pytest.mark.parametrize("urgency", ["emergency", "routine"])
def test_perfect_service_scores_one(urgency):
    (match,) = rank(prep([PERFECT]), needs_of(urgency=urgency)).matches
    assert match.score == pytest.approx(1.0)
    assert all(value == 1.0 for _, value in match.factors)


def test_score_is_weighted_mean_of_applicable_factors():
    rows = [{"languages": ",hu,", "interpretation_available": True, "latitude": IASI[0] + 0.45}]
    result = rank(prep(rows), needs_of(urgency="routine", max_km=100))
    (match,) = result.matches
    weights = {f.name: f.weight for f in FACTORS if f.applies(result.needs)}
    expected = sum(weights[n] * v for n, v in match.factors) / sum(weights.values())
    assert match.score == pytest.approx(expected)
    values = dict(match.factors)
    assert values["distance"] == pytest.approx(1 - match.km / 100)
    assert values["language"] == 0.5
    assert values["trafficking"] == 0.0
    assert 0 < match.score < 1


def test_distance_reason_and_minutes():
    result = rank(prep([{"latitude": IASI[0] + 0.45}]), needs_of())
    (match,) = result.matches
    assert match.km == pytest.approx(
        float(haversine_km(*IASI, np.array([IASI[0] + 0.45]), np.array([IASI[1]]))[0])
    )
    assert match.minutes == pytest.approx(match.km * 1.26 / 50 * 60)
    reason = reasons_by_factor(result)[0]["distance"]
    assert reason.key == "reason.distance"
    assert reason.params["km"] == round(match.km, 1)
    assert reason.params["minutes"] % 5 == 0


def test_empty_frame():
    result = rank(prep([]), needs_of())
    assert result.matches == () and result.excluded() == () and result.excluded_counts() == {}


# --------------------------------------------------------------------------------------
# Care plans


def offset(lat: float, lon: float, north_km: float = 0.0, east_km: float = 0.0) -> dict:
    return {
        "latitude": lat + north_km / 111.2,
        "longitude": lon + east_km / (111.2 * np.cos(np.radians(lat))),
    }


VASLUI_GIRL = PROFILES["vaslui_girl"]


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
    plan = care_plan(p, VASLUI_GIRL)
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
    plan = care_plan(prep(plan_rows()), needs)
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
    plan = care_plan(prep(rows), needs)
    assert not plan.anchored_on_shelter
    assert plan.anchor == IASI
    assert {item.ranked_from for item in plan.items} == {"origin"}
    assert [i.choice.service_at_location_id for i in plan.items] == ["s000", "s001", "s002"]
    assert plan.total_km == pytest.approx(8.0, abs=0.05)


def test_care_plan_picks_swap_to_the_next_candidate():
    p = prep(plan_rows())
    plan = care_plan(p, VASLUI_GIRL, picks={"shelter_emergency": 1})
    shelter = plan.items[0]
    assert shelter.pick == 1
    assert shelter.choice.service_at_location_id == "s004"
    assert plan.anchor == (p.lat[4], p.lon[4])
    counselling = care_plan(p, VASLUI_GIRL, picks={"psychological_counselling": 1}).items[2]
    assert counselling.choice.service_at_location_id == "s000"
    # A pick past the end stays on the last candidate rather than failing.
    assert care_plan(p, VASLUI_GIRL, picks={"legal_aid": 9}).items[1].choice is not None


def test_care_plan_unmet_need_names_the_rule():
    rows = [
        {"service_type": "shelter_emergency", "capacity_status": "full"},
        {"service_type": "shelter_emergency", "capacity_status": "full"},
        {"service_type": "shelter_emergency", "minimum_age": 16},
        {"service_type": "legal_aid"},
    ]
    needs = needs_of(needs=("shelter_emergency", "legal_aid", "medical"))
    plan = care_plan(prep(rows), needs)
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
    plan = care_plan(prep(rows), needs_of(needs=("medical",)))
    assert plan.items[0].unmet_reason.key == "plan.unmet.none"
    result = plan.items[0].result
    assert result.excluded() == ()
    assert len(result.excluded(needed_types_only=False)) == 3


def test_care_plan_rank_options_reach_every_need():
    stale = TODAY - timedelta(days=30)
    rows = [{**SHELTER, "capacity_status": "full", "capacity_as_of": stale}]
    assert care_plan(prep(rows), MINOR_SHELTER).unmet == ()
    assert care_plan(prep(rows), MINOR_SHELTER, capacity_stale_days=60).unmet == (
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
    plan = care_plan(p, VASLUI_GIRL)
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
    assert ids(rank(active, VASLUI_GIRL.only("shelter_emergency"))) == ["sal-1"]


# --------------------------------------------------------------------------------------
# Properties

TYPES = ("shelter_emergency", "legal_aid", "psychological_counselling", "medical")
POINTS = (IASI, BUCURESTI, (46.77, 23.59), (47.75, 26.67), (45.75, 21.23), (47.17, 27.6))
DAYS = (None, 1, 13, 30, 400)

service_rows = st.fixed_dictionaries(
    {
        "service_type": st.sampled_from(TYPES),
        "status": st.sampled_from(("active", "active", "active", "inactive")),
        "point": st.sampled_from(POINTS),
        "minimum_age": st.sampled_from((0, 6, 12, 16)),
        "maximum_age": st.sampled_from((15, 17, 18, 25)),
        "languages": st.sampled_from((",ro,", ",hu,", ",ro,rom,", ",uk,", None)),
        "serves_female": st.booleans(),
        "serves_male": st.booleans(),
        "child_friendly": st.booleans(),
        "interpretation_available": st.booleans(),
        "trafficking_specialised": st.booleans(),
        "accepts_unaccompanied_minors": st.booleans(),
        "accepts_parent_with_child": st.booleans(),
        "emergency_intake_24_7": st.booleans(),
        "wheelchair": st.booleans(),
        "capacity_status": st.sampled_from(vocab.CAPACITY_STATUSES),
        "capacity_days": st.sampled_from(DAYS),
        "assured_days": st.sampled_from(DAYS),
    }
)


def _row(drawn: dict) -> dict:
    drawn = dict(drawn)
    lat, lon = drawn.pop("point")
    cap, assured = drawn.pop("capacity_days"), drawn.pop("assured_days")
    return {
        **drawn,
        "latitude": lat,
        "longitude": lon,
        "capacity_as_of": None if cap is None else TODAY - timedelta(days=cap),
        "assured_date": None if assured is None else TODAY - timedelta(days=assured),
    }


frames = st.lists(service_rows, max_size=60).map(lambda rows: [_row(r) for r in rows])
needs_strategy = st.builds(
    Needs,
    latitude=st.sampled_from([p[0] for p in POINTS[:2]]),
    longitude=st.sampled_from([p[1] for p in POINTS[:2]]),
    age=st.integers(0, 25),
    needs=st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True).map(tuple),
    gender=st.sampled_from((None, "female", "male")),
    languages=st.sampled_from((("ro",), ("hu",), ("ro", "rom"), ("uk",))),
    urgency=st.sampled_from(vocab.URGENCIES),
    requirements=st.lists(
        st.sampled_from(("wheelchair", "with_parent", "unaccompanied")), unique=True
    ).map(tuple),
    max_km=st.sampled_from((5.0, 50.0, 200.0, 600.0)),
    accept_waitlist=st.booleans(),
    avoid=st.sampled_from((None, AvoidArea(IASI[0], IASI[1], 3.0), AvoidArea(polygon=SQUARE))),
)
PROPERTY = settings(max_examples=60, deadline=None)


@PROPERTY
@given(rows=frames, needs=needs_strategy, limit=st.sampled_from((5, 50)))
def test_property_ranking_invariants(rows, needs, limit):
    p = prep(rows)
    result = rank(p, needs, limit=limit)
    matches = result.matches
    # Scores in [0, 1], sorted by score then km.
    for m in matches:
        assert 0.0 <= m.score <= 1.0 + 1e-12
        assert all(0.0 <= v <= 1.0 for _, v in m.factors)
    for a, b in zip(matches, matches[1:]):
        assert round(a.score, 9) > round(b.score, 9) or (
            round(a.score, 9) == round(b.score, 9) and (a.km, a.row) <= (b.km, b.row)
        )
    # Excluded rows never match; every eligible row of a needed type is among the matches
    # unless the limit cut it, and then the limit is full.
    matched = {m.row for m in matches}
    excluded = {e.row for e in result.excluded(needed_types_only=False)}
    assert not matched & excluded
    assert matched | excluded <= set(range(len(rows)))
    eligible = set(range(len(rows))) - excluded
    assert matched <= eligible
    assert len(matched) == min(limit, len(eligible))
    for r in eligible:
        row = rows[r]
        assert row["service_type"] in needs.needs
        assert row["status"] == "active"
        assert row["minimum_age"] <= needs.age <= row["maximum_age"]
    # The excluded list and the counts agree.
    assert sum(result.excluded_counts().values()) == len(excluded)
    # excluded() lists services of a needed type only, whatever rule they failed.
    needed = [r for r in range(len(rows)) if rows[r]["service_type"] in needs.needs]
    assert sorted(e.row for e in result.excluded()) == sorted(set(needed) - eligible)
    assert sum(result.excluded_counts(needed_types_only=True).values()) == len(result.excluded())
    # Inactive services never come back.
    assert all(rows[m.row]["status"] == "active" for m in matches)
    # Same input, same output.
    again = rank(p, needs, limit=limit)
    assert [(m.service_at_location_id, m.score, m.km) for m in again.matches] == [
        (m.service_at_location_id, m.score, m.km) for m in matches
    ]
    assert np.array_equal(again.rule_index, result.rule_index)


def _stricter(needs: Needs) -> list[Needs]:
    reqs = tuple(dict.fromkeys((*needs.requirements, "wheelchair")))
    out = [
        replace(needs, requirements=reqs),
        replace(needs, max_km=max(1.0, needs.max_km / 4)),
        replace(needs, accept_waitlist=False),
        replace(needs, avoid=needs.avoid or AvoidArea(BUCURESTI[0], BUCURESTI[1], 10.0)),
    ]
    if needs.gender is None:
        out += [replace(needs, gender="female"), replace(needs, gender="male")]
    if len(needs.needs) > 1:
        out.append(replace(needs, needs=needs.needs[:1]))
    return out


@PROPERTY
@given(rows=frames, needs=needs_strategy)
def test_property_adding_a_requirement_never_adds_matches(rows, needs):
    p = prep(rows)
    unlimited = len(rows) + 1
    base = set(ids(rank(p, needs, limit=unlimited)))
    for stricter in _stricter(needs):
        assert set(ids(rank(p, stricter, limit=unlimited))) <= base, stricter


@PROPERTY
@given(rows=frames, needs=needs_strategy)
def test_property_care_plan_is_consistent(rows, needs):
    p = prep(rows)
    plan = care_plan(p, needs)
    assert sorted(item.need for item in plan.items) == sorted(needs.needs)
    assert plan.total_km == pytest.approx(
        sum(i.choice.km for i in plan.items if i.choice is not None)
    )
    for item in plan.items:
        if item.choice is None:
            assert item.unmet_reason.key in ("plan.unmet.rule", "plan.unmet.none")
            if item.unmet_reason.key == "plan.unmet.none":
                assert not [r for r in rows if r["service_type"] == item.need]
        else:
            assert item.choice.service_type == item.need
    again = care_plan(p, needs)
    assert [(i.need, i.choice) for i in again.items] == [(i.need, i.choice) for i in plan.items]


def test_today_moves_staleness():
    frame = frame_of([{"capacity_as_of": date(2026, 11, 1)}])
    fresh = rank(prepare(frame, date(2026, 11, 10)), needs_of()).matches[0]
    stale = rank(prepare(frame, date(2026, 11, 30)), needs_of()).matches[0]
    assert factor(fresh, "capacity") == 1.0
    assert factor(stale, "capacity") == 0.4
