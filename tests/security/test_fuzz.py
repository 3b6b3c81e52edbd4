"""Fuzzing the doors strangers can reach: public forms and the DTKS row parser."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.dtks_import.rows import DEFAULT_COLUMN_MAPPING, RowRejected, validate_row
from tests.rate_limits import clear_rate_limits

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
