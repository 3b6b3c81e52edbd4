"""Removal of participants with due process: proposal → supervisor approval and
notice to the citizen → response window (objection) → effective. Death is effective
at once. The scheduled re-verification job proposes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpjs.models import (
    OPEN_REMOVAL_STATUSES,
    REMOVAL_WORKFLOW,
    Coverage,
    RemovalProposal,
    RemovalReason,
    RemovalStatus,
    RemovalTransition,
)
from bpjs.notify import notify_citizen
from core.audit import actor_context
from core.documents import in_official_language
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
    _end_coverages([(proposal, effective)], actor, note)


def _end_coverages(
    ending: Sequence[tuple[RemovalProposal, dt.date]], actor: User | None, note: str
) -> None:
    """Make removals effective and end their coverages, each on its own date."""
    if not ending:
        return
    proposals = [proposal for proposal, _effective in ending]
    REMOVAL_WORKFLOW.move_many(
        proposals,
        to=RemovalStatus.EFFECTIVE,
        actor=actor,
        record=RemovalTransition,
        owner_field="proposal",
        notes=[note] * len(proposals),
    )
    for proposal, effective in ending:
        proposal.effective_date = effective
    RemovalProposal.objects.bulk_update(proposals, ["status", "effective_date"])
    Coverage.objects.bulk_update(
        [
            Coverage(pk=proposal.coverage_id, active=False, end_date=effective)
            for proposal, effective in ending
        ],
        ["active", "end_date"],
    )


@dataclass(frozen=True)
class RemovalFinding:
    """Why a coverage should end, as found by a check (the re-verification job)."""

    coverage_id: int
    reason: str
    evidence: str = ""
    effective_date: dt.date | None = None  # a death: the date of death


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
    opened = removals_propose(
        actor=actor,
        findings=[RemovalFinding(coverage.pk, reason, evidence, effective_date)],
    )
    if opened:
        return opened[0]
    existing = RemovalProposal.objects.filter(
        coverage_id=coverage.pk, status__in=OPEN_REMOVAL_STATUSES
    ).first()
    return existing or RemovalProposal.objects.filter(coverage_id=coverage.pk).first()  # type: ignore[return-value]


@transaction.atomic
def removals_propose(
    *, actor: User | None, findings: Sequence[RemovalFinding]
) -> list[RemovalProposal]:
    """Open removals for many coverages in a few statements (the re-verification
    job proposes a chunk at a time; one at a time cost 8 ms each, bench/jobs.py).

    Idempotent: a coverage no longer active or with a removal already open is
    skipped. A death takes effect at once, on the date of death or today.
    """
    require_role(actor, PROPOSER_ROLES)
    ids = [finding.coverage_id for finding in findings]
    active = set(
        Coverage.objects.select_for_update()
        .filter(pk__in=ids, active=True)
        .values_list("pk", flat=True)
    )
    already_open = set(
        RemovalProposal.objects.filter(
            coverage_id__in=ids, status__in=OPEN_REMOVAL_STATUSES
        ).values_list("coverage_id", flat=True)
    )
    to_open: dict[int, RemovalFinding] = {}
    for finding in findings:
        if finding.coverage_id in active and finding.coverage_id not in already_open:
            to_open.setdefault(finding.coverage_id, finding)
    if not to_open:
        return []
    with actor_context(actor, job=None if actor else "bpjs_reverify"):
        proposals = RemovalProposal.objects.bulk_create(
            [
                RemovalProposal(
                    coverage_id=finding.coverage_id,
                    reason=finding.reason,
                    evidence=finding.evidence,
                    proposed_by=actor,
                )
                for finding in to_open.values()
            ]
        )
        RemovalTransition.objects.bulk_create(
            [
                RemovalTransition(
                    proposal=proposal,
                    from_state="",
                    to_state=RemovalStatus.PROPOSED,
                    actor=actor,
                    note=proposal.evidence,
                )
                for proposal in proposals
            ]
        )
        today = timezone.localdate()
        _end_coverages(
            [
                (proposal, to_open[proposal.coverage_id].effective_date or today)
                for proposal in proposals
                if proposal.reason == RemovalReason.DECEASED
            ],
            actor,
            _("Meninggal dunia: berlaku langsung."),
        )
    return proposals


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
        person_id = proposal.coverage.person_id
        transaction.on_commit(lambda: _notify_removal(proposal, person_id=person_id))
    return proposal


def _notify_removal(proposal: RemovalProposal, *, person_id: int) -> None:
    # A letter from the city to a resident: in Bahasa Indonesia whatever the language
    # of the supervisor's screen.
    with in_official_language():
        notify_citizen(
            person_id=person_id,
            subject=str(_("Pemberitahuan rencana penghapusan peserta BPJS PBPU Pemda")),
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
        _end_coverages(
            [(proposal, today) for proposal in due],
            None,
            _("Masa sanggah berakhir tanpa sanggahan."),
        )
    return len(due)
