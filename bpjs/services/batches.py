"""Monthly proposal batches to BPJS: build, export in BPJS's layout, record the answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from bpjs.layout import export_rows
from bpjs.models import Application, AppStatus, Coverage, ProposalBatch
from bpjs.services.applications import (
    VERIFIER_ROLES,
    _transition_many,
    activate_many,
)
from core.audit import actor_context
from core.documents import in_official_language
from core.exceptions import ApplicationError
from core.identity import is_digits, normalize_number
from core.models import User
from core.permissions import require_role
from registry.dtks_import.reader import iter_rows

# BPJS's answer codes for a rejected registration [R: PPU 2019 cleaning categories].
# The columns an answer is stored in (Coverage.card_number, Application's code).
CARD_MAX_DIGITS = Coverage._meta.get_field("card_number").max_length or 20
REASON_CODE_MAX_LENGTH = (
    Application._meta.get_field("bpjs_reason_code").max_length or 40
)
REJECTION_CODES = {
    "DATA_GANDA": gettext_lazy("Data ganda"),
    "TANPA_NIK": gettext_lazy("Tanpa NIK"),
    "TIDAK_TERIDENTIFIKASI": gettext_lazy("NIK tidak teridentifikasi di Dukcapil"),
    "TERDAFTAR_SEGMEN_LAIN": gettext_lazy("Sudah terdaftar di segmen lain"),
}


@transaction.atomic
def batch_create(*, actor: User, period: dt.date) -> ProposalBatch:
    """Group every DKK-verified application not yet in a batch."""
    require_role(actor, VERIFIER_ROLES)
    pending = list(
        Application.objects.select_for_update()
        .filter(status=AppStatus.DKK_VERIFIED, batch__isnull=True)
        .order_by("kelurahan_id", "id")
    )
    if not pending:
        raise ApplicationError(_("Tidak ada pengajuan yang siap diusulkan."))
    with actor_context(actor):
        batch = ProposalBatch.objects.create(
            period=period.replace(day=1), created_by=actor
        )
        with in_official_language():
            note = _("Masuk %(b)s") % {"b": batch}
        # A month's applications in a few statements, not a few each.
        _transition_many(
            pending, actor=actor, to=AppStatus.PROPOSED, notes=[note] * len(pending)
        )
        for application in pending:
            application.batch = batch
        Application.objects.bulk_update(pending, ["batch", "status"])
    return batch


def batch_applications(batch: ProposalBatch) -> list[Application]:
    return list(
        batch.applications.select_related(
            "person", "household", "kelurahan__kecamatan", "facility"
        ).order_by("kelurahan_id", "id")
    )


def batch_export_xlsx(batch: ProposalBatch) -> bytes:
    header, rows = export_rows(
        batch_applications(batch), tmt=f"{batch.period:%d-%m-%Y}"
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("PBPU_PEMDA")
    sheet.append(header)
    for row in rows:
        sheet.append([str(v) for v in row])  # NIK/KK as text, never as numbers
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def batch_export_csv(batch: ProposalBatch) -> str:
    header, rows = export_rows(
        batch_applications(batch), tmt=f"{batch.period:%d-%m-%Y}"
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@transaction.atomic
def batch_mark_sent(*, actor: User, batch: ProposalBatch) -> ProposalBatch:
    require_role(actor, VERIFIER_ROLES)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    batch.status = ProposalBatch.Status.SENT
    batch.sent_at = timezone.now()
    batch.save(update_fields=["status", "sent_at"])
    return batch


@dataclass
class AnswerRow:
    nik: str
    accepted: bool
    card_number: str = ""
    start_date: dt.date | None = None
    reason_code: str = ""


@dataclass
class AnswerReport:
    activated: int = 0
    rejected: int = 0
    unknown_niks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def batch_record_answer(
    *, actor: User, batch: ProposalBatch, rows: list[AnswerRow]
) -> AnswerReport:
    """Apply BPJS's answer per person, matched by NIK. An unknown NIK is reported and
    changes nothing; a person already answered is left as it is (re-import is safe)."""
    require_role(actor, VERIFIER_ROLES)
    batch = ProposalBatch.objects.select_for_update().get(pk=batch.pk)
    by_nik = {
        app.person.nik: app
        for app in batch.applications.select_for_update(of=("self",)).select_related(
            "person"
        )
    }
    report = AnswerReport()
    accepted: list[tuple[Application, str, dt.date]] = []
    refused: list[tuple[Application, str]] = []
    answered: set[int] = set()  # a second line for the same NIK is left out
    for row in rows:
        application = by_nik.get(row.nik)
        if application is None:
            report.unknown_niks.append(row.nik)
            continue
        if application.status != AppStatus.PROPOSED or application.pk in answered:
            continue
        if row.accepted:
            if not row.card_number or row.start_date is None:
                report.errors.append(
                    _("NIK %(n)s: nomor kartu dan TMT wajib untuk peserta aktif.")
                    % {"n": row.nik[-4:].rjust(16, "*")}
                )
                continue
            if not is_digits(row.card_number) or len(row.card_number) > CARD_MAX_DIGITS:
                # Stored as it came, a longer one failed the whole answer's write.
                report.errors.append(
                    _("NIK %(n)s: nomor kartu bukan angka 1-%(max)s digit.")
                    % {"n": row.nik[-4:].rjust(16, "*"), "max": CARD_MAX_DIGITS}
                )
                continue
            accepted.append((application, row.card_number, row.start_date))
        else:
            refused.append((application, row.reason_code))
        answered.add(application.pk)
    with actor_context(actor):
        # A whole answer file in a few statements, not a few per person.
        activate_many(accepted, actor=actor)
        _reject_many(refused, actor=actor)
        report.activated, report.rejected = len(accepted), len(refused)
        if not batch.applications.filter(status=AppStatus.PROPOSED).exists():
            batch.status = ProposalBatch.Status.ANSWERED
            batch.save(update_fields=["status"])
    return report


def _reject_many(refused: list[tuple[Application, str]], *, actor: User) -> None:
    # The application's rejection reason and history note: part of its record.
    with in_official_language():
        labels = [str(REJECTION_CODES.get(code, code)) for _app, code in refused]
    applications = [application for application, _code in refused]
    _transition_many(
        applications, actor=actor, to=AppStatus.BPJS_REJECTED, notes=labels
    )
    for (application, code), label in zip(refused, labels, strict=True):
        application.bpjs_reason_code = code
        application.rejection_reason = label
    Application.objects.bulk_update(
        applications, ["status", "bpjs_reason_code", "rejection_reason"]
    )


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def parse_answer_file(path: Path) -> list[AnswerRow]:
    """BPJS's answer file (CSV or XLSX): NIK, STATUS (AKTIF/DITOLAK), NO_KARTU, TMT,
    KODE_ALASAN. Column names are matched case-insensitively."""
    rows = iter_rows(path)
    header = [str(h or "").strip().upper() for h in next(rows, [])]
    needed = {"NIK", "STATUS"}
    if not needed <= set(header):
        raise ApplicationError(
            _("Kolom wajib tidak ditemukan di berkas jawaban BPJS: %(c)s.")
            % {"c": ", ".join(sorted(needed - set(header)))}
        )
    index = {name: i for i, name in enumerate(header)}

    def cell(cells: list[Any], name: str) -> Any:
        i = index.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    answers = []
    for cells in rows:
        nik = normalize_number(cell(cells, "NIK"))
        if not nik:
            continue
        status = str(cell(cells, "STATUS")).strip().upper()
        answers.append(
            AnswerRow(
                nik=nik,
                accepted=status in {"AKTIF", "DITERIMA", "1"},
                card_number=str(cell(cells, "NO_KARTU") or "").strip(),
                start_date=_parse_date(cell(cells, "TMT")),
                reason_code=str(cell(cells, "KODE_ALASAN") or "")
                .strip()
                .upper()
                .replace("\0", "")[:REASON_CODE_MAX_LENGTH],
            )
        )
    return answers
