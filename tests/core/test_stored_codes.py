"""Every page names a state or a kind in words: a stored choice code on screen
(`received`, `sktm`, `data_verified`) means a template or a column printed the value
instead of its label."""

from __future__ import annotations

import functools
import re

import pytest
from django.apps import apps

from tests.factories.bpjs import participant
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

DOMAIN_APPS = ("core", "registry", "bpjs", "odgj", "puskesos")


@functools.cache
def _stored_codes() -> frozenset[str]:
    """Choice values that read as codes (lowercase identifiers) and differ from their
    label; single letters and numbers (sex `L`/`P`, desil) are left out."""
    return frozenset(
        value
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        for value, label in getattr(field, "flatchoices", None) or ()
        if isinstance(value, str)
        and value != str(label)
        and re.fullmatch(r"[a-z][a-z0-9_]{3,}", value)
    )


def _codes_shown(response) -> list[str]:
    # Reference tables show their own code column on purpose (a need category's
    # `sktm`, an agency's `puskesmas`).
    texts = visible(response.content.decode(), skip_cells_of="code")
    parts = {part for text in texts for part in re.split(r"\s*[·:]\s*", text)}
    return sorted(parts & _stored_codes())


@pytest.mark.parametrize(("who", "method", "url", "kwargs"), PAGES)
def test_a_page_names_states_and_kinds_in_words(listed_page, who, method, url, kwargs):
    assert _codes_shown(listed_page(who, method, url, kwargs)) == []


@pytest.mark.parametrize("record", RECORD_PAGES)
def test_a_record_or_form_page_names_states_and_kinds_in_words(
    client, kelurahan_a, operator_a, peksos_odgj, verifikator, record
):
    user, url = record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)[record]

    response = opened(client, user, url)

    assert _codes_shown(response) == []


@pytest.mark.parametrize("model", admin_lists())
def test_an_admin_list_names_states_and_kinds_in_words(
    client, admin_user, kelurahan_a, peksos_odgj, model
):
    participant(kelurahan_a, card="0009876543210")
    with_one_of_each(kelurahan_a, peksos_odgj)

    response = opened(client, admin_user, f"/admin/{model}/")

    assert _codes_shown(response) == []
