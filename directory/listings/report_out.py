"""An import report as JSON (CLI --json, API) and its invalid rows as a CSV to fix and re-import."""

from __future__ import annotations

import csv
import io
from typing import Any

from directory.listings.export import safe_cell
from directory.listings.importer import ImportReport


def report_dict(
    report: ImportReport, lang: str = "en", committed: dict[str, int] | None = None
) -> dict[str, Any]:
    """One object: the counts, the mapping used, and every row with its reasons."""
    counts = report.counts()
    planned = report.plan.counts()
    done = committed or {"created": 0, "updated": 0, "unchanged": planned["unchanged"]}
    return {
        "file": report.source,
        "format": report.format,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "mapping": report.mapping,
        "mapping_key": report.mapping_key,
        "mapping_source": report.mapping_source,
        "rows_total": counts["rows"],
        "valid": counts["valid"],
        "invalid": counts["invalid"],
        "out_of_scope": counts["out_of_scope"],
        "duplicates": counts["duplicate"],
        "blank": counts["blank"],
        "warnings": counts["warnings"],
        "probable_duplicates": [
            {"a": p.a, "b": p.b, "similarity": p.similarity, "km": p.km} for p in report.duplicates
        ],
        "planned": planned,
        "committed": committed is not None,
        "created": done["created"],
        "updated": done["updated"],
        "unchanged": done["unchanged"],
        "file_warnings": [w.as_dict(lang) for w in report.file_warnings],
        "rows": [
            {
                "row": r.row,
                "status": r.status,
                "service_id": r.service.id if r.service else None,
                "reasons": [p.as_dict(lang) for p in r.problems],
                "warnings": [w.as_dict(lang) for w in r.warnings],
            }
            for r in report.rows
        ],
    }


def rejected_rows_csv(report: ImportReport, lang: str = "ro") -> str:
    """The rows not imported (invalid, out of scope, duplicate) with their cells and reasons.

    The columns are the file's own, plus `row` and `reasons`, so the coordinator fixes the
    cells and imports the file again. Cells are formula-safe.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    by_field = {field: header for header, field in report.mapping.items() if field}
    fields = list(by_field)
    writer.writerow(["row", "reasons", *(by_field[f] for f in fields)])
    for r in report.rows:
        if r.status in ("valid", "blank"):
            continue
        reasons = "; ".join(p.text(lang) for p in r.problems)
        writer.writerow(
            [r.row, safe_cell(reasons), *(safe_cell(r.cells.get(f, "")) for f in fields)]
        )
    return out.getvalue()
