"""The HSDS 3.1 tabular package: one CSV per table plus datapackage.json, as a folder or .zip.

``write_package`` flattens the nested service objects of hsds.py; ``read_package`` nests a
package (Punte's or another publisher's) back into service objects for the importer.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any, Iterable

from directory.listings.export import safe_cell

# file → its columns, in the order of the HSDS 3.1 schemas.
TABLES: dict[str, tuple[str, ...]] = {
    "organizations.csv": ("id", "name", "description", "email", "website", "tax_id",
                          "legal_status"),
    "organization_identifiers.csv": ("id", "organization_id", "identifier_scheme",
                                     "identifier_type", "identifier"),
    "services.csv": ("id", "organization_id", "name", "description", "status", "minimum_age",
                     "maximum_age", "eligibility_description", "application_process",
                     "interpretation_services", "fees_description", "assured_date", "alert"),
    "locations.csv": ("id", "location_type", "organization_id", "name", "latitude", "longitude",
                      "external_identifier", "external_identifier_type"),
    "addresses.csv": ("id", "location_id", "address_1", "city", "state_province", "postal_code",
                      "country", "address_type"),
    "service_at_location.csv": ("id", "service_id", "location_id"),
    "phones.csv": ("id", "service_id", "number", "type"),
    "languages.csv": ("id", "service_id", "code"),
    "units.csv": ("id", "name", "scheme", "identifier"),
    "service_capacity.csv": ("id", "service_id", "unit_id", "available", "maximum", "updated"),
    "taxonomy_terms.csv": ("id", "code", "name", "description", "taxonomy"),
    "attributes.csv": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
}  # fmt: skip
_NOT_TEXT = {"number", "value", "id", "latitude", "longitude"}  # "+40..." is a phone, not a formula
_QUOTED_FORMULA = ("'=", "'+", "'-", "'@")


def _flatten(objects: Iterable[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def put(table: str, row: dict[str, Any]) -> None:
        tables[table].setdefault(row["id"], row)

    def attributes(obj: dict[str, Any]) -> None:
        for a in obj.get("attributes", []):
            put("taxonomy_terms.csv", a["taxonomy_term"])
            put("attributes.csv", a)

    for svc in objects:
        put("services.csv", svc)
        attributes(svc)
        org = svc.get("organization")
        if org:
            put("organizations.csv", org)
            attributes(org)
            for ident in org.get("organization_identifiers", []):
                put("organization_identifiers.csv", ident)
        for phone in svc.get("phones", []):
            put("phones.csv", phone)
        for lang in svc.get("languages", []):
            put("languages.csv", lang)
        for cap in svc.get("capacities", []):
            put("units.csv", cap["unit"])
            put("service_capacity.csv", {**cap, "unit_id": cap["unit"]["id"]})
        for link in svc.get("service_at_locations", []):
            put("service_at_location.csv", link)
            attributes(link)
            loc = link["location"]
            put("locations.csv", loc)
            attributes(loc)
            for address in loc.get("addresses", []):
                put("addresses.csv", address)
    return tables


def write_package(objects: Iterable[dict[str, Any]], output: Path) -> None:
    """Write the CSVs and datapackage.json into a folder, or into a .zip when output ends so."""
    tables = _flatten(objects)
    files: dict[str, str] = {}
    for name, columns in TABLES.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in tables[name].values():
            writer.writerow(_cell(c, row.get(c)) for c in columns)
        files[name] = out.getvalue()
    files["datapackage.json"] = json.dumps(
        {
            "name": "punte-directory",
            "profile": "tabular-data-package",
            "version": "3.1",
            "resources": [
                {
                    "name": n.removesuffix(".csv"),
                    "path": n,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                }
                for n in TABLES
            ],  # fmt: skip
        },
        indent=1,
    )
    if output.suffix.lower() == ".zip":
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name, text)
    else:
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (output / name).write_text(text, encoding="utf-8", newline="")


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return ""
    return value if column in _NOT_TEXT or not isinstance(value, str) else safe_cell(value)


def read_package(path: Path) -> list[dict[str, Any]]:
    """Nest a tabular package (folder or .zip) back into HSDS service objects."""
    raw = _read_files(path)
    t = {name: list(csv.DictReader(io.StringIO(text))) for name, text in raw.items()}

    def index(name: str, key: str = "id") -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for row in t.get(name, []):
            out.setdefault(row.get(key) or "", []).append(_clean(row))
        return out

    terms = {k: v[0] for k, v in index("taxonomy_terms.csv").items()}
    attrs = index("attributes.csv", "link_id")
    for rows in attrs.values():
        for a in rows:
            a["taxonomy_term"] = terms.get(a.get("taxonomy_term_id", ""), {})
    orgs = {k: v[0] for k, v in index("organizations.csv").items()}
    locs = {k: v[0] for k, v in index("locations.csv").items()}
    addresses, links = index("addresses.csv", "location_id"), index("service_at_location.csv",
                                                                      "service_id")  # fmt: skip
    phones, langs = index("phones.csv", "service_id"), index("languages.csv", "service_id")
    units = {k: v[0] for k, v in index("units.csv").items()}
    caps = index("service_capacity.csv", "service_id")
    services = []
    for svc in (_clean(r) for r in t.get("services.csv", [])):
        svc["attributes"] = attrs.get(svc["id"], [])
        org = orgs.get(svc.get("organization_id", ""))
        if org:
            svc["organization"] = {**org, "attributes": attrs.get(org["id"], [])}
        svc["phones"], svc["languages"] = phones.get(svc["id"], []), langs.get(svc["id"], [])
        svc["capacities"] = [{**c, "unit": units.get(c.get("unit_id", ""), {})}
                             for c in caps.get(svc["id"], [])]  # fmt: skip
        svc["service_at_locations"] = []
        for link in links.get(svc["id"], []):
            loc = locs.get(link.get("location_id", ""))
            if loc is None:
                continue
            loc = {**loc, "addresses": addresses.get(loc["id"], []),
                   "attributes": attrs.get(loc["id"], [])}  # fmt: skip
            svc["service_at_locations"].append(
                {**link, "location": loc, "attributes": attrs.get(link["id"], [])}
            )
        services.append(svc)
    return services


def _read_files(path: Path) -> dict[str, str]:
    if path.is_dir():
        return {p.name: p.read_text(encoding="utf-8-sig") for p in path.glob("*.csv")}
    with zipfile.ZipFile(path) as z:
        return {
            Path(n).name: z.read(n).decode("utf-8-sig") for n in z.namelist() if n.endswith(".csv")
        }


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """Empty cells are absent; a quote our export put before a formula character goes."""
    out = {}
    for k, v in row.items():
        if v in ("", None) or k is None:
            continue
        out[k] = v[1:] if isinstance(v, str) and v.startswith(_QUOTED_FORMULA) else v
    return out
