"""Hypothesis properties of the matcher: bounds, order, exclusions, monotonic requirements."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory import vocab
from matching.care_plan import care_plan
from matching.needs import AvoidArea, Needs
from matching.prepared import prepare
from matching.rank import rank

from .matching_support import (
    BUCURESTI,
    IASI,
    POLICY,
    SQUARE,
    TODAY,
    factor,
    frame_of,
    ids,
    needs_of,
    policy,
    prep,
)  # fmt: skip

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
    result = rank(p, needs, policy(limit=limit))
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
    again = rank(p, needs, policy(limit=limit))
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
    base = set(ids(rank(p, needs, policy(limit=unlimited))))
    for stricter in _stricter(needs):
        assert set(ids(rank(p, stricter, policy(limit=unlimited)))) <= base, stricter


@PROPERTY
@given(rows=frames, needs=needs_strategy)
def test_property_care_plan_is_consistent(rows, needs):
    p = prep(rows)
    plan = care_plan(p, needs, POLICY)
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
    again = care_plan(p, needs, POLICY)
    assert [(i.need, i.choice) for i in again.items] == [(i.need, i.choice) for i in plan.items]


def test_today_moves_staleness():
    frame = frame_of([{"capacity_as_of": date(2026, 11, 1)}])
    fresh = rank(prepare(frame, date(2026, 11, 10)), needs_of(), POLICY).matches[0]
    stale = rank(prepare(frame, date(2026, 11, 30)), needs_of(), POLICY).matches[0]
    assert factor(fresh, "capacity") == 1.0
    assert factor(stale, "capacity") == 0.4
