"""django-celery-beat and django-celery-results in the Unfold admin, for supervisors.

Beat ships plain admin classes: re-register them with Unfold's base (ECOSYSTEM notes)
and our role rules, so schedules are editable in the admin.
"""

from __future__ import annotations

from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_celery_results.admin import TaskResultAdmin as BaseTaskResultAdmin
from django_celery_results.models import GroupResult, TaskResult
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from core.admin import ReadOnlyAdmin, RoleAdmin
from core.roles import SUPERVISOR_ROLES

for model in (
    PeriodicTask,
    IntervalSchedule,
    CrontabSchedule,
    SolarSchedule,
    ClockedSchedule,
    TaskResult,
    GroupResult,
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class UnfoldPeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].widget = UnfoldAdminTextInputWidget()
        self.fields["regtask"].widget = UnfoldAdminSelectWidget()
        self.fields["regtask"].widget.choices = self.fields["regtask"].choices


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin, RoleAdmin):
    form = UnfoldPeriodicTaskForm
    readable_roles = SUPERVISOR_ROLES
    writable_roles = SUPERVISOR_ROLES


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin, RoleAdmin):
    readable_roles = SUPERVISOR_ROLES
    writable_roles = SUPERVISOR_ROLES


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(RoleAdmin):
    readable_roles = SUPERVISOR_ROLES
    writable_roles = SUPERVISOR_ROLES


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin, RoleAdmin):
    readable_roles = SUPERVISOR_ROLES
    writable_roles = SUPERVISOR_ROLES


@admin.register(TaskResult)
class TaskResultAdmin(BaseTaskResultAdmin, ReadOnlyAdmin):
    readable_roles = SUPERVISOR_ROLES
