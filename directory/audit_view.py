"""The audit log as an administrator reads it: in their language, local time, no blanks as None.

The log stores codes (``sign_in``, ``location``) and a few fixed English reasons written by
the code itself; this turns each into the reader's language. A reason a person typed (why
an address was revealed) is shown as typed. Pure: the page passes the rows and the names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from directory.formatting import when
from directory.i18n import catalog, translate

EMPTY = "—"
# Reasons the code writes in English, by the key that says them in each language.
FIXED_REASONS = {
    "signed out": "audit.reason.signed_out",
    "idle timeout": "audit.reason.idle_timeout",
    "demo accounts": "audit.reason.demo_accounts",
    "verify": "audit.reason.verify",
}
_ACCEPTED = re.compile(r"^accepted referral (?P<id>[0-9a-f-]{36})$")
_RETENTION = re.compile(r"^closed before (?P<date>\d{4}-\d\d-\d\d), retention (?P<days>\d+) days$")


def _known(key: str, lang: str) -> str | None:
    """The translation of ``key``, or None when the catalog has no such key."""
    return translate(key, lang) if key in catalog(lang) else None


def code_text(kind: str, code: str | None, lang: str) -> str:
    """An action or entity code in words: its translation, else the code spelled as words."""
    if not code:
        return EMPTY
    return _known(f"audit.{kind}.{code}", lang) or code.replace("_", " ")


def reason_text(reason: str | None, lang: str) -> str:
    """A stored reason in the reader's language when the code wrote it; else as typed."""
    if reason is None or not reason.strip():
        return EMPTY
    if reason in FIXED_REASONS:
        return translate(FIXED_REASONS[reason], lang)
    decline = _known("decline." + reason, lang)
    if decline:
        return decline
    if m := _ACCEPTED.match(reason):
        return translate("audit.reason.accepted_referral", lang, id=m["id"][:8])
    if m := _RETENTION.match(reason):
        return translate(
            "audit.reason.retention", lang, date=when(m["date"], lang).split(",")[0], days=m["days"]
        )
    return reason


def actor_text(actor: str | None, names: Mapping[str, str], lang: str) -> str:
    """An account's display name; a non-person actor (system, anonymous) in words."""
    if not actor:
        return EMPTY
    return names.get(actor) or _known("audit.actor." + actor, lang) or actor


def audit_rows(
    rows: Iterable[Mapping[str, Any]], names: Mapping[str, str], lang: str
) -> list[dict[str, object]]:
    """The rows to show: local times, display names, translated codes, "—" for nothing."""
    return [
        {
            "id": r["id"],
            "at": when(r.get("at"), lang),
            "actor": actor_text(r.get("actor"), names, lang),
            "action": code_text("action", r.get("action"), lang),
            "entity": code_text("entity", r.get("entity"), lang),
            "entity_id": r.get("entity_id") or EMPTY,
            "reason": reason_text(r.get("reason"), lang),
        }
        for r in rows
    ]
