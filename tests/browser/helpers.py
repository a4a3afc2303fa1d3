"""Small Playwright helpers for driving the Streamlit app like a user would."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Frame, Page, expect

from directory.i18n import translate

TIMEOUT = 30_000
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Provider markers: clusters, lone circle markers (interactive paths; the county outlines are
# not interactive) or icons. County names are `.leaflet-marker-icon.punte-label`: not markers.
MARKERS = ".marker-cluster, path.leaflet-interactive, .leaflet-marker-icon:not(.punte-label)"


def tr(key: str, lang: str = "ro", **values: object) -> str:
    return translate(key, lang, **values)


def wait_for_sign_in_page(page: Page, lang: str = "ro") -> None:
    expect(page.get_by_role("heading", name=tr("auth.title", lang))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_label(tr("auth.username", lang), exact=True)).to_be_visible(timeout=TIMEOUT)


def submit_sign_in(page: Page, username: str, password: str) -> None:
    """Fill the sign-in form and press its button; do not wait for any outcome."""
    wait_for_sign_in_page(page)
    page.get_by_label(tr("auth.username"), exact=True).fill(username)
    page.get_by_label(tr("auth.password"), exact=True).fill(password)
    page.get_by_role("button", name=tr("auth.submit")).click()


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in and wait until the signed-in app (its sign-out button) is shown."""
    submit_sign_in(page, username, password)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("button", name=tr("auth.sign_out"))).to_be_visible(timeout=TIMEOUT)


def sign_out(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name=tr("auth.sign_out")).click()
    wait_for_sign_in_page(page)


def nav_titles(page: Page) -> list[str]:
    """The titles of the pages listed in the sidebar navigation, in order."""
    links = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    labels = links.locator('[data-testid="stMarkdownContainer"]')
    return [text.strip() for text in labels.all_inner_texts()]


def choose_options(page: Page, label: str, *options: str, settle_ms: int = 300) -> None:
    """Pick ``options`` in the selectbox or multiselect labelled ``label``.

    A rerun may redraw the list under the click (on a busy machine, now and then): the list
    is opened again, and in a multiselect each pick is confirmed by its chip, so a test
    checks the page's answer to the picks, never a lost click. ``settle_ms``: a pause after
    each pick for its rerun to start (the browser benchmark, which times the picks, uses 0).
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    multi = page.get_by_test_id("stMultiSelect").filter(has=box)
    for option in options:
        chip = multi.locator(f'[data-tag][aria-label="{option}"]')
        for attempt in range(5):
            if attempt and multi.count() and chip.count():
                break  # the earlier click landed after all (a slow run drew its chip late)
            try:
                # A multiselect's list stays open after a pick: the next option is clicked
                # in it, as a person does, without clicking the field again.
                if attempt or box.get_attribute("aria-expanded") != "true":
                    box.click()
                page.get_by_role("option", name=option, exact=True).click(timeout=3000)
                if multi.count():
                    chip.wait_for(timeout=3000)
                break
            except Exception:  # noqa: BLE001 - the list was redrawn under the click: again
                page.keyboard.press("Escape")
                if attempt == 4:
                    raise
        if settle_ms:
            page.wait_for_timeout(settle_ms)
    page.keyboard.press("Escape")


def choose_language(page: Page, current_lang: str, name: str) -> None:
    """Pick ``name`` (e.g. "English") in the sidebar language selectbox."""
    box = page.get_by_test_id("stSidebar").get_by_role(
        "combobox", name=tr("sidebar.language", current_lang)
    )
    box.click()
    page.get_by_role("option", name=name, exact=True).click()


def heading(page: Page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def map_frame(page: Page, at_least: int = 1) -> Frame:
    """The st_folium iframe, once Leaflet has drawn ``at_least`` markers in it."""
    page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT)
    if at_least:
        frame.locator(MARKERS).nth(at_least - 1).wait_for(state="visible", timeout=TIMEOUT)
    handle = page.locator(MAP_IFRAME).element_handle()
    content = handle.content_frame() if handle else None
    assert content is not None, "the map iframe has no document"
    return content


def wait_until(condition, timeout: float = TIMEOUT / 1000) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {condition}")
        time.sleep(0.05)
