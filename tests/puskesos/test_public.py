from __future__ import annotations

import pytest
from django.urls import reverse

from puskesos.models import Case
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import make_kk, make_nik
from tests.rate_limits import clear_rate_limits

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    clear_rate_limits()


def _apply(client, kelurahan, nik=None, **extra):
    return client.post(
        reverse("public_apply"),
        {
            "nik": nik or make_nik(),
            "kk_number": make_kk(),
            "applicant_name": "Warga Daring",
            "phone": "081234567890",
            "kelurahan": kelurahan.pk,
            "need": "pangan",
            "description": "Butuh bantuan sembako",
            "confirmed": "on",
            **extra,
        },
    )


def test_citizen_applies_online_and_gets_a_ticket(client, kelurahan_a):
    response = _apply(client, kelurahan_a)

    case = Case.objects.get()
    assert case.channel == "daring"
    assert case.ticket_code in response.content.decode()


def test_the_form_tells_what_is_done_with_the_data_and_how_long_it_is_kept(
    client, settings
):
    settings.RETENTION_YEARS = 5

    page = client.get(reverse("public_apply")).content.decode()

    notice = page[page.index('id="privacy-notice"') : page.index("</section>")]
    assert "Pelindungan Data Pribadi" in notice
    assert "paling lama 5 tahun" in notice


def test_an_application_not_confirmed_is_not_taken(client, kelurahan_a):
    response = _apply(client, kelurahan_a, confirmed="")

    assert "Centang pernyataan ini untuk mengirim." in response.content.decode()
    assert not Case.objects.exists()


def test_public_form_validates_nik(client, kelurahan_a):
    response = _apply(client, kelurahan_a, nik="12345")

    assert "16 digit" in response.content.decode()
    assert not Case.objects.exists()


def test_status_shows_history_with_right_digits(client, kelurahan_a):
    nik = make_nik()
    _apply(client, kelurahan_a, nik=nik)
    case = Case.objects.get()

    response = client.post(
        reverse("public_status"), {"ticket": case.ticket_code, "nik_last4": nik[-4:]}
    )

    body = response.content.decode()
    assert "Permohonan Anda sudah kami terima." in body
    assert "Butuh bantuan sembako" not in body
    assert "Warga Daring" not in body
    assert nik not in body


def test_status_answers_the_same_for_wrong_digits_and_unknown_ticket(
    client, kelurahan_a
):
    nik = make_nik()
    _apply(client, kelurahan_a, nik=nik)
    case = Case.objects.get()

    wrong_digits = client.post(
        reverse("public_status"), {"ticket": case.ticket_code, "nik_last4": "0000"}
    )
    no_ticket = client.post(
        reverse("public_status"), {"ticket": "ZZZZ-ZZZZ", "nik_last4": "0000"}
    )

    def result(response):
        body = response.content.decode()
        return body[body.index('id="status-result"') :][:200]

    assert result(wrong_digits) == result(no_ticket)
    assert "tidak ditemukan" in result(no_ticket)


def test_someone_without_a_nik_checks_the_status_with_the_phones_last_digits(
    client, kelurahan_a, operator_a
):
    case = puskesos_case(
        kelurahan=kelurahan_a,
        actor=operator_a,
        applicant_name="Tanpa NIK",
        phone="081234567890",
    )

    response = client.post(
        reverse("public_status"), {"ticket": case.ticket_code, "nik_last4": "7890"}
    )

    assert 'id="status-text"' in response.content.decode()


def test_a_case_with_a_nik_is_not_found_by_the_phones_digits(client, kelurahan_a):
    _apply(client, kelurahan_a, nik=make_nik(), phone="081234567890")
    case = Case.objects.get()

    response = client.post(
        reverse("public_status"), {"ticket": case.ticket_code, "nik_last4": "7890"}
    )

    assert "tidak ditemukan" in response.content.decode()


def test_public_forms_are_rate_limited(client, kelurahan_a, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    statuses = [
        client.post(
            reverse("public_status"), {"ticket": "ABCD-EFGH", "nik_last4": "1234"}
        ).status_code
        for _ in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


def test_honeypot_field_is_refused(client, kelurahan_a):
    _apply(client, kelurahan_a, website="http://spam")

    assert not Case.objects.exists()


def test_the_status_of_an_open_case_gives_the_promised_date(client, kelurahan_a):
    nik = make_nik()
    _apply(client, kelurahan_a, nik=nik)
    case = Case.objects.get()

    response = client.post(
        reverse("public_status"), {"ticket": case.ticket_code, "nik_last4": nik[-4:]}
    )

    body = response.content.decode()
    assert 'id="status-due"' in body
    assert str(case.sla_due.year) in body[body.index('id="status-due"') :][:120]


def test_the_status_of_a_finished_case_promises_no_date(
    client, kelurahan_a, operator_a
):
    from puskesos.models import CaseStatus

    nik = make_nik()
    _apply(client, kelurahan_a, nik=nik)
    Case.objects.update(status=CaseStatus.RESOLVED)
    case = Case.objects.get()

    response = client.post(
        reverse("public_status"), {"ticket": case.ticket_code, "nik_last4": nik[-4:]}
    )

    assert 'id="status-due"' not in response.content.decode()
