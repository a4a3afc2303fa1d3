"""The needs field shows every chosen need (issue 16 item 4): with seven needs chosen each
chip lies inside the field's visible box, none scrolled out of view inside the field."""

from __future__ import annotations

from playwright.sync_api import Page

from directory.vocab import SERVICE_TYPES

from .helpers import choose_options, sign_in, tr

SEVEN = SERVICE_TYPES[:7]


def test_seven_chosen_needs_are_all_visible_in_the_field(page: Page, screenshot):
    sign_in(page, "demo-caseworker", "punte-demo-caseworker")
    names = [tr("type." + n) for n in SEVEN]
    choose_options(page, tr("find.needs"), *names)
    box = page.get_by_role("combobox", name=tr("find.needs"), exact=True)
    field = page.get_by_test_id("stMultiSelect").filter(has=box)
    page.wait_for_timeout(300)  # the last chip's rerun has drawn the field
    # The box the user sees: the field, clipped by every scrolling ancestor inside it.
    inside = """(chip) => {
        let r = chip.getBoundingClientRect(), el = chip.parentElement;
        const field = chip.closest('[data-testid="stMultiSelect"]');
        while (el && el !== field) {
            const s = getComputedStyle(el);
            if (s.overflow !== 'visible' || s.overflowY !== 'visible') {
                const c = el.getBoundingClientRect();
                if (r.top < c.top - 1 || r.bottom > c.bottom + 1 ||
                    r.left < c.left - 1 || r.right > c.right + 1) return false;
            }
            el = el.parentElement;
        }
        const f = field.getBoundingClientRect();
        return r.top >= f.top - 1 && r.bottom <= f.bottom + 1 && r.height > 0;
    }"""
    for name in names:
        chip = field.locator(f'[data-tag][aria-label="{name}"]')
        assert chip.evaluate(inside), f"the chip {name!r} is hidden inside the needs field"
    field.scroll_into_view_if_needed()
    screenshot(full_page=False)
