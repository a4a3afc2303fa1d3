"""Numbers on the Coverage page written the reader's way: 87.757 and 98,6% in Romanian."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from directory.formatting import LOCALES

from .context import lang


def _locale() -> str:
    return LOCALES.get(lang(), "ro_RO")


def whole(value: float, signed: bool = False) -> str:
    """A count of people: 42.000 in Romanian, 42,000 in English; "+1.250" when ``signed``."""
    pattern = "+#,##0;-#,##0" if signed else "#,##0"
    return format_decimal(round(float(value)), format=pattern, locale=_locale())


def share(value: float, digits: int = 0) -> str:
    """A share in [0, 1] as a percentage: 98,6% in Romanian."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=_locale())


def points(value: float) -> str:
    """A change of a percentage, in percentage points, signed: "+0,25 pp"."""
    return format_decimal(value, format="+#,##0.00;-#,##0.00", locale=_locale()) + " pp"
