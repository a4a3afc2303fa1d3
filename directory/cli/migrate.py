"""`migrate-to URL`: copy a SQLite directory into an empty PostgreSQL database."""

from __future__ import annotations

import argparse

from directory.cli.context import AddCommand, CliError
from directory.settings import Settings


def add_migrate_parser(add: AddCommand) -> None:
    p = add(
        "migrate-to",
        cmd_migrate_to,
        "Copy the SQLite directory (--db) into an empty PostgreSQL database: records, "
        "accounts, referrals and the audit log with its chain; counts and chains are checked.",
    )
    p.add_argument("url", help="postgresql://user:password@host/database (must be empty)")
    p.add_argument("--quiet", action="store_true", help="No progress lines.")


def cmd_migrate_to(args: argparse.Namespace, settings: Settings) -> int:
    from directory.storage.pg import is_url
    from directory.storage.store import Store
    from directory.storage.transfer import copy_directory

    if not is_url(args.url):
        raise CliError(f"{args.url!r} is not a postgresql:// URL; give the target database's URL.")
    source_name = getattr(args, "db", None) or settings.db
    if is_url(source_name):
        raise CliError("--db must name the SQLite file to copy from, not a URL.")

    def progress(table: str, rows: int) -> None:
        if not args.quiet:
            print(f"  {table}: +{rows}")

    with Store(source_name) as source, Store.init(args.url) as target:
        report = copy_directory(source, target, progress)
        print(f"Copied {source.path} to {target.path}:")
        for table, n in report.counts.items():
            print(f"  {table:<22}{n:>8}")
        print(f"Counts match; audit chain intact on both sides ({report.audit_rows} rows).")
    return 0
