"""Administrator command line: ``python -m directory SUBCOMMAND --help``."""

from __future__ import annotations

import argparse
import getpass
import json
import secrets
import sqlite3
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from directory.cli.audit import add_audit_parser
from directory.cli.match import add_match_parser
from directory.errors import DatabaseNotEmptyError, PunteError
from directory.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


class CliError(Exception):
    """A one-line message for the person at the terminal."""


def _store(args: argparse.Namespace, settings: Settings, create: bool = False):
    from directory.storage.store import Store

    return Store(getattr(args, "db", None) or settings.db, create=create)


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    with _store(args, settings, create=True) as store:
        print(f"Database ready at {store.path}")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from directory.demo.accounts import DEMO_USERS, add_demo_accounts
    from directory.demo.generator import DEMO_ACTOR, load_demo

    today = date.fromisoformat(args.today) if args.today else date.today()
    with _store(args, settings, create=True) as store:
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


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from directory.access.disclosure import generalise
    from directory.listings.export import write_csv, write_json
    from directory.places.gazetteer import uat_points
    from directory.storage.frame import services_frame

    with _store(args, settings) as store:
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
        from directory.storage.audit import AuditEntry

        store.log(AuditEntry("cli", "export", "directory", None, None, {"format": args.format}))
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    target = Path(args.path)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name for the backup.")
    if not target.parent.exists():
        raise CliError(f"The folder {target.parent} does not exist; create it first.")
    from directory.storage.audit_key import create_private_file

    with _store(args, settings) as store:
        create_private_file(target)  # mode 600: a backup holds everything the database does
        dest = sqlite3.connect(str(target))
        try:
            store.db.conn.backup(dest)  # SQLite's online backup: safe while the app is running
        finally:
            dest.close()
    print(f"Backed up {store.path} to {target} (mode 600; its audit key is not in it)")
    return 0


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> int:
    from directory.access.passwords import hash_password
    from directory.models import User

    # Validate the account before asking for a password, so a typo is caught first.
    user = User(
        args.username,
        args.display_name or args.username,
        args.role,
        "$argon2id$unset",
        organization_id=args.organization,
    )
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif args.generate_password:
        password = secrets.token_urlsafe(15)
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
    else:
        raise CliError(
            "No terminal to ask for a password: use --password-stdin or --generate-password."
        )
    user = user.replace(password_hash=hash_password(password))
    with _store(args, settings) as store:
        store.insert(user, actor="cli", reason="users add")
    print(f"Added {args.role} {args.username}.")
    if args.generate_password:
        print(f"Password (shown once): {password}")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with _store(args, settings) as store:
        counts = store.counts()
    if args.json:
        print(json.dumps(counts, indent=1))
    else:
        for key, value in counts.items():
            print(f"{key:<24}{value:>8}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from directory.vocab import ROLES

    parser = argparse.ArgumentParser(
        prog="python -m directory",
        description="Administer the Punte directory database.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,  # so a nested subcommand does not reset a --db given earlier
        help="SQLite database file (default: $PUNTE_DB or data/punte.db)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str, **kw) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text, **kw)
        p.set_defaults(handler=handler)
        return p

    add("init", cmd_init, "Create the database or apply pending migrations.")
    p = add("demo", cmd_demo, "Load the fictional demo directory and demo accounts.")
    p.add_argument("--replace", action="store_true", help="Delete the current listings first.")
    p.add_argument(
        "--if-empty", action="store_true", help="Do nothing when a directory is already loaded."
    )
    p.add_argument("--today", help="Date the demo data is generated for (YYYY-MM-DD).")
    p.add_argument("--quiet", action="store_true", help="No progress bar.")
    p = add("geocode", cmd_geocode, "Find a Romanian locality or address in the gazetteer.")
    p.add_argument("query", help="For example 'Sfântu Gheorghe, jud. Tulcea'.")
    p.add_argument("--json", action="store_true", help="Print JSON.")
    p.add_argument("--limit", type=int, default=10, help="Most candidates to print.")
    p = add("export", cmd_export, "Export the directory; confidential sites are generalised.")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="Output format.")
    p.add_argument("--output", "-o", help="File to write (default: standard output).")
    p = add("backup", cmd_backup, "Copy the database with SQLite's online backup.")
    p.add_argument("path", help="New file to write the backup to.")
    users = add("users", lambda a, s: 0, "Manage user accounts.")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    p = users_sub.add_parser(
        "add", parents=[common], help="Add a user.", description="Add a user account."
    )
    p.set_defaults(handler=cmd_users_add)
    p.add_argument("username", help="2–32 lower-case letters, digits, . _ -")
    p.add_argument("--role", required=True, choices=ROLES, help="The user's role.")
    p.add_argument("--display-name", help="Name shown in the app.")
    p.add_argument("--organization", help="Organisation id the user belongs to.")
    pw = p.add_mutually_exclusive_group()
    pw.add_argument("--password-stdin", action="store_true", help="Read the password from stdin.")
    pw.add_argument("--generate-password", action="store_true", help="Make and print one.")
    add_match_parser(add)
    p = add("stats", cmd_stats, "Count records in the database.")
    p.add_argument("--json", action="store_true", help="Print JSON.")
    add_audit_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return args.handler(args, settings)
    except (PunteError, CliError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as e:
        print(
            f"error: the database could not be used ({e}). Is it a Punte database?", file=sys.stderr
        )
        return 1
    except BrokenPipeError:  # the output was piped into `head`; nothing more to say
        return 0
    except OSError as e:
        print(f"error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
