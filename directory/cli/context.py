"""What every command shares: the handler type, the user-facing error, opening the store."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Callable, Protocol

from directory.settings import Settings

if TYPE_CHECKING:
    from directory.storage.store import Store

Handler = Callable[[argparse.Namespace, Settings], int]


class AddCommand(Protocol):
    """Registers one subcommand with its handler; returns its parser for the arguments."""

    def __call__(
        self, name: str, handler: Handler, help_text: str, **kw: Any
    ) -> argparse.ArgumentParser: ...


class CliError(Exception):
    """A one-line message for the person at the terminal."""


def open_store(args: argparse.Namespace, settings: Settings, create: bool = False) -> Store:
    """The store named by ``--db`` (a file or a URL), else by the settings (the PostgreSQL URL
    wins over the SQLite file); ``create`` makes or migrates it."""
    from directory.storage.store import Store

    return Store(getattr(args, "db", None) or settings.database, create=create)
