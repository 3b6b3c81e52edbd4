"""Overdue marking: Puskesos cases past their SLA and ODGJ cases waiting too long in a
stage; the assignee and the supervisors get an in-app notification (email when an
email backend is configured)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import JobContext, register_job
from core.models import Notification, User
from core.roles import SUPERVISOR_ROLES, Role
from odgj.models import OdgjSubject, Stage
from odgj.selectors import stage_overdue_days, stage_overdue_since
from puskesos.models import Case
from puskesos.selectors import overdue_cases


def _notifications(users: list[User], subject: str, link: str) -> list[Notification]:
    return [Notification(recipient=u, subject=subject, link=link) for u in users]


def _send(notifications: list[Notification]) -> int:
    """One insert for a chunk's notifications; one email per message when enabled."""
    Notification.objects.bulk_create(notifications)
    if getattr(settings, "NOTIFY_BY_EMAIL", False):
        recipients: dict[tuple[str, str], list[str]] = defaultdict(list)
        for notification in notifications:
            recipient = notification.recipient
            if recipient is not None and recipient.email:
                key = (notification.subject, notification.link)
                recipients[key].append(recipient.email)
        for (subject, link), emails in recipients.items():
            send_mail(subject, link, None, emails, fail_silently=True)
    return len(notifications)


@register_job("overdue_notify", label=gettext_lazy("Pemberitahuan kasus terlambat"))
def overdue_notify(ctx: JobContext) -> None:
    today = timezone.localdate()
    supervisors = list(User.objects.filter(role__in=SUPERVISOR_ROLES, is_active=True))
    overdue = overdue_cases(Case.objects.all(), today=today).filter(
        overdue_notified_at__isnull=True
    )
    for pks in ctx.chunks(overdue, chunk_size=1000):
        with transaction.atomic():
            notifications = [
                notification
                for case in Case.objects.filter(pk__in=pks).select_related("assignee")
                for notification in _notifications(
                    [u for u in [case.assignee] if u] + supervisors,
                    _("Kasus %(t)s melewati batas waktu %(d)s")
                    % {"t": case.ticket_code, "d": f"{case.sla_due:%d-%m-%Y}"},
                    f"/puskesos/kasus/{case.public_id}/",
                )
            ]
            sent = _send(notifications)
            Case.objects.filter(pk__in=pks).update(overdue_notified_at=timezone.now())
            ctx.commit_chunk(
                pks, examined=len(pks), changed=len(pks), report={"notifikasi": sent}
            )
    workers = list(User.objects.filter(role=Role.PEKERJA_SOSIAL_ODGJ, is_active=True))
    odgj_overdue = 0
    now = timezone.now()
    for stage in stage_overdue_days():
        # The worklist's red cards: one rule (odgj.selectors).
        limit = stage_overdue_since(stage, now)
        late = {
            f"/odgj/subjek/{subject.public_id}/": subject
            for subject in OdgjSubject.objects.filter(
                stage=stage, stage_changed_at__lte=limit
            ).only("id", "public_id", "case_worker_id")
        }
        # Told already within the limit: not again (one query for the stage).
        told = set(
            Notification.objects.filter(
                link__in=list(late), created_at__gte=limit
            ).values_list("link", flat=True)
        )
        notifications = []
        for link, subject in late.items():
            if link in told:
                continue
            target = [w for w in workers if w.pk == subject.case_worker_id] or workers
            notifications += _notifications(
                target,
                _("Kasus ODGJ #%(n)s terlambat di tahap %(s)s")
                % {"n": subject.pk, "s": Stage(stage).label},
                link,
            )
            odgj_overdue += 1
        _send(notifications)
    ctx.add(examined=odgj_overdue, report={"odgj_terlambat": odgj_overdue})


def retention_years() -> int:
    # UU 27/2022 Pasal 44: keep no longer than needed. The period is Dinsos policy [U].
    return int(getattr(settings, "RETENTION_YEARS", 5))


_CASE_ANONYMOUS: dict[str, Any] = {
    "applicant_name": "ANONIM",
    "nik": "",
    "kk_number": "",
    "phone": "",
    "description": "[dianonimkan]",
    "person_id": None,
    "eligibility_evidence": {},
}
_APPLICATION_ANONYMOUS: dict[str, Any] = {
    "arrears_note": "",
    "eligibility_evidence": {},
    "checks": [],
    "rejection_reason": "[dianonimkan]",
}


def _history(model: Any) -> Any:
    """The pghistory event model that shadows `model`."""
    return model.pgh_event_model


@register_job(
    "retention_anonymise", label=gettext_lazy("Anonimisasi data lewat masa simpan")
)
def retention_anonymise(ctx: JobContext) -> None:
    """Anonymise closed Puskesos cases and refused BPJS applications older than the
    retention period, their history rows included. The run itself is the audit."""
    from bpjs.models import Application, AppStatus
    from puskesos.models import CaseStatus

    cutoff = timezone.now() - dt.timedelta(days=365 * retention_years())
    now = timezone.now()
    closed = [
        CaseStatus.RESOLVED,
        CaseStatus.REJECTED,
        CaseStatus.CANCELLED,
        CaseStatus.UNREACHABLE,
    ]
    cases = Case.objects.filter(
        status__in=closed, created_at__lt=cutoff, anonymised_at__isnull=True
    )
    for pks in ctx.chunks(cases, chunk_size=1000):
        with transaction.atomic():
            Case.objects.filter(pk__in=pks).update(**_CASE_ANONYMOUS, anonymised_at=now)
            _history(Case).objects.filter(pgh_obj_id__in=pks).update(**_CASE_ANONYMOUS)
            ctx.commit_chunk(
                pks, examined=len(pks), changed=len(pks), report={"kasus": len(pks)}
            )
    refused = Application.objects.filter(
        status__in=[
            AppStatus.REJECTED,
            AppStatus.BPJS_REJECTED,
            AppStatus.DKK_REJECTED,
            AppStatus.CANCELLED,
        ],
        created_at__lt=cutoff,
        anonymised_at__isnull=True,
    ).values_list("pk", flat=True)
    ids = list(refused)
    with transaction.atomic():
        Application.objects.filter(pk__in=ids).update(
            **_APPLICATION_ANONYMOUS, anonymised_at=now
        )
        _history(Application).objects.filter(pgh_obj_id__in=ids).update(
            **_APPLICATION_ANONYMOUS
        )
    ctx.add(examined=len(ids), changed=len(ids), report={"pengajuan_bpjs": len(ids)})
