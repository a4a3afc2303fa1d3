"""Service types from a spreadsheet cell: Punte's codes, Romanian or English words, or the
national nomenclature code of social services (HG 867/2015, data/ro_social_service_codes.csv).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from directory import vocab
from directory.i18n import LANGUAGES, catalog
from directory.textnorm import fold

OUT_OF_SCOPE = None
# Each nomenclature code that names a service a child survivor of trafficking may need, with
# the Punte type it is; every other code (care homes for the elderly, adult disability
# centres, canteens, addiction clinics...) is a real service Punte does not list.
CODE_TYPES: dict[str, str | None] = {
    "8790CR-C-I": "shelter_residential",  # placement centres, family-type homes
    "8790CR-C-II": "shelter_emergency",  # children's emergency reception centres
    "8790CR-C-III": "shelter_emergency",  # night shelters for street children
    "8790CR-C-IV": "social_reintegration",  # children under the age of criminal liability
    "8790CR-II": "shelter_residential",  # transit centres for young people
    "8790CRT-I": "shelter_residential",  # multifunctional centres for young people
    "8790CR-MC-I": "shelter_residential",  # maternal centres (mother and child)
    "8790CR-MC-II": "shelter_residential",  # pregnant girls and women in difficulty
    "8790CR-VD-I": "shelter_emergency",  # domestic violence emergency reception
    "8790CR-VD-II": "shelter_residential",
    "8790CR-VD-III": "shelter_residential",
    "8790CR-VTP-I": "shelter_residential",  # assistance centres for trafficking victims
    "8790CR-VTP-II": "shelter_residential",
    "8790SF-C": "family_support",  # kinship and foster care support
    "8891CZ-C-II": "family_support",  # day centres for children at risk of separation
    "8891CZ-C-IV": "family_support",  # family reintegration day centres
    "8891CZ-C-V": "social_reintegration",  # street children
    "8891CZ-C-VI": "social_reintegration",  # independent living skills
    "8891CZ-C-VII": "social_reintegration",
    "8899CPCSA": "shelter_residential",  # asylum seekers, unaccompanied minors among them
    "8899CZ-F-I": "family_support",  # counselling for parents and children
    "8899CZ-F-II": "family_support",
    "8899CZ-PN-II": "psychological_counselling",  # crisis support centres
    "8899CZ-PN-III": "psychological_counselling",  # counselling and information
    "8899CZ-PN-IV": "social_reintegration",
    "8899CZ-VD-I": "psychological_counselling",  # domestic violence counselling centres
    "8899CZ-VTP-": "social_reintegration",  # printed truncated in the source; kept as printed
    "8899CZ-VTP-I": "psychological_counselling",  # trafficking victims' counselling
}
# Codes whose services are specialised in trafficking by definition.
TRAFFICKING_CODES = frozenset(c for c in CODE_TYPES if "-VTP-" in c)
_EXTRA_WORDS = {
    "adapost": "shelter_residential",
    "adapost de urgenta": "shelter_emergency",
    "centru de plasament": "shelter_residential",
    "centru rezidential": "shelter_residential",
    "primire in regim de urgenta": "shelter_emergency",
    "shelter": "shelter_residential",
    "emergency shelter": "shelter_emergency",
    "consiliere": "psychological_counselling",
    "consiliere psihologica": "psychological_counselling",
    "psihologic": "psychological_counselling",
    "counselling": "psychological_counselling",
    "counseling": "psychological_counselling",
    "consiliere juridica": "legal_aid",
    "juridic": "legal_aid",
    "legal": "legal_aid",
    "medical": "medical",
    "reintegrare": "social_reintegration",
    "reintegrare sociala": "social_reintegration",
    "educatie": "education",
    "scoala": "education",
    "sprijin familial": "family_support",
    "consiliere familiala": "family_support",
    "familie": "family_support",
    "linie telefonica": "hotline",
    "telverde": "hotline",
    "repatriere": "repatriation",
}


@dataclass(frozen=True)
class Nomenclature:
    code: str
    name: str
    group: str


@cache
def nomenclature(data_dir: str) -> dict[str, Nomenclature]:
    """The national codes, by code as printed (upper case)."""
    with (Path(data_dir) / "ro_social_service_codes.csv").open(encoding="utf-8") as f:
        return {
            r["code"].upper(): Nomenclature(r["code"], r["name"], r["group"])
            for r in csv.DictReader(f)
        }


@cache
def _type_words() -> dict[str, str]:
    words = dict(_EXTRA_WORDS)
    for code in vocab.SERVICE_TYPES:
        words[fold(code.replace("_", " "))] = code
        for lang in LANGUAGES:
            label = catalog(lang).get(f"type.{code}")
            if label:
                words[fold(label)] = code
                for part in label.split("/"):  # "Repatriere / însoțire" → "repatriere" too
                    words.setdefault(fold(part), code)
    return words


def type_from_words(text: str) -> str | None:
    """The Punte type a cell names ('Consiliere psihologică', 'legal aid', 'hotline')."""
    return _type_words().get(fold(text))


def normalise_code(text: str) -> str:
    """'8790 cr-c-ii ' → '8790CR-C-II' (spreadsheets add spaces and lower the case)."""
    return "".join(text.split()).upper()
