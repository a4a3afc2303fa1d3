"""The capacity line of a listing: as reported with its date, or unknown when too old.

It reads the capacity the matcher ranked on (``matching.rank.effective_capacity``), so a card
never says "places available" while the reasons beside it say "capacity unknown".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from directory.i18n import DEFAULT_LANGUAGE, translate
from directory.vocab import CAPACITY_STATUSES
from matching.prepared import Prepared
from matching.rank import effective_capacity


@dataclass(frozen=True)
class CapacityText:
    """A translation key with its values; ``status`` is a capacity code, translated too."""

    key: str
    status: str
    reported_on: date | None = None

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        status = translate("capacity." + self.status, lang)
        if self.reported_on is None:
            return status
        return translate(self.key, lang, status=status, date=self.reported_on.isoformat())


def capacity_summary(reported: str, effective: str, reported_on: date | None) -> CapacityText:
    """What to say about one listing's capacity.

    ``effective`` is the matcher's reading of the report (``unknown`` once it is stale);
    ``reported_on`` is the report's date, if any.
    """
    if reported_on is None:
        return CapacityText("capacity." + effective, effective)
    if effective == "unknown" and reported != "unknown":
        return CapacityText("find.capacity_stale", effective, reported_on)
    return CapacityText("find.capacity_as_of", effective, reported_on)


def capacity_summaries(
    prepared: Prepared, rows: Sequence[int], stale_days: int
) -> list[CapacityText]:
    """The capacity line of each frame row in ``rows``, as the matcher reads it today."""
    effective = effective_capacity(prepared, stale_days)
    frame = prepared.frame
    out = []
    for row in rows:
        as_of = frame["capacity_as_of"].iloc[row]
        out.append(
            capacity_summary(
                CAPACITY_STATUSES[prepared.capacity[row]],
                CAPACITY_STATUSES[effective[row]],
                None if pd.isna(as_of) else pd.Timestamp(as_of).date(),
            )
        )
    return out
