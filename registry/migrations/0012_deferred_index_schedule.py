"""Hourly build of any index a bulk-load DTKS commit left unbuilt (registry.jobs)."""

import json

from django.db import migrations


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="*", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Makassar",
    )
    PeriodicTask.objects.get_or_create(
        name="dtks_deferred_indexes",
        defaults={"task": "core.tasks.run_job_task", "crontab": crontab,
                  "args": json.dumps(["dtks_deferred_indexes"]),
                  "description": "Bangun indeks registri yang tertunda (tiap jam)"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_deferred_index"),
        ("core", "0006_default_schedules"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
