"""Every page (staff, public, admin), opened with English chosen, shows no text the
catalogue would have translated: a string left untranslated at runtime (evaluated at
import, outside translate, or a choice label frozen too early) shows up here."""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from bpjs.models import ProposalBatch
from puskesos.reference import AGENCIES, NEEDS
from registry.models import Sktm
from tests.factories.bpjs import eligible_person, participant, submitted
from tests.factories.odgj import subject
from tests.factories.puskesos import case as puskesos_case
from tests.performance.test_query_counts import PAGES

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


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


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts.extend(v.strip() for k, v in attrs if k in _ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def _visible(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


# Written into the record in the official language on purpose (see
# tests/core/test_official_documents.py), so shown as recorded.
RECORDED_TEXTS = {"Laporan awal"}


# The office's own reference data (need categories, agencies: codes and names), stored
# in the database and edited in the admin: shown as entered.
REFERENCE_DATA = {str(text) for row in [*NEEDS, *AGENCIES] for text in row[:2]}


def _interface_text_left(response) -> list[str]:
    indonesian = _translated_strings() - REFERENCE_DATA - RECORDED_TEXTS
    return sorted({t for t in _visible(response.content.decode()) if t in indonesian})


@pytest.mark.parametrize(("who", "method", "url", "kwargs"), PAGES)
def test_a_page_opened_in_english_shows_no_indonesian_interface_text(
    client, kelurahan_a, operator_a, peksos_odgj, supervisor, who, method, url, kwargs
):
    users = {"operator": operator_a, "peksos": peksos_odgj, "supervisor": supervisor}
    resident = eligible_person(kelurahan_a, name="Siti Warga")
    submitted(resident)
    puskesos_case(kelurahan=kelurahan_a, applicant_name="A", nik=resident.nik)
    subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Subjek")
    if who in users:
        client.force_login(users[who])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = getattr(client, method)(url, **kwargs)

    assert response.status_code == 200
    assert _interface_text_left(response) == []


def _record_pages(kelurahan, peksos, operator, verifier):
    covered = participant(kelurahan, card="0009876543210")
    batch = ProposalBatch.objects.get()
    resident = eligible_person(kelurahan, name="Siti Warga")
    application = submitted(resident)
    case = puskesos_case(kelurahan=kelurahan, applicant_name="A", nik=resident.nik)
    reported = subject(actor=peksos, kelurahan=kelurahan, alias="Subjek")
    sktm = Sktm.objects.filter(person=resident).first()
    assert sktm is not None
    assert resident.household is not None
    family = resident.household.public_id
    return {
        "person": (operator, f"/registry/penduduk/{resident.public_id}/"),
        "person_edit": (operator, f"/registry/penduduk/{resident.public_id}/ubah/"),
        "household": (operator, f"/registry/keluarga/{family}/"),
        "household_edit": (operator, f"/registry/keluarga/{family}/ubah/"),
        "person_add": (operator, f"/registry/keluarga/{family}/anggota/baru/"),
        "household_create": (operator, "/registry/keluarga/baru/"),
        "sktm": (operator, f"/registry/sktm/{sktm.public_id}/"),
        "sktm_request": (
            operator,
            f"/registry/penduduk/{resident.public_id}/sktm/baru/",
        ),
        "application": (operator, f"/bpjs/pengajuan/{application.public_id}/"),
        "application_create": (operator, f"/bpjs/ajukan/{resident.public_id}/"),
        "removal_create": (
            verifier,
            f"/bpjs/penghapusan/baru/{covered.person.public_id}/",
        ),
        "batch": (verifier, f"/bpjs/batch/{batch.public_id}/"),
        "intake": (operator, "/puskesos/penerimaan/"),
        "case": (operator, f"/puskesos/kasus/{case.public_id}/"),
        "subject": (peksos, f"/odgj/subjek/{reported.public_id}/"),
        "subject_create": (peksos, "/odgj/subjek/baru/"),
        "login": (None, "/masuk/"),
        "public_apply": (None, "/layanan/ajukan/"),
        "public_status": (None, "/layanan/status/"),
    }


RECORD_PAGES = [
    "person",
    "person_edit",
    "household",
    "household_edit",
    "person_add",
    "household_create",
    "sktm",
    "sktm_request",
    "application",
    "application_create",
    "removal_create",
    "batch",
    "intake",
    "case",
    "subject",
    "subject_create",
    "login",
    "public_apply",
    "public_status",
]


@pytest.mark.parametrize("record", RECORD_PAGES)
def test_a_record_or_form_page_opened_in_english_shows_no_indonesian_interface_text(
    client, kelurahan_a, operator_a, peksos_odgj, verifikator, record
):
    user, url = _record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)[record]
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(url)

    assert response.status_code == 200
    assert _interface_text_left(response) == []


def _admin_lists() -> list[str]:
    from django.contrib import admin

    return sorted(
        f"{model._meta.app_label}/{model._meta.model_name}"
        for model in admin.site._registry
    )


@pytest.mark.parametrize("model", _admin_lists())
def test_an_admin_list_opened_in_english_shows_no_indonesian_interface_text(
    client, admin_user, model
):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(f"/admin/{model}/")

    assert response.status_code == 200
    assert _interface_text_left(response) == []


def test_every_admin_add_form_opened_in_english_shows_no_indonesian_interface_text(
    client, admin_user
):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    opened = {model: client.get(f"/admin/{model}/add/") for model in _admin_lists()}
    # Records made by the services (applications, cases, logs...) have no add form.
    forms = {model: r for model, r in opened.items() if r.status_code != 403}

    assert {model: r.status_code for model, r in forms.items()} == dict.fromkeys(
        forms, 200
    )
    left = {model: _interface_text_left(r) for model, r in forms.items()}
    assert {model: texts for model, texts in left.items() if texts} == {}
