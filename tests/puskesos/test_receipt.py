"""The slip a citizen takes home from the counter: the ticket, what was asked, by
when, and how to follow it, with the NIK masked."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import person

pytestmark = pytest.mark.django_db


def _receipt_text(client, user, case) -> str:
    client.force_login(user)
    response = client.get(f"/puskesos/kasus/{case.public_id}/tanda-terima.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _taken_in(operator, **kwargs):
    return puskesos_case(
        kelurahan=operator.kelurahan,
        actor=operator,
        need="kesehatan_bpjs",
        request_type="pengaduan",
        description="Butuh bantuan berobat",
        **kwargs,
    )


def test_the_receipt_gives_the_ticket_the_due_date_and_how_to_check_the_status(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a, name="Siti Aminah")
    case = _taken_in(operator_a, person=resident)

    text = _receipt_text(client, operator_a, case)

    assert case.ticket_code in text
    assert "TANDA TERIMA PENGADUAN" in text
    assert "Siti Aminah" in text
    with translation.override("id"):
        assert f"Perkiraan selesai : {date_format(case.sla_due, 'l, j F Y')}" in text
    assert "/layanan/status/" in text
    assert "4 digit terakhir NIK" in text


def test_the_receipt_shows_only_the_last_four_digits_of_the_nik(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    case = _taken_in(operator_a, person=resident)

    nik = str(resident.nik)

    text = _receipt_text(client, operator_a, case)

    assert nik not in text
    assert f"************{nik[-4:]}" in text


def test_without_a_nik_the_receipt_checks_the_status_with_the_phone_number(
    client, operator_a
):
    case = _taken_in(operator_a, applicant_name="Tanpa NIK", phone="081234567890")

    text = _receipt_text(client, operator_a, case)

    assert "4 digit terakhir nomor HP" in text


def test_without_a_nik_or_phone_the_receipt_sends_the_citizen_to_the_counter(
    client, operator_a
):
    case = _taken_in(operator_a, applicant_name="Tanpa NIK")

    text = _receipt_text(client, operator_a, case)

    assert "datang atau hubungi Puskesos" in text
    assert "4 digit terakhir NIK" not in text


def test_another_kelurahans_operator_cannot_print_the_receipt(
    client, operator_a, operator_b
):
    case = _taken_in(operator_a, applicant_name="A")
    client.force_login(operator_b)

    response = client.get(f"/puskesos/kasus/{case.public_id}/tanda-terima.pdf")

    assert response.status_code == 404
