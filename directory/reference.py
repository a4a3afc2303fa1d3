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
