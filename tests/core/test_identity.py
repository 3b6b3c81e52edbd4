from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.identity import (
    Sex,
    mask_number,
    normalize_number,
    number_typed,
    parse_kk,
    parse_nik,
    validate_nik,
)

# 64.71.01 (Balikpapan Timur), born 12-05-1985, male, serial 0001
VALID_MALE = "6471011205850001"
# same place, born 12-05-1985, female: day 12 + 40 = 52
VALID_FEMALE = "6471015205850002"


def _error_code(value: str, parser=parse_nik) -> str:
    with pytest.raises(ValidationError) as exc:
        parser(value)
    return exc.value.code


def test_valid_nik_parses_region_sex_and_date():
    info = parse_nik(VALID_MALE)

    assert info.regency_code == "6471"
    assert info.district_code == "647101"
    assert info.sex == Sex.MALE
    assert info.birth_date() == dt.date(1985, 5, 12)


def test_nik_with_spaces_and_dots_is_normalised():
    assert parse_nik("6471 0112.0585-0001").nik == VALID_MALE


def test_wrong_length_is_rejected_with_count():
    with pytest.raises(ValidationError) as exc:
        parse_nik("647101120585001")
    assert exc.value.code == "wrong_length"
    assert "15 digit" in exc.value.messages[0]


def test_non_digit_is_rejected():
    assert _error_code("64710112058500O1") == "not_digits"


def test_empty_is_required():
    assert _error_code("") == "required"


def test_impossible_date_is_rejected():
    assert _error_code("6471013202850001") == "bad_date"  # day 32


def test_month_thirteen_is_rejected():
    assert _error_code("6471011213850001") == "bad_date"


def test_unknown_province_is_rejected():
    assert _error_code("9971011205850001") == "unknown_province"


def test_unknown_regency_is_rejected():
    assert _error_code("6499011205850001") == "unknown_regency"


def test_serial_0000_is_rejected():
    assert _error_code("6471011205850000") == "bad_serial"


def test_february_thirtieth_is_rejected_in_any_century():
    assert _error_code("6471013002850001") == "bad_date"
    assert _error_code("6471017002000001") == "bad_date"  # female, 30-02-(19|20)00


def test_an_invalid_nik_is_refused_again_after_a_valid_one_with_its_region():
    """Regions and birth digits are remembered between calls (an import parses
    millions): an answer remembered for one number must not leak to another."""
    parse_nik(VALID_MALE)

    assert _error_code("6471011213850001") == "bad_date"
    assert _error_code("6499011205850001") == "unknown_regency"
    assert _error_code("6471011213850001") == "bad_date"


def test_kk_from_an_unknown_region_is_rejected():
    assert _error_code("9971012301190003", parse_kk) == "unknown_province"


def test_women_day_plus_forty_gives_female_and_real_day():
    info = parse_nik(VALID_FEMALE)

    assert info.sex == Sex.FEMALE
    assert info.birth_day == 12


def test_born_after_2000_gets_the_right_century():
    info = parse_nik("6471010103150003")  # 01-03-15

    assert info.birth_date(today=dt.date(2026, 11, 22)) == dt.date(2015, 3, 1)


def test_declared_birth_date_fixes_the_century():
    info = parse_nik("6471010103150003")

    assert info.birth_date(declared=dt.date(1915, 3, 1)) == dt.date(1915, 3, 1)


def test_date_mismatch_is_a_warning_not_an_error():
    info = parse_nik(VALID_MALE)

    warnings = info.mismatch_warnings(
        declared_birth_date=dt.date(1985, 6, 12), declared_sex=Sex.MALE
    )

    assert len(warnings) == 1
    assert "Tanggal lahir" in warnings[0]


def test_sex_mismatch_is_a_warning():
    info = parse_nik(VALID_MALE)

    warnings = info.mismatch_warnings(
        declared_birth_date=dt.date(1985, 5, 12), declared_sex=Sex.FEMALE
    )

    assert warnings == [
        "Jenis kelamin pada NIK (Laki-laki) berbeda dengan yang diisi (Perempuan)."
    ]


def test_matching_declared_data_gives_no_warning():
    info = parse_nik(VALID_FEMALE)

    assert (
        info.mismatch_warnings(
            declared_birth_date=dt.date(1985, 5, 12), declared_sex=Sex.FEMALE
        )
        == []
    )


def test_nik_from_another_city_is_valid():
    # Region digits are where the NIK was first issued; Samarinda (64.72) is fine.
    validate_nik("6472011205850001")


def test_valid_kk():
    assert parse_kk("6471012301190003").regency_code == "6471"


def test_kk_with_impossible_date_digits_is_rejected():
    assert _error_code("6471019999190003", parse_kk) == "bad_date"


def test_kk_wrong_length_is_rejected():
    assert _error_code("64710123011900", parse_kk) == "wrong_length"


def test_mask_shows_only_last_four():
    assert mask_number(VALID_MALE) == "************0001"


@given(
    birth=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2026, 11, 1)),
    female=st.booleans(),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_parser_round_trips_any_encoded_birth_date(birth, female, serial):
    day = birth.day + (40 if female else 0)
    nik = f"647105{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"

    info = parse_nik(nik)

    assert info.sex == (Sex.FEMALE if female else Sex.MALE)
    assert info.birth_date(declared=birth) == birth
    assert (
        info.mismatch_warnings(declared_birth_date=birth, declared_sex=info.sex) == []
    )


@given(st.text(max_size=30))
def test_parser_never_raises_anything_but_validation_error(text):
    with contextlib.suppress(ValidationError):
        parse_nik(text)


@given(st.text(alphabet="0123456789 .-", max_size=24))
def test_normalised_number_has_only_digits(text):
    assert normalize_number(text).isdigit() or normalize_number(text) == ""


def test_a_nik_typed_with_dots_and_spaces_is_read_as_its_digits():
    assert number_typed("6471.0112 0585-0001") == "6471011205850001"


def test_a_name_or_a_short_number_is_no_nik():
    assert [number_typed(t) for t in ("Siti Aminah", "64710112")] == [None, None]
