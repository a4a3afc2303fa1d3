"""`python -m directory coverage`: how far people live from a type of service, by road."""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from directory.settings import Settings
from directory.vocab import SERVICE_TYPES

CLI_ROLE = "partner"  # figures use generalised points for confidential sites, as on the page
ESTIMATE_NOTE = "Road times are estimated on main roads only (OpenStreetMap, ODbL 1.0)."


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def _k(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 10:
        raise argparse.ArgumentTypeError("must be 1 to 10")
    return number


def add_coverage_parser(add: Any) -> None:
    p = add("coverage", cmd_coverage, "Coverage of one service type by road, with gaps and sites.")
    p.add_argument("--type", required=True, choices=SERVICE_TYPES, dest="service_type")
    p.add_argument("--child-friendly", action="store_true", help="Count child-friendly only.")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--threshold-min", type=_positive, help="Road minutes (default 60).")
    which.add_argument("--threshold-km", type=_positive, help="Road km instead of minutes.")
    p.add_argument("--suggest", type=_k, default=0, metavar="K", help="Suggest K new sites.")
    p.add_argument("--worst", type=int, default=10, help="Worst-served UATs to list.")
    p.add_argument("--json", action="store_true", help="Print JSON.")


def coverage_report(args: argparse.Namespace, settings: Settings, store: Any) -> dict[str, Any]:
    """Every figure the command prints, as plain data."""
    from directory.coverage_data import demand, load_supply, road_graph, with_saved
    from gaps.analysis import analyse
    from gaps.sites import suggest

    graph = road_graph(settings)
    supply = load_supply(store, CLI_ROLE, settings.data_dir)
    supply = supply.of_type(args.service_type, args.child_friendly)
    by, threshold = ("km", args.threshold_km) if args.threshold_km else ("min", None)
    threshold = threshold or args.threshold_min or 60.0
    # The chosen threshold joins the configured ones, so its shares are in every table.
    t_min = sorted({*settings.thresholds_min, *([threshold] if by == "min" else [])})
    t_km = sorted({*settings.thresholds_km, *([threshold] if by == "km" else [])})
    # The population an admin saved for everyone, as on the page; else domicile, 2020.
    people = with_saved(demand(settings.data_dir), store.saved_population())
    cov = analyse(graph, people, supply, t_min, t_km)
    counties = cov.counties().sort_values([f"share_{threshold:g}_{by}", "county_code"])
    worst = cov.worst(threshold, args.worst, by)
    picks = suggest(graph, cov, args.suggest, threshold, by) if args.suggest else []
    d = cov.demand
    return {
        "service_type": args.service_type,
        "child_friendly": bool(args.child_friendly),
        "providers": len(supply),
        "population_basis": d.basis,
        "population": float(d.population.sum()),
        "threshold": {"by": by, "value": threshold},
        "national": cov.national(),
        "counties": _records(counties),
        "worst": _records(worst.drop(columns=["lat", "lon"])),
        "suggested": [
            {
                "siruta": int(d.siruta[p.index]),
                "uat": str(d.name[p.index]),
                "county_code": str(d.county[p.index]),
                "newly_covered": round(p.gain),
            }
            for p in picks
        ],  # fmt: skip
        "suggested_total": round(sum(p.gain for p in picks)),
        "note": ESTIMATE_NOTE,
    }


def _records(frame: Any) -> list[dict[str, Any]]:
    out = []
    for record in frame.to_dict("records"):
        out.append({k: _plain(v) for k, v in record.items()})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    return value


def cmd_coverage(args: argparse.Namespace, settings: Settings) -> int:
    from directory.cli.context import open_store

    with open_store(args, settings) as store:
        report = coverage_report(args, settings, store)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    _print(report)
    return 0


def _print(r: dict[str, Any]) -> None:
    by, value = r["threshold"]["by"], r["threshold"]["value"]
    unit = "min" if by == "min" else "km"
    cf = ", child-friendly only" if r["child_friendly"] else ""
    print(f"Coverage of {r['service_type']}{cf}: {r['providers']} providers.")
    print(f"Population: {r['population']:,.0f} (basis: {r['population_basis']}). {r['note']}")
    for kind, shares in r["national"].items():
        line = ", ".join(f"{t} {kind}: {s:.1%}" for t, s in shares.items())
        print(f"National share within {line}")
    print(f"\nCounties, worst first (share within {value:g} {unit}):")
    for c in r["counties"]:
        share = c[f"share_{value:g}_{by}"]
        print(
            f"  {c['county_code']:<3} {share:6.1%}  services {c['services']:>4}  "
            f"per 100k {c['services_per_100k']:.2f}  beds per 100k {c['beds_per_100k']:.2f}"
        )
    print("\nWorst-served UATs (population × minutes beyond the threshold):")
    for w in r["worst"]:
        minutes = "no provider" if w["road_minutes"] is None else f"{w['road_minutes']:.0f} min"
        print(f"  {w['uat']} ({w['county_code']}): {w['population']:,.0f} people, {minutes}")
    if r["suggested"]:
        print(f"\nSuggested sites (greedy, within {value:g} {unit}):")
        for i, s in enumerate(r["suggested"], 1):
            print(f"  {i}. {s['uat']} ({s['county_code']}): +{s['newly_covered']:,} people")
        print(f"  Total newly covered: {r['suggested_total']:,}")
