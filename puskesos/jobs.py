"""Overdue marking: Puskesos cases past their SLA and ODGJ cases waiting too long in a
stage; the assignee and the supervisors get an in-app notification (email when an
email backend is configured)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import JobContext, register_job
from core.models import Notification, User
from core.roles import SUPERVISOR_ROLES, Role
from odgj.models import OdgjSubject, Stage
from odgj.selectors import stage_overdue_days
from puskesos.models import OPEN_CASE_STATUSES, Case


def _notify(users: list[User], subject: str, link: str) -> int:
    Notification.objects.bulk_create(
        Notification(recipient=u, subject=subject, link=link) for u in users
    )
    emails = [u.email for u in users if u.email]
    if emails and getattr(settings, "NOTIFY_BY_EMAIL", False):
        send_mail(subject, link, None, emails, fail_silently=True)
    return len(users)


@register_job("overdue_notify")
def overdue_notify(ctx: JobContext) -> None:
    today = timezone.localdate()
    supervisors = list(User.objects.filter(role__in=SUPERVISOR_ROLES, is_active=True))
    overdue = Case.objects.filter(
        status__in=OPEN_CASE_STATUSES,
        sla_due__lt=today,
        overdue_notified_at__isnull=True,
    )
    for pks in ctx.chunks(overdue, chunk_size=1000):
        with transaction.atomic():
            sent = 0
            for case in Case.objects.filter(pk__in=pks).select_related("assignee"):
                users = [u for u in [case.assignee] if u] + supervisors
                sent += _notify(
                    users,
                    _("Kasus %(t)s melewati batas waktu %(d)s")
                    % {"t": case.ticket_code, "d": f"{case.sla_due:%d-%m-%Y}"},
                    f"/puskesos/kasus/{case.public_id}/",
                )
            Case.objects.filter(pk__in=pks).update(overdue_notified_at=timezone.now())
            ctx.commit_chunk(
                pks, examined=len(pks), changed=len(pks), report={"notifikasi": sent}
            )
    workers = list(User.objects.filter(role=Role.PEKERJA_SOSIAL_ODGJ, is_active=True))
    odgj_overdue = 0
    for stage, days in stage_overdue_days().items():
        limit = timezone.now() - dt.timedelta(days=days)
        for subject in OdgjSubject.objects.filter(
            stage=stage, stage_changed_at__lt=limit
        ).only("id", "public_id", "case_worker_id"):
            link = f"/odgj/subjek/{subject.public_id}/"
            if Notification.objects.filter(link=link, created_at__gte=limit).exists():
                continue
            target = [w for w in workers if w.pk == subject.case_worker_id] or workers
            _notify(
                target,
                _("Kasus ODGJ #%(n)s terlambat di tahap %(s)s")
                % {"n": subject.pk, "s": Stage(stage).label},
                link,
            )
            odgj_overdue += 1
    ctx.add(examined=odgj_overdue, report={"odgj_terlambat": odgj_overdue})
