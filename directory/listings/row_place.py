"""Where a row's service is: its address geocoded offline, checked against any coordinates.

``geocode_place`` is the one adapter to the geocoder (``Geocoder.locate`` on the address,
locality and county), so the row logic does not depend on how places are found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from directory import vocab
from directory.errors import GeocodeError, PunteError
from directory.listings.problems import Problem

Cache = dict[tuple[str, ...], Any]


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    county_code: str
    siruta: int | None
    locality: str | None
    precision: str
    source: str  # "gazetteer" or "import" (coordinates from the file)
    address_1: str | None = None  # the street line the geocoder's parser read


def geocode_place(geocoder: Any, address: str, locality: str, county: str, cache: Cache) -> Any:
    """Geocode a row's address, locality and county with ``Geocoder.locate``, cached.

    Returns (best candidate, labels of tied candidates, parsed street line) or a GeocodeError.
    A file with one address column ("Str. X nr. 3, Turda, jud. Cluj") works, and the street the
    parser read becomes the location's ``address_1``.
    """
    key = (address.casefold(), locality.casefold(), county.casefold())
    if key not in cache:
        parts = [address, locality, f"jud. {county}" if county else ""]
        query = ", ".join(x for x in parts if x.strip())
        try:
            located = geocoder.locate(query)
            found = list(located.candidates[:3])
            others = [c.label() for c in found[1:3]] if geocoder.is_ambiguous(found) else []
            cache[key] = (found[0], others, located.address.address_1 or None)
        except (GeocodeError, PunteError) as e:
            cache[key] = e
    return cache[key]


def in_romania(lat: float, lon: float) -> bool:
    return vocab.RO_LAT[0] <= lat <= vocab.RO_LAT[1] and vocab.RO_LON[0] <= lon <= vocab.RO_LON[1]


def parse_coordinate(text: str) -> float | None:
    """'46,7712' (Romanian decimal comma) and '46.7712' both read; '' is None."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)  # ValueError is reported by the caller on its column


def locate(
    geocoder: Any,
    cells: dict[str, str],
    row: int,
    cache: Cache,
    problems: list[Problem],
    warnings: list[Problem],
) -> Place | None:
    """The row's place, or None with the reason added to ``problems``."""
    locality, county = cells.get("locality", ""), cells.get("county", "")
    address = cells.get("address", "")
    point = _file_point(cells, row, problems, warnings)
    found = (
        geocode_place(geocoder, address, locality, county, cache) if locality or address else None
    )
    candidate, street = None, None
    if isinstance(found, tuple):
        candidate, others, street = found
    if isinstance(found, tuple) and others:
        warnings.append(
            Problem(
                "import.warn.ambiguous_locality",
                {
                    "locality": locality or address,
                    "chosen": candidate.label() if candidate else "—",
                    "others": "; ".join(others),
                },
                row,
                "locality",
            )
        )
    elif isinstance(found, GeocodeError):
        values = {
            "locality": locality or address,
            "suggestions": "; ".join(found.suggestions) or "—",
        }
        if point is None:
            problems.append(Problem("import.row.locality_not_found", values, row, "locality"))
            return None
        warnings.append(Problem("import.warn.locality_not_found", values, row, "locality"))
    elif isinstance(found, Exception):
        problems.append(Problem("import.row.locality_invalid", {"error": str(found)}, row))
        return None
    if point is None:
        if candidate is None:
            problems.append(Problem("import.row.no_place", {}, row, "locality"))
            return None
        return Place(
            candidate.latitude, candidate.longitude, candidate.county_code,
            candidate.uat_siruta, candidate.name, candidate.precision, "gazetteer", street,
        )  # fmt: skip
    lat, lon = point
    if not in_romania(lat, lon):
        if candidate is None:
            problems.append(
                Problem("import.row.outside_romania", {"lat": lat, "lon": lon}, row, "latitude")
            )
            return None
        warnings.append(
            Problem(
                "import.warn.outside_romania_used_locality",
                {"lat": lat, "lon": lon, "place": candidate.label()},
                row,
                "latitude",
            )
        )
        return Place(
            candidate.latitude, candidate.longitude, candidate.county_code,
            candidate.uat_siruta, candidate.name, candidate.precision, "gazetteer",
        )  # fmt: skip
    where = geocoder.reverse(lat, lon)
    if candidate is not None and where is not None and where.uat_siruta != candidate.uat_siruta:
        warnings.append(
            Problem(
                "import.warn.point_outside_uat",
                {"lat": lat, "lon": lon, "uat": where.uat_name, "place": candidate.label()},
                row,
                "latitude",
            )
        )
    county_code = where.county_code if where else (candidate.county_code if candidate else "")
    if not county_code:
        problems.append(Problem("import.row.no_place", {}, row, "locality"))
        return None
    return Place(
        lat, lon, county_code, where.uat_siruta if where else None,
        candidate.name if candidate else locality or None, "manual", "import", street,
    )  # fmt: skip


def _file_point(
    cells: dict[str, str], row: int, problems: list[Problem], warnings: list[Problem]
) -> tuple[float, float] | None:
    """The file's coordinates, swapped back when they were typed the wrong way round."""
    lat_text, lon_text = cells.get("latitude", ""), cells.get("longitude", "")
    if not lat_text and not lon_text:
        return None
    try:
        lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
    except ValueError:
        warnings.append(
            Problem(
                "import.warn.bad_coordinates", {"lat": lat_text, "lon": lon_text}, row, "latitude"
            )
        )
        return None
    if lat is None or lon is None:
        warnings.append(Problem("import.warn.half_coordinates", {}, row, "latitude"))
        return None
    if not in_romania(lat, lon) and in_romania(lon, lat):
        warnings.append(
            Problem("import.warn.swapped_coordinates", {"lat": lon, "lon": lat}, row, "latitude")
        )
        return lon, lat
    return lat, lon
