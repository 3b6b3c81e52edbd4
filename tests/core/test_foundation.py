from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse

from core.logging import mask_personal_numbers
from core.models import AccessLog, Kecamatan, Kelurahan, User
from core.roles import Role
from core.services import record_access
from tests.factories.core import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db


def test_balikpapan_geography_is_loaded():
    assert Kecamatan.objects.count() == 6
    assert Kelurahan.objects.count() == 34
    assert Kelurahan.objects.get(code="64.71.05.1012").name == "Damai Bahagia"
    assert (
        Kelurahan.objects.get(code="64.71.01.1001").kecamatan.name == "Balikpapan Timur"
    )


def test_kelurahan_roles_must_have_a_kelurahan():
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", role=Role.OPERATOR_KELURAHAN)


def test_city_wide_roles_get_admin_access_by_role():
    supervisor = StaffFactory(role=Role.SUPERVISOR_DINSOS)
    operator = StaffFactory(role=Role.OPERATOR_KELURAHAN)

    assert supervisor.is_staff
    assert not operator.is_staff


def test_login_page_is_indonesian_even_for_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Masuk ke sistem" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_user_can_choose_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("login"))

    assert response["Content-Language"] == "en"


def test_login_and_home_per_role(client, operator_a):
    response = client.post(
        reverse("login"),
        {"username": operator_a.username, "password": PASSWORD},
        follow=True,
    )

    body = response.content.decode()
    assert "Selamat datang" in body
    assert "Cari penduduk" in body
    assert "Impor DTKS" not in body


def test_wrong_password_shows_indonesian_error(client, operator_a):
    response = client.post(
        reverse("login"), {"username": operator_a.username, "password": "x"}
    )

    assert "dan sandi yang benar" in response.content.decode()


def test_liaison_cannot_log_in_to_the_browser(client, liaison):
    response = client.post(
        reverse("login"), {"username": liaison.username, "password": PASSWORD}
    )

    assert "hanya untuk akses API" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, operator_a):
    client.login(username=operator_a.username, password=PASSWORD)

    client.post(reverse("logout"))

    assert client.get(reverse("home")).status_code == 302


def test_record_access_logs_model_and_key_not_personal_data(operator_a, supervisor):
    entry = record_access(actor=supervisor, obj=operator_a, purpose="uji")

    assert entry.object_repr == f"petugas #{operator_a.pk}"
    assert AccessLog.objects.get().purpose == "uji"


def test_log_filter_masks_nik_and_phone(caplog):
    from core.logging import MaskPersonalDataFilter

    logger = logging.getLogger("test.masking")
    logger.addFilter(MaskPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="test.masking"):
        logger.info("lookup %s by 081234567890", "6471011205850001")

    assert "6471011205850001" not in caplog.text
    assert "************0001" in caplog.text
    assert "081234567890" not in caplog.text


def test_mask_leaves_short_numbers():
    assert mask_personal_numbers("RT 003 RW 12") == "RT 003 RW 12"


@override_settings(LANGUAGE_CODE="id")
def test_date_input_is_day_month_year_only():
    from django import forms
    from django.utils import translation

    field = forms.DateField()
    with translation.override("id"):
        assert field.clean("08/09/2026").month == 9
        with pytest.raises(forms.ValidationError):
            field.clean("12/31/2026")


def test_check_deploy_with_production_settings_is_clean():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 30 + "-Production-Key-With-Enough-Entropy-1234567890",
        "ALLOWED_HOSTS": "dinsos.balikpapan.go.id",
        "FIELD_ENCRYPTION_KEYS": settings.FIELD_ENCRYPTION_KEYS[0],
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL",
            f"postgres://postgres@/{settings.DATABASES['default']['NAME']}",
        ),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


ADMIN_PAGES = [
    "admin:index",
    "admin:core_user_changelist",
    "admin:core_kelurahan_changelist",
    "admin:core_accesslog_changelist",
    "admin:registry_person_changelist",
    "admin:registry_household_changelist",
    "admin:registry_sktm_changelist",
    "admin:registry_dtksimportbatch_changelist",
    "admin:registry_person_import",
    "admin:pghistory_events_changelist",
    "admin:django_celery_beat_periodictask_changelist",
]


@pytest.mark.parametrize("url_name", ADMIN_PAGES)
def test_admin_pages_open_for_supervisor(client, supervisor, url_name):
    client.login(username=supervisor.username, password=PASSWORD)

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:bpjs_coverage_export",
        "admin:bpjs_monthlystatement_export",
        "admin:bpjs_proposalbatch_changelist",
        "admin:puskesos_case_changelist",
        "admin:odgj_odgjsubject_changelist",
        "admin:core_jobrun_changelist",
    ],
)
def test_supervisor_admin_exports_and_lists(client, supervisor, url_name):
    client.login(username=supervisor.username, password=PASSWORD)

    assert client.get(reverse(url_name)).status_code == 200
