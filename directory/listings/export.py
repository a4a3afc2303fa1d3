"""CSV and JSON export of the directory, safe for spreadsheets and for confidential sites."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, TextIO

import pandas as pd

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

EXPORT_COLUMNS = (
    "service_at_location_id",
    "service_id",
    "service_name",
    "service_type",
    "status",
    "organization_name",
    "legal_status",
    "location_name",
    "locality",
    "county_code",
    "siruta",
    "latitude",
    "longitude",
    "location_precision",
    "minimum_age",
    "maximum_age",
    "serves_female",
    "serves_male",
    "languages",
    "child_friendly",
    "trafficking_specialised",
    "capacity_status",
    "beds_available",
    "capacity_as_of",
    "intake_phone",
    "is_demo",
)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas by prefixing a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, str) and value.startswith(",") and value.endswith(","):
        return value.strip(",")  # the frame's ",ro,hu," lists
    return value


def export_rows(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    columns = [c for c in EXPORT_COLUMNS if c in frame.columns]
    for record in frame[columns].to_dict("records"):
        yield {k: _plain(v) for k, v in record.items()}


def write_csv(frame: pd.DataFrame, out: TextIO) -> int:
    columns = [c for c in EXPORT_COLUMNS if c in frame.columns]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    n = 0
    for row in export_rows(frame):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        n += 1
    return n


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose every text cell and heading is formula-safe, for tables shown or saved."""
    out = frame.map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in frame.columns]
    return out


def write_table_csv(frame: pd.DataFrame, out: TextIO) -> int:
    """Any table (as shown on a page) as CSV through the one formula-safe path."""
    # Every text cell quoted: pandas leaves a lone "\r" unquoted, which would start a new row
    # (and a formula at its start) in a spreadsheet.
    safe_frame(frame).to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC)
    return len(frame)


def table_csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    write_table_csv(frame, buffer)
    return buffer.getvalue().encode("utf-8")


def write_json(frame: pd.DataFrame, out: TextIO) -> int:
    rows = list(export_rows(frame))
    json.dump(rows, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(rows)
