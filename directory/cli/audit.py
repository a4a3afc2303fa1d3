"""``audit head`` and ``audit verify``: the audit log's keyed chain and its recorded head."""

from __future__ import annotations

import argparse

from directory.cli.context import AddCommand, CliError, open_store
from directory.settings import Settings


def add_audit_parser(add: AddCommand) -> None:
    audit_p = add("audit", lambda a, s: 0, "Check the audit log.")
    audit_sub = audit_p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    p = audit_sub.add_parser(
        "head",
        help="Print the row count and head hash (COUNT:HASH).",
        description="Print COUNT:HASH of the log's last row; keep it outside the database "
        "and pass it to `audit verify --expect` later.",
    )
    p.set_defaults(handler=cmd_audit_head)
    p = audit_sub.add_parser(
        "verify",
        help="Verify the keyed hash chain.",
        description="Verify the keyed hash chain; with --expect, also that it still reaches "
        "a head recorded earlier (catches rows removed at the end).",
    )
    p.add_argument("--expect", metavar="COUNT:HASH", help="A head printed by `audit head`.")
    p.set_defaults(handler=cmd_audit_verify)


def cmd_audit_head(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args, settings) as store:
        head = store.audit_head()
    # One line COUNT:HASH, to keep somewhere the database's writers cannot change.
    print(head)
    return 0


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from directory.storage.audit import Head

    expect = Head.parse(args.expect) if args.expect else None
    with open_store(args, settings) as store:
        report = store.verify_audit(expect)
    if report.ok:
        reached = f", reaching the recorded head {expect}" if expect else ""
        print(f"Audit chain intact: {report.rows} rows{reached}.")
        return 0
    where = f" at row {report.first_bad_id}" if report.first_bad_id is not None else ""
    raise CliError(f"Audit chain broken{where}: {report.problem}.")
