"""The admin home for supervisors (Unfold DASHBOARD_CALLBACK).

Each app contributes panels by registering a builder from its AppConfig; core knows
nothing of the apps above it. Every builder receives the same area/period filter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Kecamatan, Kelurahan
from core.roles import SUPERVISOR_ROLES


@dataclass(frozen=True)
class DashboardFilter:
    kecamatan: str | None = None
    kelurahan: str | None = None
    month: dt.date = field(default_factory=lambda: timezone.localdate().replace(day=1))

    def kelurahan_ids(self) -> list[str] | None:
        if self.kelurahan:
            return [self.kelurahan]
        if self.kecamatan:
            return list(
                Kelurahan.objects.filter(kecamatan_id=self.kecamatan).values_list(
                    "code", flat=True
                )
            )
        return None

    def admin_query(self, lookup: str, **extra: str) -> str:
        """Query string for an admin changelist filtered like the dashboard."""
        params = dict(extra)
        if self.kelurahan:
            params[f"{lookup}__code__exact"] = self.kelurahan
        elif self.kecamatan:
            params[f"{lookup}__kecamatan__code__exact"] = self.kecamatan
        return "?" + urlencode(params) if params else ""


@dataclass
class Panel:
    title: str
    figures: list[tuple[str, Any, str]]  # label, value, link
    chart_type: str = ""
    chart: dict[str, Any] | None = None
    note: str = ""

    @property
    def chart_json(self) -> str:
        if not self.chart:
            return ""
        chart = {
            **self.chart,
            "datasets": [
                {**_DATASET_STYLE.get(self.chart_type or "bar", {}), **dataset}
                for dataset in self.chart.get("datasets", [])
            ],
        }
        return json.dumps(chart)

    @property
    def chart_table(self) -> tuple[list[str], list[list[Any]]]:
        """The chart's numbers as a table (its heading row, then one row per label):
        what a screen reader reads instead of the picture, and the exact figures for
        anyone else."""
        if not self.chart:
            return [], []
        datasets = self.chart.get("datasets", [])
        heading = [_("Uraian"), *(str(d.get("label", "")) for d in datasets)]
        rows = [
            [label, *(d["data"][i] for d in datasets)]
            for i, label in enumerate(self.chart.get("labels", []))
        ]
        return heading, rows


# Unfold draws bars 4 px wide with no value axis, which reads as a sparkline; a
# supervisor compares kecamatan and stages by their bars, so the bars are wide enough
# to see and the counts have an axis (Chart.js dataset options, and Unfold's own
# `displayYAxis` switch).
_DATASET_STYLE: dict[str, dict[str, Any]] = {
    "bar": {"maxBarThickness": 28, "displayYAxis": True},
    "line": {"displayYAxis": True},
}


PanelBuilder = Callable[[DashboardFilter], Panel | None]
_panels: list[tuple[int, PanelBuilder]] = []


def register_panel(builder: PanelBuilder, *, order: int = 100) -> None:
    if all(existing is not builder for _, existing in _panels):
        _panels.append((order, builder))


def parse_filter(request: HttpRequest) -> DashboardFilter:
    kecamatan = request.GET.get("kecamatan") or None
    kelurahan = request.GET.get("kelurahan") or None
    month = timezone.localdate().replace(day=1)
    raw = request.GET.get("bulan")
    if raw:
        with contextlib.suppress(ValueError):
            month = dt.date.fromisoformat(raw + "-01") if len(raw) == 7 else month
    if kecamatan and not Kecamatan.objects.filter(code=kecamatan).exists():
        kecamatan = None
    if kelurahan and not Kelurahan.objects.filter(code=kelurahan).exists():
        kelurahan = None
    return DashboardFilter(kecamatan=kecamatan, kelurahan=kelurahan, month=month)


def build_panels(filters: DashboardFilter) -> list[Panel]:
    panels = [builder(filters) for _, builder in sorted(_panels, key=lambda p: p[0])]
    return [p for p in panels if p is not None]


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    if getattr(request.user, "role", None) not in SUPERVISOR_ROLES:
        context.update({"dashboard_panels": [], "dashboard_denied": True})
        return context
    filters = parse_filter(request)
    context.update(
        {
            "dashboard_filter": filters,
            "dashboard_panels": build_panels(filters),
            "kecamatan_list": Kecamatan.objects.all(),
            "kelurahan_list": Kelurahan.objects.select_related("kecamatan"),
        }
    )
    return context
