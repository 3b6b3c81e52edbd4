"""The DTKS CSV reader gives the rows Python's csv module gives, quickly where
lines hold no quotes."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from core.exceptions import ApplicationError
from registry.dtks_import.reader import iter_rows

LINES = [
    "NIK;NAMA;ALAMAT",
    "6471011205850001;Budi;Jl. A",
    "",
    "6471015203870002;Siti;Jl. B\r",
    '6471060101150003;"Rizki; Ramadhan";"Jl. C',
    'Gang ""Damai"""',
    "6471060101150004;Ani;Jl. D",
]


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dtks.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_rows_are_those_of_the_csv_module_before_and_after_the_first_quote(
    tmp_path: Path,
):
    text = "\n".join(LINES) + "\n"

    rows = list(iter_rows(_file(tmp_path, text)))

    expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [row for row in rows if row != [""]] == [row for row in expected if row]
    assert rows[4] == ["6471060101150003", "Rizki; Ramadhan", 'Jl. C\nGang "Damai"']


def test_an_empty_line_is_an_empty_row_in_its_place(tmp_path: Path):
    rows = list(iter_rows(_file(tmp_path, "\n".join(LINES[:4]) + "\n")))

    assert len(rows) == 4
    assert not any(rows[2])


def test_windows_line_endings_are_not_part_of_the_last_cell(tmp_path: Path):
    rows = list(iter_rows(_file(tmp_path, "\r\n".join(LINES[:2]) + "\r\n")))

    assert rows == [["NIK", "NAMA", "ALAMAT"], ["6471011205850001", "Budi", "Jl. A"]]


def test_rows_the_caller_skips_come_back_empty_and_the_others_whole(tmp_path: Path):
    text = "\n".join([LINES[0], LINES[1], LINES[3], LINES[6]]) + "\n"

    rows = list(iter_rows(_file(tmp_path, text), skip=lambda n: n % 2 == 1 and n > 1))

    assert rows == [
        ["NIK", "NAMA", "ALAMAT"],
        ["6471011205850001", "Budi", "Jl. A"],
        [],
        ["6471060101150004", "Ani", "Jl. D"],
    ]


def _refusal(path: Path) -> str:
    with pytest.raises(ApplicationError) as exc:
        list(iter_rows(path))
    return str(exc.value.message)


def test_an_unclosed_quote_that_swallows_the_next_lines_is_refused_naming_its_row(
    tmp_path: Path,
):
    text = "\n".join([LINES[0], LINES[1], '6471015203870002;"Siti;Jl. B', LINES[6]])

    refusal = _refusal(_file(tmp_path, text + "\n"))

    assert refusal.startswith("Baris 3:")
    assert "tanda kutip" in refusal


def test_an_unclosed_quote_in_a_file_past_the_cell_size_limit_is_refused_naming_its_row(
    tmp_path: Path,
):
    rows = [LINES[0], LINES[1], '6471015203870002;"Siti;Jl. B'] + [LINES[6]] * 8000

    refusal = _refusal(_file(tmp_path, "\n".join(rows) + "\n"))

    assert refusal.startswith("Baris 3:")
    assert "tanda kutip" in refusal


def test_an_unclosed_quote_is_refused_when_the_file_is_read_again_as_windows_1252(
    tmp_path: Path,
):
    # Past the sniffed start, a stray Windows-1252 byte makes the reader start over.
    rows = [LINES[0], *[LINES[1]] * 30000, "6471015203870002;J\xe9r\xf4me;Jl. B"]
    rows += ['6471060101150003;"Rizki;Jl. C', LINES[6]]
    path = tmp_path / "dtks.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("cp1252"))

    assert _refusal(path).startswith("Baris 30003:")


def test_a_zip_that_is_no_workbook_is_refused_as_a_damaged_xlsx(tmp_path: Path):
    path = tmp_path / "dtks.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    assert _refusal(path) == "Berkas XLSX rusak atau bukan XLSX."


def test_a_workbook_with_a_damaged_sheet_is_refused_as_a_damaged_xlsx(tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["NIK", "NAMA"])
    path = tmp_path / "dtks.xlsx"
    book.save(path)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of its XML
            target.writestr(item, data)

    assert _refusal(damaged) == "Berkas XLSX rusak atau bukan XLSX."
