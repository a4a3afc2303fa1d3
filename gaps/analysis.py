"""Coverage figures for one service type: per UAT, per county and nationally."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from travel.roads import RoadGraph

from .model import Demand, Supply
from .nearest import Nearest, nearest

PER = 100_000  # services and beds per 100,000 inhabitants


@dataclass(frozen=True, eq=False)
class Coverage:
    """The nearest provider of every UAT for one type, with the thresholds to judge it by."""

    demand: Demand
    supply: Supply
    near: Nearest
    thresholds_min: tuple[float, ...]
    thresholds_km: tuple[float, ...]

    def covered(self, threshold: float, by: str = "min") -> np.ndarray:
        """Which UATs are within ``threshold`` minutes (``by="min"``) or road km (``"km"``)."""
        values = self.near.minutes if by == "min" else self.near.km
        return values <= threshold

    def national(self) -> dict[str, dict[str, float]]:
        """Share of the population covered at each threshold, nationally, in [0, 1]."""
        total = float(self.demand.population.sum())
        out: dict[str, dict[str, float]] = {"min": {}, "km": {}}
        for by, thresholds in (("min", self.thresholds_min), ("km", self.thresholds_km)):
            for t in thresholds:
                inside = float(self.demand.population[self.covered(t, by)].sum())
                out[by][f"{t:g}"] = inside / total if total else 0.0
        return out

    def uats(self) -> pd.DataFrame:
        """One row per UAT: population, road minutes and km, straight km, nearest provider."""
        d, n = self.demand, self.near
        has = n.provider >= 0
        label = np.full(len(d), None, dtype=object)
        label[has] = self.supply.label[n.provider[has]]
        return pd.DataFrame({
            "siruta": d.siruta, "uat": d.name, "county_code": d.county,
            "population": d.population, "road_minutes": _finite(n.minutes),
            "road_km": _finite(n.km), "straight_km": _finite(n.line_km), "nearest": label,
            "lat": d.lat, "lon": d.lon,
        })  # fmt: skip

    def counties(self) -> pd.DataFrame:
        """Per county: population, share within each threshold, services and beds per 100,000."""
        d = self.demand
        frame = pd.DataFrame({"county_code": d.county, "population": d.population})
        for by, thresholds in (("min", self.thresholds_min), ("km", self.thresholds_km)):
            for t in thresholds:
                frame[f"within_{t:g}_{by}"] = np.where(self.covered(t, by), d.population, 0.0)
        table = frame.groupby("county_code", sort=True).sum()
        for column in [c for c in table.columns if c.startswith("within_")]:
            table["share_" + column[len("within_") :]] = table[column] / table["population"]
        services = pd.Series(self.supply.county).value_counts()
        beds = pd.Series(np.nan_to_num(self.supply.beds), index=self.supply.county)
        table["services"] = services.reindex(table.index).fillna(0).astype(int)
        table["beds"] = beds.groupby(level=0).sum().reindex(table.index).fillna(0).astype(int)
        table["services_per_100k"] = table["services"] / table["population"] * PER
        table["beds_per_100k"] = table["beds"] / table["population"] * PER
        return table.reset_index()

    def worst(self, threshold: float, n: int = 20, by: str = "min") -> pd.DataFrame:
        """The UATs with the largest population × minutes (or km) beyond the threshold.

        A UAT that no provider reaches counts as ten thresholds away.
        """
        table = self.uats()
        values = self.near.minutes if by == "min" else self.near.km
        beyond = np.where(np.isinf(values), 10 * threshold, values)
        table["gap"] = self.demand.population * np.maximum(0.0, beyond - threshold)
        table = table[table["gap"] > 0].sort_values(["gap", "siruta"], ascending=[False, True])
        return table.head(n).reset_index(drop=True)

    def counties_mostly_far(self, threshold_min: float) -> tuple[int, int]:
        """How many counties have more than half their population beyond the threshold."""
        frame = pd.DataFrame({"c": self.demand.county, "p": self.demand.population})
        frame["in"] = np.where(self.covered(threshold_min), frame["p"], 0.0)
        sums = frame.groupby("c").sum()
        share = sums["in"] / sums["p"]
        return int((share < 0.5).sum()), len(share)


def _finite(values: np.ndarray) -> np.ndarray:
    """inf (no provider reachable) becomes NaN, which tables and JSON show as empty."""
    return np.where(np.isfinite(values), values, np.nan)


def analyse(
    graph: RoadGraph, demand: Demand, supply: Supply,
    thresholds_min: Sequence[float] = (30, 60, 90), thresholds_km: Sequence[float] = (25, 50, 100),
) -> Coverage:  # fmt: skip
    """Coverage of ``demand`` by ``supply`` (already filtered to one type)."""
    return Coverage(
        demand, supply, nearest(graph, demand, supply), tuple(thresholds_min), tuple(thresholds_km)
    )


def what_if(
    graph: RoadGraph, base: Coverage, *, close: int | None = None,
    add: tuple[float, float, str, str] | None = None,
) -> Coverage:  # fmt: skip
    """Coverage after closing the provider at index ``close`` or adding ``add`` = (lat, lon,
    county, label). The directory is untouched: only these arrays change."""
    supply = base.supply
    if close is not None:
        supply = supply.without(close)
    if add is not None:
        kind = str(supply.service_type[0]) if len(supply) else ""
        supply = supply.plus(add[0], add[1], add[2], add[3], kind)
    return analyse(graph, base.demand, supply, base.thresholds_min, base.thresholds_km)


def suppress_small(counts: pd.Series, minimum: int = 5) -> pd.Series:
    """Counts drawn from referrals: below ``minimum`` they become missing, so no one case shows."""
    return counts.astype("Int64").where(counts >= minimum)
