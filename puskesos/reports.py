"""Monthly report (XLSX/PDF) of the dashboard figures, and the public transparency page
with aggregate figures only: counts below 5 are shown as "< 5"."""

from __future__ import annotations

import io
import statistics
from typing import Any

from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from bpjs.models import Application, ApplicationTransition, AppStatus
from bpjs.services.premiums import billed_coverages, rate_for
from core.dashboard import build_panels, parse_filter
from core.documents import in_official_language, render_pdf
from core.exceptions import ApplicationError
from core.models import Kelurahan
from core.permissions import role_required
from core.roles import SUPERVISOR_ROLES
from puskesos.models import Case

SMALL_COUNT = 5


def suppress(value: int) -> str | int:
    return "< 5" if 0 < value < SMALL_COUNT else value


def _report_rows(request: HttpRequest) -> tuple[Any, list[tuple[str, str, str]]]:
    """The monthly report's rows, an official document: labels in Bahasa Indonesia
    whatever the supervisor's screen language."""
    filters = parse_filter(request)
    with in_official_language():
        rows = [
            (str(panel.title), str(label), str(value))
            for panel in build_panels(filters)
            for label, value, _link in panel.figures
        ]
    return filters, rows


@role_required(SUPERVISOR_ROLES)
def monthly_report_xlsx(request: HttpRequest) -> HttpResponse:
    filters, rows = _report_rows(request)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Laporan {filters.month:%m-%Y}"
    area = filters.kelurahan or filters.kecamatan or "Kota Balikpapan"
    sheet.append([f"Laporan bulanan Dinas Sosial {filters.month:%m-%Y}", area])
    sheet.append(["Bagian", "Angka", "Nilai"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-{filters.month:%Y%m}.xlsx"'
    )
    return response


@role_required(SUPERVISOR_ROLES)
def monthly_report_pdf(request: HttpRequest) -> HttpResponse:
    filters, rows = _report_rows(request)
    pdf = render_pdf(
        "puskesos/report_pdf.html",
        {"filters": filters, "rows": rows, "generated": timezone.localtime()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="laporan-{filters.month:%Y%m}.pdf"'
    )
    return response


def _per_kelurahan(rows: Any) -> dict[str, dict[str, int]]:
    return {row.pop("area"): row for row in rows}


def transparency(request: HttpRequest) -> HttpResponse:
    """Public (no login): the programme's aggregate figures per kelurahan and month.
    One grouped query per figure, whatever the number of kelurahan."""
    month = parse_filter(request).month
    try:
        share = rate_for(month).city_share
    except ApplicationError:
        share = 0
    in_month = {"created_at__year": month.year, "created_at__month": month.month}
    applications = _per_kelurahan(
        Application.objects.filter(**in_month)
        .values(area=F("kelurahan_id"))
        .annotate(
            received=Count("id"),
            decided=Count("id", filter=~Q(status=AppStatus.SUBMITTED)),
        )
    )
    participants = _per_kelurahan(
        billed_coverages(month)
        .values(area=F("person__kelurahan_id"))
        .annotate(n=Count("id"))
    )
    cases = _per_kelurahan(
        Case.objects.filter(
            status="resolved",
            resolved_at__year=month.year,
            resolved_at__month=month.month,
        )
        .values(area=F("kelurahan_id"))
        .annotate(
            resolved=Count("id"),
            within=Count("id", filter=Q(resolved_at__date__lte=F("sla_due"))),
        )
    )
    durations: dict[str, list[float]] = {}
    for kelurahan_id, days in (
        ApplicationTransition.objects.filter(
            application__created_at__year=month.year,
            application__created_at__month=month.month,
            to_state__in=[AppStatus.APPROVED, AppStatus.REJECTED],
        )
        .annotate(days=F("occurred_at") - F("application__created_at"))
        .values_list("application__kelurahan_id", "days")
    ):
        durations.setdefault(kelurahan_id, []).append(days.total_seconds() / 86400)
    rows = []
    for kelurahan in Kelurahan.objects.select_related("kecamatan"):
        apps = applications.get(kelurahan.pk, {"received": 0, "decided": 0})
        covered = participants.get(kelurahan.pk, {"n": 0})["n"]
        done = cases.get(kelurahan.pk, {"resolved": 0, "within": 0})
        days = durations.get(kelurahan.pk)
        rows.append(
            {
                "kecamatan": kelurahan.kecamatan.name,
                "kelurahan": kelurahan.name,
                "received": suppress(apps["received"]),
                "decided": suppress(apps["decided"]),
                "median_days": round(statistics.median(days), 1)
                if days and apps["received"] >= SMALL_COUNT
                else "—",
                "participants": suppress(covered),
                "cost": covered * share if covered >= SMALL_COUNT else None,
                "resolved_within_sla": suppress(done["within"]),
                "resolved": suppress(done["resolved"]),
            }
        )
    return render(request, "puskesos/transparency.html", {"rows": rows, "month": month})


@role_required(SUPERVISOR_ROLES)
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    """NIK in the POST body, never the URL."""
    from core.permissions import actor_of
    from puskesos.subject_access import subject_access_json

    error = ""
    if request.method == "POST":
        try:
            body = subject_access_json(
                actor=actor_of(request), nik=request.POST.get("nik", "")
            )
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            response = HttpResponse(
                body, content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = (
                'attachment; filename="akses-subjek-data.json"'
            )
            return response
    return render(request, "puskesos/subject_access.html", {"error": error})
