from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from registry.eligibility import Basis, eligibility_for_person
from registry.services.households import person_update
from registry.services.sktm import sktm_expire_due
from tests.factories.registry import in_dtks, issued_sktm, person

pytestmark = pytest.mark.django_db


def _dtks(supervisor, resident, desil="2", period=dt.date(2026, 10, 1)):
    in_dtks(resident, supervisor=supervisor, desil=desil, period=period)


@pytest.fixture
def resident(kelurahan_a):
    return person(kelurahan=kelurahan_a)


def test_active_dtks_entry_entitles_with_desil_and_period(resident, supervisor):
    _dtks(supervisor, resident)

    answer = eligibility_for_person(person=resident)

    assert answer.entitled
    assert answer.basis == Basis.DTKS
    assert answer.desil == 2
    assert answer.reason == "Terdaftar aktif di DTKS periode 10-2026 desil 2."


def test_desil_above_policy_limit_is_not_enough(resident, supervisor, settings):
    settings.GAKIN_MAX_DESIL = 5
    _dtks(supervisor, resident, desil="7")

    answer = eligibility_for_person(person=resident)

    assert not answer.entitled
    assert "di atas batas desil 5" in answer.notes[0]


def test_valid_sktm_entitles_for_its_purpose(resident):
    sktm = issued_sktm(for_person=resident, purpose="kesehatan")

    answer = eligibility_for_person(person=resident, purpose="kesehatan")

    assert answer.entitled
    assert answer.basis == Basis.SKTM
    assert answer.sktm_number == sktm.number


def test_sktm_for_another_purpose_does_not_count(resident):
    issued_sktm(for_person=resident, purpose="pendidikan")

    assert not eligibility_for_person(person=resident, purpose="kesehatan").entitled


def test_no_basis_says_why(resident):
    answer = eligibility_for_person(person=resident)

    assert not answer.entitled
    assert answer.basis == Basis.NONE
    assert (
        answer.reason == "Tidak terdaftar di DTKS dan tidak memiliki SKTM yang berlaku."
    )


def test_person_dropped_from_dtks_is_not_entitled(resident, supervisor, kelurahan_a):
    other = person(kelurahan=kelurahan_a, name="Warga Lain")
    _dtks(supervisor, resident)
    _dtks(supervisor, other, period=dt.date(2026, 11, 1))

    answer = eligibility_for_person(person=resident)

    assert not answer.entitled
    assert "sejak periode 11-2026" in answer.notes[0]


def test_deceased_person_is_not_entitled(resident, supervisor, operator_a):
    _dtks(supervisor, resident)
    resident = person_update(
        actor=operator_a,
        person=resident,
        version=resident.version,
        is_deceased=True,
        deceased_on=dt.date(2026, 11, 1),
    )

    assert not eligibility_for_person(person=resident).entitled


def test_stored_evidence_survives_later_expiry(resident):
    sktm = issued_sktm(for_person=resident, issued_on=timezone.localdate())
    evidence = eligibility_for_person(person=resident).as_evidence()

    sktm_expire_due(today=sktm.valid_until + dt.timedelta(days=1))

    assert evidence["basis"] == Basis.SKTM
    assert evidence["sktm_valid_until"] == sktm.valid_until.isoformat()
    assert not eligibility_for_person(person=resident).entitled


def test_a_household_proposed_for_dtks_is_not_yet_entitled_and_is_told_so(
    resident, operator_a
):
    from registry.services.proposals import dtks_proposal_register

    assert resident.household is not None
    dtks_proposal_register(
        actor=operator_a, household=resident.household, reason="Buruh harian"
    )

    answer = eligibility_for_person(person=resident)

    assert not answer.entitled
    today = timezone.localdate()
    assert answer.notes == [
        "Keluarga sedang diusulkan masuk DTKS/DTSEN: didaftarkan di kelurahan, "
        f"sejak {today:%d-%m-%Y}."
    ]
