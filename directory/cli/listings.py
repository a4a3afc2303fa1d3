"""`capacity`, `verify` and `merge`: scripted listing updates, logged as the command line."""

from __future__ import annotations

import argparse
from datetime import date

from directory.cli.context import AddCommand, CliError, open_store
from directory.settings import Settings

CLI_USER = "cli"


def add_listings_parsers(add: AddCommand) -> None:
    from directory.vocab import CAPACITY_STATUSES

    p = add("capacity", cmd_capacity, "Set a service's capacity report (as of today).")
    p.add_argument("service_id", metavar="SERVICE_ID")
    p.add_argument("--status", required=True, choices=CAPACITY_STATUSES)
    p.add_argument("--beds", type=int, help="Places available now.")
    p.add_argument("--of", type=int, dest="total", help="Places in total.")
    p.add_argument("--as-of", type=date.fromisoformat, help="Date of the report (default today).")
    p = add("verify", cmd_verify, "Record that a service's listing was checked today.")
    p.add_argument("service_id", metavar="SERVICE_ID")
    p = add("merge", cmd_merge, "Merge a duplicate organisation, location or service into "
            "the one kept; the duplicate is deactivated and both histories stay.")  # fmt: skip
    p.add_argument("kind", choices=("organization", "location", "service"))
    p.add_argument("keep", metavar="KEEP_ID", help="The record that stays.")
    p.add_argument("drop", metavar="DUPLICATE_ID", help="The record merged into it.")
    p.add_argument("--take", default="", metavar="FIELD,...",
                   help="Fields (or groups: place, ages, capacity, verified, alert) whose "
                   "values come from the duplicate.")  # fmt: skip
    p.add_argument("--dry-run", action="store_true", help="Show what differs and would move.")


def _cli_user():
    from directory.models import User

    # The command line runs with an administrator's rights, as `users add` does.
    return User(CLI_USER, "Command line", "admin", "$argon2id$unset")


def cmd_capacity(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.edit import FormInvalidError, set_capacity

    with open_store(args, settings) as store:
        try:
            saved = set_capacity(
                store, _cli_user(), args.service_id, args.status, args.beds, args.total,
                args.as_of or date.today(),
            )  # fmt: skip
        except FormInvalidError as e:
            lines = [f"{name}: {p.text('en')}" for name, p in e.problems.items()]
            raise CliError("; ".join(lines)) from None
    beds = f", {saved.beds_available} of {saved.beds_total} places" if saved.beds_total else ""
    print(f"{saved.id}: capacity {saved.capacity_status}{beds} as of {saved.capacity_as_of}.")
    return 0


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.edit import verify

    with open_store(args, settings) as store:
        saved = verify(store, _cli_user(), args.service_id, date.today())
    print(f"{saved.id}: verified on {saved.assured_date} by {saved.assurer}.")
    return 0


def cmd_merge(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.merge import merge, plan_merge

    take = [x.strip() for x in args.take.split(",") if x.strip()]
    with open_store(args, settings) as store:
        plan = plan_merge(store, _cli_user(), args.kind, args.keep, args.drop)
        for d in plan.differences:
            mark = "take" if d.group in take else "keep"
            print(f"{d.group}: {_values(d.keep)} | {_values(d.drop)}  [{mark}]")
        moves = ", ".join(f"{n} {name}" for name, n in plan.moves.items())
        print(f"Moves from {args.drop} to {args.keep}: {moves or 'nothing'}.")
        if args.dry_run:
            print("Dry run: nothing was changed.")
            return 0
        merge(store, _cli_user(), plan, take=take)
    print(f"{args.drop} was merged into {args.keep}; both histories stay.")
    return 0


def _values(values: tuple) -> str:
    return " · ".join("—" if v in (None, "", ()) else str(v) for v in values)
