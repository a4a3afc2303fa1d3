"""The capacity line of a listing agrees with the capacity the matcher ranks on."""

from __future__ import annotations

from datetime import date

import pytest

from directory.listings.capacity import CapacityText, capacity_summaries, capacity_summary
from directory.storage.frame import services_frame
from directory.vocab import CAPACITY_STATUSES
from matching.prepared import prepare
from matching.rank import effective_capacity

from .conftest import TODAY

DAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    "reported, effective, on, expected, en",
    [
        ("available", "available", DAY, CapacityText("find.capacity_as_of", "available", DAY),
         "places available (reported 2026-11-20)"),
        ("full", "full", DAY, CapacityText("find.capacity_as_of", "full", DAY),
         "full (reported 2026-11-20)"),
        ("available", "unknown", DAY, CapacityText("find.capacity_stale", "unknown", DAY),
         "unknown (the last report, from 2026-11-20, is too old)"),
        ("unknown", "unknown", None, CapacityText("capacity.unknown", "unknown"), "unknown"),
        # Never dated: the matcher reads it as unknown, and so does the card.
        ("available", "unknown", None, CapacityText("capacity.unknown", "unknown"), "unknown"),
    ],
)  # fmt: skip
def test_capacity_summary(reported, effective, on, expected, en):
    summary = capacity_summary(reported, effective, on)
    assert summary == expected
    assert summary.text("en") == en


def test_romanian_text():
    assert capacity_summary("full", "full", DAY).text("ro") == "ocupat (raportat la 2026-11-20)"


@pytest.fixture(scope="module")
def prepared(demo_template):
    from directory.storage.store import Store

    with Store(demo_template) as store:  # read only
        return prepare(services_frame(store, details=True), TODAY)


@pytest.mark.parametrize("stale_days", [0, 7, 14, 60])
def test_every_card_says_what_the_matcher_used(prepared, stale_days):
    rows = list(range(len(prepared)))
    summaries = capacity_summaries(prepared, rows, stale_days)
    effective = effective_capacity(prepared, stale_days)
    assert [s.status for s in summaries] == [CAPACITY_STATUSES[c] for c in effective]
    # The demo holds reports 0 to 60 days old: a short limit makes some of them stale.
    stale = sum(s.key == "find.capacity_stale" for s in summaries)
    assert stale > 0 if stale_days <= 14 else True
