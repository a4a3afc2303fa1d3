"""Lookups of folded names: exact keys (with old spellings and abbreviations), prefixes, fuzzy.

The index only answers "which places carry this name, and how well does it match"; choosing
between places (county, commune, importance) is the geocoder's job.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from directory.places.place_names import loose, name_keys

EXACT, NORMALISED, ABBREVIATED, TOKEN_PREFIX, CHAR_PREFIX = 100.0, 99.0, 97.0, 90.0, 85.0
FUZZY_WEIGHT, FUZZY_CUTOFF, FUZZY_LIMIT = 0.8, 75.0, 30
PREFIX_MAX_KEYS, MIN_CHAR_PREFIX = 300, 4
SUGGEST_CUTOFF = 55.0

Hit = tuple[str, float]  # (match kind, score)


def edit_budget(text: str) -> int:
    """Typos allowed in a fuzzy match: 1 up to 8 letters, 2 up to 15, then 3.

    'Atlantis' is 2 edits from 'Ațintiș' (8 letters), so it is not found instead of guessed;
    'Timisora', 'Brasow' and 'Arcalai' (one slip each) still are.
    """
    letters = len(text.replace(" ", ""))
    return 1 if letters <= 8 else 2 if letters <= 15 else 3


class NameIndex:
    """Folded keys of every place, and the county of each place for scoped lookups."""

    def __init__(self, names: Sequence[str], counties: Sequence[str]) -> None:
        self._counties = counties
        self._loose = [loose(n) for n in names]
        self._by_key: dict[str, list[tuple[int, str]]] = {}
        county_keys: dict[str, set[str]] = {}
        for i, name in enumerate(names):
            for key, kind in name_keys(name):
                self._by_key.setdefault(key, []).append((i, kind))
                county_keys.setdefault(counties[i], set()).add(key)
        self._sorted = sorted(self._by_key)
        self._county_keys = {code: sorted(keys) for code, keys in county_keys.items()}

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def _in(self, i: int, county: str | None) -> bool:
        return county is None or self._counties[i] == county

    def strong(self, key: str, typed: str, county: str | None) -> dict[int, Hit]:
        """Places named exactly ``key``: exact, normalised (spelling) or abbreviation."""
        hits: dict[int, Hit] = {}
        typed_words = typed.split()[: len(key.split())]
        for i, kind in self._by_key.get(key, ()):
            if not self._in(i, county):
                continue
            if kind == "name":
                hit = ("exact", EXACT) if self._loose[i].split() == typed_words else None
                hit = hit or ("normalised", NORMALISED)
            elif kind == "normalised":
                hit = ("normalised", NORMALISED)
            else:
                hit = ("abbreviation", ABBREVIATED)
            if i not in hits or hits[i][1] < hit[1]:
                hits[i] = hit
        return hits

    def prefix(self, key: str, county: str | None) -> dict[int, Hit]:
        """Places whose name starts with ``key``: whole-word prefixes above partial-word ones."""
        hits: dict[int, Hit] = {}
        start = bisect.bisect_right(self._sorted, key)
        for name in self._sorted[start : start + PREFIX_MAX_KEYS]:
            if not name.startswith(key):
                break
            if name[len(key)] == " ":
                score = TOKEN_PREFIX
            elif len(key) >= MIN_CHAR_PREFIX:
                score = CHAR_PREFIX
            else:
                continue
            for i, _ in self._by_key[name]:
                if self._in(i, county) and hits.get(i, ("", 0.0))[1] < score:
                    hits[i] = ("prefix", score)
        return hits

    def fuzzy(self, key: str, county: str | None) -> dict[int, Hit]:
        """Places within the typo budget of ``key``; scores stay below 80."""
        hits: dict[int, Hit] = {}
        keys = self._county_keys.get(county, []) if county else self._sorted
        budget = edit_budget(key)
        for name, ratio, _ in process.extract(
            key, keys, scorer=fuzz.ratio, limit=FUZZY_LIMIT, score_cutoff=FUZZY_CUTOFF
        ):
            if OSA.distance(key, name, score_cutoff=budget) > budget:
                continue
            for i, _ in self._by_key[name]:
                if self._in(i, county):
                    hits[i] = ("fuzzy", max(hits.get(i, ("", 0.0))[1], ratio * FUZZY_WEIGHT))
        return hits

    def near(self, key: str, county: str | None, limit: int = 10) -> dict[int, float]:
        """Loosely similar places for an error message (no typo budget)."""
        keys = self._county_keys.get(county, []) if county else self._sorted
        found: dict[int, float] = {}
        for name, ratio, _ in process.extract(
            key, keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST_CUTOFF
        ):
            for i, _ in self._by_key[name]:
                if self._in(i, county):
                    found[i] = max(found.get(i, 0.0), ratio)
        return found
