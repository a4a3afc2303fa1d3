"""`users add`: create an account; the password is asked, read from stdin, or generated."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys

from directory.cli.context import AddCommand, CliError, open_store
from directory.settings import Settings


def add_users_parser(add: AddCommand) -> None:
    from directory.vocab import ROLES

    users = add("users", lambda a, s: 0, "Manage user accounts.")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    p = users_sub.add_parser("add", help="Add a user.", description="Add a user account.")
    p.set_defaults(handler=cmd_users_add)
    p.add_argument("username", help="2–32 lower-case letters, digits, . _ -")
    p.add_argument("--role", required=True, choices=ROLES, help="The user's role.")
    p.add_argument("--display-name", help="Name shown in the app.")
    p.add_argument("--organization", help="Organisation id the user belongs to.")
    pw = p.add_mutually_exclusive_group()
    pw.add_argument("--password-stdin", action="store_true", help="Read the password from stdin.")
    pw.add_argument("--generate-password", action="store_true", help="Make and print one.")


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
    with open_store(args, settings) as store:
        store.insert(user, actor="cli", reason="users add")
    print(f"Added {args.role} {args.username}.")
    if args.generate_password:
        print(f"Password (shown once): {password}")
    return 0
