"""Streaming readers for DTKS files: CSV (comma or semicolon; UTF-8 with or without
BOM, or Windows-1252) and XLSX. Memory stays flat whatever the file size."""

from __future__ import annotations

import codecs
import csv
import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

Cell = str | int | float | object | None
SNIFF_BYTES = 256 * 1024
# A real DTKS XLSX is a few hundred MB uncompressed at most; a larger expansion ratio
# is a zip bomb.
MAX_XLSX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The sample may cut a multi-byte character in half at its end.
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return "cp1252"
    return "utf-8"


def _detect_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ApplicationError(_("Berkas XLSX rusak atau bukan XLSX.")) from exc
    size = max(path.stat().st_size, 1)
    if total > MAX_XLSX_UNCOMPRESSED or total / size > MAX_XLSX_RATIO:
        raise ApplicationError(
            _(
                "Berkas XLSX ditolak: isi terkompresinya terlalu besar (kemungkinan zip bomb)."
            )
        )


def iter_csv(path: Path) -> Iterator[list[Cell]]:
    with path.open("rb") as raw:
        sample = raw.read(SNIFF_BYTES)
    encoding = _detect_encoding(sample)
    first_line = (
        sample.decode(encoding, errors="replace").splitlines()[0] if sample else ""
    )
    delimiter = _detect_delimiter(first_line)
    stream: IO[str]
    given = 0
    try:
        with path.open(encoding=encoding, newline="") as stream:
            for row in cast(
                Iterator[list[Cell]], csv.reader(stream, delimiter=delimiter)
            ):
                yield row
                given += 1
    except UnicodeDecodeError:
        # Mostly UTF-8 but with a stray Windows-1252 byte later on: read again in
        # Windows-1252 from the start, past the rows already given (line breaks and
        # delimiters are the same bytes in both encodings, so are the rows).
        if encoding == "cp1252":
            raise
        with path.open(encoding="cp1252", newline="", errors="replace") as stream:
            rows = csv.reader(stream, delimiter=delimiter)
            yield from itertools.islice(rows, given, None)


def iter_xlsx(path: Path) -> Iterator[list[Cell]]:
    from openpyxl import load_workbook

    _check_zip(path)
    with path.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            workbook.close()


def iter_rows(path: Path) -> Iterator[list[Cell]]:
    """All rows of the file, header first, as lists of cells."""
    if is_xlsx(path):
        return iter_xlsx(path)
    return iter_csv(path)
