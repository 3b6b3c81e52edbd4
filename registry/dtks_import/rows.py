"""Column mapping and per-row validation of a DTKS file.

The mapping from our fields to the file's headers lives in settings
(`DTKS_COLUMN_MAPPING`), so a new SIKS-NG/DTSEN export layout is a configuration
change. Headers are matched case- and punctuation-insensitively.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.identity import (
    Sex,
    check_kk,
    check_nik,
    is_digits,
    normalize_number,
    parse_nik,
)
from core.models import Kelurahan
from registry.models import Relationship
from registry.names import normalize_name

DEFAULT_COLUMN_MAPPING: dict[str, list[str]] = {
    "nik": ["NIK", "NIK_ART", "NOMOR_NIK", "NO_NIK"],
    "kk_number": ["NO_KK", "NOKK", "NOMOR_KK", "KK"],
    "name": ["NAMA", "NAMA_LENGKAP", "NAMA_ART", "NAMA_LGKP"],
    "birth_place": ["TEMPAT_LAHIR", "TMPT_LHR", "TMP_LAHIR"],
    "birth_date": ["TANGGAL_LAHIR", "TGL_LAHIR", "TGL_LHR"],
    "sex": ["JENIS_KELAMIN", "JNS_KEL", "JK", "JENIS_KLMIN"],
    "relationship": [
        "HUBUNGAN_KELUARGA",
        "HUB_KEL",
        "STATUS_HUBUNGAN",
        "STAT_HBKEL",
        "HUB_KRT",
    ],
    "address": ["ALAMAT"],
    "rt": ["RT", "NO_RT"],
    "rw": ["RW", "NO_RW"],
    "kelurahan": [
        "KODE_KELURAHAN",
        "KD_KEL",
        "KODE_DESA",
        "KELURAHAN",
        "DESA_KELURAHAN",
    ],
    "desil": ["DESIL", "DESIL_NASIONAL", "PERINGKAT_DESIL"],
    "dtks_id": ["ID_DTKS", "IDDTKS", "ID_DTSEN", "ID_ART"],
    "padan_dukcapil": ["STATUS_PADAN", "PADAN_DUKCAPIL", "PADAN"],
}
REQUIRED_FIELDS = ("nik", "kk_number", "name", "kelurahan")
# Column order of registry_dtksstagingrow used by COPY (after batch_id, row_number).
STAGING_COLUMNS = (
    "nik",
    "kk_number",
    "name",
    "name_search",
    "birth_place",
    "birth_date",
    "sex",
    "relationship",
    "address",
    "rt",
    "rw",
    "kelurahan_id",
    "desil",
    "dtks_id",
    "padan_dukcapil",
)
_HEADER_CLEAN = re.compile(r"[^A-Z0-9]+")
_DATE_PARTS = re.compile(r"[/\-.]")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+]?\d+$")
# An RT or RW cell written other than as its 1-3 digits: "RT 05", "RW.002", "0005".
_AREA_CODE = re.compile(r"(?:R[TW])?[\s.:]*0*(\d{1,3})", re.ASCII | re.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d", re.ASCII)
_RELATIONSHIP_VALUES = {
    "1": Relationship.HEAD,
    "KEPALA KELUARGA": Relationship.HEAD,
    "KEPALA RUMAH TANGGA": Relationship.HEAD,
    "KRT": Relationship.HEAD,
    "2": Relationship.WIFE,
    "ISTRI": Relationship.WIFE,
    "SUAMI": Relationship.HUSBAND,
    "ISTRI/SUAMI": Relationship.WIFE,
    "SUAMI/ISTRI": Relationship.WIFE,
    "3": Relationship.CHILD,
    "ANAK": Relationship.CHILD,
    "4": Relationship.CHILD_IN_LAW,
    "MENANTU": Relationship.CHILD_IN_LAW,
    "5": Relationship.GRANDCHILD,
    "CUCU": Relationship.GRANDCHILD,
    "6": Relationship.PARENT,
    "ORANG TUA": Relationship.PARENT,
    "ORANGTUA": Relationship.PARENT,
    "7": Relationship.PARENT_IN_LAW,
    "MERTUA": Relationship.PARENT_IN_LAW,
    "8": Relationship.OTHER_RELATIVE,
    "FAMILI LAIN": Relationship.OTHER_RELATIVE,
    "9": Relationship.HELPER,
    "PEMBANTU": Relationship.HELPER,
    "10": Relationship.OTHER,
    "LAINNYA": Relationship.OTHER,
}
_SEX_VALUES = {
    "L": "L",
    "LAKI-LAKI": "L",
    "LAKI LAKI": "L",
    "1": "L",
    "P": "P",
    "PEREMPUAN": "P",
    "2": "P",
    "W": "P",
}
_TRUE = {"1", "YA", "Y", "PADAN", "SESUAI", "TRUE"}
_FALSE = {"0", "TIDAK", "T", "TIDAK PADAN", "TIDAK SESUAI", "FALSE"}


class RowRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def column_mapping() -> dict[str, list[str]]:
    return getattr(settings, "DTKS_COLUMN_MAPPING", DEFAULT_COLUMN_MAPPING)


def _clean_header(value: object) -> str:
    return _HEADER_CLEAN.sub("_", str(value or "").upper()).strip("_")


def resolve_columns(
    header: Sequence[object], mapping: Mapping[str, list[str]]
) -> dict[str, int]:
    """Index of each field's column; a missing required column is a file-level error."""
    cleaned = [_clean_header(h) for h in header]
    positions: dict[str, int] = {}
    for field, aliases in mapping.items():
        for alias in aliases:
            key = _clean_header(alias)
            if key in cleaned:
                positions[field] = cleaned.index(key)
                break
    missing = [f for f in REQUIRED_FIELDS if f not in positions]
    if missing:
        names = ", ".join(mapping[f][0] for f in missing)
        present = (
            # Shown and stored with the error: a NUL (a binary file's) cannot be.
            ", ".join(str(h).replace("\0", "") for h in header if h not in (None, ""))
            or "-"
        )
        raise ApplicationError(
            _(
                "Kolom wajib tidak ditemukan: %(missing)s. Kolom yang ada di berkas: "
                "%(present)s. Periksa baris judul atau pemetaan kolom."
            )
            % {"missing": names, "present": present[:500]},
            code="bad_columns",
        )
    return positions


@cache
def _kelurahan_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in Kelurahan.objects.values_list("code", "name"):
        lookup[code.replace(".", "")] = code
        lookup[normalize_name(name)] = code
        lookup[normalize_name(name).replace(" ", "")] = code
    return lookup


def reset_caches() -> None:
    _kelurahan_lookup.cache_clear()


def _text(value: object) -> str:
    if isinstance(value, str):  # every cell of a CSV file
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _identity_number(text: str, label: str) -> str:
    if len(text) == 16 and is_digits(text):  # nearly every row
        return text
    text = text.replace(" ", "").replace("'", "")
    if not is_digits(text) and _SCIENTIFIC.match(text):
        raise RowRejected(
            _(
                "%(label)s dalam notasi ilmiah (%(value)s): digitnya sudah hilang "
                "karena spreadsheet. Ekspor ulang dengan kolom %(label)s sebagai Teks."
            )
            % {"label": label, "value": text}
        )
    # Written in groups (6471.0112.…, 6471-0112-…): the number is its digits, as the
    # counter's forms read it. Staged as written, it failed the whole validation.
    text = normalize_number(text)
    if is_digits(text) and len(text) != 16:
        raise RowRejected(
            _(
                "%(label)s hanya %(n)d digit (seharusnya 16): kemungkinan angka 0 "
                "di depan atau digit terakhir hilang."
            )
            % {"label": label, "n": len(text)}
        )
    return text


def _reject_numeric_identity(value: object, label: str) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise RowRejected(
            _(
                "%(label)s tersimpan sebagai angka di spreadsheet sehingga digit bisa "
                "hilang; simpan kolom %(label)s sebagai Teks."
            )
            % {"label": label}
        )


def _date(text: str) -> dt.date | None:
    """A date written as text; a spreadsheet's date cell reaches here as its ISO
    text (see RowLayout.texts)."""
    if not text:
        return None
    parsed = _parsed_date(text)
    if parsed is None:
        raise RowRejected(
            _("Tanggal lahir “%(v)s” tidak valid (gunakan hh/bb/tttt).")
            % {"v": text[:20]}
        )
    return parsed


@lru_cache(maxsize=1 << 16)
def _parsed_date(text: str) -> dt.date | None:
    """Cached: a city's birth dates are some tens of thousands of days, each written
    by many of its rows."""
    try:
        if len(text) >= 10 and text[4] == "-":  # ISO yyyy-mm-dd
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        if len(text) == 10 and text[2] == text[5] and text[2] in "/-.":  # dd/mm/yyyy
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        parts = _DATE_PARTS.split(text)
        if len(parts) == 3 and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    return None


# Every field a row can carry, in the order RowLayout hands them to validate_row
# (the order of the default mapping).
_FIELDS = tuple(DEFAULT_COLUMN_MAPPING)


class RowLayout:
    """Where each field sits in a file's rows, resolved once per file: a million-row
    import looked each column up by name, row by row, for a tenth of its time."""

    def __init__(self, columns: Mapping[str, int]) -> None:
        # A field the file lacks reads the empty cell appended to every row (index -1).
        indexes = [columns.get(field, -1) for field in _FIELDS]
        self.width = max(indexes) + 1
        self.fields = itemgetter(*indexes)

    def texts(self, cells: Sequence[object]) -> tuple[str, ...]:
        """The row's fields, in `_FIELDS` order, as stripped text. A spreadsheet's
        number in the NIK or KK column is rejected here: its digits may be lost."""
        row = [*cells, ""]
        if len(cells) < self.width:  # a short row: its missing cells are empty
            row.extend([""] * (self.width - len(cells)))
        fields = self.fields(row)
        try:
            # Every cell of a CSV file is text: one pass in C instead of a call per
            # cell (a tenth of the row's checks).
            return tuple(map(str.strip, fields))
        except TypeError:  # a spreadsheet's numbers, dates and empty cells
            _reject_numeric_identity(fields[0], "NIK")
            _reject_numeric_identity(fields[1], "Nomor KK")
            return tuple(map(_text, fields))


def _area_code(text: str) -> str:
    """An RT/RW cell as its three digits ("RT 05" -> "005"); one without a digit ("",
    "-") is unknown, left empty. Cut to three characters, "0005" was stored as "000"
    and "RT 05" as "RT "."""
    found = _AREA_CODE.fullmatch(text)
    if found is None:
        if not _ANY_DIGIT.search(text):
            return ""
        raise RowRejected(_("RT/RW “%(v)s” bukan nomor 1-3 digit.") % {"v": text[:20]})
    return found.group(1).zfill(3)


def validate_row(
    cells: Sequence[object], columns: Mapping[str, int] | RowLayout
) -> tuple[Any, ...]:
    """The row's values in STAGING_COLUMNS order, or RowRejected with the reason."""
    layout = columns if isinstance(columns, RowLayout) else RowLayout(columns)
    (
        nik_cell,
        kk_cell,
        name_cell,
        birth_place,
        birth_date_cell,
        sex_cell,
        relationship_cell,
        address,
        rt,
        rw,
        kel_raw,
        desil_raw,
        dtks_id,
        padan_cell,
    ) = layout.texts(cells)
    nik = _identity_number(nik_cell, "NIK")
    kk = _identity_number(kk_cell, "Nomor KK")
    try:
        nik_female = check_nik(nik)[0]
        check_kk(kk)
    except ValidationError as exc:
        raise RowRejected(exc.messages[0]) from exc
    name = " ".join(name_cell.split())
    if not name:
        raise RowRejected(_("Nama kosong."))
    if (
        "\0" in name
        or "\0" in birth_place
        or "\0" in address
        or "\0" in rt
        or "\0" in rw
        or "\0" in dtks_id
    ):
        # A text column cannot hold it: staged, the whole file's COPY failed.
        raise RowRejected(
            _(
                "Baris berisi karakter NUL (kode 0): berkas rusak atau bukan teks. "
                "Ekspor ulang sebagai CSV UTF-8."
            )
        )
    lookup = _kelurahan_lookup()
    kelurahan_id = lookup.get(kel_raw.replace(".", "")) or lookup.get(
        normalize_name(kel_raw)
    )
    if not kelurahan_id:
        raise RowRejected(
            _("Kelurahan “%(v)s” bukan kelurahan di Kota Balikpapan.")
            % {"v": kel_raw[:40]}
        )
    sex_raw = sex_cell.upper()
    sex = _SEX_VALUES.get(sex_raw) or (Sex.FEMALE if nik_female else Sex.MALE)
    desil: int | None = None
    if desil_raw:
        if not is_digits(desil_raw) or not 1 <= int(desil_raw) <= 10:
            raise RowRejected(
                _("Desil “%(v)s” harus 1 sampai 10.") % {"v": desil_raw[:10]}
            )
        desil = int(desil_raw)
    padan_raw = padan_cell.upper()
    padan = True if padan_raw in _TRUE else False if padan_raw in _FALSE else None
    birth_date = _date(birth_date_cell)
    if birth_date is None:  # a row without one: the date its NIK encodes
        birth_date = parse_nik(nik).birth_date()
    relationship = _RELATIONSHIP_VALUES.get(relationship_cell.upper(), "")
    return (
        nik,
        kk,
        name[:150],
        normalize_name(name)[:150],
        birth_place[:100],
        birth_date,
        sex,
        relationship,
        address[:255],
        rt.zfill(3)
        if len(rt) < 4 and rt.isascii() and rt.isdigit()
        else _area_code(rt),
        rw.zfill(3)
        if len(rw) < 4 and rw.isascii() and rw.isdigit()
        else _area_code(rw),
        kelurahan_id,
        desil,
        dtks_id[:40],
        padan,
    )
