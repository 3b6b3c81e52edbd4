from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from puskesos.models import Case, CaseStatus
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import make_kk, make_nik
from tests.registry.dtks_files import FULLWIDTH

pytestmark = pytest.mark.django_db


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


def _applied(client, kelurahan, **extra):
    """An online application, its case and the NIK it was made with."""
    nik = extra.pop("nik", None) or make_nik()
    _apply(client, kelurahan, nik=nik, **extra)
    return Case.objects.get(), nik


def _status_page(client, ticket, last4) -> str:
    return client.post(
        reverse("public_status"), {"ticket": ticket, "nik_last4": last4}
    ).content.decode()


def test_citizen_applies_online_and_gets_a_ticket(client, kelurahan_a):
    response = _apply(client, kelurahan_a)

    case = Case.objects.get()
    assert case.channel == "daring"
    assert case.ticket_code in response.content.decode()


@pytest.mark.parametrize(
    "phone", ["0812345", "08123456789\u00b2", "08123456789".translate(FULLWIDTH)]
)
def test_an_application_with_a_phone_number_not_of_ascii_digits_is_refused(
    client, kelurahan_a, phone
):
    response = _apply(client, kelurahan_a, phone=phone)

    assert "Nomor HP tidak valid." in response.content.decode()
    assert not Case.objects.exists()


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
    case, nik = _applied(client, kelurahan_a)

    body = _status_page(client, case.ticket_code, nik[-4:])

    assert "Permohonan Anda sudah kami terima." in body
    assert "Butuh bantuan sembako" not in body
    assert "Warga Daring" not in body
    assert nik not in body


def test_status_answers_the_same_for_wrong_digits_and_unknown_ticket(
    client, kelurahan_a
):
    case, _ = _applied(client, kelurahan_a)

    wrong_digits = _status_page(client, case.ticket_code, "0000")
    no_ticket = _status_page(client, "ZZZZ-ZZZZ", "0000")

    def result(body):
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

    body = _status_page(client, case.ticket_code, "7890")

    assert 'id="status-text"' in body


def test_a_case_with_a_nik_is_not_found_by_the_phones_digits(client, kelurahan_a):
    case, _ = _applied(client, kelurahan_a, phone="081234567890")

    body = _status_page(client, case.ticket_code, "7890")

    assert "tidak ditemukan" in body


def test_public_forms_are_rate_limited(client, kelurahan_a, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    statuses = [
        client.post(
            reverse("public_status"), {"ticket": "ABCD-EFGH", "nik_last4": "1234"}
        ).status_code
        for _ in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


# One worker runs both, one after the other (make test: --dist loadgroup).
@pytest.mark.xdist_group("public_allowance")
@pytest.mark.parametrize("run", ["first", "second"])
def test_every_test_starts_with_the_whole_public_allowance(client, settings, run):
    # Regression: windows outlive a test in its worker (an hour, in the process's
    # cache), so one test's posts spent another's; a browser test's status check
    # was refused with 429. The second run, after the first in its worker, spends all.
    statuses = {
        client.post(
            reverse("public_status"), {"ticket": "ABCD-EFGH", "nik_last4": "1234"}
        ).status_code
        for _ in range(settings.PUBLIC_FORM_RATE_LIMIT)
    }

    assert statuses == {200}


def test_honeypot_field_is_refused(client, kelurahan_a):
    _apply(client, kelurahan_a, website="http://spam")

    assert not Case.objects.exists()


def test_the_status_of_an_open_case_gives_the_promised_date(client, kelurahan_a):
    case, nik = _applied(client, kelurahan_a)

    body = _status_page(client, case.ticket_code, nik[-4:])

    due = body[body.index('id="status-due"') :][:120]
    with translation.override("id"):
        assert date_format(case.sla_due, "l, j F Y") in due


def test_the_status_of_a_finished_case_promises_no_date(client, kelurahan_a):
    case, nik = _applied(client, kelurahan_a)
    Case.objects.update(status=CaseStatus.RESOLVED)

    body = _status_page(client, case.ticket_code, nik[-4:])

    assert 'id="status-due"' not in body
