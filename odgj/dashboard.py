from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import DashboardFilter, Panel
from odgj.models import OdgjSubject, OdgjTransition, Stage
from odgj.selectors import stage_overdue_days

FUNNEL = [
    Stage.IDENTIFIED,
    Stage.DATA_VERIFIED,
    Stage.RECORDED,
    Stage.NIK_ISSUED,
    Stage.EXISTING_NIK_FOUND,
    Stage.KTP_PRINTED,
    Stage.KTP_DELIVERED,
]


def median_days_per_stage(subjects) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median days spent in a stage, from consecutive transitions of each case."""
    durations: dict[str, list[float]] = {}
    previous: dict[int, tuple[str, object]] = {}
    for subject_id, to_state, at in (
        OdgjTransition.objects.filter(subject__in=subjects)
        .order_by("subject_id", "occurred_at", "id")
        .values_list("subject_id", "to_state", "occurred_at")
    ):
        if subject_id in previous:
            stage, since = previous[subject_id]
            durations.setdefault(stage, []).append((at - since).total_seconds() / 86400)  # type: ignore[operator]
        previous[subject_id] = (to_state, at)
    return {
        stage: round(statistics.median(values), 1)
        for stage, values in durations.items()
    }


def odgj_panel(filters: DashboardFilter) -> Panel:
    subjects = OdgjSubject.objects.all()
    area = filters.kelurahan_ids()
    if area is not None:
        subjects = subjects.filter(kelurahan_id__in=area)
    counts = dict(
        subjects.values_list("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    # The funnel: how many cases reached at least each stage.
    order = {stage: i for i, stage in enumerate(FUNNEL)}
    reached = [
        sum(n for s, n in counts.items() if order.get(s, -1) >= i)
        for i in range(len(FUNNEL))
    ]
    now = timezone.now()
    overdue: int = sum(
        subjects.filter(
            stage=stage, stage_changed_at__lt=now - dt.timedelta(days=days)
        ).count()
        for stage, days in stage_overdue_days().items()
    )
    medians = median_days_per_stage(subjects)
    admin = reverse("admin:odgj_odgjsubject_changelist")
    figures: list[tuple[str, Any, str]] = [
        (_("Kasus aktif"), subjects.exclude(stage=Stage.CLOSED).count(), admin),
        (_("Terlambat"), overdue, reverse("odgj:worklist")),
    ]
    figures += [
        (_("Median hari di tahap %(s)s") % {"s": Stage(s).label}, d, "")
        for s, d in medians.items()
        if s in order
    ]
    return Panel(
        title=_("ODGJ: corong perekaman"),
        figures=figures,
        chart_type="bar",
        chart={
            "labels": [str(Stage(s).label) for s in FUNNEL],
            "datasets": [
                {
                    "label": _("Kasus"),
                    "data": reached,
                    "backgroundColor": "var(--color-primary-600)",
                }
            ],
        },
    )
