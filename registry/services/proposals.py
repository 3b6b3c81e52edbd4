"""Usulan DTKS/DTSEN: registration at the kelurahan → musyawarah kelurahan → Dinsos
verivali → sent to the centre → included (read from a later DTKS import) or not.
Every move is recorded with who, when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.models import User
from core.permissions import require_role
from core.roles import COUNTER_ROLES, KELURAHAN_BOUND_ROLES, Role
from registry.models import (
    DTKS_PROPOSAL_WORKFLOW,
    OPEN_PROPOSAL_STATES,
    DtksEntry,
    DtksImportBatch,
    DtksProposal,
    DtksProposalStatus,
    DtksProposalTransition,
    Household,
    VerivaliResult,
)

REGISTRAR_ROLES = COUNTER_ROLES
MUSKEL_ROLES = frozenset({Role.KOORDINATOR_PUSKESOS, Role.ADMIN})
VERIVALI_ROLES = frozenset({Role.VERIFIKATOR_DINSOS, Role.ADMIN})
SENDER_ROLES = frozenset({Role.VERIFIKATOR_DINSOS, Role.SUPERVISOR_DINSOS, Role.ADMIN})


def _require_area(actor: User, kelurahan_id: str | None) -> None:
    if actor.role in KELURAHAN_BOUND_ROLES and actor.kelurahan_id != kelurahan_id:
        raise ApplicationError(
            _("Keluarga ini bukan warga kelurahan Anda."), code="forbidden"
        )


def _lock(proposal: DtksProposal) -> DtksProposal:
    locked: DtksProposal = DtksProposal.objects.select_for_update().get(pk=proposal.pk)
    return locked


def _move(
    proposal: DtksProposal, *, actor: User | None, to: str, note: str = ""
) -> None:
    DTKS_PROPOSAL_WORKFLOW.move(
        proposal,
        to=to,
        actor=actor,
        note=note,
        record=DtksProposalTransition,
        owner_field="proposal",
    )


def _move_all(
    proposals: list[DtksProposal],
    *,
    actor: User | None,
    to: str,
    note: str,
    **fields: object,
) -> None:
    """Move locked proposals together: every move checked, recorded in one insert,
    the rows updated in one statement."""
    DTKS_PROPOSAL_WORKFLOW.move_many(
        proposals,
        to=to,
        actor=actor,
        record=DtksProposalTransition,
        owner_field="proposal",
        notes=[note] * len(proposals),
    )
    DtksProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=to, **fields
    )


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ApplicationError(message, field=field)
    return value.strip()


@transaction.atomic
def dtks_proposal_register(
    *, actor: User, household: Household, reason: str
) -> DtksProposal:
    """Register a household that is not in DTKS as a candidate for it."""
    require_role(actor, REGISTRAR_ROLES, _("mendaftarkan usulan DTKS"))
    reason = _required(reason, "reason", _("Alasan usulan wajib diisi."))
    # The household's row serialises two registrations of it made at once.
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require_area(actor, household.kelurahan_id)
    if DtksEntry.objects.filter(person__household=household, active=True).exists():
        raise ApplicationError(
            _("Anggota keluarga ini sudah terdaftar aktif di DTKS."),
            code="already_in_dtks",
        )
    if not household.members.filter(is_deceased=False).exists():
        raise ApplicationError(_("Keluarga ini belum mempunyai anggota yang hidup."))
    open_proposal = DtksProposal.objects.filter(
        household=household, status__in=OPEN_PROPOSAL_STATES
    ).first()
    if open_proposal is not None:
        raise ApplicationError(
            _("Keluarga ini sudah diusulkan dan usulannya masih diproses."),
            code="duplicate",
            extra={"proposal_public_id": str(open_proposal.public_id)},
        )
    proposal = DtksProposal(
        household=household,
        kelurahan_id=household.kelurahan_id,
        reason=reason,
        created_by=actor,
    )
    with actor_context(actor):
        proposal.save()
        DtksProposalTransition.objects.create(
            proposal=proposal,
            from_state="",
            to_state=DtksProposalStatus.REGISTERED,
            actor=actor,
        )
    return proposal


@transaction.atomic
def dtks_proposal_record_muskel(
    *,
    actor: User,
    proposal: DtksProposal,
    agreed: bool,
    muskel_date: dt.date,
    muskel_reference: str,
    note: str = "",
) -> DtksProposal:
    """Record the musyawarah kelurahan's decision and its berita acara."""
    require_role(actor, MUSKEL_ROLES, _("mencatat hasil musyawarah kelurahan"))
    reference = _required(
        muskel_reference,
        "muskel_reference",
        _("Nomor berita acara musyawarah wajib diisi."),
    )
    if not agreed:
        note = _required(note, "note", _("Alasan penolakan wajib diisi."))
    proposal = _lock(proposal)
    _require_area(actor, proposal.kelurahan_id)
    with actor_context(actor):
        _move(
            proposal,
            actor=actor,
            to=DtksProposalStatus.AGREED if agreed else DtksProposalStatus.REJECTED,
            note=note,
        )
        proposal.muskel_date = muskel_date
        proposal.muskel_reference = reference
        if not agreed:
            proposal.decision_note = note
        proposal.save()
    return proposal


@transaction.atomic
def dtks_proposal_record_verivali(
    *,
    actor: User,
    proposal: DtksProposal,
    visited_on: dt.date,
    result: str,
    note: str = "",
) -> DtksProposal:
    """Record Dinsos's home visit: a household found goes on, any other outcome of
    the verivali form ends the proposal with that outcome as the reason."""
    require_role(actor, VERIVALI_ROLES, _("mencatat hasil verivali"))
    if result not in VerivaliResult.values:
        raise ApplicationError(_("Hasil verivali tidak dikenal."), field="result")
    proposal = _lock(proposal)
    found = result == VerivaliResult.DONE
    with in_official_language():
        outcome = str(VerivaliResult(result).label)
    with actor_context(actor):
        _move(
            proposal,
            actor=actor,
            to=DtksProposalStatus.VERIFIED if found else DtksProposalStatus.REJECTED,
            note=f"{outcome}. {note}".strip() if note else outcome,
        )
        proposal.verivali_date = visited_on
        proposal.verivali_result = result
        if not found:
            proposal.decision_note = note or outcome
        proposal.save()
    return proposal


@transaction.atomic
def dtks_proposals_submit(
    *, actor: User, proposals: Iterable[DtksProposal], period: dt.date
) -> int:
    """Mark verified proposals as sent to the centre (SIKS-NG / DTSEN) for a month,
    after their file was uploaded there. Proposals already sent are left alone, so
    sending the same list twice changes nothing."""
    require_role(actor, SENDER_ROLES, _("mengirim usulan DTKS"))
    period = period.replace(day=1)
    locked = list(
        DtksProposal.objects.select_for_update()
        .filter(pk__in=[p.pk for p in proposals], status=DtksProposalStatus.VERIFIED)
        .order_by("pk")
    )
    with in_official_language():
        note = _("Dikirim untuk periode %(p)s") % {"p": f"{period:%m-%Y}"}
    with actor_context(actor):
        _move_all(
            locked,
            actor=actor,
            to=DtksProposalStatus.SUBMITTED,
            note=note,
            submitted_period=period,
        )
    return len(locked)


@transaction.atomic
def dtks_proposal_conclude(
    *, actor: User, proposal: DtksProposal, included: bool, note: str = ""
) -> DtksProposal:
    """Record the outcome of a proposal sent in, when the snapshot has not told it
    (a household not listed after the period it was sent for, say)."""
    require_role(actor, SENDER_ROLES, _("mencatat hasil usulan DTKS"))
    if not included:
        note = _required(note, "note", _("Keterangan wajib diisi."))
    proposal = _lock(proposal)
    if proposal.status != DtksProposalStatus.SUBMITTED:
        raise ApplicationError(_("Hanya usulan yang sudah dikirim yang dapat diputus."))
    with actor_context(actor):
        _move(
            proposal,
            actor=actor,
            to=DtksProposalStatus.INCLUDED
            if included
            else DtksProposalStatus.NOT_INCLUDED,
            note=note,
        )
        proposal.decision_note = note
        proposal.save()
    return proposal


@transaction.atomic
def dtks_proposal_cancel(
    *, actor: User, proposal: DtksProposal, reason: str
) -> DtksProposal:
    require_role(actor, REGISTRAR_ROLES, _("membatalkan usulan DTKS"))
    reason = _required(reason, "reason", _("Alasan pembatalan wajib diisi."))
    proposal = _lock(proposal)
    _require_area(actor, proposal.kelurahan_id)
    with actor_context(actor):
        _move(proposal, actor=actor, to=DtksProposalStatus.CANCELLED, note=reason)
        proposal.decision_note = reason
        proposal.save()
    return proposal


def dtks_proposals_included_by(*, batch: DtksImportBatch, actor: User | None) -> int:
    """Close every open proposal whose household has a member active in DTKS, as a
    committed import leaves it: part of that import's transaction, set-based (a
    handful of proposals against the entries' person index)."""
    member_in_dtks = DtksEntry.objects.filter(
        person__household_id=OuterRef("household_id"), active=True
    )
    included = list(
        DtksProposal.objects.select_for_update()
        .filter(Exists(member_in_dtks), status__in=OPEN_PROPOSAL_STATES)
        .order_by("pk")
    )
    if not included:
        return 0
    with in_official_language():
        note = _("Tercantum dalam data DTKS periode %(p)s.") % {
            "p": f"{batch.period:%m-%Y}"
        }
    _move_all(included, actor=actor, to=DtksProposalStatus.INCLUDED, note=note)
    return len(included)
