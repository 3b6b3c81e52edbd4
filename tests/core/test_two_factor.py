from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db
ENFORCED = override_settings(
    TWO_FACTOR_ROLES=frozenset({"supervisor_dinsos", "admin", "pekerja_sosial_odgj"})
)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _login(client, user):
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


@ENFORCED
@pytest.mark.parametrize("role_fixture", ["supervisor", "admin_user", "peksos_odgj"])
def test_named_roles_must_pass_two_factor(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    _login(client, user)

    response = client.get(reverse("registry:person_search"))

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor")


@ENFORCED
def test_operator_needs_no_second_factor(client, operator_a):
    _login(client, operator_a)

    assert client.get(reverse("registry:person_search")).status_code == 200


@ENFORCED
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # no back-off after the wrong code
def test_enrolment_then_verified_access(client, supervisor):
    _login(client, supervisor)
    page = client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=supervisor)

    wrong = client.post(reverse("two_factor"), {"token": "000000"})
    client.post(reverse("two_factor"), {"token": _code(device)})

    assert 'id="totp-qr"' in page.content.decode()
    assert "Kode salah" in wrong.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


@ENFORCED
def test_replacing_the_authenticator_needs_password_again(client, supervisor):
    _login(client, supervisor)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=supervisor)
    client.post(reverse("two_factor"), {"token": _code(device)})

    refused = client.post(
        reverse("two_factor_reset"), {"token": _code(device), "password": "salah-sandi"}
    )

    assert "Kata sandi atau kode salah" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()


@ENFORCED
def test_the_code_page_offers_no_menu_before_the_code(client, supervisor):
    _login(client, supervisor)

    response = client.get(reverse("two_factor"))

    assert response.context["nav_menu"] == []
    assert reverse("admin:index") not in response.content.decode()
    assert reverse("logout") in response.content.decode()
