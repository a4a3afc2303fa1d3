"""Punte's import columns, the template that documents them, and a mapping from any headers.

Coordinators' files name columns in Romanian or English, with or without diacritics
("Denumire", "Furnizor", "Județ", "Judet", "County"). ``suggest_mapping`` reads the headers
the way a person would; the coordinator corrects the suggestion, and ``mapping_key`` lets the
corrected mapping be remembered for the next file with the same headers.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from directory.i18n import translate
from directory.listings.problems import FileProblemError
from directory.textnorm import fold


@dataclass(frozen=True)
class Column:
    name: str
    example: str
    synonyms: tuple[str, ...]  # folded (lower case, no diacritics)


# Template order: the provider, then where, then what. Descriptions are `import.col.<name>`.
COLUMNS: tuple[Column, ...] = (
    Column("organization_id", "ORG-12", ("id furnizor", "cod furnizor", "organization id")),
    Column(
        "organization",
        "Asociația Speranța",
        (
            "furnizor",
            "denumire furnizor",
            "nume furnizor",
            "organizatie",
            "organizatia",
            "organization",
            "organisation",
            "provider",
            "provider name",
            "furnizor serviciu",
        ),
    ),
    Column(
        "legal_status",
        "ngo",
        (
            "statut",
            "statut juridic",
            "forma juridica",
            "legal status",
            "tip furnizor",
            "furnizor public privat",
        ),
    ),
    Column("cui", "RO12345678", ("cui", "cif", "cod fiscal", "cod unic de inregistrare", "tax id")),
    Column(
        "website",
        "https://exemplu.ro",
        ("website", "site", "site web", "pagina web", "web", "url", "adresa web"),
    ),
    Column(
        "email",
        "contact@exemplu.ro",
        ("email", "e mail", "adresa email", "mail", "adresa de email", "posta electronica"),
    ),
    Column("location_id", "LOC-3", ("id locatie", "cod locatie", "location id")),
    Column(
        "location_name",
        "Centrul de zi Speranța",
        ("locatie", "nume locatie", "sediu", "location", "location name"),
    ),
    Column(
        "address",
        "Str. Republicii nr. 10",
        ("adresa", "adresa serviciu", "strada", "address", "street", "adresa sediu", "address 1"),
    ),
    Column(
        "locality",
        "Turda",
        (
            "localitate",
            "localitatea",
            "oras",
            "orasul",
            "municipiu",
            "comuna",
            "city",
            "town",
            "locality",
            "uat",
        ),
    ),
    Column("county", "Cluj", ("judet", "judetul", "county", "jud")),
    Column("postal_code", "401000", ("cod postal", "postal code", "zip", "postcode")),
    Column("latitude", "46.5667", ("latitudine", "lat", "latitude", "y")),
    Column("longitude", "23.7833", ("longitudine", "lon", "lng", "long", "longitude", "x")),
    Column(
        "disclosure",
        "public",
        ("confidentialitate", "vizibilitate", "disclosure", "adresa confidentiala", "confidential"),
    ),
    Column("service_id", "SVC-7", ("id", "id serviciu", "cod intern", "service id")),
    Column(
        "service_name",
        "Consiliere psihologică pentru copii",
        (
            "denumire",
            "denumire serviciu",
            "denumirea serviciului",
            "nume serviciu",
            "serviciu",
            "service",
            "service name",
            "name",
            "nume",
            "serviciul social",
        ),
    ),
    Column(
        "service_type",
        "psychological_counselling",
        ("tip serviciu", "tip", "tipul serviciului", "categorie", "service type", "type"),
    ),
    Column(
        "service_code",
        "8899CZ-VTP-I",
        (
            "cod serviciu",
            "cod serviciu social",
            "cod",
            "code",
            "service code",
            "nomenclator",
            "cod nomenclator",
        ),
    ),
    Column("description", "", ("descriere", "descriere serviciu", "description", "detalii")),
    Column(
        "minimum_age",
        "6",
        ("varsta minima", "varsta min", "minimum age", "min age", "age min", "de la varsta"),
    ),
    Column(
        "maximum_age",
        "17",
        ("varsta maxima", "varsta max", "maximum age", "max age", "age max", "pana la varsta"),
    ),
    Column("genders", "female, male", ("gen", "sex", "genders", "gender")),
    Column("languages", "ro, hu", ("limbi", "limba", "languages", "language", "limbi vorbite")),
    Column(
        "phone",
        "0264 123 456",
        (
            "telefon",
            "tel",
            "nr telefon",
            "numar telefon",
            "phone",
            "telephone",
            "telefon contact",
            "intake phone",
        ),
    ),
    Column(
        "capacity",
        "12",
        (
            "capacitate",
            "capacitate totala",
            "numar locuri",
            "nr locuri",
            "locuri",
            "capacity",
            "beds",
            "total beds",
            "beds total",
        ),
    ),
    Column(
        "beds_available",
        "3",
        (
            "locuri libere",
            "locuri disponibile",
            "available",
            "beds available",
            "available beds",
            "free places",
        ),
    ),
    Column(
        "capacity_status", "available", ("stare capacitate", "disponibilitate", "capacity status")
    ),
    Column(
        "capacity_as_of",
        "2026-11-20",
        ("data capacitate", "capacitate la data", "capacity as of", "capacity date"),
    ),
    Column(
        "trafficking_specialised",
        "da",
        (
            "specializat trafic",
            "victime trafic",
            "trafficking specialised",
            "trafficking specialized",
        ),
    ),
    Column(
        "specialisations",
        "sexual; online_sexual",
        (
            "specializari",
            "tipuri exploatare",
            "tip exploatare",
            "exploatare",
            "specialisations",
            "specializations",
            "exploitation types",
        ),
    ),
    Column(
        "emergency_intake_24_7",
        "nu",
        ("urgenta 24 7", "primire urgenta", "non stop", "emergency intake 24 7", "24 7"),
    ),
    Column("schedule", "L-V 8-16", ("program", "orar", "schedule", "opening hours")),
    # The provider's current notice: its text, the day it ends, and whether it stops intake.
    Column("alert", "", ("aviz", "anunt", "anunt temporar", "alert", "notice", "alerta")),
    Column(
        "alert_expires",
        "",
        ("aviz valabil pana la", "expirare aviz", "aviz pana la", "alert expires", "alert until"),
    ),
    Column(
        "alert_stops_intake",
        "nu",
        ("aviz opreste primirea", "opreste primirea", "alert stops intake", "stops intake"),
    ),
)
FIELDS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
_BY_SYNONYM = {s: c.name for c in COLUMNS for s in (*c.synonyms, fold(c.name.replace("_", " ")))}
_SYNONYMS = list(_BY_SYNONYM)
FUZZY_CUTOFF = 88.0  # "Localitatea:" or "Judetul" pass; "Tip" never becomes "Tel"

Mapping = dict[str, str | None]  # file header → Punte field (None: not imported)


def suggest_mapping(headers: tuple[str, ...] | list[str]) -> Mapping:
    """A field for each header the way a person reads it; each field is used at most once."""
    mapping: Mapping = {}
    taken: set[str] = set()
    for header in headers:
        key = fold(header)
        field_name = _BY_SYNONYM.get(key) or _BY_SYNONYM.get(fold(header.replace("_", " ")))
        if field_name is None and key:
            hit = process.extractOne(key, _SYNONYMS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            field_name = _BY_SYNONYM[hit[0]] if hit else None
        if field_name in taken:
            field_name = None
        mapping[header] = field_name
        if field_name:
            taken.add(field_name)
    return mapping


def parse_columns(
    spec: str, headers: tuple[str, ...] | list[str], base: Mapping | None = None
) -> Mapping:
    """``'Header=field,Other=field'`` on top of ``base`` (else the suggestion); ``Header=``
    ignores a column."""
    mapping = dict(base) if base else suggest_mapping(headers)
    by_fold = {fold(h): h for h in headers}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        header, sep, field_name = part.rpartition("=")
        header, field_name = header.strip(), field_name.strip()
        if not sep or not header:
            raise FileProblemError("import.columns.syntax", part=part)
        if field_name and field_name not in FIELDS:
            raise FileProblemError(
                "import.columns.unknown_field", field=field_name, fields=", ".join(FIELDS)
            )
        actual = header if header in mapping else by_fold.get(fold(header))
        if actual is None:
            raise FileProblemError(
                "import.columns.unknown_header", header=header, headers=", ".join(headers)
            )
        for h, f in mapping.items():  # the explicit choice wins over a suggestion
            if field_name and f == field_name:
                mapping[h] = None
        mapping[actual] = field_name or None
    return mapping


def check_mapping(mapping: Mapping, fixed_organization: bool = False) -> None:
    """Refuse a mapping that cannot give a valid row, naming what is missing."""
    mapped = {f for f in mapping.values() if f}
    duplicated = [f for f in mapped if sum(1 for v in mapping.values() if v == f) > 1]
    if duplicated:
        raise FileProblemError("import.columns.twice", field=", ".join(sorted(duplicated)))
    needed = ["service_name"] + ([] if fixed_organization else ["organization"])
    missing = [f for f in needed if f not in mapped]
    if not ({"locality", "latitude", "address"} & mapped):  # an address names its place too
        missing.append("locality")
    if missing:
        raise FileProblemError("import.columns.missing", fields=", ".join(missing))


def mapping_key(headers: tuple[str, ...] | list[str]) -> str:
    """The same headers, in any order, case or spelling of diacritics, give the same key."""
    folded = "\x1f".join(sorted(fold(h) for h in headers))
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


def template_csv() -> str:
    """The downloadable template: Punte's columns and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    writer.writerow(c.example for c in COLUMNS)
    return out.getvalue()


def describe_columns(lang: str = "ro") -> list[tuple[str, str, str]]:
    """(column, example, description) for each template column, for the page and the README."""
    return [(c.name, c.example, translate(f"import.col.{c.name}", lang)) for c in COLUMNS]
