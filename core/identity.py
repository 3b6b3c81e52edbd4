"""NIK and KK numbers: normalisation, parsing and validation.

Facts (see shared DOMAIN.md): a NIK is `PP KK CC DDMMYY NNNN`, 16 digits, no check
digit. Day is +40 for women. The region digits are where the NIK was *first*
registered; they never tell where a person lives now, so nothing here is used to
decide residency. The century is not encoded: python-stdnum guesses 19xx first, which
is wrong for anyone born after 2000, so the century comes from the declared birth date
or, failing that, the most recent century that puts the birth date in the past.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import numdb

NUMBER_LENGTH = 16
FEMALE_DAY_OFFSET = 40
_SEPARATORS = re.compile(r"[\s.\-]")

# python-stdnum's region table predates the newest provinces. These province codes
# exist in Kemendagri's table but not in stdnum's; their kab/kota codes are not
# checked. [U] Extend when the official table is imported.
_PROVINCES_WITHOUT_REGENCY_TABLE = frozenset({"65", "92", "93", "95", "96", "97"})


class Sex:
    MALE = "L"
    FEMALE = "P"


@cache
def _region_db() -> numdb.NumDB:
    return numdb.get("id/loc")


@cache
def region_name(code4: str) -> tuple[str | None, str | None]:
    """Province and kab/kota names for the first four digits, or None if unknown."""
    if code4[:2] in _PROVINCES_WITHOUT_REGENCY_TABLE:
        return code4[:2], None
    parts = _region_db().info(code4)
    if len(parts) != 2 or not parts[0][1]:
        return None, None
    province = parts[0][1].get("name_id")
    regency = parts[1][1].get("name_id") if parts[1][1] else None
    return province, regency


def is_digits(text: str) -> bool:
    """Only the ASCII digits 0-9. str.isdigit() also takes superscripts (²), which
    int() refuses, and other scripts' digits, which no NIK, KK or phone number has."""
    return text.isascii() and text.isdigit()


def normalize_number(value: object) -> str:
    """Strip the spaces, dots and dashes people type inside a NIK/KK."""
    if isinstance(value, str) and is_digits(value):
        return value  # nothing to strip: the usual case in an import
    return _SEPARATORS.sub("", str(value or "")).strip()


def number_typed(text: str) -> str | None:
    """The 16 digits of a NIK or KK number typed into a search box (spaces, dots
    and dashes allowed), or None when the text is something else."""
    digits = normalize_number(text)
    return digits if len(digits) == 16 and is_digits(digits) else None


def _check_shape(value: str, label: object) -> None:
    if not value:
        raise ValidationError(
            _("%(label)s wajib diisi.") % {"label": label}, "required"
        )
    if not is_digits(value):
        raise ValidationError(
            _("%(label)s hanya boleh berisi angka.") % {"label": label}, "not_digits"
        )
    if len(value) != NUMBER_LENGTH:
        raise ValidationError(
            _("%(label)s harus 16 digit (yang diisi %(n)d digit).")
            % {"label": label, "n": len(value)},
            "wrong_length",
        )


def _check_region(value: str, label: object) -> None:
    province, regency = region_name(value[:4])
    if province is None:
        raise ValidationError(
            _("Kode provinsi %(code)s pada %(label)s tidak dikenal.")
            % {"code": value[:2], "label": label},
            "unknown_province",
        )
    if regency is None and value[:2] not in _PROVINCES_WITHOUT_REGENCY_TABLE:
        raise ValidationError(
            _("Kode kabupaten/kota %(code)s pada %(label)s tidak dikenal.")
            % {"code": value[:4], "label": label},
            "unknown_regency",
        )


@lru_cache(maxsize=4096)
def _known_region(code4: str) -> bool:
    """Whether _check_region accepts these first four digits; an import checks two
    numbers a row against a few dozen regions."""
    try:
        _check_region(code4, "")
    except ValidationError:
        return False
    return True


def _date_exists(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + yy, month, day)
        except ValueError:
            continue
        return True
    return False


# NamedTuples, not frozen dataclasses: an import parses two numbers per row, and a
# frozen dataclass took longer to build than the parsing itself.
class NikInfo(NamedTuple):
    nik: str
    province_code: str
    regency_code: str
    district_code: str
    sex: str
    birth_day: int
    birth_month: int
    birth_yy: int
    serial: str

    def birth_date(
        self, *, declared: dt.date | None = None, today: dt.date | None = None
    ) -> dt.date:
        """The encoded birth date with the right century.

        A declared date that agrees on day, month and two-digit year fixes the
        century; otherwise the latest century that is not in the future.
        """
        if declared is not None and (
            declared.day,
            declared.month,
            declared.year % 100,
        ) == (self.birth_day, self.birth_month, self.birth_yy):
            return declared
        today = today or timezone.localdate()
        for century in (2000, 1900):
            try:
                candidate = dt.date(
                    century + self.birth_yy, self.birth_month, self.birth_day
                )
            except ValueError:
                continue
            if candidate <= today:
                return candidate
        return dt.date(1900 + self.birth_yy, self.birth_month, self.birth_day)

    def mismatch_warnings(
        self, *, declared_birth_date: dt.date | None, declared_sex: str | None
    ) -> list[str]:
        """Differences between the NIK and the declared data.

        Legacy NIKs have anomalies and a NIK is never changed to match a birth date,
        so these are warnings the operator confirms, not errors.
        """
        warnings: list[str] = []
        if declared_sex and declared_sex != self.sex:
            warnings.append(
                _(
                    "Jenis kelamin pada NIK (%(nik_sex)s) berbeda dengan yang diisi "
                    "(%(declared)s)."
                )
                % {
                    "nik_sex": sex_label(self.sex),
                    "declared": sex_label(declared_sex),
                }
            )
        if declared_birth_date and (
            declared_birth_date.day,
            declared_birth_date.month,
            declared_birth_date.year % 100,
        ) != (self.birth_day, self.birth_month, self.birth_yy):
            warnings.append(
                _(
                    "Tanggal lahir pada NIK (%(nik_date)s) berbeda dengan tanggal "
                    "lahir yang diisi (%(declared)s)."
                )
                % {
                    "nik_date": f"{self.birth_day:02d}-{self.birth_month:02d}-"
                    f"{self.birth_yy:02d}",
                    "declared": declared_birth_date.strftime("%d-%m-%Y"),
                }
            )
        return warnings


def sex_label(code: str) -> str:
    return _("Perempuan") if code == Sex.FEMALE else _("Laki-laki")


@lru_cache(maxsize=1 << 17)
def _nik_birth_digits(digits: str) -> tuple[bool, int, int, int] | None:
    """(female, day, month, two-digit year) of a NIK's digits 7-12, or None when they
    are no date. Cached: there are some 73,000 valid ones (a century of days, two
    sexes), shared by a whole city's NIKs."""
    raw_day, month, yy = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    female = raw_day > FEMALE_DAY_OFFSET
    day = raw_day - FEMALE_DAY_OFFSET if female else raw_day
    if not (1 <= month <= 12) or not (1 <= day <= 31):
        return None
    if not _date_exists(day, month, yy):
        return None
    return female, day, month, yy


def parse_nik(value: object) -> NikInfo:
    """Parse a NIK or raise ValidationError with an Indonesian message."""
    nik = normalize_number(value)
    female, day, month, yy = check_nik(nik)
    # Positional: keywords cost a third of building the tuple.
    return NikInfo(
        nik,
        nik[:2],
        nik[:4],
        nik[:6],
        Sex.FEMALE if female else Sex.MALE,
        day,
        month,
        yy,
        nik[12:],
    )


def check_nik(nik: str) -> tuple[bool, int, int, int]:
    """Check an already normalised NIK; (female, day, month, two-digit year) of its
    birth digits. The DTKS import checks a million and reads no more than this."""
    label = "NIK"
    _check_shape(nik, label)
    if not _known_region(nik[:4]):
        _check_region(nik, label)
    birth = _nik_birth_digits(nik[6:12])
    if birth is None:
        raise ValidationError(
            _(
                "Tanggal lahir pada NIK (digit 7-12: %(digits)s) tidak valid. Tanggal "
                "harus 01-31 untuk laki-laki atau 41-71 untuk perempuan."
            )
            % {"digits": nik[6:12]},
            "bad_date",
        )
    if nik[12:] == "0000":
        raise ValidationError(_("Nomor urut NIK tidak boleh 0000."), "bad_serial")
    return birth


class KkInfo(NamedTuple):
    kk: str
    regency_code: str
    district_code: str


# Lazy: translated only when a message is shown, not for every valid row of an import.
KK_LABEL = gettext_lazy("Nomor KK")


def parse_kk(value: object) -> KkInfo:
    """Parse a KK number (digits 1-6 region, 7-12 issue date [U], 13-16 serial)."""
    kk = normalize_number(value)
    check_kk(kk)
    return KkInfo(kk, kk[:4], kk[:6])


def check_kk(kk: str) -> None:
    """Check an already normalised KK number (what parse_kk checks)."""
    label = KK_LABEL
    _check_shape(kk, label)
    if not _known_region(kk[:4]):
        _check_region(kk, label)
    # The issue-date digits are not formally documented [U]; we only refuse what
    # cannot be a date at all, which is what a mistyped number usually produces.
    if not _kk_date_digits_exist(kk[6:12]):
        raise ValidationError(
            _("Digit 7-12 nomor KK (%(digits)s) bukan tanggal yang valid.")
            % {"digits": kk[6:12]},
            "bad_date",
        )


@lru_cache(maxsize=65536)
def _kk_date_digits_exist(digits: str) -> bool:
    return _date_exists(int(digits[:2]), int(digits[2:4]), int(digits[4:6]))


def validate_nik(value: object) -> None:
    parse_nik(value)


def validate_kk(value: object) -> None:
    parse_kk(value)


def mask_number(value: str | None) -> str:
    """Show only the last four digits: ************1234."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]
