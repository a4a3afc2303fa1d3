"""Files as coordinators have them, and each broken file refused with its own message."""

from __future__ import annotations

import pytest

from directory.listings.problems import FileProblemError
from directory.listings.read_file import MAX_BYTES, read_table

from .messy import HEADERS, cedillas, csv_text, row, xlsx_bytes


def problem(data: bytes, name: str = "servicii.csv") -> FileProblemError:
    with pytest.raises(FileProblemError) as e:
        read_table(data, name)
    return e.value


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "utf-8-sig", "utf-8"])
def test_romanian_text_reads_back_in_every_encoding(encoding):
    text = cedillas(csv_text([row(i) for i in range(5)]))
    table = read_table(text.encode(encoding), "servicii.csv")
    assert table.headers == tuple(HEADERS)  # "Județ" with comma-below, BOM gone
    assert table.rows[0][3] == "Str. Școlii nr. 1"
    assert all("ş" not in c and "ţ" not in c for r in table.rows for c in r)


def test_windows_1250_quotes_are_not_mistaken_for_iso_8859():
    text = csv_text([row(0, Denumire="Centrul „Speranța” – zi")])
    table = read_table(cedillas(text).encode("cp1250"), "servicii.csv")
    assert table.encoding == "cp1250"
    assert table.rows[0][1] == "Centrul „Speranța” – zi"


def test_cedillas_are_counted_for_the_report():
    table = read_table(cedillas(csv_text([row(0)])).encode("utf-8"), "s.csv")
    assert table.cedillas_fixed >= 2  # the header's "Județ" and the address's "Școlii"


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_separator_is_detected(sep):
    table = read_table(csv_text([row(0), row(1)], sep=sep).encode(), "s.csv")
    assert table.delimiter == sep
    assert len(table.headers) == len(HEADERS) and len(table.rows) == 2


def test_short_rows_are_padded_and_extra_cells_reported():
    text = "Denumire;Localitate\nA\nB;Turda;surplus\n"
    table = read_table(text.encode(), "s.csv")
    assert table.rows == [("A", ""), ("B", "Turda")]
    assert table.overflow == {1: 1}


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", "\ufeff".encode()])
def test_empty_file(data):
    e = problem(data)
    assert e.problem.key == "import.file.empty"
    assert "servicii.csv is empty" in str(e)


def test_header_only():
    e = problem(csv_text([]).encode("utf-8-sig"))
    assert e.problem.key == "import.file.header_only"
    assert "header row but no data rows" in e.text("en")
    assert "niciun rând de date" in e.text("ro")


def test_header_only_with_blank_lines_below():
    e = problem((csv_text([]) + ";;;\r\n\r\n").encode())
    assert e.problem.key == "import.file.header_only"


def test_file_over_the_limit_says_the_limit(tmp_path):
    path = tmp_path / "mare.csv"
    line = ";".join(row(0)) + "\r\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(";".join(HEADERS) + "\r\n")
        f.write(line * (50 * 1024 * 1024 // len(line.encode()) + 1))
    assert path.stat().st_size > 50 * 1024 * 1024
    with pytest.raises(FileProblemError) as e:
        read_table(path)
    assert e.value.problem.key == "import.file.too_big"
    assert f"the limit is {MAX_BYTES // 1024 // 1024} MB" in str(e.value)
    assert "mare.csv is 50.0 MB" in str(e.value)


def test_xlsx_cells_read_as_people_see_them():
    data = xlsx_bytes([[1, "Adăpost", "DGASPC Cluj", "", "Turda", "Cluj", 12, 264123456]])
    table = read_table(data, "servicii.xlsx")
    assert table.format == "xlsx"
    assert table.rows[0][:8] == ("1", "Adăpost", "DGASPC Cluj", "", "Turda", "Cluj", "12",
                                 "264123456")  # fmt: skip


def test_truncated_xlsx():
    data = xlsx_bytes([row(0)])
    e = problem(data[: len(data) // 2], "servicii.xlsx")
    assert e.problem.key == "import.file.bad_xlsx"
    assert "truncated or damaged" in str(e)


@pytest.mark.parametrize(
    "data, name",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "servicii.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "poza.png"),
        (bytes(range(256)) * 8, "date.bin"),
    ],
)
def test_not_a_spreadsheet(data, name):
    e = problem(data, name)
    assert e.problem.key == "import.file.not_spreadsheet"
    assert f"{name} is not a spreadsheet" in str(e)


def test_xlsx_name_with_csv_content_is_refused_clearly():
    e = problem(b"just, some, text\n1,2,3\n", "servicii.xlsx")
    assert e.problem.key == "import.file.bad_xlsx"


def test_missing_file(tmp_path):
    with pytest.raises(FileProblemError, match="No file at"):
        read_table(tmp_path / "nu-exista.csv")
