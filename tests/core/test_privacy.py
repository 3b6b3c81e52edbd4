from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core.jobs import run_job
from core.models import AccessLog
from puskesos.models import Case, CaseStatus, NeedCategory
from puskesos.services import case_intake, case_transition
from tests.factories.bpjs import participant
from tests.factories.core import PASSWORD
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import dtks_proposal, person

pytestmark = pytest.mark.django_db


def _case(operator, kelurahan, name):
    return puskesos_case(
        actor=operator,
        kelurahan=kelurahan,
        description=f"Cerita {name}",
        applicant_name=name,
    )


def test_retention_anonymises_only_what_is_due(operator_a, kelurahan_a):
    old = _case(operator_a, kelurahan_a, "Warga Lama")
    case_transition(actor=operator_a, case=old, to=CaseStatus.CANCELLED, note="batal")
    recent_closed = _case(operator_a, kelurahan_a, "Warga Baru")
    case_transition(
        actor=operator_a, case=recent_closed, to=CaseStatus.CANCELLED, note="x"
    )
    old_open = _case(operator_a, kelurahan_a, "Masih Terbuka")
    Case.objects.filter(pk__in=[old.pk, old_open.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=365 * 6)
    )

    run = run_job(name="retention_anonymise")

    old.refresh_from_db()
    assert old.applicant_name == "ANONIM"
    assert old.anonymised_at is not None
    assert not Case.pgh_event_model.objects.filter(
        pgh_obj_id=old.pk, applicant_name="Warga Lama"
    ).exists()
    assert Case.objects.get(pk=recent_closed.pk).applicant_name == "Warga Baru"
    assert Case.objects.get(pk=old_open.pk).applicant_name == "Masih Terbuka"
    assert run.result["kasus"] == 1


def test_subject_access_export_is_complete_and_logged(
    client, supervisor, kelurahan_a, operator_a
):
    covered = participant(kelurahan_a)
    resident = covered.person
    case_intake(
        actor=operator_a,
        kelurahan=kelurahan_a,
        person=resident,
        need=NeedCategory.objects.get(code="pangan"),
        request_type="pertanyaan",
        description="Tanya sembako",
    )
    client.login(username=supervisor.username, password=PASSWORD)

    response = client.post(reverse("reports:subject_access"), {"nik": resident.nik})

    data = json.loads(response.content)
    assert data["person"]["nik"] == resident.nik
    assert len(data["sktm"]) == 1
    assert len(data["bpjs_applications"]) == 1
    assert data["bpjs_coverage"][0]["segment"] == "pbpu_pemda"
    assert len(data["puskesos_cases"]) == 1
    assert data["change_history"][0]["label"] == "insert"
    assert AccessLog.objects.filter(
        channel="export", object_pk=str(resident.pk)
    ).exists()


def test_operator_cannot_export_subject_data(client, operator_a, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)
    client.login(username=operator_a.username, password=PASSWORD)

    response = client.post(reverse("reports:subject_access"), {"nik": resident.nik})

    assert response.status_code == 403


def test_subject_access_export_holds_the_households_dtks_proposals(
    client, supervisor, kelurahan_a
):
    proposal = dtks_proposal(kelurahan=kelurahan_a)
    resident = proposal.household.members.get()
    client.login(username=supervisor.username, password=PASSWORD)

    response = client.post(reverse("reports:subject_access"), {"nik": resident.nik})

    rows = json.loads(response.content)["dtks_proposals"]
    assert [row["reason"] for row in rows] == [proposal.reason]
