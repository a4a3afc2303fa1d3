"""The five children of DESIGN.md §3 in Chromium: the map numbers the plan's picks, in their
types' colours and above everything else, and every pick shows its fits (✓) and gaps (⚠)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from matching.profiles import PROFILES

from .helpers import MAP_IFRAME, TIMEOUT, choose_options, heading, sign_in, tr, wait_until

ORIGINS = {  # what a caseworker types for each profile's place
    "vaslui_girl": "București Sector 3",
    "harghita_boy": "Miercurea Ciuc",
    "iasi_online": "Iași",
    "otopeni_mother": "Otopeni",
    "siret_ukraine": "Siret",
}
PALETTE_RGB = {  # ui.maps.PALETTE as the browser reports it
    "shelter_emergency": "rgb(204, 102, 119)",
    "shelter_residential": "rgb(136, 34, 85)",
    "legal_aid": "rgb(51, 34, 136)",
    "psychological_counselling": "rgb(136, 204, 238)",
    "medical": "rgb(68, 170, 153)",
    "social_reintegration": "rgb(17, 119, 51)",
    "family_support": "rgb(153, 153, 51)",
    "repatriation": "rgb(85, 85, 85)",
}


def fill_profile(page: Page, name: str) -> None:
    needs = PROFILES[name]
    place = page.get_by_label(tr("find.origin.search"), exact=True)
    place.fill(ORIGINS[name])
    place.press("Enter")
    page.get_by_role("combobox", name=tr("find.origin.candidates"), exact=True).wait_for()
    age = page.get_by_label(tr("find.age"), exact=True)
    age.fill(str(needs.age))
    age.press("Enter")
    if needs.gender:
        choose_options(page, tr("find.gender"), tr("gender." + needs.gender))
    extra = [tr("lang." + code) for code in needs.languages if code != "ro"]
    if extra:
        choose_options(page, tr("find.languages"), *extra)
    if needs.requirements:
        page.get_by_text(tr("find.more"), exact=True).click()
        choose_options(
            page, tr("find.requirements"), *(tr("requirement." + r) for r in needs.requirements)
        )
    choose_options(page, tr("find.needs"), *(tr("type." + n) for n in needs.needs))
    for need in needs.needs:
        expect(heading(page, tr("type." + need))).to_be_visible(timeout=TIMEOUT)


@pytest.mark.parametrize("name", list(ORIGINS))
def test_the_map_numbers_the_picks_and_the_plan_says_fits_and_gaps(
    page: Page, screenshot, name: str
):
    sign_in(page, "demo-caseworker", "punte-demo-caseworker")
    fill_profile(page, name)
    needs = PROFILES[name].needs
    # Each need met has a card numbered like its marker; an unmet need says why instead.
    cards = page.get_by_role("button", name=tr("find.card.show_on_map"), exact=True)
    unmet = page.get_by_text(tr("find.plan.unmet", reason="")[:12])
    expect(cards.first).to_be_visible(timeout=TIMEOUT)
    # A heading can be drawn a moment before its card's buttons: wait for every need's.
    wait_until(lambda: cards.count() + unmet.count() >= len(needs))
    met = cards.count()
    plan_text = page.get_by_test_id("stTabs").inner_text()
    assert "✓ " in plan_text and "⚠ " in plan_text  # fits and gaps, apart
    assert tr("find.score.explained", score="", parts="")[:5] in plan_text
    # The map: one numbered marker per pick, 1..n, in the colour of its need's type.
    frame = page.frame_locator(MAP_IFRAME)
    picks = frame.locator(".punte-pick")
    expect(picks).to_have_count(met, timeout=TIMEOUT)
    numbers = sorted(int(t) for t in picks.all_inner_texts())
    assert numbers == list(range(1, met + 1))
    colours = {
        picks.nth(i).locator("div").evaluate("el => getComputedStyle(el).backgroundColor")
        for i in range(met)
    }
    assert colours <= set(PALETTE_RGB.values())
    # The picks' pane is above the clusters' pane; the origin's above both.
    z = frame.locator(".leaflet-puntePicks-pane").evaluate("el => +el.style.zIndex")
    zo = frame.locator(".leaflet-punteOthers-pane").evaluate("el => +el.style.zIndex")
    zr = frame.locator(".leaflet-punteOrigin-pane").evaluate("el => +el.style.zIndex")
    assert zo < z < zr
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # the clusters animate in
    screenshot(full_page=True)
    if name == "vaslui_girl":  # the other way round: a click on marker 2 lights its card
        lit = page.get_by_test_id("stMarkdown").filter(has_text=tr("find.card.on_map"))
        expect(lit).to_have_count(0)
        second = next(i for i in range(met) if picks.nth(i).inner_text().strip() == "2")
        picks.nth(second).click()
        expect(lit).to_have_count(1, timeout=TIMEOUT)
        assert lit.inner_text().split(tr("find.card.on_map"), 1)[1].lstrip().startswith("2.")
