"""Matching: the soft score, capacity and verification freshness, language, urgency."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from matching.rank import rank
from matching.rules import FACTORS
from travel import great_circle_km

from .matching_support import (
    IASI,
    MINOR_SHELTER,
    POLICY,
    SHELTER,
    TODAY,
    factor,
    ids,
    needs_of,
    policy,
    prep,
    reasons_by_factor,
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Capacity freshness


@pytest.mark.parametrize(
    ("status", "days", "score", "key"),
    [
        ("available", 1, 1.0, "reason.capacity.available"),
        ("available", 14, 1.0, "reason.capacity.available"),
        ("available", 15, 0.4, "reason.capacity.stale"),
        ("available", 30, 0.4, "reason.capacity.stale"),
        ("available", None, 0.4, "reason.capacity.unknown"),
        ("unknown", None, 0.4, "reason.capacity.unknown"),
        ("waitlist", 1, 0.2, "reason.capacity.waitlist.dated"),
        ("full", 1, 0.0, "reason.capacity.full.dated"),
        ("full", 30, 0.4, "reason.capacity.stale"),
    ],
)
def test_capacity_factor_and_staleness(status, days, score, key):
    as_of = None if days is None else TODAY - timedelta(days=days)
    result = rank(prep([{"capacity_status": status, "capacity_as_of": as_of}]), needs_of(), POLICY)
    (match,) = result.matches
    assert factor(match, "capacity") == score
    (reasons,) = reasons_by_factor(result)
    assert reasons["capacity"].key == key
    if key in ("reason.capacity.stale", "reason.capacity.full.dated"):
        assert reasons["capacity"].params == {"days": days}  # capacity with its age


def test_stale_full_shelter_reads_unknown_and_is_not_excluded():
    stale = TODAY - timedelta(days=30)
    p = prep([{**SHELTER, "capacity_status": "full", "capacity_as_of": stale}])
    (match,) = rank(p, MINOR_SHELTER, policy(capacity_stale_days=14)).matches
    assert factor(match, "capacity") == 0.4
    # With a longer freshness window the same report is believed, and excludes the shelter.
    result = rank(p, MINOR_SHELTER, policy(capacity_stale_days=60))
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
    result = rank(prep([{"assured_date": when}]), needs_of(), POLICY)
    assert factor(result.matches[0], "verified") == score
    assert reasons_by_factor(result)[0]["verified"].key == key


# --------------------------------------------------------------------------------------
# Language, urgency, weights


@pytest.mark.parametrize(
    ("languages", "interpreter", "child", "score", "key"),
    [
        (",ro,", False, ("ro",), 1.0, "reason.language.speaks"),
        (",hu,ro,", False, ("rom", "ro"), 1.0, "reason.language.speaks"),
        (",hu,", True, ("ro",), 0.5, "reason.language.interpreter_for"),
        (",hu,", False, ("ro",), 0.0, "reason.language.none_for"),
        (",rom,", True, ("rom",), 1.0, "reason.language.speaks"),
        (",romx,", False, ("rom",), 0.0, "reason.language.none_for"),  # whole codes only
        (None, True, ("ro",), 0.5, "reason.language.interpreter_for"),
        (None, False, ("ro",), 0.0, "reason.language.none_for"),
    ],
)
def test_language_factor(languages, interpreter, child, score, key):
    row = {"languages": languages, "interpretation_available": interpreter}
    result = rank(prep([row]), needs_of(languages=child), POLICY)
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
    assert ids(rank(prep(rows), needs_of(), POLICY)) == ["s002", "s001", "s000"]


@pytest.mark.parametrize(
    ("urgency", "applies"), [("emergency", True), ("urgent", False), ("routine", False)]
)
def test_intake_24_7_only_for_emergencies(urgency, applies):
    rows = [{}, {"emergency_intake_24_7": True, "latitude": IASI[0] + 0.05}]
    result = rank(prep(rows), needs_of(urgency=urgency), POLICY)
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
    (match,) = rank(prep([PERFECT]), needs_of(urgency=urgency), POLICY).matches
    assert match.score == pytest.approx(1.0)
    assert all(value == 1.0 for _, value in match.factors)


def test_score_is_weighted_mean_of_applicable_factors():
    rows = [{"languages": ",hu,", "interpretation_available": True, "latitude": IASI[0] + 0.45}]
    result = rank(prep(rows), needs_of(urgency="routine", max_km=100), POLICY)
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
    result = rank(prep([{"latitude": IASI[0] + 0.45}]), needs_of(), POLICY)
    (match,) = result.matches
    assert match.km == pytest.approx(
        float(great_circle_km(*IASI, np.array([IASI[0] + 0.45]), np.array([IASI[1]]))[0])
    )
    assert match.minutes == pytest.approx(match.km * 1.26 / 50 * 60)
    reason = reasons_by_factor(result)[0]["distance"]
    assert reason.key == "reason.distance"
    assert reason.params["km"] == round(match.km, 1)
    assert reason.params["minutes"] % 5 == 0


def test_empty_frame():
    result = rank(prep([]), needs_of(), POLICY)
    assert result.matches == () and result.excluded() == () and result.excluded_counts() == {}
