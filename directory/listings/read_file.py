"""Read the spreadsheets coordinators actually have: any encoding, `,` or `;`, CSV or XLSX.

The result is a plain table of text cells. Nothing here interprets a cell; every problem with
the file as a whole is a FileProblemError carrying a translation key.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from directory.listings.problems import FileProblemError
from directory.textnorm import fix_diacritics

# 25 MB holds about 100,000 listing rows, ten times Romania's whole register of social
# services; a bigger file is almost always a wrong export, and reading it would stall the app.
MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 100_000
FORMATS = ("csv", "xlsx")
# Encodings Romanian spreadsheets come in. Without a list, the detector takes short
# Romanian text for Western cp1252 and turns "București" into "Bucureºti".
ENCODINGS = ["utf_8", "utf_16", "cp1250", "iso8859_2", "iso8859_16"]
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # legacy .xls, which calamine also reads
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ")


@dataclass(frozen=True)
class Table:
    """The header and the data rows of a file, every cell as stripped text."""

    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    cedillas_fixed: int = 0
    # Data row index → how many non-empty cells lay beyond the last header (reported per row).
    overflow: dict[int, int] | None = None


def read_table(source: str | Path | bytes, name: str = "", fmt: str | None = None) -> Table:
    """Read a CSV or XLSX file (a path, or its bytes with its file name)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise FileProblemError("import.file.missing", name=str(path)) from None
        _check_size(size, name)
        data = path.read_bytes()
    else:
        data = source
        _check_size(len(data), name)
    if not data.strip():
        raise FileProblemError("import.file.empty", name=name)
    guessed = _guess_format(data, name, fmt)
    fmt = fmt or guessed
    if fmt == "xlsx":
        headers, rows = _read_workbook(data, name)
        encoding = delimiter = None
    elif fmt == "csv":
        text, encoding = _decode(data, name)
        delimiter = _delimiter(text)
        headers, rows = _read_csv(text, delimiter, name)
    else:
        raise FileProblemError("import.file.format", name=name, format=fmt, formats="csv, xlsx")
    return _finish(headers, rows, fmt, encoding, delimiter, name)


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise FileProblemError(
            "import.file.too_big",
            name=name,
            size_mb=f"{size / 1024 / 1024:.1f}",
            limit_mb=MAX_BYTES // 1024 // 1024,
        )


def _guess_format(data: bytes, name: str, asked: str | None) -> str:
    """The format the bytes are in; a binary file is refused whatever format was asked."""
    if data.startswith((_ZIP, _OLE)):
        return "xlsx"
    suffix = Path(name).suffix.lower()
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:4096] and not _utf16(data):
        raise FileProblemError("import.file.not_spreadsheet", name=name)
    if asked == "xlsx" or asked is None and suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise FileProblemError("import.file.bad_xlsx", name=name, error="not a workbook")
    return "csv"


def _utf16(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff"))


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode with the file's encoding: UTF-8 (with or without BOM) first, else detected."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else (
            "utf-8"
        )
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=ENCODINGS).best()
    if best is None:
        raise FileProblemError("import.file.encoding", name=name)
    encoding = best.encoding
    if encoding.startswith("iso8859") and _same_as_cp1250(data, encoding):
        # Windows-1250 is what Romanian Excel writes; name it when it reads the same.
        encoding = "cp1250"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        raise FileProblemError("import.file.encoding", name=name) from None


def _same_as_cp1250(data: bytes, encoding: str) -> bool:
    # Control codes in ISO-8859 are Windows quotes and dashes in cp1250.
    if any(0x80 <= b <= 0x9F for b in data):
        return True
    try:
        windows = fix_diacritics(data.decode("cp1250"))
    except UnicodeDecodeError:
        return False
    return windows == fix_diacritics(data.decode(encoding))


def _delimiter(text: str) -> str:
    """`;` (Romanian Excel, where `,` is the decimal mark), `,` or tab, from the first lines."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        return max(",;\t", key=header.count)


def _read_csv(text: str, delimiter: str, name: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise FileProblemError("import.file.too_many_rows", name=name, limit=MAX_ROWS)
    except csv.Error as e:
        raise FileProblemError(
            "import.file.csv", name=name, line=reader.line_num, error=str(e)
        ) from None
    return _split_header(rows, name)


def _read_workbook(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [book.get_sheet_by_index(i) for i in range(len(book.sheet_names))]
        # The first sheet with cells: exports often open with an empty or a notes sheet.
        rows: list[list[Any]] = []
        for sheet in sheets:
            rows = sheet.to_python(skip_empty_area=True)
            if any(any(_cell(c) for c in r) for r in rows):
                break
    except Exception as e:  # calamine raises its own error types for every kind of damage
        raise FileProblemError("import.file.bad_xlsx", name=name, error=str(e)[:200]) from None
    if len(rows) > MAX_ROWS + 1:
        raise FileProblemError("import.file.too_many_rows", name=name, limit=MAX_ROWS)
    return _split_header([[_cell(c) for c in r] for r in rows], name)


def _cell(value: Any) -> str:
    """A workbook cell as the text a person sees (a phone typed as a number keeps no '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _split_header(rows: list[list[str]], name: str) -> tuple[list[str], list[list[str]]]:
    # Leading blank lines (a title row left empty) are not the header.
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise FileProblemError("import.file.empty", name=name)
    headers, body = rows[0], rows[1:]
    if not any(any(c.strip() for c in r) for r in body):
        raise FileProblemError("import.file.header_only", name=name)
    return headers, body


def _finish(
    headers: list[str],
    rows: list[list[str]],
    fmt: str,
    encoding: str | None,
    delimiter: str | None,
    name: str,
) -> Table:
    fixed = 0

    def clean(cell: str) -> str:
        nonlocal fixed
        cell = cell.strip()
        repaired = fix_diacritics(cell)
        if repaired != cell:
            fixed += 1
        return repaired

    names = [clean(h) for h in headers]
    while names and not names[-1]:  # trailing empty header cells from a wider sheet
        names.pop()
    if not any(names):
        raise FileProblemError("import.file.no_header", name=name)
    width = len(names)
    out = []
    overflow: dict[int, int] = {}
    for i, r in enumerate(rows):
        out.append(tuple([clean(c) for c in r[:width]] + [""] * (width - len(r))))
        extra = sum(1 for c in r[width:] if c.strip())
        if extra:  # a cell beyond the last header would be lost: the row says so
            overflow[i] = extra
    return Table(tuple(names), out, fmt, encoding, delimiter, fixed, overflow)
