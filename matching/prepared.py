"""The services frame turned into plain numpy arrays once, so each match is pure array work."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from directory.vocab import CAPACITY_STATUSES, SERVICE_TYPES, SHELTER_TYPES
from travel import Places
from travel.roads import RoadGraph

from .needs import EXPLOITATION_TYPES

# The listings' per-type specialisations: a JSON list of codes of needs.EXPLOITATION_TYPES.
SPECIALISATIONS_COLUMN = "trafficking_specialisations"
# Set on an alert (a provider's temporary notice) that says the service takes no one now.
ALERT_STOPS_COLUMN = "alert_stops_intake"


@dataclass(frozen=True)
class Prepared:
    """Column arrays of one services frame, aligned by row."""

    frame: pd.DataFrame
    ids: np.ndarray
    type_code: np.ndarray  # index into vocab.SERVICE_TYPES
    active: np.ndarray
    lat: np.ndarray  # the point the viewer may see: ranked on, shown, the care plan's anchor
    lon: np.ndarray
    true_lat: np.ndarray  # the real point, for the avoid area only; never shown or returned
    true_lon: np.ndarray
    approximate: np.ndarray  # the viewer sees a generalised point: distances shown rounded
    min_age: np.ndarray
    max_age: np.ndarray
    serves_female: np.ndarray
    serves_male: np.ndarray
    shelter: np.ndarray
    child_friendly: np.ndarray
    interpretation: np.ndarray
    trafficking: np.ndarray
    unaccompanied: np.ndarray
    parent_with_child: np.ndarray
    intake_24_7: np.ndarray
    wheelchair: np.ndarray
    capacity: np.ndarray  # index into vocab.CAPACITY_STATUSES, as reported
    capacity_days: np.ndarray  # days since the capacity report; inf when never reported
    assured_days: np.ndarray  # days since the last verification; inf when never verified
    language_codes: pd.Categorical  # ",ro,hu," lists, as categories for fast membership tests
    places: Places  # the visible points, as the travel seam wants them, computed once
    _language_index: np.ndarray
    # One bit per needs.EXPLOITATION_TYPES; all 0 when the frame has no specialisations column.
    specialisations: np.ndarray
    has_specialisations: bool  # False: only the general trafficking flag is known
    alert: np.ndarray  # the provider's current notice ("" when none or expired)
    alert_stops: np.ndarray  # its current notice says intake stopped: a gap, ranked down

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def service_type(self) -> np.ndarray:
        return np.asarray(SERVICE_TYPES, dtype=object)[self.type_code]

    def speaks(self, language: str, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` have staff speaking ``language``; tested once per distinct list."""
        categories = self.language_codes.categories
        hit = np.fromiter((f",{language}," in c for c in categories), bool, len(categories))
        hit = np.append(hit, False)  # code -1 (no list) indexes this last slot
        return hit[self._language_index[rows]]

    def type_mask(self, types: tuple[str, ...]) -> np.ndarray:
        """Rows whose service type is one of ``types``."""
        wanted = np.zeros(len(SERVICE_TYPES), bool)
        wanted[[SERVICE_TYPES.index(t) for t in types]] = True
        return wanted[self.type_code]

    def speaks_at(self, language: str, row: int) -> bool:
        code = self.language_codes.codes[row]
        return code >= 0 and f",{language}," in self.language_codes.categories[code]


def specialisation_bits(column: pd.Series | None, n: int) -> np.ndarray:
    """Bit i set when the service lists EXPLOITATION_TYPES[i]; few distinct lists are parsed."""
    if column is None:
        return np.zeros(n, np.int16)
    codes_, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    bits = np.zeros(len(uniques) + 1, np.int16)  # the last slot: no list (code -1)
    for k, text in enumerate(uniques):
        for code in _codes(text):
            if code in EXPLOITATION_TYPES:
                bits[k] |= 1 << EXPLOITATION_TYPES.index(code)
    return bits[np.where(codes_ >= 0, codes_, len(uniques))]


def _codes(text: object) -> list[str]:
    """The codes of one JSON list (a list already parsed is taken as it is); junk reads empty."""
    try:
        value = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _current_alerts(frame: pd.DataFrame, today: date) -> np.ndarray:
    if "alert" not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    text = frame["alert"].fillna("").astype(str).str.strip()
    expires = pd.to_datetime(frame.get("alert_expires"), errors="coerce")
    current = expires.isna() | (expires >= pd.Timestamp(today))
    return text.where(current.to_numpy(), "").to_numpy(dtype=object)


def _stopping(frame: pd.DataFrame, alert: np.ndarray) -> np.ndarray:
    """Which rows have a current alert that stops intake (all False without the flag column)."""
    if ALERT_STOPS_COLUMN not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    flag = frame[ALERT_STOPS_COLUMN].fillna(False).astype(bool).to_numpy(dtype=bool)
    return flag & (alert != "")


def _days_since(column: pd.Series, today: date) -> np.ndarray:
    stamp = pd.Timestamp(today)
    days = (stamp - pd.to_datetime(column)).dt.days.to_numpy(dtype=float, na_value=np.inf)
    # A report dated in the future is a typing error, not a fresh report: treat it as missing.
    return np.where(days < 0, np.inf, days)


def codes(column: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    """Small integer codes: comparing them is many times faster than comparing strings."""
    return pd.Categorical(column.astype(str), categories=vocabulary).codes.astype(np.int8)


def prepare(
    frame: pd.DataFrame,
    today: date,
    *,
    true_points: tuple[np.ndarray, np.ndarray] | None = None,
    graph: RoadGraph | None = None,
) -> Prepared:
    """Arrays for matching; ``today`` fixes the age of capacity reports and verifications.

    ``frame`` holds the points the viewer may see. When some were generalised, pass the real
    points, row for row, as ``true_points``: the avoid area is tested on them. Without it the
    frame must hold real points (an ungeneralised frame), and it is checked. With a road
    ``graph`` (passed in, never loaded here) distances and times are by road.
    """
    types = codes(frame["service_type"], SERVICE_TYPES)
    languages = pd.Categorical(frame["languages"])
    lat = frame["latitude"].to_numpy(dtype=float)
    lon = frame["longitude"].to_numpy(dtype=float)
    approximate = (
        (frame["location_precision"] == "generalised").to_numpy(dtype=bool)
        if "location_precision" in frame.columns
        else np.zeros(len(frame), bool)
    )
    if true_points is None:
        if approximate.any():
            raise ValueError("a generalised frame needs its true points for the avoid area")
        true_lat, true_lon = lat, lon
    else:
        true_lat, true_lon = (np.asarray(a, dtype=float) for a in true_points)
        if len(true_lat) != len(frame) or len(true_lon) != len(frame):
            raise ValueError("true_points must align row for row with the frame")
    return Prepared(
        frame=frame,
        ids=frame["service_at_location_id"].astype(str).to_numpy(),
        type_code=types,
        active=(frame["status"].astype(str) == "active").to_numpy(),
        lat=lat,
        lon=lon,
        true_lat=true_lat,
        true_lon=true_lon,
        approximate=approximate,
        min_age=frame["minimum_age"].to_numpy(dtype=float, na_value=0),
        max_age=frame["maximum_age"].to_numpy(dtype=float, na_value=25),
        serves_female=frame["serves_female"].to_numpy(dtype=bool),
        serves_male=frame["serves_male"].to_numpy(dtype=bool),
        shelter=np.isin(types, [SERVICE_TYPES.index(t) for t in SHELTER_TYPES]),
        child_friendly=frame["child_friendly"].to_numpy(dtype=bool),
        interpretation=frame["interpretation_available"].to_numpy(dtype=bool),
        trafficking=frame["trafficking_specialised"].to_numpy(dtype=bool),
        unaccompanied=frame["accepts_unaccompanied_minors"].to_numpy(dtype=bool),
        parent_with_child=frame["accepts_parent_with_child"].to_numpy(dtype=bool),
        intake_24_7=frame["emergency_intake_24_7"].to_numpy(dtype=bool),
        wheelchair=frame["wheelchair"].to_numpy(dtype=bool),
        capacity=codes(frame["capacity_status"], CAPACITY_STATUSES),
        capacity_days=_days_since(frame["capacity_as_of"], today),
        assured_days=_days_since(frame["assured_date"], today),
        language_codes=languages,
        places=Places.of(lat, lon, graph),
        _language_index=np.where(languages.codes >= 0, languages.codes, len(languages.categories)),
        specialisations=specialisation_bits(frame.get(SPECIALISATIONS_COLUMN), len(frame)),
        has_specialisations=SPECIALISATIONS_COLUMN in frame.columns,
        alert=(alert := _current_alerts(frame, today)),
        alert_stops=_stopping(frame, alert),
    )
