"""Build files the way coordinators write them: Excel's `;`, Windows-1250, cedillas, BOMs,
formulas, swapped coordinates. Names come from data/ro_uat.csv, so geocoding is real.
"""

from __future__ import annotations

import csv
import io
import zipfile
from functools import cache
from xml.sax.saxutils import escape

from ..conftest import DATA_DIR

# The header row a county directorate's spreadsheet typically has (Romanian, diacritics).
HEADERS = [
    "Nr. crt.", "Denumire", "Furnizor", "Adresa", "Localitate", "Județ", "Capacitate",
    "Telefon", "Email", "Cod serviciu", "Tip serviciu", "Vârsta minimă", "Vârsta maximă",
]  # fmt: skip


@cache
def uats() -> list[dict[str, str]]:
    with (DATA_DIR / "ro_uat.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["kind"] in ("municipiu", "oraș")]


def row(i: int, **over: str) -> list[str]:
    """A valid row for the i-th town: a counselling service of a local association."""
    uat = uats()[i % len(uats())]
    values = {
        "Nr. crt.": str(i + 1),
        "Denumire": f"Consiliere pentru copii {uat['name']}",
        "Furnizor": f"Asociația Speranța {uat['name']}",
        "Adresa": f"Str. Școlii nr. {i + 1}",
        "Localitate": uat["name"],
        "Județ": uat["county_name"],
        "Capacitate": "",
        "Telefon": "0264 123 456",
        "Email": "contact@speranta.ro",
        "Cod serviciu": "",
        "Tip serviciu": "Consiliere psihologică",
        "Vârsta minimă": "6",
        "Vârsta maximă": "17",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


def csv_text(rows: list[list[str]], headers: list[str] = HEADERS, sep: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def cedillas(text: str) -> str:
    """Legacy cedilla ş ţ, as old Windows keyboards and cp1250 files have them."""
    return text.translate(str.maketrans("șțȘȚ", "şţŞŢ"))


def xlsx_bytes(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    """A minimal valid .xlsx (inline strings, numbers as numbers), as Excel would read it."""

    def cell(ref: str, value: object) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    def col(n: int) -> str:
        name = ""
        n += 1
        while n:
            n, rem = divmod(n - 1, 26)
            name = chr(65 + rem) + name
        return name

    sheet_rows = []
    for r, values in enumerate([headers, *rows], start=1):
        cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(values) if v != "")
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    ns = "http://schemas.openxmlformats.org"
    rel_ns, doc = f"{ns}/package/2006/relationships", f"{ns}/officeDocument/2006/relationships"
    main, office = f"{ns}/spreadsheetml/2006/main", "application/vnd.openxmlformats-"
    head = '<?xml version="1.0" encoding="UTF-8"?>'

    def rel(kind: str, target: str) -> str:
        return (
            f'{head}<Relationships xmlns="{rel_ns}"><Relationship Id="rId1" '
            f'Type="{doc}/{kind}" Target="{target}"/></Relationships>'
        )

    sheet = f"{office}officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{office}package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{sheet}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{sheet}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": rel("officeDocument", "xl/workbook.xml"),
        "xl/workbook.xml": (
            f'{head}<workbook xmlns="{main}" xmlns:r="{doc}"><sheets>'
            '<sheet name="Servicii" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": rel("worksheet", "worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml": (
            f'{head}<worksheet xmlns="{main}">'
            f"<sheetData>{''.join(sheet_rows)}</sheetData></worksheet>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()
