"""A partner opens Coverage in Chromium, picks legal aid, reads the map, downloads results."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import Offline
from .helpers import MAP_IFRAME, TIMEOUT, heading, map_frame, sign_in, tr
from .test_journeys import ACCOUNTS, found

SHOTS = Path(__file__).resolve().parent / "screenshots"


def download(page: Page, label: str) -> bytes:
    button = page.get_by_role("button", name=label, exact=True)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def test_partner_coverage_journey(page: Page, offline: Offline, screenshot, demo_db: Path):
    with sqlite3.connect(demo_db) as db:
        secret = {
            r[0]
            for r in db.execute(
                "SELECT address_1 FROM location"
                " WHERE disclosure != 'public' AND address_1 IS NOT NULL"
            )
        }
    assert secret

    sign_in(page, *ACCOUNTS["partner"])
    expect(heading(page, tr("page.coverage"))).to_be_visible(timeout=TIMEOUT)
    # Pick legal aid explicitly (it is also the default).
    page.get_by_label(tr("coverage.type")).click()
    page.get_by_role("option", name=tr("type.legal_aid"), exact=True).click()
    summary = page.get_by_text("mai mult de jumătate din populație locuiește la peste 60")
    expect(summary).to_be_visible(timeout=TIMEOUT)
    assert "asistență juridică" in summary.inner_text()
    expect(page.get_by_text(tr("coverage.basis.domicile_2020"), exact=False)).to_be_visible()

    # The choropleth: 42 county paths filled with the computed colours, plus the markers.
    frame = map_frame(page, at_least=43)
    fills = frame.eval_on_selector_all(
        "path.leaflet-interactive", "els => els.map(e => e.getAttribute('fill'))"
    )
    assert len(set(fills) & {"#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"}) >= 2
    assert "OpenStreetMap contributors" in frame.content()
    legend = page.locator(".punte-coverage-legend")
    expect(legend).to_be_visible()
    leaked = sorted(a for a in secret if found(a, frame.content()) or found(a, page.content()))
    assert leaked == []

    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "coverage-map.png"), full_page=False)

    counties = download(page, tr("coverage.download.counties")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(counties)))
    assert len(rows) == 42 and all(0 <= float(r["share_60_min"]) <= 1 for r in rows)
    uats = download(page, tr("coverage.download.uats")).decode("utf-8-sig")
    assert not [a for a in secret if found(a, uats)]
    png = download(page, tr("coverage.download.png"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    (SHOTS / "coverage-download.png").write_bytes(png)
    screenshot()
    assert offline.aborted == []
