"""`python -m directory notify-overdue`: e-mail each overdue referral once (run it from cron)."""

from __future__ import annotations

import argparse

from directory.cli.context import AddCommand, open_store
from directory.settings import Settings


def add_notify_parser(add: AddCommand) -> None:
    add(
        "notify-overdue",
        cmd_notify_overdue,
        "E-mail the receiving and the sending organisation about each overdue referral, once "
        "(needs PUNTE_SMTP_HOST). Safe to run every few minutes.",
    )


def cmd_notify_overdue(args: argparse.Namespace, settings: Settings) -> int:
    from directory.referrals.notify import enabled, notify_overdue

    if not enabled(settings):
        print("E-mail is off: set PUNTE_SMTP_HOST to send notices. Nothing was sent.")
        return 0
    with open_store(args, settings) as store:
        sent = notify_overdue(store, settings)
    print(f"Sent {sent} overdue referral notices.")
    return 0
