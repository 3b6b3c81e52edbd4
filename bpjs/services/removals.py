"""Removal of participants with due process: proposal → supervisor approval and
notice to the citizen → response window (objection) → effective. Death is effective
at once. The scheduled re-verification job proposes through here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpjs.models import (
    REMOVAL_WORKFLOW,
    Coverage,
    RemovalProposal,
    RemovalReason,
    RemovalStatus,
    RemovalTransition,
)
from bpjs.notify import notify_citizen
from core.audit import actor_context
from core.exceptions import ApplicationError
from core.models import User
from core.permissions import require_role
from core.roles import KELURAHAN_BOUND_ROLES, SUPERVISOR_ROLES, Role

PROPOSER_ROLES = SUPERVISOR_ROLES | {Role.VERIFIKATOR_DINSOS}
OBJECTION_ROLES = KELURAHAN_BOUND_ROLES | SUPERVISOR_ROLES


def response_window_days() -> int:
    # Days the citizen has to object [U: not set by regulation; Dinsos policy].
    return int(getattr(settings, "BPJS_REMOVAL_RESPONSE_DAYS", 14))


def _move(
    proposal: RemovalProposal, *, actor: User | None, to: str, note: str = ""
) -> None:
    REMOVAL_WORKFLOW.move(
        proposal,
        to=to,
        actor=actor,
        note=note,
        record=RemovalTransition,
        owner_field="proposal",
    )


def _end_coverage(
    proposal: RemovalProposal, effective: dt.date, actor: User | None, note: str
) -> None:
    _move(proposal, actor=actor, to=RemovalStatus.EFFECTIVE, note=note)
    proposal.effective_date = effective
    proposal.save()
    Coverage.objects.filter(pk=proposal.coverage_id).update(
        active=False, end_date=effective
    )


@transaction.atomic
def removal_propose(
    *,
    actor: User | None,
    coverage: Coverage,
    reason: str,
    evidence: str = "",
    effective_date: dt.date | None = None,
) -> RemovalProposal:
    """Open a removal (idempotent: an open one for the same coverage is returned)."""
    require_role(actor, PROPOSER_ROLES)
    coverage = Coverage.objects.select_for_update().get(pk=coverage.pk)
    existing = RemovalProposal.objects.filter(
        coverage=coverage,
        status__in=[
            RemovalStatus.PROPOSED,
            RemovalStatus.NOTIFIED,
            RemovalStatus.OBJECTED,
        ],
    ).first()
    if existing is not None or not coverage.active:
        return existing or RemovalProposal.objects.filter(coverage=coverage).first()  # type: ignore[return-value]
    with actor_context(actor, job=None if actor else "bpjs_reverify"):
        proposal = RemovalProposal.objects.create(
            coverage=coverage, reason=reason, evidence=evidence, proposed_by=actor
        )
        RemovalTransition.objects.create(
            proposal=proposal,
            from_state="",
            to_state=RemovalStatus.PROPOSED,
            actor=actor,
            note=evidence,
        )
        if reason == RemovalReason.DECEASED:
            _end_coverage(
                proposal,
                effective_date or timezone.localdate(),
                actor,
                _("Meninggal dunia: berlaku langsung."),
            )
    return proposal


def _lock(proposal: RemovalProposal) -> RemovalProposal:
    locked: RemovalProposal = (
        RemovalProposal.objects.select_for_update()
        .select_related("coverage__person")
        .get(pk=proposal.pk)
    )
    return locked


@transaction.atomic
def removal_approve(
    *, actor: User, proposal: RemovalProposal, note: str = ""
) -> RemovalProposal:
    """Supervisor approves; the citizen is notified and the response window opens."""
    require_role(actor, SUPERVISOR_ROLES)
    proposal = _lock(proposal)
    today = timezone.localdate()
    with actor_context(actor):
        _move(proposal, actor=actor, to=RemovalStatus.NOTIFIED, note=note)
        proposal.notified_at = timezone.now()
        proposal.response_deadline = today + dt.timedelta(days=response_window_days())
        proposal.save()
        person = proposal.coverage.person
        transaction.on_commit(
            lambda: notify_citizen(
                person_id=person.pk,
                subject=str(
                    _("Pemberitahuan rencana penghapusan peserta BPJS PBPU Pemda")
                ),
                body=str(
                    _(
                        "Kepesertaan BPJS Kesehatan Anda yang dibayar Pemkot akan dihentikan "
                        "karena: %(r)s. Anda dapat menyampaikan sanggahan di kantor "
                        "kelurahan sampai %(d)s."
                    )
                    % {
                        "r": proposal.get_reason_display(),
                        "d": f"{proposal.response_deadline:%d-%m-%Y}",
                    }
                ),
            )
        )
    return proposal


@transaction.atomic
def removal_object(
    *, actor: User, proposal: RemovalProposal, objection: str
) -> RemovalProposal:
    """The kelurahan records the citizen's objection within the window."""
    require_role(actor, OBJECTION_ROLES)
    proposal = _lock(proposal)
    if actor.role in KELURAHAN_BOUND_ROLES and (
        proposal.coverage.person.kelurahan_id != actor.kelurahan_id
    ):
        raise ApplicationError(_("Peserta ini bukan warga kelurahan Anda."))
    if not objection.strip():
        raise ApplicationError(_("Isi sanggahan wajib diisi."), field="objection")
    if proposal.response_deadline and timezone.localdate() > proposal.response_deadline:
        raise ApplicationError(_("Masa sanggah sudah berakhir."))
    with actor_context(actor):
        _move(proposal, actor=actor, to=RemovalStatus.OBJECTED, note=objection)
        proposal.objection = objection
        proposal.save()
    return proposal


@transaction.atomic
def removal_decide_objection(
    *, actor: User, proposal: RemovalProposal, upheld: bool, note: str = ""
) -> RemovalProposal:
    """Objection upheld: the participant stays. Rejected: the removal takes effect."""
    require_role(actor, SUPERVISOR_ROLES)
    proposal = _lock(proposal)
    with actor_context(actor):
        if upheld:
            _move(proposal, actor=actor, to=RemovalStatus.CANCELLED, note=note)
            proposal.save()
        else:
            _end_coverage(proposal, timezone.localdate(), actor, note)
    return proposal


@transaction.atomic
def removal_cancel(
    *, actor: User, proposal: RemovalProposal, note: str
) -> RemovalProposal:
    require_role(actor, SUPERVISOR_ROLES)
    proposal = _lock(proposal)
    with actor_context(actor):
        _move(proposal, actor=actor, to=RemovalStatus.CANCELLED, note=note)
        proposal.save()
    return proposal


@transaction.atomic
def removal_finalize_due(*, today: dt.date | None = None) -> int:
    """Make effective every notified removal whose window closed with no objection."""
    today = today or timezone.localdate()
    due = list(
        RemovalProposal.objects.select_for_update(skip_locked=True).filter(
            status=RemovalStatus.NOTIFIED, response_deadline__lt=today
        )
    )
    with actor_context(None, job="bpjs_removal_finalize"):
        for proposal in due:
            _end_coverage(
                proposal, today, None, _("Masa sanggah berakhir tanpa sanggahan.")
            )
    return len(due)
