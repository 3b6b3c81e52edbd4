from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AccessLog, SecurityAlert
from odgj.services import odgj_subject_link_person
from tests.factories.core import PASSWORD
from tests.factories.odgj import subject
from tests.factories.registry import person

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def case(peksos_odgj, kelurahan_a):
    return subject(
        actor=peksos_odgj,
        kelurahan=kelurahan_a,
        photo=SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
    )


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_case_worker_read_is_logged_with_purpose(client, peksos_odgj, case):
    _login(client, peksos_odgj)

    response = client.get(reverse("odgj:subject_detail", args=[case.public_id]))

    assert response.status_code == 200
    assert "Bicara sendiri" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.actor, log.object_pk, log.purpose) == (
        peksos_odgj,
        str(case.pk),
        "pendampingan kasus ODGJ",
    )


def test_photo_read_is_logged_and_not_cached(client, peksos_odgj, case):
    _login(client, peksos_odgj)

    response = client.get(reverse("odgj:subject_photo", args=[case.public_id]))

    assert b"".join(response.streaming_content) == PNG
    assert response["Cache-Control"].startswith("no-store")
    assert AccessLog.objects.filter(purpose="melihat foto subjek ODGJ").count() == 1


@pytest.mark.parametrize("url_name", ["odgj:subject_detail", "odgj:subject_photo"])
def test_operator_gets_404_for_subject_and_photo(client, operator_a, case, url_name):
    _login(client, operator_a)

    response = client.get(reverse(url_name, args=[case.public_id]))

    assert response.status_code in (403, 404)
    assert not AccessLog.objects.exists()


def test_photo_url_needs_login(client, case):
    response = client.get(reverse("odgj:subject_photo", args=[case.public_id]))

    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_photo_file_is_not_under_a_public_url(client, case):
    assert client.get("/media/" + case.photo.name).status_code == 404


def test_supervisor_needs_break_glass_then_read_is_logged_and_alerted(
    client, supervisor, case
):
    _login(client, supervisor)
    url = reverse("odgj:subject_detail", args=[case.public_id])

    first = client.get(url)
    refused = client.post(
        reverse("odgj:break_glass", args=[case.public_id]), {"reason": "x"}
    )
    client.post(
        reverse("odgj:break_glass", args=[case.public_id]),
        {"reason": "Permintaan klarifikasi dari RSJ Atma Husada"},
    )
    opened = client.get(url)

    assert first.status_code == 302
    assert "akses-darurat" in first["Location"]
    assert "minimal 10 karakter" in refused.content.decode()
    assert opened.status_code == 200
    assert (
        SecurityAlert.objects.filter(kind="akses_darurat", actor=supervisor).count()
        == 1
    )
    assert AccessLog.objects.filter(actor=supervisor, break_glass=True).count() == 2


def test_break_glass_expires(client, supervisor, case, settings):
    from django.utils import timezone

    from core.models import BreakGlassGrant
    from core.services import break_glass_open

    break_glass_open(actor=supervisor, obj=case, reason="Alasan yang cukup panjang")
    BreakGlassGrant.objects.update(expires_at=timezone.now())
    _login(client, supervisor)

    response = client.get(reverse("odgj:subject_detail", args=[case.public_id]))

    assert response.status_code == 302


def test_operator_sees_only_that_a_case_exists(
    client, operator_a, peksos_odgj, kelurahan_a, case
):
    resident = person(kelurahan=kelurahan_a)
    odgj_subject_link_person(actor=peksos_odgj, subject=case, person=resident)
    _login(client, operator_a)

    body = client.get(
        reverse("registry:person_detail", args=[resident.public_id])
    ).content.decode()

    assert "didampingi dalam kasus ODGJ" in body
    assert "Bicara sendiri" not in body
    assert "Teridentifikasi" not in body


def test_worklist_shows_no_health_details(client, peksos_odgj, case):
    from odgj.services import odgj_subject_update_notes

    odgj_subject_update_notes(
        actor=peksos_odgj, subject=case, health_notes="Skizofrenia"
    )
    _login(client, peksos_odgj)

    body = client.get(reverse("odgj:worklist")).content.decode()

    assert case.alias in body
    assert "Skizofrenia" not in body
    assert "Bicara sendiri" not in body


def test_worklist_marks_overdue_cases(peksos_odgj, case):
    import datetime as dt

    from django.utils import timezone

    from odgj.models import OdgjSubject
    from odgj.selectors import odgj_worklist

    OdgjSubject.objects.update(stage_changed_at=timezone.now() - dt.timedelta(days=9))

    item = odgj_worklist(peksos_odgj)["identified"][0]

    assert item.days_waiting == 9
    assert item.overdue


def test_operator_can_report_a_sighting(client, operator_a, kelurahan_a):
    _login(client, operator_a)

    response = client.post(
        reverse("odgj:subject_create"),
        {
            "alias": "Ibu di halte",
            "sex": "P",
            "found_place": "Halte Damai",
            "found_place_type": "jalan",
            "kelurahan": kelurahan_a.pk,
            "reporter_type": "warga",
            "legal_basis": "kepentingan_vital",
            "link_person": "none",
        },
    )

    assert response.status_code == 302
    from odgj.models import OdgjSubject

    assert OdgjSubject.objects.get().created_by == operator_a
