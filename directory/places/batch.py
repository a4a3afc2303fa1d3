"""Geocode many queries in order, one plain record each: the command line and imports use it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from directory.errors import GeocodeError, ValidationError
from directory.places.geocoder import Geocoder, Located

ALTERNATIVES = 5


def record(located: Located) -> dict[str, Any]:
    """The JSON-ready fields of one answer: parsed street, place, UAT, precision, confidence."""
    a, best = located.address, located.best
    return {
        "query": located.query,
        "street": a.address_1,
        "postal_code": a.postal_code or None,
        "name": best.name,
        "kind": best.kind,
        "label": best.label(),
        "siruta": best.siruta,
        "uat_siruta": best.uat_siruta,
        "uat_name": best.uat_name,
        "county_code": best.county_code,
        "county_name": best.county_name,
        "latitude": best.latitude,
        "longitude": best.longitude,
        "precision": best.precision,
        "score": best.score,
        "match": best.match,
        "ambiguous": located.ambiguous,
        "alternatives": [c.label() for c in located.candidates[1 : 1 + ALTERNATIVES]],
        "error": None,
        "suggestions": [],
    }


# A failed query has the same fields, empty, so a reader can index every record alike.
_EMPTY: dict[str, Any] = {
    "query": "", "street": "", "postal_code": None, "name": None, "kind": None, "label": None,
    "siruta": None, "uat_siruta": None, "uat_name": None, "county_code": None,
    "county_name": None, "latitude": None, "longitude": None, "precision": None, "score": None,
    "match": None, "ambiguous": False, "alternatives": [], "error": None, "suggestions": [],
}  # fmt: skip


def geocode_one(geocoder: Geocoder, query: str) -> dict[str, Any]:
    """One record for one query; a query that fails gives a record with ``error`` set."""
    try:
        return record(geocoder.locate(query))
    except GeocodeError as e:
        street = geocoder.parse(query).address_1
        return {**_EMPTY, "query": query, "street": street, "error": str(e),
                "suggestions": e.suggestions}  # fmt: skip
    except ValidationError as e:
        return {**_EMPTY, "query": query, "error": str(e)}


def geocode_many(
    geocoder: Geocoder,
    queries: Iterable[str],
    progress: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Records for the queries, in their order; ``progress(1)`` after each one."""
    for query in queries:
        yield geocode_one(geocoder, query)
        if progress is not None:
            progress(1)


def read_queries(text: str, column: str | None = None) -> list[str]:
    """Queries from a file's text: one a line, or the named column of a CSV file."""
    if column is None:
        return text.splitlines()
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or column not in reader.fieldnames:
        found = ", ".join(reader.fieldnames or []) or "none"
        raise ValidationError(
            "--column", f"The file has no column {column!r}; its columns are: {found}."
        )
    return [row[column] or "" for row in reader]
