"""Demand (UAT seats with population) and supply (providers' points) as column arrays."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# What the population figures count; shown beside every figure.
DOMICILE_2020 = "domicile_2020"


@dataclass(frozen=True, eq=False)
class Demand:
    """The UAT seats: one row per UAT, in gazetteer order."""

    siruta: np.ndarray
    name: np.ndarray
    county: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray  # float, so an uploaded child population fits
    basis: str = DOMICILE_2020

    def __len__(self) -> int:
        return len(self.siruta)

    def with_population(self, population: np.ndarray, basis: str) -> Demand:
        """The same places with another population (an upload), labelled with its basis."""
        population = np.asarray(population, dtype=float)
        if population.shape != self.population.shape or (population < 0).any():
            raise ValueError("population must be one non-negative number per UAT")
        return replace(self, population=population, basis=basis)


@dataclass(frozen=True, eq=False)
class Supply:
    """Provider points as the viewer may see them, one row per service at a location."""

    ids: np.ndarray
    service_type: np.ndarray
    child_friendly: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    county: np.ndarray
    beds: np.ndarray  # total beds, NaN when not a residential service or unknown
    label: np.ndarray  # what a what-if may call it: organisation and UAT when generalised
    generalised: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> Supply:
        return Supply(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))

    def of_type(self, service_type: str, child_friendly: bool = False) -> Supply:
        """The providers of one type (child-friendly only when asked) that have a point."""
        keep = (self.service_type == service_type) & ~np.isnan(self.lat) & ~np.isnan(self.lon)
        if child_friendly:
            keep &= self.child_friendly.astype(bool)
        return self.take(np.flatnonzero(keep))

    def without(self, index: int) -> Supply:
        """What-if: every provider but one."""
        return self.take(np.flatnonzero(np.arange(len(self)) != index))

    def plus(self, lat: float, lon: float, county: str, label: str, service_type: str) -> Supply:
        """What-if: one hypothetical provider added at a point."""
        extra = Supply(
            np.array(["hypothetical"], dtype=object), np.array([service_type], dtype=object),
            np.array([True]), np.array([lat]), np.array([lon]), np.array([county], dtype=object),
            np.array([np.nan]), np.array([label], dtype=object), np.array([False]),
        )  # fmt: skip
        return Supply(
            *(
                np.concatenate([getattr(self, f), getattr(extra, f)])
                for f in self.__dataclass_fields__
            )
        )
