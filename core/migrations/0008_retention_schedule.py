import json

from django.db import migrations


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="4", day_of_month="2", month_of_year="*", day_of_week="*",
        timezone="Asia/Makassar",
    )
    PeriodicTask.objects.get_or_create(
        name="retention_anonymise",
        defaults={"task": "core.tasks.run_job_task", "crontab": crontab,
                  "args": json.dumps(["retention_anonymise"]),
                  "description": "Anonimisasi data lewat masa retensi (bulanan)"},
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_idempotency")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
