"""BPJS data-update jobs: re-verification of participants, monthly statement,
finalising removals whose response window closed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpjs.models import OPEN_REMOVAL_STATUSES, Coverage, RemovalReason, Segment
from bpjs.services.premiums import statement_build
from bpjs.services.removals import (
    RemovalFinding,
    removal_finalize_due,
    removals_propose,
)
from core.jobs import JobContext, register_job
from registry.models import DomicileStatus


def _reason(coverage: Coverage, other_payer: bool) -> tuple[str, str]:
    person = coverage.person
    if person.is_deceased:
        return RemovalReason.DECEASED, _("Tercatat meninggal dunia di registri.")
    if person.domicile_status == DomicileStatus.MOVED_OUT:
        return RemovalReason.MOVED_OUT, _("Tercatat pindah ke luar Balikpapan.")
    if other_payer:
        return RemovalReason.OTHER_PAYER, _("Sudah aktif di segmen JKN lain (PBI/PPU).")
    return RemovalReason.EMPLOYED, _("Tercatat sebagai pekerja formal (PPU).")


@register_job("bpjs_reverify", label=gettext_lazy("Verifikasi ulang peserta BPJS"))
def bpjs_reverify(ctx: JobContext) -> None:
    """Every active PBPU Pemda participant against the registry (deaths, moves out,
    formal work, another active payer recorded from BPJS data), producing removal
    proposals through the due-process service."""
    active = Coverage.objects.filter(segment=Segment.PBPU_PEMDA, active=True)
    other_payer = Exists(
        Coverage.objects.filter(person_id=OuterRef("person_id"), active=True).exclude(
            segment=Segment.PBPU_PEMDA
        )
    )
    flagged = (
        Q(person__is_deceased=True)
        | Q(person__domicile_status=DomicileStatus.MOVED_OUT)
        | Q(person__formally_employed=True)
        | Q(other_payer=True)
    )
    for pks in ctx.chunks(active, chunk_size=int(ctx.params.get("chunk_size", 5000))):
        with transaction.atomic():
            report: dict[str, int] = {}
            changed = 0
            candidates = (
                Coverage.objects.filter(pk__in=pks, active=True)
                .annotate(other_payer=other_payer)
                .filter(flagged)
                .select_related("person")
                .filter(~Q(removals__status__in=OPEN_REMOVAL_STATUSES))
            )
            findings = []
            for coverage in candidates:
                reason, evidence = _reason(coverage, coverage.other_payer)
                findings.append(
                    RemovalFinding(
                        coverage.pk, reason, evidence, coverage.person.deceased_on
                    )
                )
            for proposal in removals_propose(actor=None, findings=findings):
                report[proposal.reason] = report.get(proposal.reason, 0) + 1
                changed += 1
            if ctx.params.get(
                "sleep_per_chunk"
            ):  # for the worker-kill integration test
                import time

                time.sleep(float(ctx.params["sleep_per_chunk"]))
            ctx.commit_chunk(pks, examined=len(pks), changed=changed, report=report)


@register_job("bpjs_monthly_statement", label=gettext_lazy("Rekap iuran BPJS bulanan"))
def bpjs_monthly_statement(ctx: JobContext) -> None:
    month = timezone.localdate().replace(day=1)
    lines = statement_build(month=month)
    ctx.add(examined=len(lines), changed=len(lines))


@register_job(
    "bpjs_removal_finalize",
    label=gettext_lazy("Penghapusan peserta BPJS yang jatuh tempo"),
)
def bpjs_removal_finalize(ctx: JobContext) -> None:
    ctx.add(changed=removal_finalize_due())
