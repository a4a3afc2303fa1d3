"""What a user does in Chromium: sign in per role, lockout, language, the offline map, privacy.

The journeys share one server and one demo database (see conftest.py); each test has its own
page, so its own Streamlit session.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from directory.demo.accounts import DEMO_USERS
from directory.i18n import translate
from ui.registry import pages_for

from .conftest import LOCKOUT_PASSWORD, LOCKOUT_USER, Offline
from .helpers import (
    MAP_IFRAME,
    TIMEOUT,
    choose_language,
    choose_options,
    heading,
    map_frame,
    nav_titles,
    sign_in,
    sign_out,
    submit_sign_in,
    tr,
    wait_for_sign_in_page,
    wait_until,
)

ROLES = ["caseworker", "coordinator", "partner", "admin"]
# The README's demo accounts: demo-<role> / punte-demo-<role>.
ACCOUNTS = {role: (f"demo-{role}", f"punte-demo-{role}") for role in ROLES}


def test_demo_accounts_are_the_readme_ones():
    assert {role: (name, pw) for name, _, role, pw in DEMO_USERS} == ACCOUNTS


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_pages_and_signs_out(page: Page, screenshot, role: str):
    expected = [translate(spec.title_key, "ro") for spec in pages_for(role)]
    assert expected, role

    sign_in(page, *ACCOUNTS[role])
    # The first page of the role opens by itself.
    expect(heading(page, expected[0])).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(tr("demo.banner"))).to_be_visible()
    nav = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    expect(nav).to_have_count(len(expected), timeout=TIMEOUT)
    assert nav_titles(page) == expected
    screenshot()

    sign_out(page)
    expect(page.get_by_text(tr("auth.signed_out"))).to_be_visible(timeout=TIMEOUT)
    # Signed out, the only page is the sign-in page, so there is no navigation any more.
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("button", name=tr("auth.sign_out"))).to_have_count(0)
    expect(heading(page, expected[0])).to_have_count(0)


def test_wrong_password_then_lockout(page: Page, screenshot, demo_db: Path):
    # A dedicated account (made in conftest), so the demo accounts never get locked.
    invalid = tr("auth.error.invalid")
    locked = tr("auth.error.locked", minutes=0).split(".")[0]  # "Prea multe încercări nereușite"
    assert locked == "Prea multe încercări nereușite"
    alerts = page.get_by_test_id("stAlert")
    for attempt in range(1, 6):
        submit_sign_in(page, LOCKOUT_USER, f"wrong-password-{attempt}")
        # The error of the previous attempt is still shown while this one runs, so wait for
        # the server to have recorded this attempt before the next one.
        wait_until(lambda n=attempt: failures(demo_db, LOCKOUT_USER) == n)
        expect(alerts.filter(has_text=invalid)).to_be_visible(timeout=TIMEOUT)
    submit_sign_in(page, LOCKOUT_USER, LOCKOUT_PASSWORD)
    expect(alerts.filter(has_text=locked)).to_be_visible(timeout=TIMEOUT)
    expect(alerts.filter(has_text=invalid)).to_have_count(0)
    expect(page.get_by_role("button", name=tr("auth.sign_out"))).to_have_count(0)
    screenshot()


def failures(db_path: Path, username: str) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND entity_id = ?",
            [username],
        ).fetchone()[0]


def test_switch_to_english_and_back(page: Page, screenshot):
    wait_for_sign_in_page(page, "ro")
    choose_language(page, "ro", "English")
    wait_for_sign_in_page(page, "en")
    expect(heading(page, "Sign in to Punte")).to_be_visible()
    expect(page.get_by_role("button", name=translate("auth.submit", "en"))).to_be_visible()
    expect(page.get_by_text(translate("demo.banner", "en"))).to_be_visible()
    screenshot()

    choose_language(page, "en", "Română")
    expect(heading(page, "Autentificare în Punte")).to_be_visible(timeout=TIMEOUT)
    expect(heading(page, "Sign in to Punte")).to_have_count(0)


def test_map_renders_offline_for_a_caseworker(page: Page, offline: Offline, screenshot):
    sign_in(page, *ACCOUNTS["caseworker"])
    expect(heading(page, tr("page.find"))).to_be_visible(timeout=TIMEOUT)
    # The map shows the matches of the needs form: say where the child is and what it needs.
    map_frame(page, at_least=0)  # the empty map (county outlines only) comes first
    place = page.get_by_label(tr("find.origin.search"), exact=True)
    place.fill("Vaslui")
    place.press("Enter")
    expect(page.get_by_text(tr("find.choose_needs"))).to_be_visible(timeout=TIMEOUT)
    needs = [tr("type.legal_aid"), tr("type.psychological_counselling")]
    choose_options(page, tr("find.needs"), *needs)
    expect(page.get_by_role("tab", name=tr("find.tab.plan"))).to_be_visible(timeout=TIMEOUT)
    # The child's place is one circle marker; at least one provider is drawn besides it.
    frame = map_frame(page, at_least=2)
    assert frame.locator(".leaflet-container").count() == 1
    # The 42 county outlines (41 counties and Bucharest) are vector paths.
    assert frame.locator("path").count() >= 42
    height = page.locator(MAP_IFRAME).evaluate("el => el.getBoundingClientRect().height")
    assert height > 300
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the marker clusters animate in; let them settle for the picture
    screenshot(full_page=False)
    assert offline.aborted == []


def found(address: str, text: str) -> bool:
    """Whether ``address`` appears in ``text`` raw, HTML-escaped or JSON-escaped.

    A trailing digit is not a match, so "nr. 1" is not found inside "nr. 12".
    """
    forms = {
        address,
        html.escape(address),
        json.dumps(address)[1:-1],
        json.dumps(address, ensure_ascii=False)[1:-1],
    }
    return any(re.search(re.escape(f) + r"(?!\d)", text) for f in forms)


def download_table(page: Page) -> list[dict[str, str]]:
    """The rows of the page's st.dataframe, through its toolbar's CSV download."""
    table = page.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    table.hover()
    button = page.get_by_test_id("stElementToolbar").get_by_role("button", name="Download as CSV")
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    data = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data)))
