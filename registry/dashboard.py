from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import DashboardFilter, Panel
from registry.models import DtksEntry, Sktm, SktmStatus


def registry_panel(filters: DashboardFilter) -> Panel:
    area = filters.kelurahan_ids()
    entries = DtksEntry.objects.filter(active=True)
    sktm = Sktm.objects.all()
    if area is not None:
        entries = entries.filter(person__kelurahan_id__in=area)
        sktm = sktm.filter(kelurahan_id__in=area)
    month_end = filters.month.replace(day=28)
    issued = sktm.filter(
        issued_on__year=filters.month.year, issued_on__month=filters.month.month
    )
    counts = dict(
        sktm.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    by_kecamatan = list(
        entries.values("person__kelurahan__kecamatan__name")
        .annotate(n=Count("id"))
        .order_by("person__kelurahan__kecamatan__name")
    )
    sktm_admin = reverse("admin:registry_sktm_changelist")
    dtks_admin = reverse("admin:registry_dtksentry_changelist")
    del month_end
    return Panel(
        title=_("Registri: DTKS dan SKTM"),
        figures=[
            (
                _("Penduduk di DTKS (aktif)"),
                entries.count(),
                dtks_admin + "?active__exact=1",
            ),
            (
                _("Keluarga di DTKS"),
                entries.values("person__household_id").distinct().count(),
                "",
            ),
            (
                _("SKTM terbit bulan ini"),
                issued.count(),
                sktm_admin
                + filters.admin_query("kelurahan", status__exact=SktmStatus.ISSUED),
            ),
            (
                _("SKTM berlaku"),
                counts.get(SktmStatus.ISSUED, 0),
                sktm_admin
                + filters.admin_query("kelurahan", status__exact=SktmStatus.ISSUED),
            ),
            (
                _("SKTM kedaluwarsa"),
                counts.get(SktmStatus.EXPIRED, 0),
                sktm_admin
                + filters.admin_query("kelurahan", status__exact=SktmStatus.EXPIRED),
            ),
        ],
        chart_type="bar",
        chart={
            "labels": [
                row["person__kelurahan__kecamatan__name"] for row in by_kecamatan
            ],
            "datasets": [
                {
                    "label": _("Penduduk DTKS"),
                    "data": [row["n"] for row in by_kecamatan],
                    "backgroundColor": "var(--color-primary-600)",
                }
            ],
        },
    )
