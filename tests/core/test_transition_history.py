"""A record's history names its states as the screen does ("Disetujui Dinsos"), in
the reader's language, not by their stored codes ("disetujui_dinsos")."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from bpjs.services.applications import application_approve
from core.workflow import TransitionRecord
from puskesos.models import CaseStatus
from puskesos.services import case_transition
from registry.models import DtksProposalStatus, Sktm
from tests.factories.bpjs import eligible_person, submitted
from tests.factories.odgj import verified_subject
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import dtks_proposal

pytestmark = pytest.mark.django_db


def _history(response) -> str:
    body = response.content.decode()
    return body[body.index("Riwayat") :]


def test_every_history_table_knows_the_labels_of_its_states():
    histories = [
        model
        for model in apps.get_models()
        if issubclass(model, TransitionRecord) and not model._meta.abstract
    ]

    assert len(histories) == 6
    for history in histories:
        labels = history.workflow.labels
        assert labels, history.__name__
        with translation.override("en"):
            record = history(from_state="", to_state=next(iter(labels)))
            assert record.to_label == str(labels[record.to_state])


def test_a_bpjs_application_history_shows_state_names(
    client, kelurahan_a, operator_a, verifikator
):
    application = application_approve(
        actor=verifikator, application=submitted(eligible_person(kelurahan_a))
    )
    client.force_login(operator_a)

    response = client.get(
        reverse("bpjs:application_detail", args=[application.public_id])
    )

    history = _history(response)
    assert "Diajukan kelurahan → Disetujui Dinsos" in history
    assert "disetujui_dinsos" not in history


def test_an_sktm_history_shows_state_names(client, kelurahan_a, operator_a):
    resident = eligible_person(kelurahan_a)
    sktm = Sktm.objects.get(person=resident)
    client.force_login(operator_a)

    response = client.get(reverse("registry:sktm_detail", args=[sktm.public_id]))

    history = _history(response)
    assert "Diajukan → Diverifikasi Kasi Kesos" in history
    assert "Diverifikasi Kasi Kesos → Terbit" in history


def test_a_puskesos_case_history_shows_state_names_in_english(
    client, kelurahan_a, operator_a
):
    taken = puskesos_case(
        kelurahan=kelurahan_a, actor=operator_a, applicant_name="Warga"
    )
    case_transition(actor=operator_a, case=taken, to=CaseStatus.ASSESSED)
    client.force_login(operator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("puskesos:case_detail", args=[taken.public_id]))

    body = response.content.decode()
    assert "Received → Assessed (back office)" in body
    assert "→ assessed" not in body


def test_an_odgj_timeline_shows_stage_names(client, peksos_odgj, kelurahan_a):
    reported = verified_subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    client.force_login(peksos_odgj)

    response = client.get(reverse("odgj:subject_detail", args=[reported.public_id]))

    body = response.content.decode()
    assert "Teridentifikasi → Data terverifikasi" in body
    assert "data_verified" not in body


def test_a_dtks_proposal_history_shows_state_names(client, kelurahan_a, verifikator):
    proposal = dtks_proposal(kelurahan=kelurahan_a, to=DtksProposalStatus.AGREED)
    client.force_login(verifikator)

    response = client.get(
        reverse("registry:proposal_detail", args=[proposal.public_id])
    )

    history = _history(response)
    assert "Didaftarkan di kelurahan → Disetujui musyawarah kelurahan" in history
    assert "disetujui_muskel" not in history
