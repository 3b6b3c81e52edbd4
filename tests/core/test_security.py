from __future__ import annotations

import os
import subprocess
import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core.models import Kelurahan
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(AXES_ENABLED=True)
def test_login_is_locked_after_repeated_failures(client, operator_a):
    from axes.utils import reset

    reset()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": operator_a.username, "password": "salah"}
        )

    response = client.post(
        reverse("login"), {"username": operator_a.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_own_pages_have_strict_csp_and_privacy_headers(client):
    response = client.get(reverse("login"))

    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_session_ends_at_absolute_timeout_even_when_active(client, operator_a):
    client.force_login(operator_a)
    client.get(reverse("home"))
    session = client.session
    session["_login_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert "/masuk/" in response["Location"]
    assert client.get(reverse("home")).status_code == 302


def test_new_session_key_at_login(client, operator_a):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "fixated-session-id"

    client.post(
        reverse("login"), {"username": operator_a.username, "password": PASSWORD}
    )

    assert client.cookies["sessionid"].value != "fixated-session-id"


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_keeps_row_counts(kelurahan_a):
    from tests.factories.registry import person

    for i in range(3):
        person(kelurahan=kelurahan_a, name=f"Warga {i}")
    source = connection.settings_dict["NAME"]
    target = f"restore_{uuid.uuid4().hex[:8]}"
    dump = settings.BASE_DIR / ".data" / f"{target}.dump"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": source,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    tables = [
        "registry_person",
        "registry_household",
        "core_kelurahan",
        "registry_personevent",
    ]

    def counts(dbname: str) -> dict[str, int]:
        params = connection.get_connection_params()
        params["dbname"] = dbname
        with psycopg.connect(**params) as conn:
            return {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                for t in tables
            }

    subprocess.run(
        ["bash", "scripts/backup.sh", str(dump)],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(
            ["bash", "scripts/restore.sh", str(dump)],
            cwd=settings.BASE_DIR,
            env={**env, "DATABASE_NAME": target},
            check=True,
            capture_output=True,
        )
        assert counts(target) == counts(source)
        assert counts(target)["registry_person"] == 3
        assert Kelurahan.objects.count() == 34
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        dump.unlink(missing_ok=True)


def test_logins_failures_and_denials_are_logged(client, operator_a, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="security"):
        client.post(
            reverse("login"), {"username": operator_a.username, "password": "x"}
        )
        client.post(
            reverse("login"), {"username": operator_a.username, "password": PASSWORD}
        )
        client.get(reverse("registry:dtks_import"))

    messages = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert f"login failed user={operator_a.username}" in messages
    assert f"login ok user={operator_a.username}" in messages
    assert f"access denied user={operator_a.username} view=dtks_import" in messages


def test_oversized_xlsx_expansion_is_refused_as_zip_bomb(tmp_path):
    import zipfile

    from core.exceptions import ApplicationError
    from registry.dtks_import.reader import iter_rows

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))

    with pytest.raises(ApplicationError, match="zip bomb"):
        list(iter_rows(bomb))


def test_upload_of_wrong_type_is_refused(client, operator_a, kelurahan_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.registry import person

    resident = person(kelurahan=kelurahan_a)
    client.force_login(operator_a)

    response = client.post(
        reverse("registry:sktm_request", args=[resident.public_id]),
        {
            "purpose": "kesehatan",
            "pengantar_number": "1",
            "pengantar_date": "01/11/2026",
            "ktp": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )

    assert "Berkas harus PDF, JPG atau PNG" in response.content.decode()
    assert not resident.sktm_set.exists()


def test_idle_session_expires(client, operator_a):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(operator_a)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_oversized_upload_is_refused(client, operator_a, kelurahan_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.registry import person

    resident = person(kelurahan=kelurahan_a)
    client.force_login(operator_a)
    big = b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 1)

    response = client.post(
        reverse("registry:sktm_request", args=[resident.public_id]),
        {
            "purpose": "kesehatan",
            "pengantar_number": "1",
            "pengantar_date": "01/11/2026",
            "ktp": SimpleUploadedFile("ktp.pdf", big),
        },
    )

    assert "maksimal 5 MB" in response.content.decode()
    assert not resident.sktm_set.exists()


def test_the_session_ping_answers_only_a_signed_in_user(client, operator_a):
    anonymous = client.post("/sesi/")
    client.force_login(operator_a)

    assert anonymous.status_code == 401
    assert client.get("/sesi/").status_code == 405
    assert client.post("/sesi/").status_code == 204
