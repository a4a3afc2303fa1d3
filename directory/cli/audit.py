"""`audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import argparse

from directory.cli.context import AddCommand, CliError, open_store
from directory.settings import Settings


def add_audit_parser(add: AddCommand) -> None:
    audit_p = add("audit", lambda a, s: 0, "Check the audit log.")
    audit_sub = audit_p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    p = audit_sub.add_parser(
        "verify", help="Verify the hash chain.", description="Verify the chain."
    )
    p.set_defaults(handler=cmd_audit_verify)


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(args, settings) as store:
        report = store.verify_audit_chain()
    if report.ok:
        print(f"Audit chain intact: {report.rows} rows.")
        return 0
    raise CliError(f"Audit chain broken at row {report.first_bad_id}: {report.problem}.")
