"""The Find page's two browser figures for two checkouts at once, their changes interleaved.

``python -m bench.browser_interleaved --before PATH [--rounds N]`` serves the checkout at PATH
and this one together, on one 5,000-service demo database, each in its own context of one
Chromium, and measures exactly what ``bench.browser_bench`` measures (its own functions: a
filter change to updated results and map; choosing three needs to the plan shown), one
page after the other in every round. On a machine shared with other jobs the load changes
within minutes: ``browser_bench --before`` measures the two checkouts one after the other, so
a change of load falls on one of them only; here it falls on both alike. A sample that times
out is reported as lost (never counted); each round is two filter changes and one choice.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
from pathlib import Path

from bench import browser_bench as bb
from bench.browser_tools import browser_tools


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def measure(before: Path, rounds: int) -> dict[str, dict[str, list[float]]]:
    tools = browser_tools("browser_interleaved")
    if tools is None:
        return {}
    srv, sync_playwright = tools
    from tests.browser import helpers

    tr = helpers.tr
    apps = {"before": before, "after": srv.ROOT}
    times: dict[str, dict[str, list[float]]] = {a: {"filter": [], "needs": []} for a in apps}
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="punte-interleaved-"))
        db = Path(tmp) / "bench.db"
        srv.build_demo_db(db, bb.TODAY, n_services=bb.N_SERVICES)
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(
            executable_path=str(srv.CHROMIUM), headless=True, args=srv.CHROMIUM_ARGS
        )
        stack.callback(browser.close)
        pages = {}
        for label, root in apps.items():
            log = Path(tmp) / f"streamlit-{label}.log"
            server = stack.enter_context(srv.serving(db, log, root=root))
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ro-RO")
            context.set_default_timeout(bb.TIMEOUT)
            page = context.new_page()
            slider = bb._set_up_plan(page, server.url, tr, helpers)
            for key in ("Home", "ArrowRight", "ArrowLeft"):  # to 5 km, and both states warm
                bb._change(page, slider, key)
            pages[label] = (page, slider)
        for _ in range(rounds):
            for label, (page, slider) in pages.items():
                for key in ("ArrowRight", "ArrowLeft"):
                    _sample(times[label]["filter"], bb._change, page, slider, key)
                _sample(times[label]["needs"], bb._choose_needs, page, tr, helpers)
    return times


def _sample(into: list[float], take, *args) -> None:
    try:
        into.append(take(*args))
    except Exception as e:  # noqa: BLE001 - a timed-out sample is reported, not counted
        print(f"browser_interleaved: lost a sample: {str(e)[:100]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=10, help="rounds (default 10)")
    args = parser.parse_args(argv)
    for label, rows in measure(args.before, args.rounds).items():
        for name, values in rows.items():
            if values:
                print(f"{label} {name}: median {statistics.median(values):.0f} ms, "
                      f"p95 {_p95(values):.0f} ms, n={len(values)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
