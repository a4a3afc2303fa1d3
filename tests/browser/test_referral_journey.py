"""The issue's acceptance journey: a care plan, a referral, a decline, the next-best referral.

A caseworker finds services for a girl in Vaslui and refers her to the care plan's emergency
shelter; the shelter's coordinator declines it (no places); the caseworker is offered the
next-best shelter and sends the referral there.

The journey writes referrals, so it runs on its own demo database and server (this module's
``server`` fixture overrides the session one of conftest.py): the other journeys' database
never holds referrals they did not make.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ..conftest import copy_demo
from .conftest import VIEWPORT, Offline, screenshot_path
from .helpers import (
    MARKERS,
    TIMEOUT,
    choose_options,
    heading,
    map_frame,
    sign_in,
    sign_out,
    tr,
    wait_until,
)
from .server import Server, serving

CASEWORKER = ("demo-caseworker", "punte-demo-caseworker")
COORDINATOR = ("demo-coordinator", "punte-demo-coordinator")
CASE_CODE = "VS-2026-0142"
NEEDS = ("shelter_emergency", "legal_aid", "psychological_counselling")


@pytest.fixture(scope="module")
def journey_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's demo database (directory and demo accounts) for this module."""
    return copy_demo(demo_template, tmp_path_factory.mktemp("referral-journey") / "demo.db")


@pytest.fixture(scope="module")
def server(journey_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Overrides conftest's session server for this module: the app on ``journey_db``."""
    log = tmp_path_factory.mktemp("referral-journey-server") / "streamlit.log"
    with serving(journey_db, log) as srv:
        yield srv


def shot(page: Page, request: pytest.FixtureRequest, step: str) -> Path:
    """Screenshot the whole app page as screenshots/<test>-<step>.png.

    Streamlit scrolls inside its main container, so a full-page screenshot is only the
    window: the window is made as tall as the content for the picture, then put back.
    """
    tall = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stAppViewContainer], [data-testid=stSidebar]'),"
        " e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(tall, 900), 4000)})
    page.wait_for_timeout(400)  # relayout (the map iframe grows with its column)
    path = screenshot_path(request.node.name, step)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)
    return path


def select(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox ``label`` and wait until it shows it.

    Not helpers.choose_options: its closing Escape, pressed right after the pick, empties a
    Streamlit 1.67 selectbox again (it shows "Choose an option"); a multiselect is unaffected.
    A rerun that redraws the page can close the list just opened, so opening is retried.
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(3):
        box.click()
        try:
            choice.click(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    expect(box).to_have_value(option, timeout=TIMEOUT)


def open_page(page: Page, title: str) -> None:
    """Follow the sidebar navigation link ``title`` and wait for the page's title."""
    nav = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    nav.filter(has_text=title).first.click()
    expect(heading(page, title)).to_be_visible(timeout=TIMEOUT)


def referrals_of(db_path: Path, case_code: str) -> list[dict]:
    with sqlite3.connect(db_path) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT r.*, s.service_type, s.organization_id AS provider_org"
            " FROM referral r"
            " JOIN service_at_location sal ON sal.id = r.service_at_location_id"
            " JOIN service s ON s.id = sal.service_id"
            " WHERE r.case_code = ? ORDER BY r.created_at, r.id",
            [case_code],
        ).fetchall()
    return [dict(r) for r in rows]


def user_org(db_path: Path, username: str) -> str:
    with sqlite3.connect(db_path) as db:
        query = 'SELECT organization_id FROM "user" WHERE username = ?'
        return db.execute(query, [username]).fetchone()[0]


def test_refer_decline_then_next_best(
    page: Page, offline: Offline, journey_db: Path, request: pytest.FixtureRequest
):
    # 1. The caseworker's care plan for a 15-year-old girl in Vaslui.
    sign_in(page, *CASEWORKER)
    expect(heading(page, tr("page.find"))).to_be_visible(timeout=TIMEOUT)
    place = page.get_by_label(tr("find.origin.search"), exact=True)
    place.fill("Vaslui")
    place.press("Enter")
    found = page.get_by_role("combobox", name=tr("find.origin.candidates"), exact=True)
    expect(found).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_label(tr("find.age"), exact=True)).to_have_value("15")
    select(page, tr("find.gender"), tr("gender.female"))
    labels = [tr("type." + need) for need in NEEDS]
    choose_options(page, tr("find.needs"), *labels)

    expect(heading(page, tr("find.plan.title"))).to_be_visible(timeout=TIMEOUT)
    for label in labels:  # "#### <type>": one heading per need of the plan
        expect(heading(page, label)).to_be_visible(timeout=TIMEOUT)
    # Each choice comes with its reasons, e.g. the road time (an estimate on main roads).
    expect(page.get_by_text("estimat, drumuri principale").first).to_be_visible(timeout=TIMEOUT)
    assert page.get_by_text("estimat, drumuri principale").count() >= len(NEEDS)
    next_buttons = page.get_by_role("button", name="Următorul candidat")
    expect(next_buttons).to_have_count(len(NEEDS), timeout=TIMEOUT)

    # The map beside the plan: Leaflet drew the origin and the matched services, offline.
    frame = map_frame(page, at_least=2)
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.locator(MARKERS).count() >= 2
    page.wait_for_timeout(500)  # the marker clusters animate in; let them settle
    shot(page, request, "1-care-plan")
    assert offline.aborted == []

    # 2. Refer the child to the plan's first choice (the emergency shelter).
    form = page.get_by_test_id("stExpander").filter(has_text=tr("ref.form.title")).first
    form.get_by_text(tr("ref.form.title")).click()
    code = form.get_by_label(tr("ref.case_code"), exact=True)
    expect(code).to_be_visible(timeout=TIMEOUT)
    code.fill(CASE_CODE)
    # Consent boxes start unticked; the next-best offer needs the starting area (UAT only).
    form.get_by_text(tr("consent.origin_area"), exact=True).click()
    form.get_by_role("button", name=tr("ref.send"), exact=True).click()
    sent = f"Trimiterea {CASE_CODE} a fost trimisă."
    expect(page.get_by_text(sent)).to_be_visible(timeout=TIMEOUT)
    first = referrals_of(journey_db, CASE_CODE)
    assert len(first) == 1 and first[0]["status"] == "sent"
    assert first[0]["service_type"] == "shelter_emergency"
    # The top shelter for Vaslui is run by the demo coordinator's organisation.
    assert first[0]["provider_org"] == user_org(journey_db, COORDINATOR[0])
    sign_out(page)

    # 3. The shelter's coordinator declines it: no places.
    sign_in(page, *COORDINATOR)
    open_page(page, tr("page.referrals"))
    pick = page.get_by_role("combobox", name=tr("ref.pick"), exact=True)
    expect(pick).to_have_value(re.compile(CASE_CODE), timeout=TIMEOUT)
    select(page, tr("ref.move_to"), tr("status.declined"))
    select(page, tr("ref.decline_reason"), tr("decline.no_capacity"))
    page.get_by_role("button", name=tr("ref.apply"), exact=True).click()
    # A decline closes the referral: it asks for a confirmation first.
    expect(page.get_by_text(tr("ref.error.confirm"))).to_be_visible(timeout=TIMEOUT)
    assert referrals_of(journey_db, CASE_CODE)[0]["status"] == "sent"
    page.get_by_text(tr("ref.confirm_close"), exact=True).click()
    page.get_by_role("button", name=tr("ref.apply"), exact=True).click()
    wait_until(lambda: referrals_of(journey_db, CASE_CODE)[0]["status"] == "declined")
    declined = referrals_of(journey_db, CASE_CODE)
    assert len(declined) == 1
    assert declined[0]["status"] == "declined"
    assert declined[0]["decline_reason"] == "no_capacity"
    # After the save the page reruns: a declined referral has no further moves, so the
    # status form is gone. (The "Trimiterea" selectbox may still read "· trimisă" here: its
    # label is not redrawn after the rerun; the table and the history say "refuzată".)
    save = page.get_by_role("button", name=tr("ref.apply"), exact=True)
    expect(save).to_have_count(0, timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name=tr("ref.move_to"), exact=True)).to_have_count(0)
    shot(page, request, "2-coordinator-declined")
    sign_out(page)

    # 4. The caseworker is offered the next-best shelter and sends the referral there.
    sign_in(page, *CASEWORKER)
    open_page(page, tr("page.referrals"))
    expect(page.get_by_text("Următoarea potrivire:")).to_be_visible(timeout=TIMEOUT)
    again = page.get_by_role("button", name=tr("ref.next.send"), exact=True)
    expect(again).to_be_visible(timeout=TIMEOUT)
    shot(page, request, "3-next-best-offer")
    assert page.get_by_text("a fost trimisă").count() == 0
    again.click()
    expect(page.get_by_text(sent)).to_be_visible(timeout=TIMEOUT)
    # The list refreshed: the new referral is pending, so no third shelter is offered.
    expect(page.get_by_text(tr("ref.next.pending"))).to_be_visible(timeout=TIMEOUT)
    expect(again).to_have_count(0)
    shot(page, request, "4-next-best-sent")

    both = referrals_of(journey_db, CASE_CODE)
    assert len(both) == 2
    assert both[0]["status"] == "declined" and both[1]["status"] == "sent"
    assert both[0]["service_at_location_id"] != both[1]["service_at_location_id"]
    assert both[1]["service_type"] == "shelter_emergency"
    assert offline.aborted == []
