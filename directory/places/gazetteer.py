"""Small lookups over the reference geodata in data/."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

UAT_FILE = "ro_uat.csv"


@lru_cache(maxsize=4)
def uat_points(data_dir: str) -> dict[int, tuple[float, float]]:
    """SIRUTA code of each UAT → its seat (latitude, longitude), the generalised point."""
    path = Path(data_dir) / UAT_FILE
    with path.open(encoding="utf-8", newline="") as f:
        return {int(r["siruta"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


@lru_cache(maxsize=4)
def uats_by_county(data_dir: str) -> dict[str, list[tuple[int, str, str]]]:
    """County code → its UATs as (siruta, name, kind), sorted by name."""
    path = Path(data_dir) / UAT_FILE
    out: dict[str, list[tuple[int, str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["county_code"], []).append((int(r["siruta"]), r["name"], r["kind"]))
    for uats in out.values():
        uats.sort(key=lambda u: (u[1], u[0]))
    return out
