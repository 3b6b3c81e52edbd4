"""Fuzzing the doors strangers can reach: public forms and the DTKS row parser."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.exceptions import ApplicationError
from registry.dtks_import.rows import (
    DEFAULT_COLUMN_MAPPING,
    STAGING_COLUMNS,
    RowRejected,
    validate_row,
)
from registry.models import DtksImportBatch, DtksStagingRow
from tests.rate_limits import clear_rate_limits
from tests.registry.dtks_files import HEADER, ROWS, dtks_import

pytestmark = pytest.mark.django_db

text = st.text(max_size=40)
cells = st.one_of(
    st.none(), text, st.integers(), st.floats(allow_nan=True), st.booleans()
)


def test_public_forms_never_raise_a_server_error(kelurahan_a):
    client = Client()

    @given(
        nik=text,
        kk=text,
        name=text,
        phone=text,
        need=text,
        description=text,
        ticket=text,
        last4=text,
    )
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(nik, kk, name, phone, need, description, ticket, last4):
        clear_rate_limits()
        apply = client.post(
            "/layanan/ajukan/",
            {
                "nik": nik,
                "kk_number": kk,
                "applicant_name": name,
                "phone": phone,
                "kelurahan": kelurahan_a.pk,
                "need": need,
                "description": description,
                "confirmed": "on",
            },
        )
        status = client.post("/layanan/status/", {"ticket": ticket, "nik_last4": last4})
        assert apply.status_code < 500
        assert status.status_code < 500

    check()


@given(row=st.lists(cells, min_size=0, max_size=16))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_dtks_row_parser_only_rejects_with_a_reason(row):
    columns = {field: i for i, field in enumerate(DEFAULT_COLUMN_MAPPING)}
    reason = "ok"
    try:
        validate_row(row, columns)
    except RowRejected as exc:
        reason = exc.reason
    assert reason


# A valid row of the default layout, each of whose cells the next test may replace.
VALID_ROW = [
    "6471011205850001",
    "6471012301190001",
    "Budi Santoso",
    "Balikpapan",
    "12/05/1985",
    "L",
    "KEPALA KELUARGA",
    "Jl. A",
    "1",
    "2",
    "6471011001",
    "1",
    "D-1",
    "PADAN",
]
awkward_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789 .-'\0\r\n\t", max_size=30),
    st.sampled_from(["6471.0112.0585.0001", "6471-0112-0585-0001", "\0", "x" * 400]),
)


def _grouped(number: str) -> st.SearchStrategy[str]:
    """The number with separators typed between some of its digits."""
    return st.lists(
        st.sampled_from(["", "", " ", ".", "-"]), min_size=16, max_size=16
    ).map(
        lambda separators: "".join(
            d + s for d, s in zip(number, separators, strict=True)
        )
    )


@example(replaced={0: "6471.0112.0585.0001"})
@example(replaced={1: "6471-0123-0119-0001"})
@example(replaced={2: "Bu\0di"})
@given(
    replaced=st.dictionaries(
        st.integers(min_value=0, max_value=len(VALID_ROW) - 1),
        st.one_of(
            awkward_text,
            _grouped(VALID_ROW[0]),
            _grouped(VALID_ROW[1]),
            st.integers(),
            st.floats(),
            st.none(),
        ),
        max_size=3,
    )
)
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
def test_dtks_rows_the_parser_accepts_fit_the_staging_table(replaced):
    """A value that does not fit its column fails the whole file's COPY, not just
    its row: whatever a cell holds, the row is rejected or every value fits."""
    row: list[object] = [replaced.get(i, cell) for i, cell in enumerate(VALID_ROW)]
    columns = {field: i for i, field in enumerate(DEFAULT_COLUMN_MAPPING)}
    try:
        values = validate_row(row, columns)
    except RowRejected:
        return
    for column, value in zip(STAGING_COLUMNS, values, strict=True):
        field = DtksStagingRow._meta.get_field(column)
        if isinstance(value, str):
            assert "\0" not in value, column
            assert len(value) <= (field.max_length or 0), column
        else:
            assert value is None or field.get_prep_value(value) is not None, column
    nik, kk = values[0], values[1]
    assert len(nik) == len(kk) == 16
    assert nik.isdigit()
    assert kk.isdigit()


_file_piece = st.one_of(
    st.text(max_size=20),
    st.sampled_from(['"', '""', "\r", "\n", "\r\n", ";", "\t", "\0", "\ufeff", "\x85"]),
)


@given(
    insertions=st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), _file_piece), max_size=6
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_dtks_file_is_previewed_or_refused_with_a_reason(
    supervisor, insertions, encoding
):
    """Whatever bytes a file holds, its validation ends in a preview (bad rows
    rejected with reasons) or a file-level error recorded on the batch, never in
    a crash that leaves the batch half-validated."""
    # Hypothesis runs every example in the test's one transaction: the earlier
    # examples' batches are given up, or the same file again would be refused as a
    # double submission.
    DtksImportBatch.objects.update(status=DtksImportBatch.Status.CANCELLED)
    text = "\n".join([HEADER, *ROWS]) + "\n"
    for position, piece in insertions:
        text = text[:position] + piece + text[position:]
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    try:
        batch = dtks_import(supervisor, content, commit=False)
    except ApplicationError:
        batch = DtksImportBatch.objects.latest("pk")
        assert batch.status == DtksImportBatch.Status.FAILED
        assert batch.error
    else:
        assert batch.status == DtksImportBatch.Status.PREVIEWED
