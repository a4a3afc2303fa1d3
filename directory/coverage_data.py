"""What the coverage analysis reads: the road graph, the UAT seats and the providers' points.

Providers come as the viewer may see them: a site the role may not see exactly stands at its
UAT seat (``access.disclosure`` decides), and a what-if may name it only by organisation and
UAT. Every figure computed from this supply is therefore no more precise than the UAT.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from directory.access.disclosure import generalise
from directory.errors import PermissionDeniedError, ValidationError
from directory.models import User
from directory.places.gazetteer import load_gazetteer, uat_points
from directory.settings import Settings
from directory.storage.frame import services_frame
from directory.storage.population_rows import SavedPopulation
from directory.storage.store import Store
from gaps.model import Demand, Supply
from travel.roads import RoadGraph, load_graph

CHILDREN_UPLOAD = "children_upload"  # population basis after an upload, this session only
CHILDREN_SAVED = "children_saved"  # population basis after an admin saved an upload for all
MAX_UPLOAD_BYTES = 2_000_000
MAX_PROBLEMS = 20  # rows reported at most for one file: enough to see a pattern
LEVELS = {"siruta": "uat", "county_code": "county"}


class PopulationFileError(ValidationError):
    """An uploaded population file is not usable; ``key`` and ``values`` translate it."""

    def __init__(self, key: str, row: int | None = None, **values: object) -> None:
        self.key = key
        self.values = values
        self.problems: list[PopulationFileError] = [self]  # every bad row, this one first
        super().__init__("population file", f"{key} {values}", row)


def road_graph(settings: Settings) -> RoadGraph:
    """The road graph with the configured speeds, read once per data folder and speeds."""
    return load_graph(settings.data_dir, settings.road_speeds, settings.road_snap_kmh)


def demand(data_dir: str) -> Demand:
    """The 3,186 UAT seats with population by domicile, 2020 (all ages)."""
    uats = load_gazetteer(data_dir).uats
    return Demand(
        siruta=np.array([u.siruta for u in uats]),
        name=np.array([u.name for u in uats], dtype=object),
        county=np.array([u.county_code for u in uats], dtype=object),
        lat=np.array([u.lat for u in uats]),
        lon=np.array([u.lon for u in uats]),
        population=np.array([u.population for u in uats], dtype=float),
    )


def supply_from_frame(frame: pd.DataFrame, data_dir: str) -> Supply:
    """Supply arrays from a services frame already generalised for the viewer."""
    gazetteer = load_gazetteer(data_dir)
    hidden = (frame["location_precision"] == "generalised").to_numpy()

    def uat_name(siruta: object) -> str:
        try:
            return gazetteer.uat(int(siruta)).name  # type: ignore[call-overload]
        except (KeyError, TypeError, ValueError):
            return ""

    org = frame["organization_name"].astype(str).to_numpy()
    uat = np.array([uat_name(s) for s in frame["siruta"]], dtype=object)
    named = frame["service_name"].astype(str) + " · " + frame["locality"].fillna("").astype(str)
    named = named.str.removesuffix(" · ")
    label = np.where(hidden, org + " · " + uat, named.to_numpy())
    beds = pd.to_numeric(frame.get("beds_total"), errors="coerce")
    return Supply(
        ids=frame["service_at_location_id"].astype(str).to_numpy(dtype=object),
        service_type=frame["service_type"].astype(str).to_numpy(dtype=object),
        child_friendly=frame["child_friendly"].to_numpy(dtype=bool),
        lat=frame["latitude"].to_numpy(dtype=float),
        lon=frame["longitude"].to_numpy(dtype=float),
        county=frame["county_code"].astype(str).to_numpy(dtype=object),
        beds=np.asarray(beds, dtype=float),
        label=label.astype(object),
        generalised=hidden,
    )


def load_supply(store: Store, role: str, data_dir: str) -> Supply:
    """Every active service at its location, as ``role`` may see it."""
    frame = generalise(services_frame(store, details=True), role, uat_points(data_dir))
    return supply_from_frame(frame, data_dir)


def population_from_csv(raw: bytes, base: Demand) -> np.ndarray:
    """Population per UAT from an uploaded CSV (see :func:`read_population`)."""
    return read_population(raw, base)[0]


def read_population(raw: bytes, base: Demand) -> tuple[np.ndarray, str]:
    """Population per UAT from an uploaded CSV of ``siruta,population`` or
    ``county_code,population``, and its level ("uat" or "county"); a county figure is shared
    among its UATs in proportion to their population by domicile. Every UAT (or every county)
    must be listed exactly once. Every bad row is reported (up to :data:`MAX_PROBLEMS`): the
    error raised is the first, with all of them in ``problems``.
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise PopulationFileError("too_large", limit_mb=MAX_UPLOAD_BYTES // 1_000_000)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationFileError("not_utf8") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    header = {h.strip().lower() for h in (rows[0].keys() if rows else []) if h}
    if "population" not in header or not header & {"siruta", "county_code"}:
        raise PopulationFileError("header")
    key = "siruta" if "siruta" in header else "county_code"
    known = (
        {str(s) for s in base.siruta} if key == "siruta" else {str(c) for c in base.county}
    )  # fmt: skip
    values: dict[str, float] = {}
    problems: list[PopulationFileError] = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        code = clean.get(key, "").upper() if key == "county_code" else clean.get(key, "")
        try:
            value = float(clean.get("population", "").replace(" ", ""))
        except ValueError:
            value = -1.0
        if code not in known:
            problems.append(
                PopulationFileError("unknown_code", row=number, column=key, value=code[:20])
            )
        elif code in values:
            problems.append(PopulationFileError("duplicate", row=number, column=key, value=code))
        if not np.isfinite(value) or value < 0:
            problems.append(
                PopulationFileError(
                    "bad_number", row=number, column="population",
                    value=clean.get("population", "")[:20],
                )
            )  # fmt: skip
        elif code in known:
            values.setdefault(code, value)
        if len(problems) >= MAX_PROBLEMS:
            break
    missing = sorted(known - values.keys())
    if missing and not problems:
        problems.append(
            PopulationFileError(
                "missing", count=len(missing), first=", ".join(missing[:5]), column=key
            )
        )
    if problems:
        first = problems[0]
        first.problems = problems
        raise first
    level = LEVELS[key]
    if key == "siruta":
        return np.array([values[str(s)] for s in base.siruta]), level
    frame = pd.DataFrame({"c": base.county, "p": base.population})
    county_total = frame.groupby("c")["p"].transform("sum").to_numpy()
    weight = np.divide(
        base.population, county_total, where=county_total > 0, out=np.zeros(len(base))
    )
    return np.array([values[str(c)] for c in base.county]) * weight, level


def save_population(
    store: Store, actor: User, raw: bytes, source: str, base: Demand
) -> SavedPopulation:
    """An admin puts an uploaded child population in use for everyone (audited).

    The file is validated first: a bad one raises PopulationFileError and changes nothing.
    """
    _admin_only(actor)
    population, level = read_population(raw, base)
    per_uat = {int(s): float(p) for s, p in zip(base.siruta, population, strict=True)}
    return store.save_population(per_uat, level, source.strip()[:120] or "?", actor.username)


def revert_population(store: Store, actor: User) -> bool:
    """An admin goes back to the reference population (domicile, 2020) for everyone."""
    _admin_only(actor)
    return store.revert_population(actor.username)


def with_saved(base: Demand, saved: SavedPopulation | None) -> Demand:
    """The reference demand, or the saved population in its place (0 for a UAT not listed)."""
    if saved is None:
        return base
    population = np.array([saved.per_uat.get(int(s), 0.0) for s in base.siruta])
    return base.with_population(population, CHILDREN_SAVED)


def _admin_only(actor: User) -> None:
    if actor.role != "admin":
        raise PermissionDeniedError(
            f"{actor.username} may not change the population used for everyone; "
            "only an admin may. Use the file for this session instead."
        )
