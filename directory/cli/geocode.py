"""`geocode`: find a Romanian locality or address in the gazetteer."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from directory.settings import Settings


def add_geocode_parser(sub: Any) -> None:
    """Register `geocode` on the top-level subparsers (``sub`` from ``add_subparsers``)."""
    help_text = "Find a Romanian locality or address in the gazetteer."
    p = sub.add_parser("geocode", help=help_text, description=help_text)
    p.set_defaults(handler=cmd_geocode)
    p.add_argument("query", help="For example 'Sfântu Gheorghe, jud. Tulcea'.")
    p.add_argument("--json", action="store_true", help="Print JSON.")
    p.add_argument("--limit", type=int, default=10, help="Most candidates to print.")


def cmd_geocode(args: argparse.Namespace, settings: Settings) -> int:
    from directory.places.geocoder import Geocoder

    geocoder = Geocoder.from_data_dir(settings.data_dir)
    candidates = geocoder.geocode(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([asdict(c) for c in candidates], ensure_ascii=False, indent=1))
    else:
        for c in candidates:
            print(f"{c.label()}\tSIRUTA {c.siruta}\t{c.latitude:.5f}, {c.longitude:.5f}")
    return 0
