"""Run every benchmark: `python -m bench [--quick] [--json] [--only NAME]`."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time

# Each module exposes run(quick: bool) -> list of rows (see bench/timing.py: row()).
MODULES = (
    "bench.geocoder_bench",
    "bench.store_bench",
    "bench.backend_bench",
    "bench.map_bench",
    "bench.matching_bench",
    "bench.coverage_bench",
    "bench.browser_bench",
    "bench.coverage_browser_bench",
    "bench.import_bench",
)


def _fmt(value: object) -> str:
    return "—" if value is None else f"{value}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Smaller sizes; under a minute.")
    parser.add_argument("--json", action="store_true", help="One JSON object per line.")
    parser.add_argument("--only", help="Run only modules whose name contains this.")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not args.json:
        print(
            f"Punte benchmarks on {os.cpu_count()} cores, Python {platform.python_version()}"
            f"{' (quick)' if args.quick else ''}"
        )
        print(f"{'name':<28}{'n':>8}{'median ms':>12}{'p95 ms':>10}{'baseline ms':>13}{'ratio':>8}")
    for name in MODULES:
        if args.only and args.only not in name:
            continue
        for row in importlib.import_module(name).run(args.quick):
            if args.json:
                print(json.dumps(row, ensure_ascii=False), flush=True)
            else:
                print(
                    f"{row['name']:<28}{row['n']:>8}{row['median_ms']:>12}{row['p95_ms']:>10}"
                    f"{_fmt(row['baseline_median_ms']):>13}{_fmt(row['ratio']):>8}",
                    flush=True,
                )
    if not args.json:
        print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
