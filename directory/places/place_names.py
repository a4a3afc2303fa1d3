"""The words Romanians use around place and street names: prefixes, street types, abbreviations.

Every table here is keyed by folded text (see ``directory.textnorm.fold``): lower case, no
diacritics, punctuation and hyphens as spaces, so ``B-dul`` is ``b dul`` and ``Tg.`` is ``tg``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from directory.textnorm import fix_diacritics, fold

# Folded prefix word → the kind of place it announces.
KIND_PREFIXES: dict[str, str] = {
    "mun": "municipiu", "municipiu": "municipiu", "municipiul": "municipiu",
    "oras": "oraș", "orasul": "oraș", "or": "oraș",
    "com": "comună", "comuna": "comună",
    "sat": "sat", "satul": "sat", "loc": "sat", "localitatea": "sat",
}  # fmt: skip

# Folded street type (one or two words) → the form written in a stored address.
STREET_TYPES: dict[str, str] = {
    "str": "Str.", "strada": "Str.", "st": "Str.",
    "bd": "Bd.", "bdul": "Bd.", "b dul": "Bd.", "blvd": "Bd.", "bul": "Bd.",
    "bulevardul": "Bd.", "bulevard": "Bd.",
    "calea": "Calea", "cal": "Calea",
    "sos": "Șos.", "soseaua": "Șos.", "sosea": "Șos.",
    "aleea": "Aleea", "al": "Aleea", "alee": "Aleea",
    "piata": "Piața", "pta": "Piața", "p ta": "Piața", "piateta": "Piațeta",
    "intrarea": "Intrarea", "intr": "Intrarea", "int": "Intrarea",
    "splaiul": "Splaiul", "spl": "Splaiul",
    "drumul": "Drumul", "drum": "Drumul",
    "fundatura": "Fundătura", "fdt": "Fundătura",
    "prelungirea": "Prelungirea", "prel": "Prelungirea",
    "pasajul": "Pasajul", "cartierul": "Cartierul", "cart": "Cartierul",
    "ulita": "Ulița", "ulicioara": "Ulicioara", "varianta": "Varianta",
}  # fmt: skip

# Whole folded words of official names → the short forms people write for them.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "targu": ("tg", "tirgu", "trg"),
    "ramnicu": ("rm", "rimnicu"),
    "sfantu": ("sf", "sfintu", "sft"),
    "sfanta": ("sf", "sfinta"),
    "campulung": ("cmpl", "c lung", "cimpulung"),
    "turnu": ("tr",),
    "drobeta turnu": ("dr tr", "drobeta tr"),
    "baile": ("b",),
}
# Other names a place is known by (folded official name → folded aliases).
ALIASES: dict[str, tuple[str, ...]] = {
    "drobeta turnu severin": ("turnu severin", "tr severin", "severin"),
    "bucuresti": ("bucharest", "buc", "bucuresti municipiul", "municipiul bucuresti"),
    "cluj napoca": ("cluj",),
}
# A county written without its second half, accepted only after "jud." ("jud. Bistrița").
COUNTY_SHORT_NAMES: dict[str, str] = {"bistrita": "BN", "caras": "CS"}

_OLD_SPELLING = re.compile("â")


def old_spelling(name: str) -> str:
    """The spelling before 1993 ('Tîrgu', 'Vîlcea') that lists and old stamps still use."""
    return _OLD_SPELLING.sub("î", name)


def loose(text: str) -> str:
    """Lower case with diacritics kept and punctuation as spaces: 'Iași' and 'IAȘI' agree."""
    return " ".join(re.findall(r"[^\W_]+", fix_diacritics(text).lower()))


def _abbreviated(key: str) -> set[str]:
    """Every form of a folded name with any of its words abbreviated."""
    forms = {key}
    for full, shorts in ABBREVIATIONS.items():
        pattern = re.compile(rf"\b{full}\b")
        for form in list(forms):
            if pattern.search(form):
                forms.update(pattern.sub(short, form) for short in shorts)
    return forms - {key}


def name_keys(name: str) -> list[tuple[str, str]]:
    """Folded keys under which a place is found, each with its match kind.

    ``normalised`` covers the old spelling with î; ``abbreviation`` covers short forms and
    aliases. The plain folded name comes first, as ``name`` (exact or normalised, decided by
    comparing with what was typed).
    """
    key = fold(name)
    keys = {key: "name"}
    old = fold(old_spelling(name))
    keys.setdefault(old, "normalised")
    for form in (key, old):
        for short in _abbreviated(form):
            keys.setdefault(short, "abbreviation")
    for alias in ALIASES.get(key, ()):
        keys.setdefault(alias, "abbreviation")
    return list(keys.items())


def county_index(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map folded county names (either spelling) and lower-case codes to the county code."""
    index: dict[str, str] = {}
    for code, name in pairs:
        for key, _ in name_keys(name):
            index.setdefault(key, code)
        index[code.lower()] = code
    return index
