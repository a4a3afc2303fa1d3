"""The demo accounts' display names in each interface language: fictional, and marked demo.

The database keeps the Romanian name (the default language); a reader of another language
sees the name in theirs. Real accounts always show the name they were given.
"""

from __future__ import annotations

DEMO_NAMES: dict[str, dict[str, str]] = {
    "demo-caseworker": {
        "ro": "Ioana Marin, asistentă socială (demo)",
        "en": "Ioana Marin, caseworker (demo)",
    },
    "demo-coordinator": {
        "ro": "Mihai Popa, coordonator (demo)",
        "en": "Mihai Popa, coordinator (demo)",
    },
    "demo-partner": {
        "ro": "Elena Dumitru, partener (demo)",
        "en": "Elena Dumitru, partner (demo)",
    },
    "demo-admin": {
        "ro": "Andrei Stan, administrator (demo)",
        "en": "Andrei Stan, administrator (demo)",
    },
}
STORED_LANGUAGE = "ro"
# The names demo databases made before the names above: shown in the reader's language too.
EARLIER = {"Caseworker (demo)", "Coordinator (demo)", "Partner (demo)", "Admin (demo)"}


def shown_name(username: str, stored: str, is_demo: bool, lang: str) -> str:
    """The display name to show in ``lang``: a demo account's in that language, else as stored.

    A demo account whose name someone changed keeps the name it was given.
    """
    names = DEMO_NAMES.get(username) if is_demo else None
    if not names or (stored not in names.values() and stored not in EARLIER):
        return stored
    return names.get(lang, stored)
