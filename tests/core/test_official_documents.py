"""Letters and reports are official documents: in Bahasa Indonesia whatever language
the staff member's screen is in."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories.core import PASSWORD
from tests.factories.registry import issued_sktm, person

pytestmark = pytest.mark.django_db


def _english_screen(client: Client, user) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.login(username=user.username, password=PASSWORD)


def test_an_sktm_letter_printed_from_an_english_screen_is_in_indonesian(
    client, operator_a, kelurahan_a
):
    sktm = issued_sktm(for_person=person(kelurahan=kelurahan_a))
    _english_screen(client, operator_a)

    response = client.get(reverse("registry:sktm_pdf", args=[sktm.public_id]))

    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "SURAT KETERANGAN TIDAK MAMPU" in text
    assert "Perempuan" in text
    assert "Mei 1985" in text  # born 12 May 1985
    assert "Female" not in text
    assert "May" not in text


def test_a_monthly_report_downloaded_from_an_english_screen_is_in_indonesian(
    client, supervisor
):
    _english_screen(client, supervisor)

    response = client.get(reverse("reports:monthly"), {"bulan": "2026-11"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    sections = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert "Registri: DTKS dan SKTM" in sections
    assert "Registry: DTKS and SKTM" not in sections
