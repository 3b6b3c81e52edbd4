"""Every write of the Puskesos counter: intake (staff or online), the case state
machine, referrals into the other apps' workflows or to external agencies, TRC."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpjs.models import HealthFacility
from bpjs.services.applications import application_submit
from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.identity import normalize_number, parse_kk, parse_nik
from core.models import Kelurahan, User
from core.permissions import require_role
from core.roles import COUNTER_ROLES, KELURAHAN_BOUND_ROLES, Role
from odgj.models import LegalBasis, PlaceType, ReporterType
from odgj.services import odgj_subject_create
from puskesos.models import (
    CASE_WORKFLOW,
    OPEN_CASE_STATUSES,
    Agency,
    Case,
    CaseStatus,
    CaseTransition,
    NeedCategory,
    Referral,
    TrcDispatch,
)
from puskesos.sla import due_date
from registry.eligibility import eligibility_for_person
from registry.models import Person, SktmPurpose
from registry.services.proposals import dtks_proposal_register
from registry.services.sktm import sktm_request

STAFF_ROLES = COUNTER_ROLES
DECIDER_ROLES = frozenset({Role.KOORDINATOR_PUSKESOS, Role.ADMIN})


def _require_area(actor: User, case: Case) -> None:
    if actor.role in KELURAHAN_BOUND_ROLES and actor.kelurahan_id != case.kelurahan_id:
        raise ApplicationError(
            _("Kasus ini bukan dari kelurahan Anda."), code="forbidden"
        )


def _open_duplicate(nik: str, need: NeedCategory) -> Case | None:
    if not nik:
        return None
    return Case.objects.filter(
        nik=nik, need=need, status__in=OPEN_CASE_STATUSES
    ).first()


def _record(case: Case, *, actor: User | None, to: str, note: str = "") -> None:
    CaseTransition.objects.create(
        case=case, from_state="", to_state=to, actor=actor, note=note
    )


@transaction.atomic
def case_intake(
    *,
    actor: User | None,
    kelurahan: Kelurahan,
    need: NeedCategory,
    request_type: str,
    description: str,
    person: Person | None = None,
    applicant_name: str = "",
    nik: str = "",
    kk_number: str = "",
    phone: str = "",
    complaint_class: str = "normatif",
    urgent: bool | None = None,
    channel: str = Case.Channel.COUNTER,
) -> tuple[Case, bool]:
    """Register a request. Returns (case, created): a second request with the same NIK
    and need while one is open is linked to that case, not duplicated."""
    if actor is not None:
        require_role(actor, STAFF_ROLES)
        if actor.role in KELURAHAN_BOUND_ROLES and actor.kelurahan_id != kelurahan.pk:
            raise ApplicationError(
                _("Anda hanya melayani warga kelurahan Anda sendiri.")
            )
    nik = normalize_number(nik or (person.nik if person else "") or "")
    kk_number = normalize_number(kk_number or "")
    if nik:
        parse_nik(nik)
    if kk_number:
        parse_kk(kk_number)
    if person is None and nik:
        person = Person.objects.filter(nik=nik).first()
    # Lock on the NIK so two simultaneous submissions cannot both create a case.
    if nik:
        Case.objects.select_for_update().filter(nik=nik, need=need).exists()
    duplicate = _open_duplicate(nik, need)
    if duplicate is not None:
        with in_official_language():
            note = _("Permohonan yang sama diterima lagi (%(c)s): digabung.") % {
                "c": dict(Case.Channel.choices)[channel]
            }
        with actor_context(actor):
            CaseTransition.objects.create(
                case=duplicate,
                from_state=duplicate.status,
                to_state=duplicate.status,
                actor=actor,
                note=note,
            )
        return duplicate, False
    # The answer as it stood at intake, kept in the official language like every
    # text the system writes into a record.
    with in_official_language():
        evidence = eligibility_for_person(person=person).as_evidence() if person else {}
    case = Case(
        kelurahan=kelurahan,
        person=person,
        applicant_name=applicant_name or (person.name if person else ""),
        nik=nik,
        kk_number=kk_number
        or (person.household.kk_number or "" if person and person.household else ""),
        phone=phone,
        channel=channel,
        request_type=request_type,
        need=need,
        description=description,
        complaint_class=complaint_class,
        urgent=need.urgent_by_default if urgent is None else urgent,
        sla_due=due_date(complaint_class),
        eligibility_evidence=evidence,
        assignee=actor,
    )
    if not case.applicant_name:
        raise ApplicationError(_("Nama pemohon wajib diisi."), field="applicant_name")
    with in_official_language():
        channel_label = str(Case.Channel(channel).label)
    with actor_context(actor):
        case.save()
        _record(case, actor=actor, to=CaseStatus.RECEIVED, note=channel_label)
        if case.urgent:
            TrcDispatch.objects.create(case=case)
    return case, True


def _lock(case: Case) -> Case:
    locked: Case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("need", "person")
        .get(pk=case.pk)
    )
    return locked


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, to: str, note: str = "", service_decision: str = ""
) -> Case:
    require_role(actor, STAFF_ROLES)
    case = _lock(case)
    _require_area(actor, case)
    if to == CaseStatus.SERVICE_DECIDED:
        require_role(actor, DECIDER_ROLES)
        if not service_decision.strip():
            raise ApplicationError(
                _("Tuliskan layanan yang ditetapkan."), field="service_decision"
            )
        case.service_decision = service_decision
    if to in (CaseStatus.REJECTED, CaseStatus.UNREACHABLE) and not note.strip():
        raise ApplicationError(_("Tuliskan alasannya."), field="note")
    with actor_context(actor):
        CASE_WORKFLOW.move(
            case,
            to=to,
            actor=actor,
            note=note,
            record=CaseTransition,
            owner_field="case",
        )
        if to == CaseStatus.RESOLVED:
            case.resolved_at = timezone.now()
        case.save()
    return case


@transaction.atomic
def case_refer(
    *,
    actor: User,
    case: Case,
    agency: Agency | None = None,
    internal_flow: str = "",
    note: str = "",
    **flow_data: Any,
) -> Referral:
    """Refer a case: to an internal workflow (created pre-filled from the intake) or to
    an external agency (a printable letter with a signed QR closes the loop)."""
    require_role(actor, STAFF_ROLES)
    case = _lock(case)
    _require_area(actor, case)
    if case.status not in (CaseStatus.SERVICE_DECIDED, CaseStatus.REFERRED):
        raise ApplicationError(_("Tetapkan layanan dulu sebelum merujuk."))
    if not agency and not internal_flow:
        raise ApplicationError(_("Pilih tujuan rujukan."))
    target_id = None
    with actor_context(actor):
        if internal_flow:
            target_id = _start_internal(actor, case, internal_flow, flow_data)
        referral = Referral.objects.create(
            case=case,
            agency=agency,
            internal_flow=internal_flow,
            target_public_id=target_id,
            note=note,
            created_by=actor,
            status=Referral.Status.IN_PROGRESS
            if internal_flow
            else Referral.Status.PENDING,
        )
        if case.status != CaseStatus.REFERRED:
            with in_official_language():
                referred_to = str(referral)
            CaseTransition.objects.create(
                case=case,
                from_state=case.status,
                to_state=CaseStatus.REFERRED,
                actor=actor,
                note=referred_to,
            )
            case.status = CaseStatus.REFERRED
            case.save(update_fields=["status"])
    return referral


def _start_internal(actor: User, case: Case, flow: str, data: dict[str, Any]) -> Any:
    if flow == NeedCategory.Internal.ODGJ:
        subject = odgj_subject_create(
            actor=actor,
            alias=data.get("alias") or case.applicant_name,
            sex=data.get("sex", "L"),
            found_place=data.get("found_place") or case.description[:255],
            found_place_type=data.get("found_place_type", PlaceType.STREET),
            kelurahan=case.kelurahan,
            reporter_type=ReporterType.PUSKESOS,
            reporter_reference=case.ticket_code,
            legal_basis=LegalBasis.VITAL_INTEREST,
            condition_notes=case.description,
        )
        return subject.public_id
    if case.person is None:
        raise ApplicationError(
            _("Hubungkan pemohon dengan data penduduk di registri dulu.")
        )
    if flow == NeedCategory.Internal.SKTM:
        with in_official_language():
            note = _("Rujukan dari tiket Puskesos %(t)s") % {"t": case.ticket_code}
        sktm = sktm_request(
            actor=actor,
            person=case.person,
            purpose=data.get("purpose") or SktmPurpose.objects.get(code="kesehatan"),
            purpose_detail=data.get("purpose_detail", ""),
            pengantar_number=data.get("pengantar_number") or case.ticket_code,
            pengantar_date=data.get("pengantar_date") or timezone.localdate(),
            note=note,
        )
        return sktm.public_id
    if flow == NeedCategory.Internal.DTKS:
        if case.person.household is None:
            raise ApplicationError(_("Penduduk belum tercatat dalam keluarga."))
        with in_official_language():
            reason = case.description or _("Rujukan dari tiket Puskesos %(t)s") % {
                "t": case.ticket_code
            }
        proposal = dtks_proposal_register(
            actor=actor, household=case.person.household, reason=reason
        )
        return proposal.public_id
    if flow == NeedCategory.Internal.BPJS:
        facility = (
            data.get("facility") or HealthFacility.objects.filter(active=True).first()
        )
        if facility is None:
            raise ApplicationError(_("Belum ada faskes tingkat 1 aktif."))
        application = application_submit(
            actor=actor, person=case.person, facility=facility
        )
        return application.public_id
    raise ApplicationError(_("Alur internal tidak dikenal."))


@transaction.atomic
def referral_update_by_receiver(
    *, referral: Referral, status: str, note: str = ""
) -> Referral:
    """The receiving counter (no account) marks a referral received, then served."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    allowed: dict[str, set[str]] = {
        Referral.Status.PENDING: {Referral.Status.ACCEPTED, Referral.Status.REJECTED},
        Referral.Status.ACCEPTED: {Referral.Status.DONE, Referral.Status.IN_PROGRESS},
        Referral.Status.IN_PROGRESS: {Referral.Status.DONE},
    }
    if status not in allowed.get(referral.status, set()):
        raise ApplicationError(_("Status rujukan tidak dapat diubah ke tahap itu."))
    with in_official_language():
        transition_note = _("Rujukan ke %(a)s: %(s)s") % {
            "a": referral,
            "s": referral.get_status_display(),
        }
    with actor_context(None, channel="rujukan_qr"):
        referral.status = status
        referral.note = (referral.note + "\n" + note).strip() if note else referral.note
        referral.updated_at = timezone.now()
        referral.save()
        CaseTransition.objects.create(
            case=referral.case,
            from_state=referral.case.status,
            to_state=referral.case.status,
            note=transition_note,
        )
    return referral


@transaction.atomic
def trc_arrived(*, actor: User, case: Case, note: str = "") -> TrcDispatch:
    require_role(
        actor, STAFF_ROLES | {Role.PEKERJA_SOSIAL_ODGJ, Role.SUPERVISOR_DINSOS}
    )
    dispatch = TrcDispatch.objects.select_for_update().get(case=case)
    if dispatch.arrived_at is None:
        dispatch.arrived_at = timezone.now()
        dispatch.note = note
        dispatch.save()
    return dispatch


def trc_response_minutes(dispatch: TrcDispatch) -> float | None:
    if dispatch.arrived_at is None:
        return None
    delta: dt.timedelta = dispatch.arrived_at - dispatch.dispatched_at
    return round(delta.total_seconds() / 60, 1)
