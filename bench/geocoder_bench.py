"""Geocoder benchmarks: exact, diacritics-free and misspelled queries against a naive loop.

Run with `python -m bench.geocoder_bench [--quick]` from the project root.
"""

from __future__ import annotations

import csv
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from directory.errors import GeocodeError
from directory.places.geocoder import Geocoder
from directory.textnorm import fold

from .timing import row

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED = 42


def gazetteer_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Every UAT and locality name, with diacritics, in file order."""
    names: list[str] = []
    for file in ("ro_uat.csv", "ro_localities.csv"):
        with (data_dir / file).open(encoding="utf-8", newline="") as f:
            names.extend(r["name"] for r in csv.DictReader(f))
    return names


def _random_case(rng: random.Random, text: str) -> str:
    """Upper-case a random subset of the characters."""
    return "".join(c.upper() if rng.random() < 0.5 else c for c in text)


def _one_edit(rng: random.Random, text: str) -> str:
    """Apply one random substitution, deletion, insertion or transposition."""
    i = rng.randrange(len(text))
    letter = rng.choice(string.ascii_lowercase)
    op = rng.choice(("sub", "del", "ins", "swap") if len(text) > 3 else ("sub", "ins"))
    if op == "sub":
        return text[:i] + letter + text[i + 1 :]
    if op == "del":
        return text[:i] + text[i + 1 :]
    if op == "ins":
        return text[:i] + letter + text[i:]
    i = min(i, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def build_queries(names: list[str], n: int, seed: int = SEED) -> dict[str, list[tuple[str, str]]]:
    """n (query, source) pairs in three groups: exact, no diacritics + random case, one edit."""
    rng = random.Random(seed)
    third = n // 3
    exact = [rng.choice(names) for _ in range(third)]
    plain = [rng.choice(names) for _ in range(third)]
    fuzzy = [rng.choice(names) for _ in range(n - 2 * third)]
    return {
        "geocode_exact": [(name, name) for name in exact],
        "geocode_no_diacritics": [(_random_case(rng, fold(name)), name) for name in plain],
        "geocode_fuzzy": [(_one_edit(rng, fold(name)), name) for name in fuzzy],
    }


def _time_each(fn: Callable[[str], Any], queries: list[str]) -> tuple[list[float], list[Any]]:
    """Milliseconds per call and each call's result (None when nothing was found)."""
    times: list[float] = []
    results: list[Any] = []
    for query in queries:
        start = time.perf_counter_ns()
        try:
            result = fn(query)
        except GeocodeError:
            result = None
        times.append((time.perf_counter_ns() - start) / 1e6)
        results.append(result)
    return times, results


def _top3_recall(pairs: list[tuple[str, str]], results: list[Any]) -> float:
    """Share of queries whose source name is among the first three candidates."""
    found = sum(
        bool(result) and fold(source) in {fold(c.name) for c in result[:3]}
        for (_, source), result in zip(pairs, results, strict=True)
    )
    return round(found / len(pairs), 3)


def naive_best(query: str, folded_names: list[str]) -> str:
    """The baseline: a Python loop scoring every name with rapidfuzz, one call per name."""
    target = fold(query)
    best, best_score = "", -1.0
    for name in folded_names:
        score = fuzz.ratio(target, name)
        if score > best_score:
            best, best_score = name, score
    return best


def address_queries(n: int) -> list[tuple[str, str]]:
    """Addresses with streets ('Str. Unirii nr. 5, Turda, jud. Cluj', villages with communes)."""
    from tests.address_corpus import cases

    every = cases(DATA_DIR)
    return [(c.query, c.query) for c in random.Random(SEED).sample(every, min(n, len(every)))]


def run(quick: bool) -> list[dict[str, Any]]:
    """Time geocode() on mixed queries and a naive full-scan baseline; one row per kind."""
    names = gazetteer_names()
    geocoder = Geocoder.from_data_dir(DATA_DIR)
    groups = build_queries(names, 1_000 if quick else 10_000)
    folded = sorted({fold(n) for n in names})
    every = [query for pairs in groups.values() for query, _ in pairs]
    sample = random.Random(SEED).sample(every, 50 if quick else 200)
    base_times, _ = _time_each(lambda q: naive_best(q, folded), sample)
    baseline = row("geocode_baseline_loop", len(sample), base_times)
    geocoder.geocode("Brașov")  # the first call pays for imports inside rapidfuzz
    rows = []
    for name, pairs in groups.items():
        times, results = _time_each(geocoder.geocode, [query for query, _ in pairs])
        extra = {"not_found": results.count(None), "top3_recall": _top3_recall(pairs, results)}
        rows.append(row(name, len(pairs), times, baseline["median_ms"], **extra))
    addresses = address_queries(1_000 if quick else 4_000)
    times, results = _time_each(geocoder.geocode, [q for q, _ in addresses])
    rows.append(
        row("geocode_address", len(addresses), times, baseline["median_ms"],
            not_found=results.count(None))
    )  # fmt: skip
    from directory.places.batch import geocode_many

    batch = [q for q, _ in addresses] + every
    batch = (batch * (10_000 // len(batch) + 1))[:10_000]
    start = time.perf_counter()
    list(geocode_many(geocoder, batch))
    total_ms = (time.perf_counter() - start) * 1000
    rows.append(row("geocode_batch_10000", len(batch), [total_ms]))
    return [*rows, baseline]


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv[1:]):
        print(result)
