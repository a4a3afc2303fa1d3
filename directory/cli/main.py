"""The parser of `python -m directory`, and `main`: run a command, turn errors into messages."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from directory.cli.audit import add_audit_parser
from directory.cli.context import CliError, Handler
from directory.cli.coverage import add_coverage_parser
from directory.cli.export import add_export_parser
from directory.cli.geocode import add_geocode_parser
from directory.cli.importing import add_import_parser, add_template_parser
from directory.cli.listings import add_listings_parsers
from directory.cli.match import add_match_parser
from directory.cli.migrate import add_migrate_parser
from directory.cli.notify import add_notify_parser
from directory.cli.setup import add_backup_parser, add_setup_parsers
from directory.cli.stats import add_stats_parser
from directory.cli.users import add_users_parser
from directory.errors import PunteError
from directory.settings import Settings
from directory.storage.pg import DATABASE_ERRORS


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: every one (nested ones too) takes ``--db``."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.add_argument(
            "--db",
            default=argparse.SUPPRESS,  # so a nested subcommand does not reset a --db given earlier
            help="SQLite file or postgresql:// URL (default: $PUNTE_DATABASE_URL, else "
            "$PUNTE_DB, else data/punte.db)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m directory",
        description="Administer the Punte directory database.",
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=CommandParser
    )

    def add(name: str, handler: Handler, help_text: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, **kw)
        p.set_defaults(handler=handler)
        return p

    # Registration order is the order `--help` lists the commands in.
    add_setup_parsers(add)
    add_geocode_parser(sub)
    add_export_parser(add)
    add_import_parser(add)
    add_template_parser(add)
    add_listings_parsers(add)
    add_backup_parser(add)
    add_users_parser(add)
    add_match_parser(add)
    add_notify_parser(add)
    add_coverage_parser(add)
    add_stats_parser(add)
    add_audit_parser(add)
    add_migrate_parser(add)
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
    except DATABASE_ERRORS as e:
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
