"""The columnar services frame that matching and coverage work on, built with one query.

Matching reads every active service, so the frame carries only what matching needs; the
names and contact details of the few services shown come from :func:`service_details`.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from directory.storage.gc_pause import no_gc_pauses
from directory.storage.store import Store

# Yes/no columns travel packed into one integer: each extra column of Python values made
# loading 100,000 services measurably slower (see bench/store_bench.py).
FLAGS = {
    "interpretation_available": "s.interpretation_available",
    "child_friendly": "s.child_friendly",
    "trafficking_specialised": "s.trafficking_specialised",
    "accepts_unaccompanied_minors": "s.accepts_unaccompanied_minors",
    "accepts_parent_with_child": "s.accepts_parent_with_child",
    "emergency_intake_24_7": "s.emergency_intake_24_7",
    "free_of_charge": "s.free_of_charge",
    "is_demo": "s.is_demo",
    "serves_female": "instr(s.genders, '\"female\"') > 0",
    "serves_male": "instr(s.genders, '\"male\"') > 0",
    "wheelchair": "instr(s.accessibility, '\"wheelchair\"') > 0",
}
# The few expressions SQLite and PostgreSQL spell differently. Dates travel as Julian day
# numbers on both (see _column).
_DIALECT = {
    "sqlite": {"instr": "instr(", "int": "{}", "julian": "julianday({})", "no_index": "+"},
    "postgresql": {
        "instr": "strpos(",
        "int": "({})::int",
        "julian": "(extract(epoch FROM ({})::timestamp) / 86400 + 2440587.5)::float8",
        "no_index": "",
    },
}


def _matching_columns(dialect: str) -> str:
    d = _DIALECT[dialect]
    flags = [d["int"].format(sql.replace("instr(", d["instr"])) for sql in FLAGS.values()]
    packed = " | ".join(f"(coalesce({sql}, 0) << {i})" for i, sql in enumerate(flags))
    return f"""
    sal.id AS service_at_location_id, s.service_type, s.status,
    l.latitude, l.longitude, l.siruta, l.disclosure,
    s.minimum_age, s.maximum_age, s.languages, {packed} AS flags,
    s.capacity_status, s.beds_available,
    {d["julian"].format("s.capacity_as_of")} AS capacity_as_of,
    {d["julian"].format("s.assured_date")} AS assured_date,
    s.specialisations AS trafficking_specialisations, s.alert_stops_intake
"""


DETAIL_COLUMNS = """
    sal.id AS service_at_location_id, s.id AS service_id, s.organization_id,
    l.id AS location_id, l.county_code, s.name AS service_name, o.name AS organization_name,
    o.legal_status, l.name AS location_name, l.locality, l.address_1, l.postal_code,
    s.beds_total, s.intake_phone, s.referral_process, s.schedule, s.alert, s.alert_expires,
    s.genders, s.accessibility, s.child_friendly_criteria
"""
_FROM = """
FROM service_at_location sal
JOIN service s ON s.id = sal.service_id
JOIN location l ON l.id = sal.location_id
JOIN organization o ON o.id = s.organization_id
"""
SERVICES_SQL = {d: f"SELECT {_matching_columns(d)} {_FROM}" for d in _DIALECT}

# The specialisations (a JSON list, the name matching.prepared reads) have few distinct values.
_CATEGORIES = ("service_type", "status", "county_code", "disclosure", "capacity_status",
               "trafficking_specialisations")  # fmt: skip
_FLOATS = ("latitude", "longitude", "minimum_age", "maximum_age", "beds_available")
_DATES = ("capacity_as_of", "assured_date")
UNIX_EPOCH_JULIAN_DAY = 2440587.5


def services_frame(
    store: Store, *, active_only: bool = True, details: bool = False
) -> pd.DataFrame:
    """One row per service at a location, ordered by id so every run sees the same order."""
    # The unary + keeps SQLite off the status index, so it walks service_at_location in key
    # order and needs no sort: 25 % faster at 100,000 services.
    # A withdrawn organisation or site takes its services out of matching (migration m006).
    no_index = _DIALECT[store.dialect]["no_index"]
    where = (
        f" WHERE {no_index}s.status = 'active' AND o.active = 1 AND l.active = 1"
        if active_only
        else ""
    )
    # The one bulk load where holding the collector pays (figures in gc_pause.py).
    with no_gc_pauses():
        frame = _load(store, SERVICES_SQL[store.dialect] + where + " ORDER BY sal.id")
        if details:
            frame = frame.merge(
                _load(store, f"SELECT {DETAIL_COLUMNS} {_FROM}{where}"),
                on="service_at_location_id",
            )
    return frame


def service_details(store: Store, ids: Iterable[str]) -> pd.DataFrame:
    """Names, addresses and intake details of the given services at locations."""
    ids = list(dict.fromkeys(ids))
    marks = ", ".join("?" for _ in ids)
    return _load(store, f"SELECT {DETAIL_COLUMNS} {_FROM} WHERE sal.id IN ({marks})", ids)


def _load(store: Store, sql: str, params: list[str] | None = None) -> pd.DataFrame:
    cursor = store.db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    columns = list(zip(*rows)) if rows else [()] * len(names)
    data = dict(zip(names, columns))
    frame = pd.DataFrame({n: _column(n, v) for n, v in data.items() if n != "flags"})
    if "flags" in data:
        flags = np.asarray(data["flags"], dtype=np.int64)
        for bit, name in enumerate(FLAGS):
            frame[name] = (flags >> bit) & 1 == 1
    return frame


def _column(name: str, values: tuple) -> pd.Series | pd.Categorical | np.ndarray:
    if name in _FLOATS:
        return np.asarray(values, dtype=float)  # None becomes NaN
    if name in _CATEGORIES:
        return _categorical(values)
    if name == "alert_stops_intake":
        return np.asarray(values, dtype=bool)
    if name == "languages":
        # ",ro,rom," makes a language test one vectorised str.contains; there are few
        # distinct lists, so rewrite the categories, not every row.
        return _categorical(values, _as_csv)
    if name in _DATES:
        # SQLite hands dates over as Julian day numbers: converting numbers is far cheaper
        # than parsing 100,000 date strings.
        days = np.asarray(values, dtype=float) - UNIX_EPOCH_JULIAN_DAY
        return pd.to_datetime(days, unit="D").astype("datetime64[s]")
    if name == "siruta":
        return pd.Series(values, dtype="Int64")
    # Plain objects: converting 100,000 strings to Arrow cost more than the query itself.
    return pd.Series(values, dtype=object)


def _categorical(values: tuple, rename: Callable[[str], str] | None = None) -> pd.Categorical:
    # Factorising plain objects skips pandas' conversion of every value to an Arrow string.
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    labels = [rename(u) if rename and u is not None else u for u in uniques]
    return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))


def _as_csv(json_list: str) -> str:
    return "," + ",".join(json.loads(json_list)) + ","
