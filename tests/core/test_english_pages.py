"""Every page (staff, public, admin), opened with English chosen, shows no text the
catalogue would have translated: a string left untranslated at runtime (evaluated at
import, outside translate, or a choice label frozen too early) shows up here."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from puskesos.reference import AGENCIES, NEEDS
from tests.pages import (
    PAGES,
    RECORD_PAGES,
    admin_lists,
    opened,
    record_pages,
    visible,
)

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@functools.cache
def _translated_strings() -> frozenset[str]:
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    return frozenset(
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and message.id
        and message.string
        and message.string != message.id
        and "%" not in message.id
    )


# Written into the record in the official language on purpose (see
# tests/core/test_official_documents.py), so shown as recorded.
RECORDED_TEXTS = {"Laporan awal"}


# The office's own reference data (need categories, agencies: codes and names), stored
# in the database and edited in the admin: shown as entered.
REFERENCE_DATA = {str(text) for row in [*NEEDS, *AGENCIES] for text in row[:2]}


def _interface_text_left(response) -> list[str]:
    indonesian = _translated_strings() - REFERENCE_DATA - RECORDED_TEXTS
    return sorted({t for t in visible(response.content.decode()) if t in indonesian})


@pytest.mark.parametrize(("who", "method", "url", "kwargs"), PAGES)
def test_a_page_opened_in_english_shows_no_indonesian_interface_text(
    listed_page, who, method, url, kwargs
):
    response = listed_page(who, method, url, kwargs, language="en")

    assert _interface_text_left(response) == []


@pytest.mark.parametrize("record", RECORD_PAGES)
def test_a_record_or_form_page_opened_in_english_shows_no_indonesian_interface_text(
    client, kelurahan_a, operator_a, peksos_odgj, verifikator, record
):
    user, url = record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)[record]

    response = opened(client, user, url, language="en")

    assert _interface_text_left(response) == []


@pytest.mark.parametrize("model", admin_lists())
def test_an_admin_list_opened_in_english_shows_no_indonesian_interface_text(
    client, admin_user, model
):
    response = opened(client, admin_user, f"/admin/{model}/", language="en")

    assert _interface_text_left(response) == []


def test_every_admin_add_form_opened_in_english_shows_no_indonesian_interface_text(
    client, admin_user
):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    add_forms = {model: client.get(f"/admin/{model}/add/") for model in admin_lists()}
    # Records made by the services (applications, cases, logs...) have no add form.
    forms = {model: r for model, r in add_forms.items() if r.status_code != 403}

    assert {model: r.status_code for model, r in forms.items()} == dict.fromkeys(
        forms, 200
    )
    left = {model: _interface_text_left(r) for model, r in forms.items()}
    assert {model: texts for model, texts in left.items() if texts} == {}
