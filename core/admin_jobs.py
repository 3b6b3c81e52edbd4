from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.models import JobRun
from core.roles import SUPERVISOR_ROLES
from core.tasks import run_job_task


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
    list_display = [
        "job_name",
        "status",
        "progress",
        "examined",
        "changed",
        "failed",
        "started_at",
        "finished_at",
        "attempts",
    ]
    list_filter = ["job_name", "status"]
    actions = ["run_again"]

    @admin.action(description=_("Jalankan lagi tugas terpilih sekarang"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[JobRun]) -> None:
        names = sorted(set(queryset.values_list("job_name", flat=True)))
        actor_id = request.user.pk

        def enqueue() -> None:
            for name in names:
                run_job_task.delay(name, {}, actor_id)

        transaction.on_commit(enqueue)
        self.message_user(
            request, _("Tugas dijadwalkan; lihat kemajuannya di daftar ini.")
        )
