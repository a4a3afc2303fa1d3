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
        180,
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
    Setting(
        "lockout_attempts",
        5,
        "Failed sign-ins for one username from one client before it must wait.",
        int,
    ),
    Setting(
        "lockout_minutes",
        15,
        "Longest wait, in minutes, after repeated failures (the wait doubles from 1 minute).",
        int,
    ),
    Setting(
        "tile_url",
        "",
        "Optional map tile URL (e.g. OSM). Empty keeps the map fully offline.",
    ),
    Setting(
        "coverage_thresholds_km",
        "25,50,100",
        "Distance thresholds in km for coverage analysis, comma-separated.",
    ),
    Setting(
        "audit_key",
        "",
        "Secret key of the audit log's HMAC (32+ characters); wins over the key file.",
    ),
    Setting(
        "audit_key_file",
        "",
        "File holding the audit key. Empty: `<database>.audit-key` beside the database.",
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
    coverage_thresholds_km: str
    audit_key: str
    audit_key_file: str

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


assert [f.name for f in fields(Settings)] == [s.name for s in SETTINGS]
