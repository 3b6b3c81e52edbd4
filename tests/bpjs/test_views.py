from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bpjs.models import Application, AppStatus
from bpjs.services.batches import batch_create
from tests.factories.bpjs import (
    dkk_verified,
    eligible_person,
    participant,
    submitted,
)
from tests.factories.core import PASSWORD
from tests.factories.registry import person, requested_sktm

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _application_form(client, user, resident) -> str:
    _login(client, user)
    url = reverse("bpjs:application_create", args=[resident.public_id])
    return client.get(url).content.decode()


def test_form_shows_each_check_with_reason_before_submission(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)

    body = _application_form(client, operator_a, resident)

    assert "Tidak terdaftar di DTKS dan tidak memiliki SKTM" in body
    assert "Belum terdaftar di segmen JKN" in body
    assert "disabled" in body


def test_a_person_not_yet_entitled_is_offered_an_sktm_request(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)

    body = _application_form(client, operator_a, resident)

    assert reverse("registry:sktm_request", args=[resident.public_id]) in body


def test_an_entitled_person_is_offered_no_sktm(client, operator_a, kelurahan_a):
    resident = eligible_person(kelurahan_a)

    body = _application_form(client, operator_a, resident)

    assert 'id="bpjs-sktm"' not in body


def test_an_sktm_on_its_way_is_shown_instead_of_a_new_request(
    client, operator_a, kelurahan_a
):
    resident = person(kelurahan=kelurahan_a)
    pending = requested_sktm(for_person=resident, purpose="bpjs")

    body = _application_form(client, operator_a, resident)

    assert reverse("registry:sktm_detail", args=[pending.public_id]) in body
    assert reverse("registry:sktm_request", args=[resident.public_id]) not in body


def test_operator_submits_and_verifier_approves(
    client, operator_a, verifikator, kelurahan_a
):
    resident = eligible_person(kelurahan_a)
    _login(client, operator_a)
    client.post(
        reverse("bpjs:application_create", args=[resident.public_id]),
        {"facility": "PKM-MANGGAR"},
    )
    application = Application.objects.get()
    _login(client, verifikator)

    client.post(
        reverse("bpjs:application_action", args=[application.public_id, "approve"])
    )

    application.refresh_from_db()
    assert application.status == AppStatus.APPROVED


def test_operator_of_other_kelurahan_gets_404(client, operator_b, kelurahan_a):
    application = submitted(eligible_person(kelurahan_a))
    _login(client, operator_b)

    response = client.get(
        reverse("bpjs:application_detail", args=[application.public_id])
    )

    assert response.status_code == 404


def test_operator_cannot_open_batches_or_premiums(client, operator_a):
    _login(client, operator_a)

    assert client.get(reverse("bpjs:batch_list")).status_code == 403
    assert client.get(reverse("bpjs:premiums")).status_code == 403


def test_premium_page_and_xlsx(client, supervisor, kelurahan_a):
    import datetime as dt

    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    _login(client, supervisor)

    page = client.get(reverse("bpjs:premiums"), {"month": "01/10/2026"})
    xlsx = client.get(reverse("bpjs:premiums"), {"month": "01/10/2026", "xlsx": "1"})

    assert "Rp37.800" in page.content.decode()
    assert xlsx.content[:2] == b"PK"


def test_the_premium_page_writes_the_budget_year_as_a_year(client, verifikator):
    _login(client, verifikator)

    response = client.get(reverse("bpjs:premiums"), {"month": "2026-11-01"})

    body = response.content.decode()
    assert "Anggaran 2026:" in body
    assert "2.026" not in body


def test_the_application_page_dates_its_eligibility_answer_day_first(
    client, operator_a, kelurahan_a
):
    application = submitted(eligible_person(kelurahan_a))
    Application.objects.filter(pk=application.pk).update(
        eligibility_evidence={
            **application.eligibility_evidence,
            "evaluated_at": "2026-11-30T16:30:00+00:00",  # 1 Dec, 00:30 in WITA
        }
    )
    _login(client, operator_a)

    body = client.get(
        reverse("bpjs:application_detail", args=[application.public_id])
    ).content.decode()

    assert "(01-12-2026)" in body


def test_an_application_is_found_by_the_persons_name(client, operator_a, kelurahan_a):
    wanted = submitted(eligible_person(kelurahan_a, name="Ani Lestari"))
    submitted(eligible_person(kelurahan_a, name="Budi"))
    _login(client, operator_a)

    found = client.post(reverse("bpjs:application_list"), {"q": "lestari"}).context[
        "applications"
    ]

    assert [a.pk for a in found] == [wanted.pk]


def _answer_page(client, verifikator, kelurahan, name: str, content: bytes):
    """The batch page after uploading `content` as BPJS's answer to a new batch."""
    dkk_verified(kelurahan, verifikator)
    batch = batch_create(actor=verifikator, period=dt.date(2026, 12, 1))
    client.force_login(verifikator)
    return client.post(
        reverse("bpjs:batch_detail", args=[batch.public_id]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_an_answer_file_that_is_no_workbook_is_refused_on_the_batch_page(
    client, verifikator, kelurahan_a
):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    response = _answer_page(
        client, verifikator, kelurahan_a, "jawaban.xlsx", docx.getvalue()
    )

    assert response.status_code == 200
    assert "Berkas XLSX rusak atau bukan XLSX." in response.content.decode()


def test_an_answer_file_with_an_unclosed_quote_is_refused_on_the_batch_page(
    client, verifikator, kelurahan_a
):
    answer = 'NIK;STATUS\n"6471011205850001;AKTIF\n6471015203870002;AKTIF\n'

    response = _answer_page(
        client, verifikator, kelurahan_a, "jawaban.csv", answer.encode()
    )

    assert response.status_code == 200
    assert "tanda kutip" in response.content.decode()
