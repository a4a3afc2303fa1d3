"""Translation layer: gettext catalogs (locale/<lang>.po), read with Babel; Romanian first."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("ro", "en")
DEFAULT_LANGUAGE = "ro"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """Message id → translated text for ``lang``."""
    with (LOCALE_DIR / f"{lang}.po").open("rb") as f:
        cat = read_po(f, locale=lang)
    # Plural messages (tuples) are not used: every key is one string.
    return {
        m.id: m.string
        for m in cat
        if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string
    }


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang``; an unknown key shows itself so tests can catch it."""
    text = catalog(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


def explain(reason: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """The sentence of a matching reason; codes among its values are translated too."""
    params = dict(reason.params)
    if "rule" in params:
        params["rule"] = translate("rule_name." + str(params["rule"]), lang)
    if "languages" in params:
        codes = str(params["languages"]).split(", ")
        params["languages"] = ", ".join(translate("lang." + c, lang) for c in codes)
    if "status" in params:
        params["status"] = translate("capacity." + str(params["status"]), lang)
    if "exploitation" in params:
        params["exploitation"] = translate("exploitation." + str(params["exploitation"]), lang)
    if "criteria" in params:
        codes = str(params["criteria"]).split(", ")
        params["criteria"] = ", ".join(translate("criterion." + c, lang) for c in codes)
    return translate(reason.key, lang, **params)
