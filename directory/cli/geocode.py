"""The ``geocode`` command: one query, or a file of them (``--batch``), against the gazetteer."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from directory.settings import Settings


def _print_record(rec: dict[str, Any]) -> None:
    if rec["error"]:
        print(f"{rec['query']}\terror: {rec['error']}")
    else:
        print(
            f"{rec['query']}\t{rec['label']}\tSIRUTA {rec['siruta']}\t{rec['precision']}"
            f"\t{rec['match']} {rec['score']}"
        )


def _batch(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from directory.places.batch import geocode_many, read_queries
    from directory.places.geocoder import shared_geocoder

    source = sys.stdin.read() if args.batch == "-" else Path(args.batch).read_text("utf-8-sig")
    queries = read_queries(source, args.column)
    geocoder = shared_geocoder(settings.data_dir)
    failed = 0
    with tqdm(total=len(queries), unit="q", file=sys.stderr, disable=args.quiet) as bar:
        for rec in geocode_many(geocoder, queries, bar.update):
            failed += rec["error"] is not None
            if args.json:
                print(json.dumps(rec, ensure_ascii=False))
            else:
                _print_record(rec)
    print(f"{len(queries) - failed} of {len(queries)} queries found.", file=sys.stderr)
    return 0


def cmd_geocode(args: argparse.Namespace, settings: Settings) -> int:
    from directory.places.batch import record
    from directory.places.geocoder import shared_geocoder

    if args.batch:
        return _batch(args, settings)
    if not args.query:
        raise ValueError("Give a QUERY to look up, or --batch FILE.")
    located = shared_geocoder(settings.data_dir).locate(args.query)
    if args.json:
        rec = record(located)
        rec["candidates"] = [asdict(c) for c in located.candidates[: args.limit]]
        print(json.dumps(rec, ensure_ascii=False, indent=1))
        return 0
    if located.address.address_1:
        print(f"street: {located.address.address_1}")
    for c in located.candidates[: args.limit]:
        print(
            f"{c.label()}\tSIRUTA {c.siruta}\t{c.latitude:.5f}, {c.longitude:.5f}"
            f"\t{c.precision}\t{c.match} {c.score}"
        )
    return 0


def add_geocode_parser(
    subparsers: Any, parents: list[argparse.ArgumentParser] | None = None
) -> argparse.ArgumentParser:
    """Register ``geocode`` on the top-level subparsers."""
    help_text = "Find a Romanian locality or address in the gazetteer (one, or a file)."
    p = subparsers.add_parser(
        "geocode", parents=parents or [], help=help_text, description=help_text
    )
    p.set_defaults(handler=cmd_geocode)
    p.add_argument("query", nargs="?", help="For example 'Str. Avram Iancu 2, Turda, jud. Cluj'.")
    p.add_argument("--batch", metavar="FILE", help="Geocode one query a line of FILE ('-': stdin).")
    p.add_argument("--column", metavar="NAME", help="With --batch: read this column of a CSV.")
    p.add_argument("--json", action="store_true", help="Print JSON (one object a query).")
    p.add_argument("--limit", type=int, default=10, help="Most candidates to print.")
    p.add_argument("--quiet", action="store_true", help="No progress bar.")
    return p
