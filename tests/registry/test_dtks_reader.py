"""The DTKS CSV reader gives the rows Python's csv module gives, quickly where
lines hold no quotes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

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
