"""Provider and user text is shown as text: markdown in it makes no link and fetches nothing.

Every service, organisation, locality, address and the caseworker's display name hold
markdown links, images and bare URLs. The caseworker's journey to a care plan must show them
literally, with no request leaving the machine and no anchor pointing outside it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from ..conftest import copy_demo
from .conftest import LOCAL_HOSTS, Offline
from .helpers import TIMEOUT, choose_options, heading, sign_in, tr
from .server import Server, serving

LINK = "[x](https://example.org)"
IMAGE = "![p](https://example.org/p.png)"
HOSTILE = (
    f"{LINK} {IMAGE} https://example.org/a www.example.org intake@example.org "
    "<img src=https://example.org/i> :red[x] *e* `c`"
)
JOINER = "\u2060"  # md() puts these invisible joiners into "https://", "www." and "@"
CASEWORKER = ("demo-caseworker", "punte-demo-caseworker")


@pytest.fixture(scope="module")
def hostile_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = copy_demo(demo_template, tmp_path_factory.mktemp("hostile") / "demo.db")
    with sqlite3.connect(db) as conn:  # as a hostile import or a careless coordinator would
        conn.execute("UPDATE service SET name = name || ' ' || ?", [HOSTILE])
        conn.execute("UPDATE organization SET name = name || ' ' || ?", [HOSTILE])
        conn.execute("UPDATE location SET locality = ?, address_1 = ?", [HOSTILE, HOSTILE])
        name = f"{LINK} {IMAGE}"  # a display name holds at most 100 characters
        conn.execute("UPDATE user SET display_name = ? WHERE username = 'demo-caseworker'", [name])
    return db


@pytest.fixture(scope="module")
def server(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("hostile-server") / "streamlit.log"
    with serving(hostile_db, log) as srv:
        yield srv


def outside_links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href], img[src], [style*='url(']",
        "els => els.map(e => e.href || e.src || e.getAttribute('style'))",
    )
    return [h for h in hrefs if urlsplit(h).hostname not in (*LOCAL_HOSTS, None)]


def test_hostile_names_stay_text(page: Page, offline: Offline):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, *CASEWORKER)
    sidebar = page.get_by_test_id("stSidebar").inner_text().replace(JOINER, "")
    assert f"{LINK} {IMAGE}" in sidebar  # the display name, as typed

    place = page.get_by_label(tr("find.origin.search"), exact=True)
    place.fill("Vaslui")
    place.press("Enter")
    choose_options(page, tr("find.needs"), tr("type.shelter_emergency"), tr("type.legal_aid"))
    expect(heading(page, tr("find.plan.title"))).to_be_visible(timeout=TIMEOUT)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("![p](").first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1000)  # let images, if any were made, start loading

    text = main.inner_text().replace(JOINER, "")
    # Shown literally, brackets and all.
    assert LINK in text and IMAGE in text and ":red[x] *e* `c`" in text
    # The only anchors are the app's own (navigation, heading anchors), none from data.
    anchors = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    where = page.eval_on_selector_all(
        "a[href*='example.org']",
        "els => els.map(e => (e.closest('[data-testid]') || e).getAttribute('data-testid') + ' '"
        " + e.parentElement.parentElement.outerHTML.slice(0, 300))",
    )
    assert not [h for h in anchors if h and "example.org" in h], where
    assert page.locator("img[src*='example.org']").count() == 0
    assert outside_links(page) == []
    assert offline.aborted == []
    assert [u for u in requests if urlsplit(u).hostname not in LOCAL_HOSTS] == []
