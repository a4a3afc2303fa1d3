"""`init`, `demo` and `backup`: create, fill and copy the database."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from directory.cli.context import AddCommand, CliError, open_store
from directory.errors import DatabaseNotEmptyError
from directory.settings import Settings


def add_setup_parsers(add: AddCommand) -> None:
    add("init", cmd_init, "Create the database or apply pending migrations.")
    p = add("demo", cmd_demo, "Load the fictional demo directory and demo accounts.")
    p.add_argument("--replace", action="store_true", help="Delete the current listings first.")
    p.add_argument(
        "--if-empty", action="store_true", help="Do nothing when a directory is already loaded."
    )
    p.add_argument("--today", help="Date the demo data is generated for (YYYY-MM-DD).")
    p.add_argument("--quiet", action="store_true", help="No progress bar.")


def add_backup_parser(add: AddCommand) -> None:
    p = add(
        "backup",
        cmd_backup,
        "Copy the database: SQLite's online backup, or pg_dump's custom format on PostgreSQL.",
    )
    p.add_argument("path", help="New file to write the backup to.")


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args, settings, create=True) as store:
        print(f"Database ready at {store.path}")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from directory.demo.accounts import DEMO_USERS, add_demo_accounts
    from directory.demo.generator import DEMO_ACTOR, load_demo

    today = date.fromisoformat(args.today) if args.today else date.today()
    with open_store(args, settings, create=True) as store:
        if not store.is_empty():
            if args.if_empty:
                print(f"{store.path} already holds a directory; left as it is.")
                return 0
            if not args.replace:
                raise DatabaseNotEmptyError(
                    f"{store.path} already holds a directory. Pass --replace to overwrite it "
                    "with the demo directory (this deletes every listing)."
                )
            store.clear_directory(DEMO_ACTOR, reason="demo --replace")
        with tqdm(total=1, desc="Demo directory", unit="rec", disable=args.quiet) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            demo = load_demo(store, Path(settings.data_dir), today=today, progress=progress)
        add_demo_accounts(store, demo)
        print(
            f"Loaded the demo directory: {len(demo.services)} fictional services at "
            f"{len(demo.locations)} locations ({len(demo.organizations)} organisations)."
        )
        print("Demo accounts (demo data only, never use them on a real directory):")
        for name, _, role, pw in DEMO_USERS:
            print(f"  {role:<12} username {name:<18} password {pw}")
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    target = Path(args.path)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name for the backup.")
    if not target.parent.exists():
        raise CliError(f"The folder {target.parent} does not exist; create it first.")
    with open_store(args, settings) as store:
        store.backup_to(target)
    print(f"Backed up {store.path} to {target} (mode 600; its audit key is not in it)")
    return 0
