"""How matching treats stale data: one object, built from the settings in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchPolicy:
    """The matcher's tunables. Build it with ``Settings.match_policy()``; tests build their own."""

    capacity_stale_days: int  # a capacity report older than this reads "unknown"
    assured_stale_days: int  # a verification older than this counts as stale
    limit: int = 50  # matches kept per need
    # A confidential site the viewer may not see exactly: its shown km are rounded to this step.
    approximate_km_step: float = 5.0

    def __post_init__(self) -> None:
        for name in ("capacity_stale_days", "assured_stale_days", "limit"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more")
        if self.approximate_km_step <= 0:
            raise ValueError("approximate_km_step must be more than 0")
