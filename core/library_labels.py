"""Indonesian names for the library models the admin lists.

These libraries name some apps and models without gettext (django-oauth-toolkit,
django-otp, pghistory, axes), so no catalogue can translate them; they are named
here, in our own words, and the English catalogue translates them back; so are the
fields of theirs the admin shows as columns or form labels. Labels only: no table or
permission changes.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_APPS = {
    "oauth2_provider": _("Akses API (OAuth2)"),
    "otp_totp": _("Verifikasi dua langkah"),
    "pghistory": _("Riwayat perubahan"),
    "axes": _("Keamanan login"),
}

# (app label, model name): (singular, plural). Indonesian nouns do not change for
# the plural; the context lets English say "access tokens".
_MODELS = {
    ("oauth2_provider", "application"): (
        _("aplikasi klien API"),
        pgettext_lazy("jamak", "aplikasi klien API"),
    ),
    ("oauth2_provider", "accesstoken"): (
        _("token akses"),
        pgettext_lazy("jamak", "token akses"),
    ),
    ("oauth2_provider", "refreshtoken"): (
        _("token pembaruan"),
        pgettext_lazy("jamak", "token pembaruan"),
    ),
    ("oauth2_provider", "grant"): (
        _("kode otorisasi"),
        pgettext_lazy("jamak", "kode otorisasi"),
    ),
    ("oauth2_provider", "idtoken"): (
        _("token identitas"),
        pgettext_lazy("jamak", "token identitas"),
    ),
    ("otp_totp", "totpdevice"): (
        _("perangkat TOTP"),
        pgettext_lazy("jamak", "perangkat TOTP"),
    ),
    ("pghistory", "events"): (
        _("peristiwa perubahan"),
        pgettext_lazy("jamak", "peristiwa perubahan"),
    ),
}


# (app label, model name): {field: label}, for the fields the admin shows.
_FIELDS = {
    ("otp_totp", "totpdevice"): {
        "user": _("pengguna"),
        "name": _("nama"),
        "confirmed": _("terkonfirmasi"),
        "throttling_failure_timestamp": _("kegagalan terakhir pada"),
        "throttling_failure_count": _("jumlah kegagalan"),
        "created_at": _("dibuat pada"),
        "last_used_at": _("terakhir dipakai pada"),
        "key": _("kunci"),
        "step": _("langkah waktu"),
        "t0": _("waktu awal"),
        "digits": _("jumlah digit"),
        "tolerance": _("toleransi"),
        "drift": _("selisih waktu"),
    },
    ("pghistory", "events"): {
        "pgh_model": _("model riwayat"),
        "pgh_created_at": _("waktu perubahan"),
        "pgh_label": _("jenis perubahan"),
        "pgh_data": _("data"),
        "pgh_diff": _("perubahan"),
        "pgh_context": _("konteks"),
        "pgh_obj_model": _("model data"),
        "pgh_obj_id": _("ID data"),
    },
}


def name_library_models() -> None:
    for label, name in _APPS.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
    for (label, model_name), (singular, plural) in _MODELS.items():
        try:
            model = apps.get_model(label, model_name)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
    for (label, model_name), fields in _FIELDS.items():
        try:
            model = apps.get_model(label, model_name)
        except LookupError:
            continue
        for field_name, field_label in fields.items():
            model._meta.get_field(field_name).verbose_name = field_label
