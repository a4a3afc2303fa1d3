"""Probable duplicates: the grid version finds exactly what comparing every pair finds."""

from __future__ import annotations

import random

from directory.listings.duplicates import (
    Listing,
    km_between,
    probable_duplicates,
    probable_duplicates_naive,
)

WORDS = [
    "Centrul",
    "Asociația",
    "Fundația",
    "Speranța",
    "Copii",
    "Casa",
    "Sf.",
    "Maria",
    "Lumina",
    "Zi",
    "Urgență",
    "Primire",
]


def random_listings(n: int, seed: int = 3) -> list[Listing]:
    rng = random.Random(seed)
    items = [
        Listing(f"s{i}", " ".join(rng.sample(WORDS, 4)), 44 + rng.random() * 4,
                21 + rng.random() * 8, rng.choice(["legal_aid", "medical"]))
        for i in range(n)
    ]  # fmt: skip
    # Near copies: diacritics dropped, a few hundred metres away, one in another cell.
    for i in range(0, n, 10):
        x = items[i]
        items.append(Listing(f"d{i}", x.name.replace("ț", "t").replace("ă", "a").upper(),
                             x.latitude + 0.003, x.longitude - 0.004, x.service_type))  # fmt: skip
    return items


def test_grid_finds_the_same_pairs_as_all_pairs():
    items = random_listings(800)
    fast = probable_duplicates(items)
    assert fast == probable_duplicates_naive(items)
    assert {("d0", "s0"), ("d10", "s10")} <= {(p.a, p.b) for p in fast}


def test_diacritics_and_case_are_ignored_but_distance_and_type_count():
    a = Listing("a", "Centrul de zi Speranța", 46.77, 23.59, "legal_aid")
    b = Listing("b", "CENTRUL DE ZI SPERANTA", 46.771, 23.591, "legal_aid")
    far = Listing("c", "Centrul de zi Speranța", 47.20, 23.59, "legal_aid")
    other_type = Listing("d", "Centrul de zi Speranța", 46.77, 23.59, "medical")
    pairs = probable_duplicates([a, b, far, other_type])
    assert [(p.a, p.b) for p in pairs] == [("a", "b")]
    assert pairs[0].similarity == 100 and pairs[0].km < 0.2


def test_km_between_is_a_great_circle_distance():
    assert abs(km_between(44.4268, 26.1025, 46.7712, 23.6236) - 324) < 3  # București–Cluj
