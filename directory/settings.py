"""Every Punte setting, declared once with its default and help text.

Settings come from environment variables named ``PUNTE_<NAME>``. The README's configuration
table is checked against :data:`SETTINGS` by a test, so a new setting must be documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    kind: type = str

    @property
    def env(self) -> str:
        return f"PUNTE_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str(ROOT / "data" / "punte.db"), "Path of the SQLite database file."),
    Setting("data_dir", str(ROOT / "data"), "Folder holding the reference geodata."),
    Setting(
        "capacity_stale_days",
        14,
        "Days after which a capacity report counts as 'unknown'.",
        int,
    ),
    Setting(
        "assured_stale_days",
        90,
        "Days after which a listing's last verification counts as stale.",
        int,
    ),
    Setting(
        "referral_retention_days",
        365,
        "Days a closed referral is kept before `purge` removes its contents.",
        int,
    ),
    Setting("session_idle_minutes", 30, "Idle minutes before a signed-in session expires.", int),
    Setting("lockout_attempts", 5, "Failed sign-ins for one username before it is locked.", int),
    Setting("lockout_minutes", 15, "Minutes a username stays locked after too many failures.", int),
    Setting(
        "tile_url",
        "",
        "Optional map tile URL (e.g. OSM). Empty keeps the map fully offline.",
    ),
    Setting(
        "public_url",
        "http://localhost:8501",
        "Public base address of this deployment, used in printed capacity self-update links.",
    ),
    Setting(
        "capacity_link_days",
        14,
        "Days a provider's capacity self-update link stays valid.",
        int,
    ),
    Setting(
        "coverage_thresholds_km",
        "25,50,100",
        "Distance thresholds in km for coverage analysis, comma-separated.",
    ),
    Setting("coverage_thresholds_min", "30,60,90", "Road-time thresholds in minutes for coverage."),
    # Estimated average speeds on main roads by class (no traffic or turn data: see README).
    Setting("road_kmh_motorway", 100.0, "Average speed on motorways (A…), km/h.", float),
    Setting("road_kmh_national", 65.0, "Average speed on national roads (DN…), km/h.", float),
    Setting("road_kmh_county", 50.0, "Average speed on county roads (DJ…), km/h.", float),
    Setting("road_kmh_communal", 35.0, "Average speed on communal roads (DC…), km/h.", float),
    Setting("road_kmh_other", 40.0, "Average speed on roads without a Romanian ref, km/h.", float),
    Setting(
        "road_snap_kmh", 15.0, "Speed of the hop from a point to the nearest road, km/h.", float
    ),
)


@dataclass(frozen=True)
class Settings:
    db: str
    data_dir: str
    capacity_stale_days: int
    assured_stale_days: int
    referral_retention_days: int
    session_idle_minutes: int
    lockout_attempts: int
    lockout_minutes: int
    tile_url: str
    public_url: str
    capacity_link_days: int
    coverage_thresholds_km: str
    coverage_thresholds_min: str
    road_kmh_motorway: float
    road_kmh_national: float
    road_kmh_county: float
    road_kmh_communal: float
    road_kmh_other: float
    road_snap_kmh: float

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``PUNTE_*`` variables; keyword overrides win."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for s in SETTINGS:
            raw = environ.get(s.env)
            if raw is None or raw == "":
                values[s.name] = s.default
                continue
            try:
                values[s.name] = s.kind(raw)
            except ValueError:
                raise ValueError(
                    f"{s.env}={raw!r} is not a valid {s.kind.__name__}: {s.help}"
                ) from None
        values.update(overrides)
        return cls(**values)

    @property
    def thresholds_km(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.coverage_thresholds_km.split(",") if x.strip())

    @property
    def thresholds_min(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.coverage_thresholds_min.split(",") if x.strip())

    @property
    def road_speeds(self) -> tuple[tuple[str, float], ...]:
        """(road class, km/h) pairs, sorted, hashable for caching the graph."""
        names = ("communal", "county", "motorway", "national", "other")
        return tuple((n, float(getattr(self, f"road_kmh_{n}"))) for n in names)


assert [f.name for f in fields(Settings)] == [s.name for s in SETTINGS]
