"""Streaming readers for DTKS files: CSV (comma, semicolon or tab; UTF-8 with or
without BOM, Windows-1252, or UTF-16 with its BOM as Excel's "Unicode Text" writes
it) and XLSX. Memory stays flat whatever the file size."""

from __future__ import annotations

import codecs
import csv
import itertools
import logging
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, cast

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

Cell = str | int | float | object | None
SNIFF_BYTES = 256 * 1024
# A real DTKS XLSX is a few hundred MB uncompressed at most; a larger expansion ratio
# is a zip bomb.
MAX_XLSX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export (tab-separated). Read as anything else, every
        # other byte was a NUL.
        return "utf-16"
    try:
        # The sample may cut a multi-byte character in half at its end.
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return "cp1252"
    return "utf-8"


def _detect_delimiter(first_line: str) -> str:
    semicolons, commas = first_line.count(";"), first_line.count(",")
    if first_line.count("\t") > max(semicolons, commas):
        return "\t"
    return ";" if semicolons > commas else ","


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


def iter_csv(
    path: Path, skip: Callable[[int], bool] | None = None
) -> Iterator[list[Cell]]:
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
            for row in _parse(stream, delimiter, skip):
                yield row
                given += 1
    except UnicodeDecodeError:
        # Mostly UTF-8 but with a stray Windows-1252 byte later on: read again in
        # Windows-1252 from the start, past the rows already given (line breaks and
        # delimiters are the same bytes in both encodings, so are the rows).
        if encoding == "cp1252":
            raise
        with path.open(encoding="cp1252", newline="", errors="replace") as stream:
            rows = _parse_quoted(
                csv.reader(stream, delimiter=delimiter), first=1, columns=0
            )
            yield from itertools.islice(rows, given, None)


def _parse(
    stream: IO[str], delimiter: str, skip: Callable[[int], bool] | None
) -> Iterator[list[Cell]]:
    """The rows of a CSV stream. A line with no quote in it, before any line that has
    one, is one whole row, and splitting it at the delimiter gives what csv.reader
    gives, in a third of the time (a million-row file: 1.6 against 3.2 s); so does
    not parsing at all a row the caller will `skip` (by its number, the header's
    being 1), which comes back empty. From the first quote (a field may then run over
    several lines) or NUL (csv.reader's error), csv.reader reads the rest."""
    columns = 0
    for number, line in enumerate(stream, start=1):
        if '"' in line or "\0" in line:
            lines = itertools.chain([line], stream)
            yield from _parse_quoted(
                csv.reader(lines, delimiter=delimiter), first=number, columns=columns
            )
            return
        if number == 1:
            columns = line.count(delimiter) + 1
        if skip is not None and skip(number):
            yield []
        else:
            yield cast(list[Cell], line.rstrip("\r\n").split(delimiter))


def _parse_quoted(
    reader: Iterator[list[str]], *, first: int, columns: int
) -> Iterator[list[Cell]]:
    """csv.reader's rows, numbered as the importer numbers them (the header 1).

    A cell that opens with a quote and never closes it takes every line after it
    as its own text: csv.reader then gives one row where the file had many, and
    the rows it swallowed would be missing from the snapshot without a word (a
    person missing from a DTKS snapshot loses the entry). A line break inside a
    cell is legitimate (Excel writes one where a cell holds Alt+Enter), but then
    the row still has the header's cells; so a row with a line break in a cell
    and another number of cells than the header is a file error."""
    number = first - 1  # the last row given
    try:
        for number, row in enumerate(reader, start=first):
            if number == 1:
                columns = len(row)
            elif len(row) != columns and any("\n" in c or "\r" in c for c in row):
                raise ApplicationError(
                    _(
                        'Baris %(n)s: sebuah sel dibuka dengan tanda kutip (") yang '
                        "tidak ditutup, sehingga baris-baris sesudahnya terbaca sebagai "
                        "isi sel itu. Tutup atau hapus tanda kutip itu, lalu unggah "
                        "berkasnya lagi."
                    )
                    % {"n": number},
                    code="unclosed_quote",
                )
            yield cast(list[Cell], row)
    except csv.Error as exc:
        # Past a NUL (which csv.reader reads as a character), its one error left is a
        # cell over its size limit (128 KB): an unclosed quote in a larger file.
        raise ApplicationError(
            _(
                "Baris %(n)s: berkas CSV tidak dapat dibaca mulai baris ini. Biasanya "
                'sebuah sel dibuka dengan tanda kutip (") yang tidak ditutup, '
                "sehingga sel itu memakan baris-baris sesudahnya. Tutup atau hapus "
                "tanda kutip itu, lalu unggah berkasnya lagi."
            )
            % {"n": number + 1},
            code="unreadable_csv",
        ) from exc


def iter_xlsx(path: Path) -> Iterator[list[Cell]]:
    from openpyxl import load_workbook

    _check_zip(path)
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:
            # A zip that is no workbook (a .docx, a damaged part): openpyxl raises
            # KeyError, ValueError, XML errors and more, by what is wrong.
            raise _damaged_xlsx(exc) from exc
        try:
            try:
                rows = workbook.worksheets[0].iter_rows(values_only=True)
            except IndexError as exc:  # a workbook without a sheet
                raise _damaged_xlsx(exc) from exc
            while True:
                try:
                    row = next(rows, None)
                except Exception as exc:
                    raise _damaged_xlsx(exc) from exc
                if row is None:
                    return
                yield list(row)
        finally:
            workbook.close()


def _damaged_xlsx(exc: Exception) -> ApplicationError:
    logger.warning("XLSX not readable: %s", type(exc).__name__)
    return ApplicationError(_("Berkas XLSX rusak atau bukan XLSX."), code="bad_xlsx")


def iter_rows(
    path: Path, skip: Callable[[int], bool] | None = None
) -> Iterator[list[Cell]]:
    """All rows of the file, header first, as lists of cells. A row whose number
    (the header's is 1) `skip` says the caller passes over may come back empty."""
    if is_xlsx(path):
        return iter_xlsx(path)
    return iter_csv(path, skip)
