"""Reasons kept as a translation key with values, so each reader sees them in their language.

A referral stores the reasons of its match this way (JSON in ``referral.reasons``) and the
referral views, the sheet and the command line translate them with ``explain`` when read.
Sentences saved before keys were stored, which could not be parsed back, are kept as
"legacy" reasons and shown as they were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from directory.i18n import LANGUAGES, catalog, explain

LEGACY_KEY = "reason.legacy"  # its text is "{text}" in every language


@dataclass(frozen=True)
class Reason:
    """A sentence to show: a translation key and its values (same shape as matching's)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def params(self) -> dict[str, object]:
        return dict(self.values)

    def text(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return explain(self, lang)


def legacy(text: str) -> Reason:
    """A sentence saved as text, shown as it is."""
    return Reason(LEGACY_KEY, (("text", text),))


def as_reason(value: Any) -> Reason:
    """A Reason from a matching reason, a stored JSON object, or an old sentence."""
    if isinstance(value, Reason):
        return value
    if isinstance(value, str):
        return legacy(value)
    if isinstance(value, dict):
        values = value.get("values") or ()
        pairs = values.items() if isinstance(values, dict) else values
        return Reason(str(value["key"]), tuple(sorted((str(k), v) for k, v in pairs)))
    return Reason(str(value.key), tuple(sorted(value.values)))  # matching.rules.Reason


def as_reasons(values: Any) -> tuple[Reason, ...]:
    return tuple(as_reason(v) for v in values or ())


# ---- reading old sentences back (migration m003) ---------------------------------------------

# Values whose codes ``explain`` translates: the reverse maps turn the words back into codes.
_CODED = {"status": "capacity.", "rule": "rule_name.", "exploitation": "exploitation."}


@cache
def _templates() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, key, language) for every reason sentence of every catalog."""
    found = []
    for lang in LANGUAGES:
        for key, text in catalog(lang).items():
            if not key.startswith("reason.") or key == LEGACY_KEY:
                continue
            pattern = "".join(
                f"(?P<{part[1:-1]}>.+?)" if part.startswith("{") else re.escape(part)
                for part in re.split(r"(\{\w+\})", text)
                if part
            )
            found.append((re.compile(pattern + r"\Z"), key, lang))
    return tuple(found)


def _code(word: str, prefix: str, lang: str) -> str | None:
    words = {
        text: key[len(prefix) :] for key, text in catalog(lang).items() if key.startswith(prefix)
    }
    return words.get(word)


def _value(name: str, text: str, lang: str) -> object | None:
    if name == "languages":
        codes = [_code(w, "lang.", lang) for w in text.split(", ")]
        return None if None in codes else ", ".join(c for c in codes if c)
    if name in _CODED:
        return _code(text, _CODED[name], lang)
    if name == "text":  # a provider's notice, as written
        return text
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return None


def parse_sentence(sentence: str) -> Reason:
    """The key and values a sentence was made from, or a legacy reason if none fits."""
    for pattern, key, lang in _templates():
        match = pattern.match(sentence)
        if not match:
            continue
        values = {name: _value(name, text, lang) for name, text in match.groupdict().items()}
        if None in values.values():
            continue
        reason = Reason(key, tuple(sorted(values.items())))
        if reason.text(lang) == sentence:  # only a reading that gives the sentence back
            return reason
    return legacy(sentence)
