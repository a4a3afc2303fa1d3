"""`export`: the directory as CSV or JSON, confidential sites generalised."""

from __future__ import annotations

import argparse
import sys

from directory.cli.context import AddCommand, open_store
from directory.cli.importing import HSDS_FORMATS, add_hsds_export_options, cmd_export_hsds
from directory.settings import Settings


def add_export_parser(add: AddCommand) -> None:
    p = add("export", cmd_export, "Export the directory; confidential sites are generalised.")
    p.add_argument(
        "--format", choices=("csv", "json", *HSDS_FORMATS), default="csv", help="Output format."
    )
    p.add_argument("--output", "-o", help="File to write (default: standard output).")
    add_hsds_export_options(p)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.format in HSDS_FORMATS:
        return cmd_export_hsds(args, settings)
    from directory.access.disclosure import generalise
    from directory.listings.export import write_csv, write_json
    from directory.places.gazetteer import uat_points
    from directory.storage.audit import AuditEntry
    from directory.storage.frame import services_frame

    with open_store(args, settings) as store:
        frame = generalise(
            services_frame(store, active_only=False, details=True),
            "partner",
            uat_points(settings.data_dir),
        )
        writer = write_csv if args.format == "csv" else write_json
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                n = writer(frame, out)
            print(f"Exported {n} services to {args.output}", file=sys.stderr)
        else:
            writer(frame, sys.stdout)
        store.log(AuditEntry("cli", "export", "directory", None, None, {"format": args.format}))
    return 0
