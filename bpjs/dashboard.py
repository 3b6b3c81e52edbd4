from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bpjs.models import Application, AppStatus, RemovalProposal, RemovalStatus
from bpjs.services.premiums import (
    billed_counts,
    budget_months,
    budget_status,
    rate_for,
)
from core.dashboard import DashboardFilter, Panel
from core.exceptions import ApplicationError
from core.templatetags.rupiah import rupiah


def _months_back(month: dt.date, n: int) -> list[dt.date]:
    months = []
    year, m = month.year, month.month
    for _step in range(n):
        months.append(dt.date(year, m, 1))
        year, m = (year - 1, 12) if m == 1 else (year, m - 1)
    return list(reversed(months))


def bpjs_panel(filters: DashboardFilter) -> Panel:
    area = filters.kelurahan_ids()

    today = timezone.localdate()
    months = _months_back(filters.month, 12)
    counted = list(months)
    if area is None:  # the budget is city-wide: its months go in the same scan
        year_so_far = budget_months(year=filters.month.year, today=today)
        counted += [m for m in year_so_far if m not in months]
    billed = dict(zip(counted, billed_counts(counted, kelurahan_ids=area), strict=True))
    trend = [billed[m] for m in months]
    try:
        cost = trend[-1] * rate_for(filters.month).city_share
    except ApplicationError:
        cost = 0
    applications = Application.objects.all()
    removals = RemovalProposal.objects.filter(status=RemovalStatus.EFFECTIVE)
    if area is not None:
        applications = applications.filter(kelurahan_id__in=area)
        removals = removals.filter(coverage__person__kelurahan_id__in=area)
    waiting = dict(
        applications.filter(
            status__in=[
                AppStatus.SUBMITTED,
                AppStatus.APPROVED,
                AppStatus.DKK_VERIFIED,
                AppStatus.PROPOSED,
            ]
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_reason = dict(
        removals.values_list("reason")
        .annotate(n=Count("id"))
        .values_list("reason", "n")
    )
    budget = budget_status(
        year=filters.month.year, today=today, billed=billed if area is None else None
    )
    admin = reverse("admin:bpjs_application_changelist")
    figures = [
        (
            _("Peserta aktif"),
            trend[-1],
            reverse("admin:bpjs_coverage_changelist")
            + "?active__exact=1&segment__exact=pbpu_pemda",
        ),
        (_("Iuran bulan ini"), rupiah(cost), reverse("bpjs:premiums")),
        (
            _("Anggaran terpakai / pagu"),
            f"{rupiah(budget.spent)} / {rupiah(budget.ceiling)}",
            reverse("bpjs:premiums"),
        ),
        (
            _("Proyeksi akhir tahun"),
            rupiah(budget.projected_total) + (" ⚠" if budget.warning else ""),
            reverse("bpjs:premiums"),
        ),
    ]
    for status in (
        AppStatus.SUBMITTED,
        AppStatus.APPROVED,
        AppStatus.DKK_VERIFIED,
        AppStatus.PROPOSED,
    ):
        figures.append(
            (
                _("Menunggu: %(s)s") % {"s": status.label},
                waiting.get(status, 0),
                admin + filters.admin_query("kelurahan", status__exact=status),
            )
        )
    for reason, n in sorted(by_reason.items()):
        figures.append(
            (
                _("Dihapus: %(r)s") % {"r": reason},
                n,
                reverse("admin:bpjs_removalproposal_changelist")
                + f"?reason__exact={reason}",
            )
        )
    return Panel(
        title=_("BPJS PBPU Pemda"),
        figures=figures,
        chart_type="line",
        chart={
            "labels": [f"{m:%m-%Y}" for m in months],
            "datasets": [
                {
                    "label": _("Peserta"),
                    "data": trend,
                    "borderColor": "var(--color-primary-600)",
                }
            ],
        },
        note=_("Peringatan anggaran muncul bila proyeksi mencapai 90% pagu."),
    )
