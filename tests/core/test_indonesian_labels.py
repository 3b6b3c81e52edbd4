"""The Dinsos staff read the admin and the counter's pages in Bahasa Indonesia: a
field of ours declared without a verbose name shows its code name instead ("Date",
"Created at", "Person"). Every admin list, add form and change form, and every staff
page, record and form page, is opened in Indonesian and must show no field's code
name as a label."""

from __future__ import annotations

import functools

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils.text import capfirst

from tests.pages import (
    PAGES,
    RECORD_PAGES,
    admin_lists,
    opened,
    record_pages,
    visible,
    with_one_of_each,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("core", "registry", "bpjs", "odgj", "puskesos")
# The libraries whose fields the admin shows under names of ours
# (core/library_labels.py).
LIBRARY_MODELS = (("otp_totp", "totpdevice"), ("pghistory", "events"))
# Code names that are also the Indonesian word (domain words keep their names).
# "id" is also the language code in the language menu; "email", "data" and "batch"
# are words in Indonesian too.
INDONESIAN_AS_IS = {
    "id",
    "nik",
    "kelurahan",
    "kecamatan",
    "puskesos",
    "sktm",
    "rt",
    "rw",
    "desil",
    "status",
    "email",
    "data",
    "batch",
}


@functools.cache
def _code_names() -> frozenset[str]:
    models = [
        *(m for label in OUR_APPS for m in apps.get_app_config(label).get_models()),
        *(apps.get_model(*key) for key in LIBRARY_MODELS),
    ]
    names: set[str] = set()
    for model in models:
        for field in model._meta.get_fields():
            name = field.name.replace("_", " ")
            if name not in INDONESIAN_AS_IS:
                names |= {name, capfirst(name)}
    return frozenset(names)


def _code_names_shown(response) -> list[str]:
    return sorted({t for t in visible(response.content.decode()) if t in _code_names()})


@pytest.fixture
def _one_of_each(kelurahan_a, peksos_odgj):
    with_one_of_each(kelurahan_a, peksos_odgj)


@pytest.mark.usefixtures("_one_of_each")
def test_admin_lists_and_forms_name_every_field_in_indonesian(client, admin_user):
    pages = [f"/admin/{model}/" for model in admin_lists()]
    client.force_login(admin_user)
    for model in admin_lists():
        if client.get(f"/admin/{model}/add/").status_code == 200:
            pages.append(f"/admin/{model}/add/")
    for model in admin.site._registry:
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            meta = model._meta
            pages.append(f"/admin/{meta.app_label}/{meta.model_name}/{row.pk}/change/")

    shown = {url: _code_names_shown(opened(client, admin_user, url)) for url in pages}

    assert {url: names for url, names in shown.items() if names} == {}


@pytest.mark.parametrize(("who", "method", "url", "kwargs"), PAGES)
def test_a_staff_page_names_every_field_in_indonesian(
    listed_page, who, method, url, kwargs
):
    assert _code_names_shown(listed_page(who, method, url, kwargs)) == []


@pytest.mark.parametrize("record", RECORD_PAGES)
def test_a_record_or_form_page_names_every_field_in_indonesian(
    client, kelurahan_a, operator_a, peksos_odgj, verifikator, record
):
    user, url = record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)[record]

    assert _code_names_shown(opened(client, user, url)) == []
