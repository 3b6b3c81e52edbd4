"""Every write of the ODGJ app: subjects, guardians, the recording state machine,
visits and follow-up. Each runs in a transaction, checks the actor's role, records the
actor in the audit trail and bumps the subject's change sequence for the partner API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.identity import normalize_number, parse_kk, parse_nik, region_name
from core.models import Kelurahan, User
from core.permissions import require_role
from core.roles import Role
from odgj.models import (
    STAGE_WORKFLOW,
    CloseReason,
    FollowUp,
    Guardian,
    OdgjSubject,
    OdgjTransition,
    OutreachVisit,
    Stage,
    VisitEncounter,
)
from registry.models import Household, Person
from registry.services.households import (
    household_create,
    person_add_to_household,
    person_update,
)

CASE_WORKER_ROLES = frozenset({Role.PEKERJA_SOSIAL_ODGJ, Role.ADMIN})
# Anyone at a counter may report a sighting (it starts a case); only case workers
# (and the Dukcapil liaison through the API) move it on.
REPORTER_ROLES = frozenset(
    {
        Role.OPERATOR_KELURAHAN,
        Role.KOORDINATOR_PUSKESOS,
        Role.PEKERJA_SOSIAL_ODGJ,
        Role.SUPERVISOR_DINSOS,
        Role.ADMIN,
    }
)
TRANSITION_ROLES = CASE_WORKER_ROLES | {Role.LIAISON_DUKCAPIL}
BALIKPAPAN_REGENCY = "6471"


def _next_change_seq() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('odgj_change_seq')")
        value: int = cursor.fetchone()[0]
    return value


def _touch(subject: OdgjSubject) -> None:
    subject.change_seq = _next_change_seq()


def _lock(subject: OdgjSubject) -> OdgjSubject:
    locked: OdgjSubject = OdgjSubject.objects.select_for_update().get(pk=subject.pk)
    return locked


@transaction.atomic
def odgj_subject_create(
    *,
    actor: User,
    alias: str,
    sex: str,
    found_place: str,
    found_place_type: str,
    kelurahan: Kelurahan,
    reporter_type: str,
    legal_basis: str,
    estimated_age: int | None = None,
    physical_description: str = "",
    found_at: dt.datetime | None = None,
    reporter_reference: str = "",
    person: Person | None = None,
    photo: Any = None,
    condition_notes: str = "",
    consent_by: str = "",
) -> OdgjSubject:
    """Start a case, possibly with no identity at all. A known registry Person is linked,
    never duplicated: callers search the registry first (odgj.selectors)."""
    require_role(actor, REPORTER_ROLES)
    if (
        person is not None
        and OdgjSubject.objects.filter(person=person)
        .exclude(stage=Stage.CLOSED)
        .exists()
    ):
        raise ApplicationError(_("Penduduk ini sudah memiliki kasus ODGJ aktif."))
    today = timezone.localdate()
    subject = OdgjSubject(
        alias=alias.strip(),
        sex=sex,
        estimated_age=estimated_age,
        estimated_birth_date=(
            today.replace(year=today.year - estimated_age, month=7, day=1)
            if estimated_age is not None
            else None
        ),
        physical_description=physical_description,
        found_at=found_at or timezone.now(),
        found_place=found_place,
        found_place_type=found_place_type,
        kelurahan=kelurahan,
        reporter_type=reporter_type,
        reporter_reference=reporter_reference,
        person=person,
        legal_basis=legal_basis,
        consent_by=consent_by,
        consent_recorded_at=timezone.now() if consent_by else None,
        condition_notes=condition_notes,
        case_worker=actor if actor.role == Role.PEKERJA_SOSIAL_ODGJ else None,
        created_by=actor,
    )
    if photo:
        subject.photo = photo
    try:
        subject.full_clean(exclude=["photo"])
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    _touch(subject)
    with in_official_language():
        official_note = _("Laporan awal")
    with actor_context(actor):
        subject.save()
        OdgjTransition.objects.create(
            subject=subject,
            from_state="",
            to_state=Stage.IDENTIFIED,
            actor=actor,
            note=official_note,
        )
    return subject


@transaction.atomic
def odgj_subject_update_notes(
    *, actor: User, subject: OdgjSubject, **fields: Any
) -> OdgjSubject:
    require_role(actor, CASE_WORKER_ROLES)
    subject = _lock(subject)
    allowed = {
        "condition_notes",
        "health_notes",
        "laporan_sosial",
        "physical_description",
        "placement",
        "family_traced",
        "alias",
        "estimated_age",
        "case_worker",
    }
    for name, value in fields.items():
        if name in allowed:
            setattr(subject, name, value)
    _touch(subject)
    with actor_context(actor):
        subject.save()
    return subject


@transaction.atomic
def odgj_subject_link_person(
    *, actor: User, subject: OdgjSubject, person: Person
) -> OdgjSubject:
    require_role(actor, CASE_WORKER_ROLES)
    subject = _lock(subject)
    if (
        OdgjSubject.objects.filter(person=person)
        .exclude(pk=subject.pk)
        .exclude(stage=Stage.CLOSED)
        .exists()
    ):
        raise ApplicationError(_("Penduduk ini sudah memiliki kasus ODGJ aktif lain."))
    subject.person = person
    subject.family_traced = True
    _touch(subject)
    with in_official_language():
        official_note = _("Ditautkan ke data penduduk di registri.")
    with actor_context(actor):
        subject.save(update_fields=["person", "family_traced", "change_seq"])
        OdgjTransition.objects.create(
            subject=subject,
            from_state=subject.stage,
            to_state=subject.stage,
            actor=actor,
            note=official_note,
        )
    return subject


@transaction.atomic
def guardian_add(*, actor: User, subject: OdgjSubject, **fields: Any) -> Guardian:
    require_role(actor, CASE_WORKER_ROLES)
    guardian = Guardian(subject=subject, **fields)
    try:
        guardian.full_clean(exclude=["evidence", "subject"])
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    with actor_context(actor):
        guardian.save()
        subject = _lock(subject)
        _touch(subject)
        subject.save(update_fields=["change_seq"])
    return guardian


def _guard_data_verified(subject: OdgjSubject) -> None:
    guardians = list(subject.guardians.all())
    traced = (
        subject.family_traced
        or subject.person_id is not None
        or any(g.guardian_type == Guardian.Type.FAMILY for g in guardians)
    )
    unknown_ok = bool(subject.laporan_sosial.strip()) and any(
        g.guardian_type == Guardian.Type.INSTITUTION for g in guardians
    )
    if not (traced or unknown_ok):
        raise ApplicationError(
            _(
                "Data belum dapat diverifikasi: telusuri keluarga/KK, atau lengkapi "
                "Laporan Sosial dan institusi penanggung jawab."
            )
        )


def _household_for(subject: OdgjSubject, kk: str, actor: User) -> Household:
    household = Household.objects.filter(kk_number=kk).first()
    if household is not None:
        return household
    return household_create(actor=actor, kelurahan=subject.kelurahan, kk_number=kk)


def _apply_nik(subject: OdgjSubject, actor: User, nik: str, kk: str | None) -> None:
    """Link the subject to the Person holding this NIK, creating it only if none
    exists: never a second Person for one NIK."""
    existing = Person.objects.filter(nik=nik).first()
    if existing is not None:
        subject.person = existing
        return
    if subject.person is not None:
        person_update(
            actor=actor, person=subject.person, version=subject.person.version, nik=nik
        )
        return
    if not kk:
        raise ApplicationError(_("Nomor KK wajib diisi untuk NIK baru."), field="kk")
    info = parse_nik(nik)
    household = _household_for(subject, kk, actor)
    subject.person = person_add_to_household(
        actor=actor,
        household=household,
        nik=nik,
        name=subject.alias,
        sex=info.sex,
        birth_date=info.birth_date(declared=subject.estimated_birth_date),
        relationship="famili_lain" if household.members.exists() else "kepala_keluarga",
    )


@dataclass(frozen=True)
class TransitionData:
    note: str = ""
    capture_result: str = ""
    recorded_on: dt.date | None = None
    recorded_by_officer: str = ""
    nik: str = ""
    kk: str = ""
    event_date: dt.date | None = None
    close_reason: str = ""


def _enter_data_verified(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    _guard_data_verified(subject)
    return []


def _enter_recorded(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    if not data.capture_result:
        raise ApplicationError(
            _("Pilih hasil perekaman Dukcapil."), field="capture_result"
        )
    subject.capture_result = data.capture_result
    subject.recorded_on = data.recorded_on or timezone.localdate()
    subject.recorded_by_officer = data.recorded_by_officer
    return []


def _enter_nik(
    subject: OdgjSubject, actor: User, data: TransitionData, *, issued: bool
) -> list[FollowUp]:
    nik, kk = normalize_number(data.nik), normalize_number(data.kk)
    try:
        info = parse_nik(nik)
        if kk or issued:
            parse_kk(kk)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field="nik") from exc
    subject.nik_result, subject.kk_result = nik, kk
    _apply_nik(subject, actor, nik, kk or None)
    follow_ups = [
        FollowUp(subject=subject, kind=FollowUp.Kind.PUSKESMAS),
        FollowUp(subject=subject, kind=FollowUp.Kind.BPJS),
    ]
    if not issued and info.regency_code != BALIKPAPAN_REGENCY:
        province, regency = region_name(info.regency_code)
        subject.origin_regency = regency or province or info.regency_code
        follow_ups.append(
            FollowUp(
                subject=subject,
                kind=FollowUp.Kind.ORIGIN,
                facility=subject.origin_regency,
            )
        )
    return follow_ups


def _enter_existing_nik(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    return _enter_nik(subject, actor, data, issued=False)


def _enter_nik_issued(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    return _enter_nik(subject, actor, data, issued=True)


def _enter_ktp_printed(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    subject.ktp_printed_on = data.event_date or timezone.localdate()
    return []


def _enter_ktp_delivered(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    subject.ktp_delivered_on = data.event_date or timezone.localdate()
    return []


def _enter_closed(
    subject: OdgjSubject, actor: User, data: TransitionData
) -> list[FollowUp]:
    if data.close_reason not in CloseReason.values:
        raise ApplicationError(_("Pilih alasan penutupan kasus."), field="close_reason")
    subject.close_reason = data.close_reason
    return []


# What entering each stage requires and does, in one place beside STAGE_WORKFLOW.
_ENTER_STAGE: dict[
    str, Callable[[OdgjSubject, User, TransitionData], list[FollowUp]]
] = {
    Stage.DATA_VERIFIED: _enter_data_verified,
    Stage.RECORDED: _enter_recorded,
    Stage.EXISTING_NIK_FOUND: _enter_existing_nik,
    Stage.NIK_ISSUED: _enter_nik_issued,
    Stage.KTP_PRINTED: _enter_ktp_printed,
    Stage.KTP_DELIVERED: _enter_ktp_delivered,
    Stage.CLOSED: _enter_closed,
}


@transaction.atomic
def odgj_case_transition(
    *, actor: User, subject: OdgjSubject, to_stage: str, **data: Any
) -> OdgjSubject:
    """Move a case to its next stage, with the data that stage needs. Illegal moves
    are refused with a clear message; every move is recorded with who, when, note."""
    require_role(actor, TRANSITION_ROLES)
    subject = _lock(subject)
    from_stage = subject.stage
    STAGE_WORKFLOW.check(from_stage, to_stage)
    details = TransitionData(**data)
    with actor_context(actor):
        follow_ups = _ENTER_STAGE[to_stage](subject, actor, details)
        subject.stage = to_stage
        subject.stage_changed_at = timezone.now()
        _touch(subject)
        subject.save()
        OdgjTransition.objects.create(
            subject=subject,
            from_state=from_stage,
            to_state=to_stage,
            actor=actor,
            note=details.note,
        )
        for follow_up in follow_ups:
            if not subject.follow_ups.filter(kind=follow_up.kind, done=False).exists():
                follow_up.save()
    return subject


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    follow_up: FollowUp,
    facility: str = "",
    visit_date: dt.date | None = None,
    next_appointment: dt.date | None = None,
    notes: str = "",
    done: bool = False,
    reference: str = "",
) -> FollowUp:
    require_role(actor, CASE_WORKER_ROLES)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.facility = facility or follow_up.facility
    follow_up.visit_date = visit_date or follow_up.visit_date
    follow_up.next_appointment = next_appointment
    follow_up.notes = notes or follow_up.notes
    follow_up.done = done
    follow_up.reference = reference or follow_up.reference
    with actor_context(actor):
        follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_add(
    *, actor: User, subject: OdgjSubject, kind: str, **fields: Any
) -> FollowUp:
    require_role(actor, CASE_WORKER_ROLES)
    with actor_context(actor):
        return FollowUp.objects.create(subject=subject, kind=kind, **fields)


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    planned_date: dt.date,
    place_type: str,
    place: str,
    kelurahan: Kelurahan,
    subjects: list[OdgjSubject],
    team: list[User] | None = None,
    external_team: str = "",
) -> OutreachVisit:
    require_role(actor, CASE_WORKER_ROLES | {Role.SUPERVISOR_DINSOS})
    with actor_context(actor):
        visit = OutreachVisit.objects.create(
            planned_date=planned_date,
            place_type=place_type,
            place=place,
            kelurahan=kelurahan,
            external_team=external_team,
            created_by=actor,
        )
        visit.team.set(team or [actor])
        VisitEncounter.objects.bulk_create(
            VisitEncounter(visit=visit, subject=s) for s in subjects
        )
    return visit


@transaction.atomic
def visit_record_encounter(
    *, actor: User, encounter: VisitEncounter, outcome: str, notes: str = ""
) -> VisitEncounter:
    require_role(actor, CASE_WORKER_ROLES)
    encounter = VisitEncounter.objects.select_for_update().get(pk=encounter.pk)
    if outcome not in VisitEncounter.Outcome.values:
        raise ApplicationError(_("Hasil kunjungan tidak dikenal."))
    encounter.outcome = outcome
    encounter.notes = notes
    encounter.recorded_at = timezone.now()
    with actor_context(actor):
        encounter.save()
        visit = encounter.visit
        if not visit.encounters.filter(outcome=VisitEncounter.Outcome.PENDING).exists():
            visit.status = OutreachVisit.Status.DONE
            visit.save(update_fields=["status"])
    return encounter
