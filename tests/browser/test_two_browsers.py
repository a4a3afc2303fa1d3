"""Two browsers side by side on one server: a care plan sent at once, a decline, next-best.

The caseworker (one browser context) sends a three-service plan in one go; the receiving
coordinator (another context, its own session) sees the packet and declines the shelter with
a reason; the caseworker sees the count in the sidebar, opens it and sends to the next best in
one click; nothing is offered twice. Screenshots in Romanian and English.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ..conftest import copy_demo
from .conftest import Offline, new_context, new_page, screenshot_path
from .helpers import TIMEOUT, choose_language, choose_options, heading, sign_in, tr, wait_until
from .server import Server, serving
from .test_referral_journey import (
    CASEWORKER,
    COORDINATOR,
    NEEDS,
    open_page,
    referrals_of,
    select,
    shot,
)

CASE = "VS-2026-0777"


@pytest.fixture(scope="module")
def two_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("two-browsers") / "demo.db")


@pytest.fixture(scope="module")
def server(two_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This module's own server and database: the journey writes referrals."""
    log = tmp_path_factory.mktemp("two-browsers-server") / "streamlit.log"
    with serving(two_db, log) as srv:
        yield srv


def service_name(db_path: Path, case: str, service_type: str) -> str:
    with sqlite3.connect(db_path) as db:
        return db.execute(
            "SELECT s.name FROM referral r JOIN service_at_location sal"
            " ON sal.id = r.service_at_location_id JOIN service s ON s.id = sal.service_id"
            " WHERE r.case_code = ? AND s.service_type = ?",
            [case, service_type],
        ).fetchone()[0]


def plan_form(page: Page, lang: str = "ro"):
    return page.get_by_test_id("stForm").filter(has_text=tr("find.plan.send.button", lang))


def test_plan_decline_and_next_best_in_two_browsers(
    browser, server: Server, two_db: Path, request: pytest.FixtureRequest
):
    # Two contexts, as two people's browsers: two pages of one context would leave one a
    # background tab, whose drawing Chromium holds back (the journey took twice as long).
    offline = Offline()
    caseworker = new_page(new_context(browser), server.url, offline)
    coordinator = new_page(new_context(browser), server.url, offline)
    try:
        sign_in(caseworker, *CASEWORKER)
        sign_in(coordinator, *COORDINATOR)

        # 1. The caseworker's plan for the girl in Vaslui, sent in one go.
        place = caseworker.get_by_label(tr("find.origin.search"), exact=True)
        place.fill("Vaslui")
        place.press("Enter")
        select(caseworker, tr("find.gender"), tr("gender.female"))
        choose_options(caseworker, tr("find.needs"), *[tr("type." + n) for n in NEEDS])
        # The whole plan's form is drawn once its expander is opened.
        caseworker.get_by_text(tr("find.plan.send.title"), exact=True).click()
        form = plan_form(caseworker)
        expect(form).to_be_visible(timeout=TIMEOUT)
        ticks = form.get_by_role("checkbox")
        for n, need in enumerate(NEEDS, start=1):  # every chosen service starts ticked
            item = form.get_by_text(re.compile(rf"^{n} — {re.escape(tr('type.' + need))}: "))
            expect(item).to_be_visible(timeout=TIMEOUT)
        form.get_by_label(tr("ref.case_code"), exact=True).fill(CASE)
        # Consent unticked by default; the next-best search needs the starting area (UAT).
        form.get_by_text(tr("consent.origin_area"), exact=True).click()
        assert ticks.count() >= 3 + 5
        form.get_by_role("button", name=tr("find.plan.send.button"), exact=True).click()
        sent = tr("find.plan.send.sent", n=3, code=CASE)
        expect(caseworker.get_by_text(sent)).to_be_visible(timeout=TIMEOUT)
        plan = referrals_of(two_db, CASE)
        assert sorted(r["service_type"] for r in plan) == sorted(NEEDS)
        assert {r["status"] for r in plan} == {"sent"}
        shot(caseworker, request, "1-ro-plan-sent")

        # 2. The coordinator, in the other browser: the packet, then a decline with a reason.
        # Signed in before the plan was sent: the next run (a page change) shows the count.
        open_page(coordinator, tr("page.referrals"))
        waiting = coordinator.get_by_test_id("stSidebar").get_by_text(
            re.compile(r"^Trimiteri: [1-3] așteaptă răspunsul")
        )
        expect(waiting).to_be_visible(timeout=TIMEOUT)
        waiting.click()
        expect(heading(coordinator, tr("page.referrals"))).to_be_visible(timeout=TIMEOUT)
        pick = coordinator.get_by_role("combobox", name=tr("ref.pick"), exact=True)
        expect(pick).to_have_value(re.compile(CASE), timeout=TIMEOUT)
        # The shelter's organisation may run more of the plan: it opens the shelter's.
        shelter = service_name(two_db, CASE, "shelter_emergency")
        select(coordinator, tr("ref.pick"), f"{CASE} · {shelter} · {tr('status.sent')}")
        # The packet: every need of the plan and the age band, in a list under the table.
        packet = coordinator.get_by_role("listitem").filter(has_text=tr("find.needs"))
        expect(packet.first).to_be_visible(timeout=TIMEOUT)
        for need in NEEDS:
            expect(packet.first).to_contain_text(tr("type." + need))
        expect(coordinator.get_by_role("listitem").filter(has_text="15-17").first).to_be_visible()
        select(coordinator, tr("ref.move_to"), tr("status.declined"))
        select(coordinator, tr("ref.decline_reason"), tr("decline.no_capacity"))
        coordinator.get_by_text(tr("ref.confirm_close"), exact=True).click()
        coordinator.get_by_role("button", name=tr("ref.apply"), exact=True).click()
        wait_until(lambda: "declined" in {r["status"] for r in referrals_of(two_db, CASE)})
        (declined,) = [r for r in referrals_of(two_db, CASE) if r["status"] == "declined"]
        assert declined["service_type"] == "shelter_emergency"
        assert declined["decline_reason"] == "no_capacity"
        expect(coordinator.get_by_role("button", name=tr("ref.apply"))).to_have_count(0)
        shot(coordinator, request, "2-ro-coordinator-declined")

        # 3. The caseworker sees the count (on the next run), opens it, sends on in one click.
        open_page(caseworker, tr("page.find"))  # any page change redraws the sidebar
        count = caseworker.get_by_test_id("stSidebar").get_by_text(
            tr("attention.sender", new=1, overdue=0)
        )
        expect(count).to_be_visible(timeout=TIMEOUT)
        count.click()
        expect(heading(caseworker, tr("page.referrals"))).to_be_visible(timeout=TIMEOUT)
        pick = caseworker.get_by_role("combobox", name=tr("ref.pick"), exact=True)
        expect(pick).to_have_value(re.compile(tr("status.declined")), timeout=TIMEOUT)
        again = caseworker.get_by_role("button", name=tr("ref.next.send"), exact=True)
        expect(again).to_be_visible(timeout=TIMEOUT)
        again.click()
        expect(caseworker.get_by_text(tr("ref.next.pending"))).to_be_visible(timeout=TIMEOUT)
        expect(again).to_have_count(0)  # nothing more is offered for the shelter
        shot(caseworker, request, "3-ro-next-best-sent")

        # Nothing was sent twice: four referrals, four different services, one declined.
        every = referrals_of(two_db, CASE)
        assert len(every) == 4
        assert len({r["service_at_location_id"] for r in every}) == 4
        assert sorted(r["status"] for r in every) == ["declined", "sent", "sent", "sent"]
        assert [r["service_type"] for r in every].count("shelter_emergency") == 2

        # 4. The same screens in English.
        choose_language(caseworker, "ro", "English")
        expect(heading(caseworker, tr("page.referrals", "en"))).to_be_visible(timeout=TIMEOUT)
        expect(caseworker.get_by_text(tr("ref.next.pending", "en"))).to_be_visible()
        shot(caseworker, request, "4-en-caseworker-referrals")
        choose_language(coordinator, "ro", "English")
        expect(heading(coordinator, tr("page.referrals", "en"))).to_be_visible(timeout=TIMEOUT)
        shot(coordinator, request, "5-en-coordinator-referrals")
        # Back on Find, the form kept its answers (the plan shows again, now in English).
        open_page(caseworker, tr("page.find", "en"))
        expect(heading(caseworker, tr("find.plan.title", "en"))).to_be_visible(timeout=TIMEOUT)
        expect(plan_form(caseworker, "en")).to_be_visible(timeout=TIMEOUT)
        shot(caseworker, request, "6-en-find-kept")
    except Exception:
        for n, page in enumerate((caseworker, coordinator)):
            page.screenshot(path=str(screenshot_path(request.node.name, f"failed-{n}")))
        raise
    finally:
        for page in (caseworker, coordinator):
            page.context.close()
    assert offline.aborted == []
