"""The SKTM lifecycle: request → verification (Kasi Kesos) → issue (lurah's signature)
→ expiry or revocation. Every transition is recorded with who, when and a note."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.models import User
from core.permissions import require_role
from core.roles import COUNTER_ROLES, KELURAHAN_BOUND_ROLES, Role
from registry.models import (
    SKTM_WORKFLOW,
    Person,
    Sktm,
    SktmCounter,
    SktmDocument,
    SktmPurpose,
    SktmStatus,
    SktmTransition,
)

VERIFIER_ROLES = frozenset({Role.KOORDINATOR_PUSKESOS, Role.ADMIN})
REQUESTER_ROLES = COUNTER_ROLES


def _require_area(actor: User, sktm: Sktm) -> None:
    if actor.role in KELURAHAN_BOUND_ROLES and actor.kelurahan_id != sktm.kelurahan_id:
        raise ApplicationError(
            _("SKTM ini bukan dari kelurahan Anda."), code="forbidden"
        )


def _transition(
    sktm: Sktm, *, actor: User | None, to_state: str, note: str = ""
) -> None:
    SKTM_WORKFLOW.move(
        sktm,
        to=to_state,
        actor=actor,
        note=note,
        record=SktmTransition,
        owner_field="sktm",
    )


def _lock(sktm: Sktm) -> Sktm:
    locked: Sktm = (
        Sktm.objects.select_for_update().select_related("purpose").get(pk=sktm.pk)
    )
    return locked


@transaction.atomic
def sktm_request(
    *,
    actor: User,
    person: Person,
    purpose: SktmPurpose,
    pengantar_number: str,
    pengantar_date: dt.date,
    purpose_detail: str = "",
    documents: list[tuple[str, object]] | None = None,
    note: str = "",
) -> Sktm:
    require_role(actor, REQUESTER_ROLES, _("mengajukan SKTM"))
    if person.kelurahan_id is None:
        raise ApplicationError(
            _("Penduduk belum tercatat dalam keluarga di kelurahan.")
        )
    if (
        actor.role in KELURAHAN_BOUND_ROLES
        and actor.kelurahan_id != person.kelurahan_id
    ):
        raise ApplicationError(_("Penduduk ini bukan warga kelurahan Anda."))
    if person.is_deceased:
        raise ApplicationError(_("Penduduk tercatat telah meninggal dunia."))
    open_request = Sktm.objects.filter(
        person=person,
        purpose=purpose,
        status__in=[SktmStatus.REQUESTED, SktmStatus.VERIFIED],
    ).first()
    if open_request is not None:
        raise ApplicationError(
            _("Sudah ada permohonan SKTM untuk keperluan ini yang sedang diproses."),
            code="duplicate",
            extra={"sktm_public_id": str(open_request.public_id)},
        )
    sktm = Sktm(
        person=person,
        household_id=person.household_id,
        kelurahan_id=person.kelurahan_id,
        purpose=purpose,
        purpose_detail=purpose_detail,
        pengantar_number=pengantar_number,
        pengantar_date=pengantar_date,
        created_by=actor,
    )
    with actor_context(actor):
        sktm.save()
        SktmTransition.objects.create(
            sktm=sktm,
            from_state="",
            to_state=SktmStatus.REQUESTED,
            actor=actor,
            note=note,
        )
        for kind, file in documents or []:
            SktmDocument.objects.create(sktm=sktm, kind=kind, file=file)
    return sktm


@transaction.atomic
def sktm_verify(*, actor: User, sktm: Sktm, note: str = "") -> Sktm:
    require_role(actor, VERIFIER_ROLES, _("memverifikasi SKTM"))
    sktm = _lock(sktm)
    _require_area(actor, sktm)
    with actor_context(actor):
        _transition(sktm, actor=actor, to_state=SktmStatus.VERIFIED, note=note)
        sktm.save(update_fields=["status"])
    return sktm


@transaction.atomic
def sktm_reject(*, actor: User, sktm: Sktm, reason: str) -> Sktm:
    require_role(actor, VERIFIER_ROLES, _("menolak SKTM"))
    if not reason.strip():
        raise ApplicationError(_("Alasan penolakan wajib diisi."), field="reason")
    sktm = _lock(sktm)
    _require_area(actor, sktm)
    with actor_context(actor):
        _transition(sktm, actor=actor, to_state=SktmStatus.REJECTED, note=reason)
        sktm.rejection_reason = reason
        sktm.save(update_fields=["status", "rejection_reason"])
    return sktm


@transaction.atomic
def sktm_resubmit(*, actor: User, sktm: Sktm, note: str = "") -> Sktm:
    """A rejected request, corrected, goes back to the Kasi Kesos."""
    require_role(actor, REQUESTER_ROLES, _("mengajukan ulang SKTM"))
    sktm = _lock(sktm)
    _require_area(actor, sktm)
    with actor_context(actor):
        _transition(sktm, actor=actor, to_state=SktmStatus.REQUESTED, note=note)
        sktm.save(update_fields=["status"])
    return sktm


def _next_sequence(kelurahan_id: str, year: int) -> int:
    counter, _created = SktmCounter.objects.get_or_create(
        kelurahan_id=kelurahan_id, year=year
    )
    counter = SktmCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def sktm_format_number(sktm: Sktm) -> str:
    # Letter-number layout of the kelurahan [U]: "<seq>/SKTM/<kelurahan code>/<year>".
    return f"{sktm.sequence:04d}/SKTM/{sktm.kelurahan_id}/{sktm.year}"


@transaction.atomic
def sktm_issue(
    *,
    actor: User,
    sktm: Sktm,
    signed_by_name: str,
    signed_by_nip: str,
    issued_on: dt.date | None = None,
    note: str = "",
) -> Sktm:
    """Record the lurah's signature and issue the letter with the next number."""
    require_role(actor, VERIFIER_ROLES, _("menerbitkan SKTM"))
    if not signed_by_name.strip():
        raise ApplicationError(
            _("Nama lurah penandatangan wajib diisi."), field="signed_by_name"
        )
    sktm = _lock(sktm)
    _require_area(actor, sktm)
    SKTM_WORKFLOW.check(sktm.status, SktmStatus.ISSUED)
    issued_on = issued_on or timezone.localdate()
    with actor_context(actor):
        sktm.year = issued_on.year
        sktm.sequence = _next_sequence(sktm.kelurahan_id, issued_on.year)
        sktm.number = sktm_format_number(sktm)
        sktm.issued_on = issued_on
        sktm.valid_until = issued_on + dt.timedelta(days=sktm.purpose.validity_days)
        sktm.signed_by_name = signed_by_name
        sktm.signed_by_nip = signed_by_nip
        _transition(sktm, actor=actor, to_state=SktmStatus.ISSUED, note=note)
        sktm.save()
    return sktm


@transaction.atomic
def sktm_revoke(*, actor: User, sktm: Sktm, reason: str) -> Sktm:
    require_role(actor, VERIFIER_ROLES | {Role.SUPERVISOR_DINSOS}, _("mencabut SKTM"))
    if not reason.strip():
        raise ApplicationError(_("Alasan pencabutan wajib diisi."), field="reason")
    sktm = _lock(sktm)
    _require_area(actor, sktm)
    with actor_context(actor):
        _transition(sktm, actor=actor, to_state=SktmStatus.REVOKED, note=reason)
        sktm.revocation_reason = reason
        sktm.save(update_fields=["status", "revocation_reason"])
    return sktm


@transaction.atomic
def sktm_expire_due(*, today: dt.date | None = None) -> int:
    """Expire every issued SKTM whose last valid day is before `today` (Asia/Makassar).

    Set-based and idempotent: a second run finds nothing to do.
    """
    today = today or timezone.localdate()
    with in_official_language():
        note = _("Masa berlaku habis.")
    with actor_context(None, job="sktm_expire"):
        due = list(
            Sktm.objects.select_for_update(skip_locked=True)
            .filter(status=SktmStatus.ISSUED, valid_until__lt=today)
            .values_list("pk", "status")
        )
        SktmTransition.objects.bulk_create(
            SktmTransition(
                sktm_id=pk,
                from_state=status,
                to_state=SktmStatus.EXPIRED,
                note=note,
            )
            for pk, status in due
        )
        Sktm.objects.filter(pk__in=[pk for pk, _status in due]).update(
            status=SktmStatus.EXPIRED
        )
    return len(due)
