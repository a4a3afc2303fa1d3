"""Matching benchmarks: prepare, rank and a 4-need care plan, against a plain Python loop."""

from __future__ import annotations

import math
import statistics
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from directory.vocab import CAPACITY_STATUSES, SERVICE_TYPES, SHELTER_TYPES
from matching.care_plan import care_plan
from matching.needs import Needs
from matching.policy import MatchPolicy
from matching.prepared import prepare
from matching.profiles import PROFILES
from matching.rank import rank
from matching.rules import CAPACITY_SCORE, FACTORS, RULE_NAMES
from travel.straight_line import EARTH_RADIUS_KM

from .timing import measure, row

TODAY = date(2026, 11, 23)
POLICY = MatchPolicy(capacity_stale_days=14, assured_stale_days=180)  # the settings' defaults
SEED = 20261123

VASLUI_GIRL = PROFILES["vaslui_girl"]  # DESIGN.md §3
PLAN_NEEDS = ("shelter_emergency", "legal_aid", "psychological_counselling", "medical")

# Shares of each service type: counselling and legal aid are common, shelters fewer.
TYPE_SHARES = (0.08, 0.06, 0.14, 0.16, 0.14, 0.1, 0.1, 0.1, 0.05, 0.07)
LANGUAGE_LISTS = (",ro,", ",ro,hu,", ",ro,en,", ",ro,rom,", ",hu,", ",ro,uk,", ",ro,en,fr,")
LANGUAGE_SHARES = (0.55, 0.1, 0.15, 0.06, 0.04, 0.06, 0.04)
CAPACITY_SHARES = (0.45, 0.15, 0.1, 0.3)  # available, full, waitlist, unknown


def _categories(values: tuple[str, ...]) -> pd.Index:
    # Plain objects, as directory.storage.frame builds them, not Arrow strings.
    return pd.Index(values, dtype=object)


def synthetic_frame(n: int, seed: int = SEED) -> pd.DataFrame:
    """A services frame shaped like directory.storage.frame.services_frame, with realistic mixes."""
    rng = np.random.default_rng(seed)
    genders = rng.choice(3, n, p=(0.7, 0.2, 0.1))  # both, female only, male only
    capacity = rng.choice(len(CAPACITY_STATUSES), n, p=CAPACITY_SHARES)
    stamp = pd.Timestamp(TODAY)
    capacity_days = pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    assured_days = pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    capacity_as_of = (stamp - capacity_days).where(capacity != CAPACITY_STATUSES.index("unknown"))
    assured_date = (stamp - assured_days).where(rng.random(n) < 0.85)
    return pd.DataFrame(
        {
            "service_at_location_id": np.array([f"sal-{i:06d}" for i in range(n)], dtype=object),
            "service_type": pd.Categorical.from_codes(
                rng.choice(len(SERVICE_TYPES), n, p=TYPE_SHARES),
                categories=_categories(SERVICE_TYPES),
            ),
            "status": pd.Categorical.from_codes(
                rng.choice(2, n, p=(0.95, 0.05)), categories=_categories(("active", "inactive"))
            ),
            "latitude": rng.uniform(43.8, 48.0, n),
            "longitude": rng.uniform(20.5, 29.5, n),
            "minimum_age": rng.choice((0.0, 6.0, 12.0, 14.0), n),
            "maximum_age": rng.choice((17.0, 18.0, 25.0), n, p=(0.6, 0.2, 0.2)),
            "languages": pd.Categorical.from_codes(
                rng.choice(len(LANGUAGE_LISTS), n, p=LANGUAGE_SHARES),
                categories=_categories(LANGUAGE_LISTS),
            ),
            "capacity_status": pd.Categorical.from_codes(
                capacity, categories=_categories(CAPACITY_STATUSES)
            ),
            "capacity_as_of": capacity_as_of,
            "assured_date": assured_date,
            "interpretation_available": rng.random(n) < 0.25,
            "child_friendly": rng.random(n) < 0.6,
            "trafficking_specialised": rng.random(n) < 0.3,
            "accepts_unaccompanied_minors": rng.random(n) < 0.4,
            "accepts_parent_with_child": rng.random(n) < 0.3,
            "emergency_intake_24_7": rng.random(n) < 0.2,
            "serves_female": genders != 2,
            "serves_male": genders != 1,
            "wheelchair": rng.random(n) < 0.35,
        }
    )


def naive_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as plain Python dicts, built once and not timed: the baseline's input."""
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for record in out:
        for name in ("capacity_as_of", "assured_date"):
            if record[name] is not None:
                record[name] = record[name].date()
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def naive_rank(
    records: list[dict[str, Any]],
    needs: Needs,
    today: date = TODAY,
    capacity_stale_days: int = 14,
    assured_stale_days: int = 180,
    limit: int = 50,
) -> tuple[list[tuple[str, float]], list[str | None], list[float]]:
    """Baseline: one loop over the rows doing rank()'s work: a distance and the first failed
    rule for every row (the excluded list needs both), then the score and a sort."""
    weights = {f.name: f.weight for f in FACTORS if f.applies(needs)}
    total = sum(weights.values())
    emergency = "intake_24_7" in weights
    avoid = needs.avoid
    reqs = needs.requirements
    failed: list[str | None] = []
    kms: list[float] = []
    scored = []
    for i, s in enumerate(records):
        km = _km(needs.latitude, needs.longitude, s["latitude"], s["longitude"])
        kms.append(km)
        shelter = s["service_type"] in SHELTER_TYPES
        capacity = s["capacity_status"]
        as_of = s["capacity_as_of"]
        if as_of is None or (today - as_of).days > capacity_stale_days:
            capacity = "unknown"
        rule = None
        if s["status"] != "active":
            rule = "inactive"
        elif s["service_type"] not in needs.needs:
            rule = "wrong_type"
        elif s["minimum_age"] > needs.age or s["maximum_age"] < needs.age:
            rule = "age"
        elif (needs.gender == "female" and not s["serves_female"]) or (
            needs.gender == "male" and not s["serves_male"]
        ):
            rule = "gender"
        elif shelter and "unaccompanied" in reqs and not s["accepts_unaccompanied_minors"]:
            rule = "unaccompanied"
        elif shelter and "with_parent" in reqs and not s["accepts_parent_with_child"]:
            rule = "with_parent"
        elif "wheelchair" in reqs and not s["wheelchair"]:
            rule = "wheelchair"
        elif (
            "interpreter" in reqs
            and not s["interpretation_available"]
            and not any(f",{code}," in (s["languages"] or "") for code in needs.languages)
        ):
            rule = "interpreter"
        elif needs.is_minor and not s["child_friendly"]:
            rule = "not_child_friendly"
        elif shelter and (
            capacity == "full" or (capacity == "waitlist" and not needs.accept_waitlist)
        ):
            rule = "no_capacity"
        elif (
            avoid is not None
            and avoid.radius_km is not None
            and _km(avoid.latitude, avoid.longitude, s["latitude"], s["longitude"])
            <= avoid.radius_km
        ):
            rule = "avoid_area"
        elif not km <= needs.max_km:
            rule = "too_far"
        failed.append(rule)
        if rule is not None:
            continue
        langs = s["languages"] or ""
        if any(f",{code}," in langs for code in needs.languages):
            language = 1.0
        else:
            language = 0.5 if s["interpretation_available"] else 0.0
        assured = s["assured_date"]
        if assured is None:
            verified = 0.0
        else:
            verified = 1.0 if (today - assured).days <= assured_stale_days else 0.3
        score = (
            weights["distance"] * max(0.0, 1.0 - km / needs.max_km)
            + weights["language"] * language
            + weights["capacity"] * CAPACITY_SCORE[capacity]
            + weights["trafficking"] * float(s["trafficking_specialised"])
            + weights["verified"] * verified
            + (weights["intake_24_7"] * float(s["emergency_intake_24_7"]) if emergency else 0.0)
        ) / total
        # Full, or a waiting list not accepted (shelters were excluded above): ranked last.
        demoted = capacity == "full" or (capacity == "waitlist" and not needs.accept_waitlist)
        scored.append((demoted, -round(score, 9), km, i, s["service_at_location_id"], score))
    scored.sort()
    return [(t[4], t[5]) for t in scored[:limit]], failed, kms


def _check_agree(prepared, records, needs: Needs) -> None:
    """The baseline must do the same work: same ids, same scores."""
    result = rank(prepared, needs, POLICY)
    fast = [(m.service_at_location_id, m.score) for m in result.matches]
    slow, failed, kms = naive_rank(records, needs)
    assert [i for i, _ in fast] == [i for i, _ in slow], "baseline disagrees with rank()"
    assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(fast, slow))
    rules = [None if k < 0 else RULE_NAMES[k] for k in result.rule_index]
    assert rules == failed, "baseline excludes differently"
    # rank() measures only services of a needed type; the others fail `wrong_type` anyway.
    measured = ~np.isnan(result.km)
    assert np.allclose(result.km[measured], np.asarray(kms)[measured])


def _size(n: int, with_plan: bool) -> list[dict[str, Any]]:
    frame = synthetic_frame(n)
    rows = [
        row("match_prepare", n, measure(lambda: prepare(frame, TODAY), 5 if n >= 100_000 else 10))
    ]
    prepared = prepare(frame, TODAY)
    records = naive_records(frame)
    _check_agree(prepared, records, VASLUI_GIRL)
    rank(prepared, VASLUI_GIRL, POLICY)  # warm up
    times = measure(lambda: rank(prepared, VASLUI_GIRL, POLICY), 30 if n >= 100_000 else 50)
    base = measure(lambda: naive_rank(records, VASLUI_GIRL), 3 if n >= 100_000 else 7)
    rows.append(
        row(
            "match_rank",
            n,
            times,
            statistics.median(base),
            baseline="Python loop, math haversine, same rules and scores",
            matches=len(rank(prepared, VASLUI_GIRL, POLICY).matches),
            budget="p95 < 30 ms, ratio >= 20" if n == 100_000 else None,
        )
    )
    if with_plan:
        plan_needs = replace(VASLUI_GIRL, needs=PLAN_NEEDS)
        care_plan(prepared, plan_needs, POLICY)  # warm up
        times = measure(lambda: care_plan(prepared, plan_needs, POLICY), 30)
        rows.append(row("care_plan_4_needs", n, times, budget="p95 < 100 ms"))
        rows.append(_road_plan(frame, plan_needs, n))
    return rows


def _road_plan(frame: pd.DataFrame, plan_needs: Needs, n: int) -> dict[str, Any]:
    """The care plan by road: each origin's search over the whole network, then the legs.

    Every timed run starts from a different place (the searches are cached per road node, so
    one origin would measure the cache), and the graph is loaded once, not timed.
    """
    from directory.coverage_data import road_graph
    from directory.settings import Settings

    graph = road_graph(Settings.from_env())
    prepared = prepare(frame, TODAY, graph=graph)
    rng = np.random.default_rng(SEED)
    origins = iter(zip(rng.uniform(44.0, 47.8, 200), rng.uniform(21.5, 28.5, 200)))

    def plan() -> None:
        lat, lon = next(origins)
        care_plan(prepared, replace(plan_needs, latitude=lat, longitude=lon), POLICY)

    plan()  # warm up
    times = measure(plan, 30)
    return row("care_plan_4_needs_road", n, times, budget="p95 < 100 ms")


def run(quick: bool) -> list[dict[str, Any]]:
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    assert len(RULE_NAMES) == 12  # naive_rank spells out each rule
    rows = []
    for n in sizes:
        rows += _size(n, with_plan=n == sizes[-1])
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
