"""Service-level deadlines in working days (Asia/Makassar), over a holiday calendar
kept as data. Defaults follow kelurahan complaint-handling standards [R]:
ringan ≤2, normatif ≤5, tidak berkadar pengawasan ≤14, berkadar pengawasan ≤60."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from puskesos.models import ComplaintClass, Holiday

DEFAULT_SLA_DAYS: dict[str, int] = {
    ComplaintClass.LIGHT: 2,
    ComplaintClass.NORMATIVE: 5,
    ComplaintClass.NON_SUPERVISORY: 14,
    ComplaintClass.SUPERVISORY: 60,
}


def sla_days(complaint_class: str) -> int:
    configured = getattr(settings, "PUSKESOS_SLA_DAYS", {})
    return int(configured.get(complaint_class, DEFAULT_SLA_DAYS[complaint_class]))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (weekends and holidays skipped)."""
    holidays = set(
        Holiday.objects.filter(
            date__gt=start, date__lte=start + dt.timedelta(days=days * 3 + 14)
        ).values_list("date", flat=True)
    )
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


def due_date(complaint_class: str, received: dt.datetime | None = None) -> dt.date:
    received_day = timezone.localdate(received or timezone.now())
    return add_working_days(received_day, sla_days(complaint_class))


def is_overdue(due: dt.date, *, now: dt.datetime | None = None) -> bool:
    return timezone.localdate(now or timezone.now()) > due
