"""How fresh a listing is shows wherever the Find page shows it: cards, table, map popups."""

from __future__ import annotations

import re

from .test_find_page import card_parts, cards, find_for_vaslui_girl, map_args, map_markers, table_of

# "Verificat acum 20 de zile", "… ieri" or "… azi", then the capacity report's age.
VERIFIED = re.compile(r"(Verificat acum \d+ (de )?zile|Verificat (azi|ieri)|Neverificat)")
CAPACITY = re.compile(r"(Capacitate raportată acum \d+ (de )?zile|Capacitate raportată (azi|ieri)|"
                      r"Fără raport de capacitate)")  # fmt: skip


def test_cards_table_and_popups_say_when_each_listing_was_verified(monkeypatch, demo_db):
    at = find_for_vaslui_girl(monkeypatch, demo_db)
    assert not at.exception
    # Escaped once in the markdown source ("\(" shows "("); twice would show a backslash.
    details = [card_parts(c)[2] for c in cards(at)]
    assert len(details) == 3 and not [d for d in details if "\\\\" in d]
    # Each of the plan's three cards, beside its capacity.
    fresh_cards = [d for d in details if VERIFIED.search(d.replace("\\", ""))]
    assert len(fresh_cards) == 3
    assert all(CAPACITY.search(c.replace("\\", "")) for c in fresh_cards)
    # Every popup, picks and others: its capacity line (the fifth field) carries both ages.
    payload = map_markers(map_args(at)["feature_group"])
    lines = [p[4] for p in payload["picks"]["p"] + payload["others"]["p"]]
    assert lines and all(VERIFIED.search(x) and CAPACITY.search(x) for x in lines)
    # Every row of the table of all matches.
    table = table_of(at, "all")
    fresh = table["Verificat · capacitate raportată"]
    assert len(fresh) and all(VERIFIED.search(x) and CAPACITY.search(x) for x in fresh)
