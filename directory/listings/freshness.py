"""How fresh a listing is: days since it was verified and since its capacity was reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from directory.i18n import DEFAULT_LANGUAGE, translate
from directory.models import Service
from directory.settings import Settings
from directory.storage.store import Store


def days_since(day: date | None, today: date) -> int | None:
    return None if day is None else max((today - day).days, 0)


_VERIFIED = ("fresh.never_verified", "fresh.verified_today", "fresh.verified_days")
_CAPACITY = ("fresh.capacity_never", "fresh.capacity_today", "fresh.capacity_days")


def _age_text(day: date | None, today: date, lang: str, keys: tuple[str, str, str]) -> str:
    return _days_text(days_since(day, today), lang, keys)


def _days_text(n: float | None, lang: str, keys: tuple[str, str, str]) -> str:
    never, same_day, days = keys
    if n is None or n != n or n == float("inf"):  # missing, NaN or infinite: never
        return translate(never, lang)
    n = max(int(n), 0)
    if n == 0:
        return translate(same_day, lang)
    if n == 1:  # "yesterday": no "1 days", in either language
        return translate(days.replace("_days", "_yesterday"), lang)
    # Romanian puts "de" before the noun from 20 on, unless the last two digits are 1–19
    # ("acum 12 zile", "acum 20 de zile", "acum 112 zile"); the .many text carries it.
    many = n % 100 == 0 or n % 100 >= 20
    return translate(days + ".many" if many else days, lang, n=n)


def freshness_from_days(
    verified_days: float | None, capacity_days: float | None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """The freshness line from days since each date, as the matcher computed them (NaN: never)."""
    return " · ".join(
        (_days_text(verified_days, lang, _VERIFIED), _days_text(capacity_days, lang, _CAPACITY))
    )


def verified_text(day: date | None, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Verified 12 days ago', 'Verified today' or 'Never verified'."""
    return _age_text(day, today, lang, _VERIFIED)


def capacity_age_text(day: date | None, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Capacity reported 3 days ago', '… today' or 'never reported'."""
    return _age_text(day, today, lang, _CAPACITY)


def freshness_line(
    assured: object, capacity_as_of: object, today: date, lang: str = DEFAULT_LANGUAGE
) -> str:
    """'Verified 12 days ago · Capacity reported 3 days ago', wherever a listing shows.

    Takes dates, pandas timestamps or missing values (None, NaT, NaN) as a frame holds them.
    """
    return " · ".join(
        (verified_text(as_day(assured), today, lang),
         capacity_age_text(as_day(capacity_as_of), today, lang))
    )  # fmt: skip


def as_day(value: object) -> date | None:
    """A date from a date, a datetime, a pandas timestamp or numpy datetime; None if missing."""
    import pandas as pd

    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime) and not isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp.date()


@dataclass(frozen=True)
class StaleRow:
    service: Service
    verified_days: int | None
    capacity_days: int | None
    why: tuple[str, ...]  # "verification" and/or "capacity"


def stale_queue(
    store: Store, today: date, settings: Settings, organizations: set[str] | None
) -> list[StaleRow]:
    """Active services whose verification or capacity is stale, oldest first."""
    assured_before = today - timedelta(days=settings.assured_stale_days)
    capacity_before = today - timedelta(days=settings.capacity_stale_days)
    out = []
    for s in store.stale_services(assured_before, capacity_before, organizations):
        why = []
        if s.assured_date is None or s.assured_date < assured_before:
            why.append("verification")
        if s.capacity_as_of is None or s.capacity_as_of < capacity_before:
            why.append("capacity")
        out.append(
            StaleRow(s, days_since(s.assured_date, today), days_since(s.capacity_as_of, today),
                     tuple(why))
        )  # fmt: skip
    return out
