"""Staff open the scans attached to an SKTM request or a BPJS application (the
verifier checks them), within their area; each opening is logged; a file that is
not a PDF or an image is never shown as a page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from bpjs.services.applications import application_submit
from core.models import AccessLog
from core.roles import Role
from registry.models import SktmPurpose
from registry.services.sktm import sktm_request
from tests.factories.bpjs import eligible_person, facility
from tests.factories.core import StaffFactory
from tests.factories.registry import person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scan of a KTP\n"


def _sktm_with(kelurahan, content, name="ktp.pdf"):
    resident = person(kelurahan=kelurahan)
    operator = StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan)
    return sktm_request(
        actor=operator,
        person=resident,
        purpose=SktmPurpose.objects.get(code="kesehatan"),
        pengantar_number="RT/1",
        pengantar_date=dt.date(2026, 11, 1),
        documents=[("ktp", ContentFile(content, name=name))],
    )


def _application_with(kelurahan, content):
    resident = eligible_person(kelurahan)
    operator = StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan)
    return application_submit(
        actor=operator,
        person=resident,
        facility=facility(),
        documents=[("kk", ContentFile(content, name="kk.pdf"))],
    )


def _url(record, kind):
    document = record.documents.get()
    base = "/registry/sktm" if kind == "sktm" else "/bpjs/pengajuan"
    return f"{base}/{record.public_id}/dokumen/{document.pk}/"


def test_the_koordinator_opens_a_scan_of_an_sktm_request(
    client, koordinator_a, kelurahan_a
):
    sktm = _sktm_with(kelurahan_a, PDF)
    client.force_login(koordinator_a)

    response = client.get(_url(sktm, "sktm"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_the_dinsos_verifier_opens_a_scan_of_a_bpjs_application(
    client, verifikator, kelurahan_a
):
    application = _application_with(kelurahan_a, PDF)
    client.force_login(verifikator)

    response = client.get(_url(application, "bpjs"))

    assert response.status_code == 200
    assert AccessLog.objects.filter(actor=verifikator).count() == 1


def test_a_scan_of_another_kelurahan_is_not_found(client, operator_b, kelurahan_a):
    sktm = _sktm_with(kelurahan_a, PDF)
    client.force_login(operator_b)

    assert client.get(_url(sktm, "sktm")).status_code == 404


def test_a_file_that_is_no_pdf_or_image_is_only_downloaded(
    client, koordinator_a, kelurahan_a
):
    sktm = _sktm_with(kelurahan_a, b"<html><script>alert(1)</script>", "x.html")
    client.force_login(koordinator_a)

    response = client.get(_url(sktm, "sktm"))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_sktm_page_links_its_scans(client, koordinator_a, kelurahan_a):
    sktm = _sktm_with(kelurahan_a, PDF)
    client.force_login(koordinator_a)

    page = client.get(f"/registry/sktm/{sktm.public_id}/").content.decode()

    assert _url(sktm, "sktm") in page
