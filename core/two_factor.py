"""TOTP two-factor authentication: enrol a device (QR code) once, then verify a code
after every login. Replacing a device needs the password again (re-authentication)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.documents import qr_data_uri
from core.permissions import actor_of


def awaits_second_factor(user: object) -> bool:
    """Signed in with the password, and the role must still give a TOTP code."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) in settings.TWO_FACTOR_ROLES
        # django-otp's middleware adds is_verified to the request's user.
        and not getattr(user, "is_verified", lambda: False)()
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Kode 6 digit dari aplikasi autentikator"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


class ResetForm(TokenForm):
    password = forms.CharField(
        label=gettext_lazy("Kata sandi Anda"), widget=forms.PasswordInput
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="autentikator", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("home")
        form.add_error("token", _("Kode salah atau kedaluwarsa."))
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "enrolling": not device.confirmed,
            "qr": qr_data_uri(device.config_url) if not device.confirmed else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_reset(request: HttpRequest) -> HttpResponse:
    """Replace the authenticator: password and a current code first."""
    user = actor_of(request)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        password_ok = (
            authenticate(
                request, username=user.username, password=form.cleaned_data["password"]
            )
            is not None
        )
        if device and password_ok and device.verify_token(form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=user).delete()
            messages.info(request, _("Daftarkan aplikasi autentikator yang baru."))
            return redirect("two_factor")
        form.add_error(None, _("Kata sandi atau kode salah."))
    return render(
        request, "registration/two_factor.html", {"form": form, "reset": True}
    )
