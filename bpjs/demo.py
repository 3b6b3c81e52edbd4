"""Demo data for `make run`: BPJS PBPU Pemda applications of Manggar residents at every
step of the chain, and a batch answered by BPJS (active participants, one refusal)."""

from __future__ import annotations

from django.utils import timezone

from bpjs.models import Application, HealthFacility
from bpjs.services.applications import (
    application_approve,
    application_checks,
    application_record_dkk,
    application_reject,
    application_submit,
)
from bpjs.services.batches import (
    AnswerRow,
    batch_create,
    batch_mark_sent,
    batch_record_answer,
)
from core.demo import demo_actor
from core.roles import Role
from registry.demo import DEMO_KELURAHAN
from registry.models import Person

APPLICATIONS = 10


def _eligible_residents(limit: int) -> list[Person]:
    eligible: list[Person] = []
    residents = Person.objects.filter(
        kelurahan_id=DEMO_KELURAHAN[0], nik__isnull=False
    ).order_by("id")
    for resident in residents:
        checks, _answer = application_checks(person=resident)
        if all(check.passed for check in checks):
            eligible.append(resident)
        if len(eligible) == limit:
            break
    return eligible


def _nik(application: Application) -> str:
    nik = application.person.nik
    assert nik is not None  # residents were chosen with a NIK
    return nik


def seed_bpjs() -> None:
    operator = demo_actor(Role.OPERATOR_KELURAHAN, DEMO_KELURAHAN[0])
    verifier = demo_actor(Role.VERIFIKATOR_DINSOS)
    facility = HealthFacility.objects.filter(code="PKM-MANGGAR").first()
    if operator is None or verifier is None or facility is None:
        return
    if Application.objects.exists():
        return
    applications = [
        application_submit(actor=operator, person=resident, facility=facility)
        for resident in _eligible_residents(APPLICATIONS)
    ]
    # Two stay with the kelurahan's submission, one is sent back, the rest go on.
    sent_back, onward = applications[2:3], applications[3:]
    for application in sent_back:
        application_reject(
            actor=verifier,
            application=application,
            reason="Foto KK buram; mohon unggah ulang.",
        )
    for application in onward:
        application_approve(actor=verifier, application=application)
    for application in onward[1:]:  # one waits for Dinas Kesehatan Kota
        application_record_dkk(actor=verifier, application=application, cleared=True)
    if len(onward) < 2:
        return
    start = timezone.localdate().replace(day=1)
    batch = batch_mark_sent(
        actor=verifier, batch=batch_create(actor=verifier, period=start)
    )
    answered = onward[1:]
    rows = [
        AnswerRow(
            nik=_nik(application),
            accepted=True,
            card_number=f"000{_nik(application)[-10:]}",
            start_date=start,
        )
        for application in answered[:-1]
    ] + [
        AnswerRow(
            nik=_nik(answered[-1]),
            accepted=False,
            reason_code="TERDAFTAR_SEGMEN_LAIN",
        )
    ]
    batch_record_answer(actor=verifier, batch=batch, rows=rows)
