from __future__ import annotations

import datetime as dt

from bpjs.models import Application, Coverage, HealthFacility, Segment
from bpjs.services.applications import (
    application_approve,
    application_record_dkk,
    application_submit,
)
from bpjs.services.batches import AnswerRow, batch_create, batch_record_answer
from core.roles import Role
from tests.factories.core import StaffFactory
from tests.factories.registry import issued_sktm, person


def facility() -> HealthFacility:
    return HealthFacility.objects.get(code="PKM-MANGGAR")


def eligible_person(kelurahan, **kwargs):
    resident = person(kelurahan=kelurahan, **kwargs)
    issued_sktm(for_person=resident, purpose="bpjs")
    return resident


def submitted(resident):
    operator = StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=resident.kelurahan)
    return application_submit(actor=operator, person=resident, facility=facility())


def dkk_verified(kelurahan, verifier, **kwargs) -> Application:
    """An application approved by Dinsos and cleared by Dinas Kesehatan: ready for
    the next proposal batch. `kwargs` go to the resident."""
    application = application_approve(
        actor=verifier, application=submitted(eligible_person(kelurahan, **kwargs))
    )
    return application_record_dkk(actor=verifier, application=application, cleared=True)


def participant(
    kelurahan, *, start=dt.date(2026, 1, 1), card="0001234567890"
) -> Coverage:
    """An active PBPU Pemda participant, through the whole real chain."""
    verifier = StaffFactory(role=Role.VERIFIKATOR_DINSOS)
    resident = dkk_verified(kelurahan, verifier).person
    batch = batch_create(actor=verifier, period=start)
    batch_record_answer(
        actor=verifier,
        batch=batch,
        rows=[
            AnswerRow(
                nik=resident.nik, accepted=True, card_number=card, start_date=start
            )
        ],
    )
    return Coverage.objects.get(person=resident, segment=Segment.PBPU_PEMDA)
