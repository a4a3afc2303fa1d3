"""What an import says about a file or a row: a translation key and its values, never prose.

The UI and the CLI translate a Problem in the reader's language; tests assert on its key and
on the English text, so a message can be reworded without breaking its meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from directory.errors import PunteError
from directory.i18n import translate


@dataclass(frozen=True)
class Problem:
    """One reason a row is invalid, out of scope or warned about (row 1 is the header)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str | None = None

    def text(self, lang: str = "en") -> str:
        message = translate(self.key, lang, **self.values)
        where = []
        if self.row is not None:
            where.append(translate("import.where_row", lang, row=self.row))
        if self.column:
            where.append(translate("import.where_column", lang, column=self.column))
        return f"{', '.join(where)}: {message}" if where else message

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "key": self.key,
            "values": self.values,
            "row": self.row,
            "column": self.column,
            "message": self.text(lang),
        }


class FileProblemError(PunteError, ValueError):
    """The whole file cannot be read; nothing was imported."""

    def __init__(self, key: str, **values: Any) -> None:
        self.problem = Problem(key, values)
        # A mapping that cannot work: (headers, mapping, source), for the page to correct.
        self.mapping: tuple[Sequence[str], dict[str, str | None], str] | None = None
        super().__init__(self.problem.text("en"))

    def text(self, lang: str = "en") -> str:
        return self.problem.text(lang)
