from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import DashboardFilter, Panel
from core.jobs import job_label, registered_jobs
from core.models import JobRun
from puskesos.models import OPEN_CASE_STATUSES, Case, Referral, TrcDispatch
from puskesos.selectors import overdue_cases


def puskesos_panel(filters: DashboardFilter) -> Panel:
    cases = Case.objects.all()
    area = filters.kelurahan_ids()
    if area is not None:
        cases = cases.filter(kelurahan_id__in=area)
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=8)
    # From local midnight, not created_at__date: a bare column uses its index.
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    weekly = list(
        cases.filter(created_at__gte=since)
        .values("need__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:8]
    )
    open_cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    referrals = Referral.objects.filter(case__in=cases)
    outcomes = dict(
        referrals.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    trc = (
        TrcDispatch.objects.filter(case__in=cases, arrived_at__isnull=False)
        .annotate(minutes=F("arrived_at") - F("dispatched_at"))
        .values_list("minutes", flat=True)
    )
    trc_minutes = [d.total_seconds() / 60 for d in trc]
    admin = reverse("admin:puskesos_case_changelist")
    resolved = cases.filter(status="resolved").aggregate(
        total=Count("id"),
        within=Count("id", filter=Q(resolved_at__date__lte=F("sla_due"))),
    )
    figures = [
        (
            _("Kasus terbuka"),
            open_cases.count(),
            admin + filters.admin_query("kelurahan"),
        ),
        (
            _("Terlambat"),
            overdue_cases(cases, today=today).count(),
            reverse("puskesos:case_list") + "?overdue=1",
        ),
        (_("Selesai sesuai SLA"), f"{resolved['within']}/{resolved['total']}", ""),
        (
            _("Median respons TRC (menit)"),
            round(statistics.median(trc_minutes), 1) if trc_minutes else "—",
            "",
        ),
    ]
    figures += [
        (_("Rujukan: %(s)s") % {"s": Referral.Status(s).label}, n, "")
        for s, n in sorted(outcomes.items())
    ]
    return Panel(
        title=_("Puskesos: penerimaan 8 minggu terakhir per kebutuhan"),
        figures=figures,
        chart_type="bar",
        chart={
            "labels": [row["need__name"] for row in weekly],
            "datasets": [
                {
                    "label": _("Kasus"),
                    "data": [row["n"] for row in weekly],
                    "backgroundColor": "var(--color-primary-600)",
                }
            ],
        },
    )


def jobs_panel(filters: DashboardFilter) -> Panel:
    figures = []
    for name in registered_jobs():
        last = (
            JobRun.objects.filter(job_name=name)
            .exclude(status=JobRun.Status.REFUSED)
            .first()
        )
        value = (
            f"{last.get_status_display()} · {timezone.localtime(last.started_at):%d-%m %H:%M}"
            if last
            else "—"
        )
        figures.append(
            (
                job_label(name),
                value,
                reverse("admin:core_jobrun_changelist") + f"?job_name={name}",
            )
        )
    return Panel(title=_("Tugas pembaruan data: terakhir berjalan"), figures=figures)
