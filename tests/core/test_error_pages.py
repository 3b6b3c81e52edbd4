"""What a counter user sees when a page cannot be shown, and what a page's title says."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from puskesos.models import Case
from tests.factories.core import PASSWORD
from tests.factories.odgj import subject
from tests.factories.registry import person

pytestmark = pytest.mark.django_db


def _login(client: Client, user) -> None:
    client.login(username=user.username, password=PASSWORD)


def _title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match
    return match.group(1).strip()


def test_a_forbidden_page_explains_in_indonesian_and_leads_home(client, operator_a):
    _login(client, operator_a)

    response = client.get(reverse("bpjs:premiums"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "Akses ditolak" in body
    assert f'href="{reverse("home")}"' in body


def test_a_record_outside_the_kelurahan_gets_a_page_that_does_not_say_it_exists(
    client, operator_b, kelurahan_a
):
    # A name no staff factory gives: the signed-in operator's own name is on the page
    # (a generated "Ratna Simanjuntak" once failed a check for "Ratna").
    elsewhere = person(kelurahan=kelurahan_a, name="Warga Kelurahan Lain")
    _login(client, operator_b)

    response = client.get(reverse("registry:person_detail", args=[elsewhere.public_id]))

    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert "Kelurahan Lain" not in body


def test_a_form_sent_without_its_token_says_nothing_was_saved(operator_a):
    client = Client(enforce_csrf_checks=True)
    _login(client, operator_a)

    response = client.post(
        reverse("puskesos:intake"),
        {"applicant_name": "Warga", "request_type": "pertanyaan", "description": "x"},
    )

    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulir kedaluwarsa" in body
    assert "Tidak ada yang tersimpan" in body
    assert not Case.objects.exists()


def test_a_server_error_page_is_in_indonesian(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Terjadi kesalahan pada sistem" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("puskesos:intake", "Penerimaan (front office)"),
        ("puskesos:case_list", "Kasus Puskesos"),
        ("registry:sktm_list", "SKTM"),
        ("registry:household_create", "Keluarga baru"),
        ("bpjs:application_list", "Pengajuan BPJS PBPU Pemda"),
    ],
)
def test_a_staff_page_names_itself_in_its_title(client, operator_a, url_name, title):
    _login(client, operator_a)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert _title(response) == f"{title} · Dinsos Balikpapan"


def test_an_odgj_subject_page_keeps_the_alias_out_of_its_title(
    client, peksos_odgj, kelurahan_a
):
    case = subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Pak Tua Pasar")
    _login(client, peksos_odgj)

    response = client.get(reverse("odgj:subject_detail", args=[case.public_id]))

    assert response.status_code == 200
    assert "Pak Tua Pasar" in response.content.decode()
    assert "Pak Tua" not in _title(response)
