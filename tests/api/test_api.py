from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from core.models import AccessLog
from odgj.models import Guardian, OdgjSubject
from odgj.services import (
    guardian_add,
    odgj_subject_link_person,
    odgj_subject_update_notes,
)
from registry.models import Person, PopulationChange
from tests.api.conftest import fetch_token, make_client_app
from tests.concurrency import at_once
from tests.factories.bpjs import participant
from tests.factories.odgj import subject, verified_subject
from tests.factories.registry import in_dtks, make_kk, make_nik, person

pytestmark = pytest.mark.django_db

HEALTH_WORDS = (
    "condition_notes",
    "health_notes",
    "laporan_sosial",
    "Bicara sendiri",
    "Skizofrenia",
)


def _verified(peksos, kelurahan):
    return verified_subject(
        actor=peksos,
        kelurahan=kelurahan,
        laporan_sosial="Asesmen",
        health_notes="Skizofrenia",
        institution="Dinas Sosial",
    )


def test_no_token_is_401():
    assert APIClient().get("/api/v1/odgj/menunggu/").status_code == 401


def test_expired_token_is_401(liaison):
    token = fetch_token(make_client_app(liaison))
    AccessToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get("/api/v1/odgj/menunggu/").status_code == 401


def test_revoked_token_is_401(liaison):
    token = fetch_token(make_client_app(liaison))
    for access in AccessToken.objects.all():
        access.revoke()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get("/api/v1/odgj/menunggu/").status_code == 401


def test_token_for_another_resource_server_is_401(liaison):
    token = fetch_token(make_client_app(liaison))
    AccessToken.objects.update(resource=["https://lain.example.go.id/"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get("/api/v1/odgj/menunggu/").status_code == 401


def test_client_of_another_role_is_403(operator_a):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {fetch_token(make_client_app(operator_a))}"
    )

    response = client.get("/api/v1/odgj/menunggu/")

    assert response.status_code == 403
    assert response.json()["type"] == "client_error"


def test_token_without_scope_is_403(liaison):
    client = APIClient()
    token = fetch_token(make_client_app(liaison), scope="status:read")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get("/api/v1/odgj/menunggu/").status_code == 403


def test_tokens_are_not_stored_in_clear(liaison):
    token = fetch_token(make_client_app(liaison))

    assert not AccessToken.objects.filter(token=token).exists()


def test_waiting_list_has_no_health_fields_and_is_logged(api, peksos_odgj, kelurahan_a):
    s = _verified(peksos_odgj, kelurahan_a)

    response = api.get("/api/v1/odgj/menunggu/")

    body = response.content.decode()
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == str(s.public_id)
    assert response.json()["results"][0]["guardians"][0]["name"] == "Dinas Sosial"
    assert not any(word in body for word in HEALTH_WORDS)
    assert AccessLog.objects.filter(channel="api", object_pk=str(s.pk)).count() == 1


def test_waiting_list_shows_each_subjects_own_guardians_in_the_order_recorded(
    api, peksos_odgj, kelurahan_a
):
    first = _verified(peksos_odgj, kelurahan_a)
    second = _verified(peksos_odgj, kelurahan_a)
    guardian_add(
        actor=peksos_odgj,
        subject=first,
        guardian_type=Guardian.Type.FAMILY,
        relation=Guardian.Relation.SIBLING,
        name="Rina",
        contact="0812",
    )

    rows = {r["id"]: r for r in api.get("/api/v1/odgj/menunggu/").json()["results"]}

    assert rows[str(first.public_id)]["guardians"] == [
        {
            "type": "institusi",
            "name": "Dinas Sosial",
            "relation": "dinsos",
            "contact": "",
        },
        {"type": "keluarga", "name": "Rina", "relation": "saudara", "contact": "0812"},
    ]
    assert [g["name"] for g in rows[str(second.public_id)]["guardians"]] == [
        "Dinas Sosial"
    ]


def test_waiting_list_rows_are_what_the_documented_serializer_shows(
    api, peksos_odgj, kelurahan_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from odgj.api import WaitingSubjectOutput, waiting_subject_row
    from odgj.selectors import guardian_rows_by_subject

    plain = _verified(peksos_odgj, kelurahan_a)
    pictured = subject(
        actor=peksos_odgj,
        kelurahan=kelurahan_a,
        estimated_age=None,
        photo=SimpleUploadedFile("foto.png", b"\x89PNG" + b"0" * 64),
    )
    guardian_add(
        actor=peksos_odgj,
        subject=pictured,
        guardian_type=Guardian.Type.FAMILY,
        relation=Guardian.Relation.SIBLING,
        name="Rina",
        contact="0812",
    )
    assert pictured.photo
    assert pictured.estimated_birth_date is None
    assert plain.estimated_birth_date is not None
    assert not plain.photo
    request = Request(APIRequestFactory().get("/api/v1/odgj/menunggu/"))
    guardians = guardian_rows_by_subject([plain.pk, pictured.pk])
    for each in (plain, pictured):
        each.refresh_from_db()
        each.guardian_rows = guardians.get(each.pk, [])

        documented = WaitingSubjectOutput(each, context={"request": request}).data

        assert waiting_subject_row(each, request) == documented


def test_cursor_follows_the_change_sequence(api, peksos_odgj, kelurahan_a):
    first = _verified(peksos_odgj, kelurahan_a)
    second = _verified(peksos_odgj, kelurahan_a)
    odgj_subject_update_notes(actor=peksos_odgj, subject=first, health_notes="baru")

    ids = [row["id"] for row in api.get("/api/v1/odgj/menunggu/").json()["results"]]

    assert ids == [str(second.public_id), str(first.public_id)]


def test_recording_events_drive_the_state_machine(api, peksos_odgj, kelurahan_a):
    s = _verified(peksos_odgj, kelurahan_a)
    url = f"/api/v1/odgj/{s.public_id}/peristiwa/"

    recorded = api.post(
        url, {"event": "recorded", "capture_result": "foto_saja"}, format="json"
    )
    issued = api.post(
        url, {"event": "nik_issued", "nik": make_nik(), "kk": make_kk()}, format="json"
    )

    assert recorded.json()["stage"] == "recorded"
    assert issued.json()["stage"] == "nik_issued"
    assert OdgjSubject.objects.get().person is not None


def test_illegal_event_is_refused_with_clear_error(api, peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    response = api.post(
        f"/api/v1/odgj/{s.public_id}/peristiwa/",
        {"event": "ktp_delivered"},
        format="json",
    )

    assert response.status_code == 400
    assert "tidak dapat berpindah" in response.json()["errors"][0]["detail"]


def test_invalid_nik_in_event_is_refused(api, peksos_odgj, kelurahan_a):
    s = _verified(peksos_odgj, kelurahan_a)
    url = f"/api/v1/odgj/{s.public_id}/peristiwa/"
    api.post(url, {"event": "recorded", "capture_result": "lengkap"}, format="json")

    response = api.post(
        url, {"event": "nik_issued", "nik": "123", "kk": make_kk()}, format="json"
    )

    assert response.status_code == 400
    assert "16 digit" in response.json()["errors"][0]["detail"]


def test_population_changes_accept_and_reject_per_item(api):
    response = api.post(
        "/api/v1/perubahan-kependudukan/",
        {
            "items": [
                {"kind": "kematian", "nik": make_nik(), "event_date": "2026-11-01"},
                {"kind": "kematian", "nik": "123", "event_date": "2026-11-01"},
                {"kind": "lahir", "nik": make_nik(), "event_date": "2026-11-01"},
            ]
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["accepted"], body["rejected"]) == (1, 2)
    assert PopulationChange.objects.count() == 1


def test_population_batch_over_1000_is_refused(api):
    items = [{"kind": "kematian", "nik": make_nik(), "event_date": "2026-11-01"}] * 1001

    response = api.post(
        "/api/v1/perubahan-kependudukan/", {"items": items}, format="json"
    )

    assert response.status_code == 400


def test_status_by_nik_in_body_is_logged(api, kelurahan_a):
    covered = participant(kelurahan_a)

    response = api.post(
        "/api/v1/status-layanan/", {"nik": covered.person.nik}, format="json"
    )

    assert response.json() == {
        "found": True,
        "in_dtks": False,
        "bpjs_active": True,
        "bpjs_segment": "pbpu_pemda",
        "odgj_open_case": False,
    }
    assert AccessLog.objects.filter(purpose="cek status layanan oleh Dukcapil").exists()


def test_retry_with_same_idempotency_key_replays_first_answer(api):
    payload = {
        "items": [{"kind": "kematian", "nik": make_nik(), "event_date": "2026-11-01"}]
    }

    first = api.post(
        "/api/v1/perubahan-kependudukan/",
        payload,
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
    )
    second = api.post(
        "/api/v1/perubahan-kependudukan/",
        payload,
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
    )
    other = api.post(
        "/api/v1/perubahan-kependudukan/",
        {"items": payload["items"] * 2},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
    )

    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert PopulationChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_hundred_concurrent_replays_make_one_effect(liaison):
    token = fetch_token(make_client_app(liaison))
    payload = {
        "items": [{"kind": "kematian", "nik": make_nik(), "event_date": "2026-11-01"}]
    }
    statuses: list[int] = []

    def send(_client_number: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        for _ in range(5):
            statuses.append(
                client.post(
                    "/api/v1/perubahan-kependudukan/",
                    payload,
                    format="json",
                    HTTP_IDEMPOTENCY_KEY="same-key",
                ).status_code
            )

    at_once(send, range(20))

    assert len(statuses) == 100
    assert set(statuses) == {201}
    assert PopulationChange.objects.count() == 1


def test_throttling_per_client(api, settings):
    from rest_framework.settings import api_settings

    from core.api import ClientRateThrottle

    ClientRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "partner": "3/min",
    }
    try:
        codes = [
            api.post(
                "/api/v1/status-layanan/", {"nik": make_nik()}, format="json"
            ).status_code
            for _ in range(5)
        ]
    finally:
        ClientRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


@pytest.fixture
def partner_rate_of_three():
    from rest_framework.settings import api_settings

    from core.api import ClientRateThrottle

    ClientRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "partner": "3/min",
    }
    yield
    ClientRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_throttled_client_is_told_when_to_retry(api, partner_rate_of_three):
    for _ in range(3):
        api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    response = api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_throttled_client_is_told_in_indonesian(api, partner_rate_of_three):
    for _ in range(3):
        api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    response = api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    detail = response.json()["errors"][0]["detail"]
    assert detail.startswith("Terlalu banyak permintaan. Coba lagi dalam ")
    assert "Expected" not in detail


def test_throttle_of_one_client_leaves_another_alone(
    api, liaison, partner_rate_of_three
):
    for _ in range(4):
        api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")
    other = APIClient()
    other.credentials(
        HTTP_AUTHORIZATION=f"Bearer {fetch_token(make_client_app(liaison, 'Cadangan'))}"
    )

    response = other.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    assert response.status_code == 200


def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/").content.decode()
    redoc = client.get("/api/redoc/").content.decode()

    assert schema.status_code == 200
    assert "cdn" not in docs
    assert "googleapis" not in redoc
    assert "/static/drf_spectacular_sidecar/" in docs


def test_status_reports_dtks_and_open_odgj_case(api, peksos_odgj, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)
    in_dtks(resident)
    odgj_subject_link_person(
        actor=peksos_odgj,
        subject=subject(actor=peksos_odgj, kelurahan=kelurahan_a),
        person=resident,
    )

    response = api.post("/api/v1/status-layanan/", {"nik": resident.nik}, format="json")

    assert response.json() == {
        "found": True,
        "in_dtks": True,
        "bpjs_active": False,
        "bpjs_segment": None,
        "odgj_open_case": True,
    }


def test_status_read_log_names_the_liaison_and_the_person(api, liaison, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)

    api.post("/api/v1/status-layanan/", {"nik": resident.nik}, format="json")

    log = AccessLog.objects.get()
    assert (log.actor, log.object_pk, log.channel) == (
        liaison,
        str(resident.pk),
        AccessLog.Channel.API,
    )
    assert log.content_type.model_class() is Person


def test_status_of_unknown_nik_logs_no_read(api, kelurahan_a):
    api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    assert not AccessLog.objects.exists()


def test_token_in_query_string_is_refused(liaison):
    token = fetch_token(make_client_app(liaison))

    response = APIClient().get(f"/api/v1/odgj/menunggu/?access_token={token}")

    assert response.status_code == 401


def test_token_of_deactivated_liaison_is_refused(liaison):
    token = fetch_token(make_client_app(liaison))
    liaison.is_active = False
    liaison.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get("/api/v1/odgj/menunggu/").status_code == 401


def test_person_unknown_to_registry_is_reported_not_found(api, kelurahan_a):
    person(kelurahan=kelurahan_a)

    response = api.post("/api/v1/status-layanan/", {"nik": make_nik()}, format="json")

    assert response.json()["found"] is False


def test_api_changes_are_audited_with_the_liaison(
    api, liaison, peksos_odgj, kelurahan_a
):
    s = _verified(peksos_odgj, kelurahan_a)

    api.post(
        f"/api/v1/odgj/{s.public_id}/peristiwa/",
        {"event": "recorded", "capture_result": "lengkap"},
        format="json",
    )

    last = (
        OdgjSubject.pgh_event_model.objects.filter(pgh_obj_id=s.pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")
        .first()
    )
    assert last.stage == "recorded"
    assert last.pgh_context.metadata["user"] == liaison.pk


def test_every_subject_on_a_waiting_page_is_logged_once_with_its_model(
    api, peksos_odgj, kelurahan_a
):
    subjects = [_verified(peksos_odgj, kelurahan_a) for _ in range(3)]

    api.get("/api/v1/odgj/menunggu/")

    logged = AccessLog.objects.filter(channel="api", purpose__startswith="antrean")
    assert sorted(logged.values_list("object_pk", flat=True)) == sorted(
        str(s.pk) for s in subjects
    )
    assert {entry.object_repr for entry in logged} == {
        f"subjek ODGJ #{s.pk}" for s in subjects
    }
    assert {entry.content_type.model for entry in logged} == {"odgjsubject"}
