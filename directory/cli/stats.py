"""`stats`: count the records in the database."""

from __future__ import annotations

import argparse
import json

from directory.cli.context import AddCommand, open_store
from directory.settings import Settings


def add_stats_parser(add: AddCommand) -> None:
    p = add("stats", cmd_stats, "Count records in the database.")
    p.add_argument("--json", action="store_true", help="Print JSON.")


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args, settings) as store:
        counts = store.counts()
    if args.json:
        print(json.dumps(counts, indent=1))
    else:
        for key, value in counts.items():
            print(f"{key:<24}{value:>8}")
    return 0
