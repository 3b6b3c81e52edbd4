"""Letters and reports are official documents, and the texts the system writes into a
record (evidence, checks, history notes, rejection reasons) are part of the record: in
Bahasa Indonesia whatever language the staff member's screen is in. A refusal is said
to the staff member, in their language."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from bpjs.services.applications import (
    application_submit,
)
from bpjs.services.batches import AnswerRow, batch_create, batch_record_answer
from core.exceptions import ApplicationError
from puskesos.models import CaseStatus
from puskesos.services import case_refer, case_transition
from tests.factories.bpjs import dkk_verified, eligible_person, facility
from tests.factories.core import PASSWORD
from tests.factories.odgj import subject
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import issued_sktm, person
from tests.registry.dtks_files import ROWS, dtks_csv, dtks_import

pytestmark = pytest.mark.django_db


def _health_request(operator, resident):
    return puskesos_case(
        kelurahan=resident.kelurahan,
        actor=operator,
        person=resident,
        need="kesehatan_bpjs",
        request_type="pengaduan",
        description="Butuh bantuan berobat",
    )


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


def test_a_bpjs_application_submitted_in_english_records_its_checks_in_indonesian(
    kelurahan_a, operator_a
):
    with translation.override("en"):
        application = application_submit(
            actor=operator_a, person=eligible_person(kelurahan_a), facility=facility()
        )

    assert application.eligibility_evidence["reason"].startswith("Memiliki SKTM nomor")
    messages = [check["message"] for check in application.checks]
    assert any(m.startswith("Warga Balikpapan menurut alamat KK") for m in messages)


def test_a_bpjs_application_refused_on_an_english_screen_is_refused_in_english(
    kelurahan_a, operator_a
):
    with (
        translation.override("en"),
        pytest.raises(ApplicationError) as refusal,
    ):
        application_submit(
            actor=operator_a, person=person(kelurahan=kelurahan_a), facility=facility()
        )

    assert "The application cannot be submitted" in str(refusal.value.message)
    assert "Not registered in DTKS" in str(refusal.value.message)


def test_a_puskesos_intake_in_english_records_the_eligibility_in_indonesian(
    kelurahan_a, operator_a
):
    resident = eligible_person(kelurahan_a)

    with translation.override("en"):
        case = _health_request(operator_a, resident)

    assert case.eligibility_evidence["reason"].startswith("Memiliki SKTM nomor")
    assert case.transitions.get().note == "Loket Puskesos"


def test_an_odgj_report_made_in_english_records_its_history_in_indonesian(
    kelurahan_a, peksos_odgj
):
    with translation.override("en"):
        reported = subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    assert reported.transitions.get().note == "Laporan awal"


def test_dtks_rows_rejected_while_the_screen_is_english_keep_indonesian_reasons(
    supervisor,
):
    with translation.override("en"):
        batch = dtks_import(
            supervisor,
            dtks_csv([ROWS[0].replace(";1;D-1", ";11;D-1")]),
            commit=False,
        )

    assert batch.rejected_rows.get().reason == "Desil “11” harus 1 sampai 10."


def test_a_bpjs_refusal_recorded_from_an_english_screen_keeps_its_indonesian_reason(
    kelurahan_a, verifikator
):
    application = dkk_verified(kelurahan_a, verifikator)
    batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))
    refusal = AnswerRow(
        nik=application.person.nik, accepted=False, reason_code="DATA_GANDA"
    )

    with translation.override("en"):
        batch_record_answer(actor=verifikator, batch=batch, rows=[refusal])

    application.refresh_from_db()
    assert application.rejection_reason == "Data ganda"
    assert application.transitions.last().note == "Data ganda"


def test_a_referral_made_from_an_english_screen_records_where_it_went_in_indonesian(
    kelurahan_a, operator_a, koordinator_a
):
    resident = eligible_person(kelurahan_a)
    case = _health_request(operator_a, resident)
    case = case_transition(actor=operator_a, case=case, to=CaseStatus.ASSESSED)
    case = case_transition(
        actor=koordinator_a,
        case=case,
        to=CaseStatus.SERVICE_DECIDED,
        service_decision="Ajukan BPJS",
    )

    with translation.override("en"):
        case_refer(actor=operator_a, case=case, internal_flow="bpjs")

    referred = case.transitions.get(to_state=CaseStatus.REFERRED)
    assert referred.note == "Pengajuan BPJS PBPU Pemda"


def test_a_bpjs_activation_recorded_from_an_english_screen_is_noted_in_indonesian(
    kelurahan_a, verifikator
):
    application = dkk_verified(kelurahan_a, verifikator)
    accepted = AnswerRow(
        nik=application.person.nik,
        accepted=True,
        card_number="0001",
        start_date=dt.date(2026, 12, 1),
    )

    with translation.override("en"):
        batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))
        batch_record_answer(actor=verifikator, batch=batch, rows=[accepted])

    notes = list(application.transitions.values_list("note", flat=True))
    assert notes[-2:] == [f"Masuk {batch}", "Kartu 0001, TMT 01-12-2026"]
