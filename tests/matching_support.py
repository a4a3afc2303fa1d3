"""Small frames and helpers for the matcher tests: each test states only what differs."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from matching.needs import Needs
from matching.policy import MatchPolicy
from matching.prepared import prepare
from matching.profiles import PROFILES
from matching.rank import rank
from matching.rules import FACTORS

from .conftest import TODAY

# The settings' defaults, stated here so a matcher test does not depend on the environment.
POLICY = MatchPolicy(capacity_stale_days=14, assured_stale_days=180)


def policy(**changes) -> MatchPolicy:
    """The test policy with ``changes``."""
    from dataclasses import replace

    return replace(POLICY, **changes)


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
    """A services frame shaped like directory.storage.frame's, ids s000, s001... in row order."""
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
    result = rank(prep(rows), needs, policy(**opts))
    if result.matches:
        assert not result.excluded(needed_types_only=False)
        return None
    (excluded,) = result.excluded(needed_types_only=False)
    assert excluded.service_at_location_id == "s000"
    return result, excluded


def factor(match, name: str) -> float:
    return dict(match.factors)[name]


def reasons_by_factor(result) -> list[dict[str, object]]:
    names = [f.name for f in FACTORS if f.applies(result.needs)]
    return [dict(zip(names, m.reasons)) for m in result.matches]


def offset(lat: float, lon: float, north_km: float = 0.0, east_km: float = 0.0) -> dict:
    return {
        "latitude": lat + north_km / 111.2,
        "longitude": lon + east_km / (111.2 * np.cos(np.radians(lat))),
    }


VASLUI_GIRL = PROFILES["vaslui_girl"]

SHELTER = {"service_type": "shelter_emergency"}
NORTH_100KM = {"latitude": IASI[0] + 0.9}  # ~100 km north of Iași, still in Romania
SQUARE = ((47.0, 27.4), (47.0, 27.8), (47.3, 27.8), (47.3, 27.4))
MINOR_SHELTER = needs_of(needs=("shelter_emergency",))
