"""Every Punte setting, declared once: a field of :class:`Settings` with its default and help.

Settings come from environment variables named ``PUNTE_<NAME>``. The README's configuration
table is checked against :data:`SETTINGS` (derived from the fields) by a test, so a new
setting must be documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from matching.policy import MatchPolicy

ROOT = Path(__file__).resolve().parent.parent


def _setting(default: Any, help: str) -> Any:
    """A settings field: its default and the help text the README and errors show."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    db: str = _setting(str(ROOT / "data" / "punte.db"), "Path of the SQLite database file.")
    database_url: str = _setting(
        "", "PostgreSQL URL (postgresql://user:password@host/db); when set it wins over db."
    )
    data_dir: str = _setting(str(ROOT / "data"), "Folder holding the reference geodata.")
    capacity_stale_days: int = _setting(
        14, "Days after which a capacity report counts as 'unknown'."
    )
    assured_stale_days: int = _setting(
        90, "Days after which a listing's last verification counts as stale."
    )
    referral_retention_days: int = _setting(
        365, "Days a closed referral is kept before `purge` removes its contents."
    )
    session_idle_minutes: int = _setting(30, "Idle minutes before a signed-in session expires.")
    lockout_attempts: int = _setting(
        5, "Failed sign-ins for one username from one client before it must wait."
    )
    lockout_minutes: int = _setting(
        15, "Longest wait, in minutes, after repeated failures (the wait doubles from 1 minute)."
    )
    tile_url: str = _setting(
        "", "Optional map tile URL (e.g. OSM). Empty keeps the map fully offline."
    )
    public_url: str = _setting(
        "http://localhost:8501",
        "Public base address of this deployment, used in printed capacity self-update links.",
    )
    capacity_link_days: int = _setting(
        14, "Days a provider's capacity self-update link stays valid."
    )
    coverage_thresholds_km: str = _setting(
        "25,50,100", "Distance thresholds in km for coverage analysis, comma-separated."
    )
    coverage_thresholds_min: str = _setting(
        "30,60,90", "Road-time thresholds in minutes for coverage."
    )
    # Estimated average speeds on main roads by class (no traffic or turn data: see README).
    road_kmh_motorway: float = _setting(100.0, "Average speed on motorways (A…), km/h.")
    road_kmh_national: float = _setting(65.0, "Average speed on national roads (DN…), km/h.")
    road_kmh_county: float = _setting(50.0, "Average speed on county roads (DJ…), km/h.")
    road_kmh_communal: float = _setting(35.0, "Average speed on communal roads (DC…), km/h.")
    road_kmh_other: float = _setting(40.0, "Average speed on roads without a Romanian ref, km/h.")
    road_snap_kmh: float = _setting(
        15.0, "Speed of the hop from a point to the nearest road, km/h."
    )
    # Optional e-mail notices (directory/referrals/notify.py): off while smtp_host is empty.
    smtp_host: str = _setting(
        "", "SMTP server for referral e-mails (new emergency, overdue). Empty: no e-mail."
    )
    smtp_port: int = _setting(587, "SMTP server port.")
    smtp_starttls: int = _setting(1, "1: upgrade the SMTP connection with STARTTLS; 0: do not.")
    smtp_user: str = _setting("", "SMTP user name; empty: no SMTP login.")
    smtp_password: str = _setting("", "SMTP password (with smtp_user).")
    smtp_from: str = _setting("punte@localhost", "Sender address of Punte's e-mails.")
    smtp_timeout_seconds: int = _setting(
        10, "Longest wait for the SMTP server; a failure is logged, the referral still goes."
    )
    audit_key: str = _setting(
        "", "Secret key of the audit log's HMAC (32+ characters); wins over the key file."
    )
    audit_key_file: str = _setting(
        "", "File holding the audit key. Empty: `<database>.audit-key` beside the database."
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``PUNTE_*`` variables; keyword overrides win."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for s in SETTINGS:
            raw = environ.get(s.env)
            if raw is None or raw == "":
                continue  # the field's default
            try:
                values[s.name] = s.kind(raw)
            except ValueError:
                raise ValueError(
                    f"{s.env}={raw!r} is not a valid {s.kind.__name__}: {s.help}"
                ) from None
        values.update(overrides)
        return cls(**values)

    @property
    def database(self) -> str:
        """What the store opens: the PostgreSQL URL when one is set, else the SQLite file."""
        return database_target(self)

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

    def match_policy(self) -> MatchPolicy:
        """The one place the matcher's policy is built from the settings."""
        return MatchPolicy(
            capacity_stale_days=self.capacity_stale_days,
            assured_stale_days=self.assured_stale_days,
        )


@dataclass(frozen=True)
class Setting:
    """A view of one field of :class:`Settings`, for the README table and error messages."""

    name: str
    default: Any
    help: str
    kind: type

    @property
    def env(self) -> str:
        return f"PUNTE_{self.name.upper()}"


def _kind(annotation: Any) -> type:
    # `from __future__ import annotations` leaves the annotations as strings.
    return {"int": int, "str": str, "float": float}[str(annotation)]


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.default, f.metadata["help"], _kind(f.type)) for f in fields(Settings)
)


def database_target(settings: Settings) -> str:
    return settings.database_url or settings.db
