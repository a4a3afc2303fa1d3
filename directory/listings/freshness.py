"""How fresh a listing is: days since it was verified and since its capacity was reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from directory.i18n import DEFAULT_LANGUAGE, translate
from directory.models import Service
from directory.settings import Settings
from directory.storage.store import Store


def days_since(day: date | None, today: date) -> int | None:
    return None if day is None else max((today - day).days, 0)


def _age_text(day: date | None, today: date, lang: str, keys: tuple[str, str, str]) -> str:
    never, same_day, days = keys
    n = days_since(day, today)
    if n is None:
        return translate(never, lang)
    return translate(same_day, lang) if n == 0 else translate(days, lang, n=n)


def verified_text(day: date | None, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Verified 12 days ago', 'Verified today' or 'Never verified'."""
    keys = ("fresh.never_verified", "fresh.verified_today", "fresh.verified_days")
    return _age_text(day, today, lang, keys)


def capacity_age_text(day: date | None, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Capacity reported 3 days ago', '… today' or 'never reported'."""
    keys = ("fresh.capacity_never", "fresh.capacity_today", "fresh.capacity_days")
    return _age_text(day, today, lang, keys)


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
