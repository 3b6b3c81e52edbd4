"""`make run`'s demo data: every app has records at several steps of its flow, made
through the services (so with their history), and seeding again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from bpjs.models import Application, AppStatus, Coverage
from odgj.models import OdgjSubject, Stage
from puskesos.models import Case, CaseStatus
from registry.models import (
    DtksEntry,
    DtksImportBatch,
    DtksLeaverContact,
    DtksProposal,
    DtksProposalStatus,
    Household,
    PopulationChange,
    Sktm,
    SktmStatus,
)

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Household,
            Sktm,
            DtksProposal,
            Application,
            Coverage,
            OdgjSubject,
            Case,
            PopulationChange,
            DtksImportBatch,
            DtksLeaverContact,
        )
    }


def test_the_demo_has_records_at_several_steps_of_every_flow():
    _seed()

    assert set(Sktm.objects.values_list("status", flat=True)) >= {
        SktmStatus.REQUESTED,
        SktmStatus.VERIFIED,
        SktmStatus.ISSUED,
    }
    assert set(Application.objects.values_list("status", flat=True)) >= {
        AppStatus.SUBMITTED,
        AppStatus.REJECTED,
        AppStatus.APPROVED,
        AppStatus.ACTIVE,
        AppStatus.BPJS_REJECTED,
    }
    assert set(DtksProposal.objects.values_list("status", flat=True)) == {
        DtksProposalStatus.REGISTERED,
        DtksProposalStatus.AGREED,
        DtksProposalStatus.VERIFIED,
        DtksProposalStatus.SUBMITTED,
    }
    assert Coverage.objects.filter(active=True).exists()
    assert set(OdgjSubject.objects.values_list("stage", flat=True)) == {
        Stage.IDENTIFIED,
        Stage.DATA_VERIFIED,
    }
    assert set(Case.objects.values_list("status", flat=True)) == {
        CaseStatus.RECEIVED,
        CaseStatus.ASSESSED,
        CaseStatus.SERVICE_DECIDED,
    }
    assert PopulationChange.objects.filter(
        status=PopulationChange.Status.WAITING_FOR_COUNTER
    ).exists()
    assert PopulationChange.objects.filter(
        status=PopulationChange.Status.NOT_FOUND, handled_by__isnull=False
    ).exists()


def test_the_demo_snapshot_takes_two_manggar_households_out_of_dtks_only():
    _seed()

    batch = DtksImportBatch.objects.get()
    assert batch.status == DtksImportBatch.Status.COMMITTED
    assert batch.uploaded_by.username == "supervisor"
    # Written from the registry: everyone else is in it unchanged.
    assert (batch.count_rejected, batch.count_new, batch.count_updated) == (0, 0, 0)
    assert batch.count_unchanged > 0
    leavers = DtksEntry.objects.filter(
        active=False, deactivation_reason=DtksEntry.DeactivationReason.ABSENT
    )
    assert set(leavers.values_list("person__kelurahan_id", flat=True)) == {
        "64.71.01.1001"
    }
    assert leavers.values("person__household").distinct().count() == 2
    assert DtksEntry.objects.filter(active=True).exists()
    call = DtksLeaverContact.objects.get()
    assert (call.contacted_by.username, call.reached) == ("operator.manggar", False)


def test_the_demo_records_carry_who_made_each_step():
    _seed()

    application = Application.objects.filter(status=AppStatus.ACTIVE).first()
    assert application is not None
    actors = set(application.transitions.values_list("actor__username", flat=True))
    assert actors == {"operator.manggar", "verifikator"}


def test_seeding_the_demo_again_changes_nothing():
    _seed()
    first = _counts()

    _seed()

    assert _counts() == first
    assert all(first.values())
