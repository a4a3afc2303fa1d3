"""A coordinator in Chromium: capacity, a bad e-mail caught next to its field, an import
preview, and a provider's self-update link opened without an account."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.listings.messy import csv_text, row

from .helpers import TIMEOUT, heading, sign_in, tr
from .test_journeys import ACCOUNTS


def tab(page: Page, key: str) -> None:
    page.get_by_role("tab", name=tr(key)).click()


def test_coordinator_listings_journey(page: Page, screenshot, demo_db: Path, tmp_path: Path):
    sign_in(page, *ACCOUNTS["coordinator"])
    expect(heading(page, tr("page.listings"))).to_be_visible(timeout=TIMEOUT)

    # Capacity: one screen, a number too high is refused next to its field, then saved.
    tab(page, "listings.tab.capacity")
    panel = page.get_by_role("tabpanel")
    panel.get_by_label(tr("field.beds_available"), exact=True).fill("9")
    panel.get_by_label(tr("field.beds_total"), exact=True).fill("3")
    panel.get_by_role("button", name=tr("capacity.save")).click()
    expect(page.get_by_text("9 locuri disponibile înseamnă mai mult")).to_be_visible(
        timeout=TIMEOUT
    )
    panel.get_by_label(tr("field.beds_available"), exact=True).fill("2")
    panel.get_by_role("button", name=tr("capacity.save")).click()
    expect(page.get_by_text(re.compile("Capacitatea pentru .* a fost salvată"))).to_be_visible(
        timeout=TIMEOUT
    )
    screenshot()

    # A self-update link for the provider: printed, then opened without an account.
    tab(page, "listings.tab.capacity")
    page.get_by_role("button", name=tr("link.create")).click()
    link = page.locator("code", has_text="capacity_token=").first
    expect(link).to_be_visible(timeout=TIMEOUT)
    url = link.inner_text().strip()

    # Edit: a bad e-mail is named under its field, in Romanian.
    tab(page, "listings.tab.edit")
    panel = page.get_by_role("tabpanel")
    panel.get_by_label(tr("listings.record")).click()
    page.get_by_role("option").nth(1).click()
    email = panel.get_by_label(tr("field.email"), exact=True).last
    expect(email).to_have_value(re.compile("@"), timeout=TIMEOUT)  # the record's form is shown
    email.fill("ana@")
    email.press("Tab")
    panel.get_by_role("button", name=tr("listings.save")).click()
    expect(page.get_by_text("ana@ nu este o adresă de e-mail (nume@exemplu.ro).")).to_be_visible(
        timeout=TIMEOUT
    )
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / "listings-edit.png"))

    # Import: a coordinator's CSV is previewed row by row before anything is saved.
    tab(page, "listings.tab.import")
    file = tmp_path / "servicii.csv"
    file.write_text(csv_text([row(0), row(1, **{"Vârsta minimă": "17", "Vârsta maximă": "6"})]))
    page.locator('input[type="file"]').set_input_files(str(file))
    expect(page.get_by_text(re.compile(r"2 rânduri: 1 valide, 1 invalide"))).to_be_visible(
        timeout=TIMEOUT * 2
    )
    page.screenshot(
        path=str(Path(__file__).parent / "screenshots" / "listings-import.png"), full_page=True
    )
    with sqlite3.connect(demo_db) as db:  # a preview saves nothing
        sql = "SELECT COUNT(*) FROM service WHERE name LIKE 'Consiliere pentru%'"
        assert db.execute(sql).fetchone()[0] == 0

    # The provider's page: the service name and capacity fields only.
    page.context.clear_cookies()
    scheme, _, host = page.url.split("/", 3)[:3]
    page.goto(url.replace("http://localhost:8501", f"{scheme}//{host}"))
    expect(heading(page, tr("link.page_title"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name=tr("capacity.still_correct"))).to_be_visible()
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / "capacity-link.png"))
