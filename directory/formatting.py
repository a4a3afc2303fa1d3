"""Times and numbers as the reader expects them: Europe/Bucharest time, the language's format.

Stored times are UTC; only what is shown is converted. Romanian: ``30.11.2026, 17:13`` and a
decimal comma; English uses the British day-first order, as the users work in Romania.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal

from directory.i18n import DEFAULT_LANGUAGE

TIMEZONE = ZoneInfo("Europe/Bucharest")
LOCALES = {"ro": "ro_RO", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE])


def when(value: datetime | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A UTC time (datetime or ISO text) as local date and time, or "—" when there is none."""
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:  # stored naive times are UTC
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment, "short", tzinfo=TIMEZONE, locale=_locale(lang))


def number(value: float, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A number with the language's decimal mark, e.g. 12,5 in Romanian."""
    return format_decimal(round(value, digits), locale=_locale(lang))
