"""Monthly premium bill and the APBD budget: participants x the city's share, with the
rate valid for that month (dated configuration, so a mid-year change is exact)."""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook

from bpjs.models import BudgetCeiling, Coverage, MonthlyStatement, PremiumRate, Segment
from core.exceptions import ApplicationError
from core.models import Kelurahan

BUDGET_WARNING_SHARE = 0.9


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def rate_for(month: dt.date) -> PremiumRate:
    rate = (
        PremiumRate.objects.filter(valid_from__lte=month_bounds(month)[1])
        .order_by("-valid_from")
        .first()
    )
    if rate is None:
        raise ApplicationError(
            _("Belum ada tarif iuran untuk bulan %(m)s.") % {"m": f"{month:%m-%Y}"}
        )
    return rate


def billed_coverages(month: dt.date):  # type: ignore[no-untyped-def]
    """Our participants billed for a month: started by its last day and not ended
    before its first (a removal effective in month M stops the bill from M+1)."""
    first, last = month_bounds(month)
    return Coverage.objects.filter(
        segment=Segment.PBPU_PEMDA, start_date__lte=last
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=first))


def billed_counts(
    months: list[dt.date], *, kelurahan_ids: list[str] | None = None
) -> list[int]:
    """Participants billed in each month, in one scan of the coverage table."""
    if not months:
        return []
    coverages = Coverage.objects.filter(segment=Segment.PBPU_PEMDA)
    if kelurahan_ids is not None:
        coverages = coverages.filter(person__kelurahan_id__in=kelurahan_ids)
    aggregates = {}
    for i, month in enumerate(months):
        first, last = month_bounds(month)
        aggregates[f"m{i}"] = Count(
            "id",
            filter=Q(start_date__lte=last)
            & (Q(end_date__isnull=True) | Q(end_date__gte=first)),
        )
    totals = coverages.aggregate(**aggregates)
    return [totals[f"m{i}"] for i in range(len(months))]


@dataclass(frozen=True)
class BillLine:
    kelurahan_id: str | None
    participants: int
    city_share: int

    @property
    def amount(self) -> int:
        return self.participants * self.city_share


def monthly_bill(month: dt.date) -> list[BillLine]:
    rate = rate_for(month)
    counts = dict(
        billed_coverages(month)
        .values_list("person__kelurahan_id")
        .annotate(n=Count("id"))
        .values_list("person__kelurahan_id", "n")
    )
    lines = [
        BillLine(k, counts.get(k, 0), rate.city_share)
        for k in Kelurahan.objects.values_list("code", flat=True)
    ]
    lines.append(BillLine(None, sum(counts.values()), rate.city_share))
    return lines


@transaction.atomic
def statement_build(*, month: dt.date) -> list[MonthlyStatement]:
    """Build (or rebuild: idempotent) the statement of a month."""
    month = month.replace(day=1)
    built = []
    for line in monthly_bill(month):
        statement, _created = MonthlyStatement.objects.update_or_create(
            month=month,
            kelurahan_id=line.kelurahan_id,
            defaults={
                "participants": line.participants,
                "city_share": line.city_share,
                "amount": line.amount,
            },
        )
        built.append(statement)
    return built


def statement_xlsx(month: dt.date) -> bytes:
    """The month's statement as built on the 1st; a month not built yet is computed
    on the fly (nothing is written: this serves GET requests)."""
    month = month.replace(day=1)
    stored = MonthlyStatement.objects.filter(month=month)
    lines = (
        [BillLine(s.kelurahan_id, s.participants, s.city_share) for s in stored]
        if stored.exists()
        else monthly_bill(month)
    )
    places = {
        code: (kecamatan, name)
        for code, kecamatan, name in Kelurahan.objects.values_list(
            "code", "kecamatan__name", "name"
        )
    }
    book = Workbook()
    sheet = book.active
    sheet.title = f"Iuran {month:%m-%Y}"
    sheet.append(
        ["Kecamatan", "Kelurahan", "Peserta", "Tanggungan/orang (Rp)", "Jumlah (Rp)"]
    )
    for line in sorted(lines, key=lambda line: line.kelurahan_id or "~"):
        kecamatan, name = places.get(line.kelurahan_id or "", ("", "KOTA BALIKPAPAN"))
        sheet.append([kecamatan, name, line.participants, line.city_share, line.amount])
    for cells in sheet.iter_rows(min_row=2, min_col=4, max_col=5):
        for c in cells:
            c.number_format = '"Rp"#,##0'
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class BudgetStatus:
    year: int
    ceiling: int | None
    spent: int
    projected_total: int
    share_of_ceiling: float | None
    warning: bool


def budget_months(*, year: int, today: dt.date) -> list[dt.date]:
    """The months of a year billed so far."""
    return [dt.date(year, m, 1) for m in range(1, 13) if dt.date(year, m, 1) <= today]


def budget_status(
    *, year: int, today: dt.date, billed: dict[dt.date, int] | None = None
) -> BudgetStatus:
    """Billed so far this year plus the current bill carried to December.

    `billed`: city-wide participant counts by month already at hand (the dashboard
    counts its twelve-month trend in the same scan); months missing from it are
    counted here."""
    months = budget_months(year=year, today=today)
    billed = billed or {}
    missing = [m for m in months if m not in billed]
    billed = {**billed, **dict(zip(missing, billed_counts(missing), strict=True))}
    counts = [billed[m] for m in months]
    spent = sum(n * rate_for(m).city_share for m, n in zip(months, counts, strict=True))
    remaining_months = max(0, 12 - today.month) if today.year == year else 0
    current = (
        counts[-1] * rate_for(months[-1]).city_share
        if today.year == year and counts
        else 0
    )
    projected = spent + current * remaining_months
    ceiling = (
        BudgetCeiling.objects.filter(year=year).values_list("amount", flat=True).first()
    )
    share = projected / ceiling if ceiling else None
    return BudgetStatus(
        year,
        ceiling,
        spent,
        projected,
        share,
        bool(share is not None and share >= BUDGET_WARNING_SHARE),
    )
