"""Default schedules of the data-update jobs, in Asia/Makassar time; editable in the
admin (django-celery-beat)."""

import json

from django.db import migrations

SCHEDULES = [
    # job, minute, hour, day_of_month, description
    ("sktm_expire", "30", "0", "*", "SKTM kedaluwarsa (harian)"),
    ("population_changes_apply", "15", "*", "*", "Terapkan perubahan kependudukan (tiap jam)"),
    ("bpjs_reverify", "0", "2", "*", "Verifikasi ulang peserta BPJS (harian)"),
    ("bpjs_removal_finalize", "30", "2", "*", "Penghapusan peserta setelah masa sanggah"),
    ("bpjs_monthly_statement", "0", "3", "1", "Tagihan iuran bulanan (tanggal 1)"),
    ("overdue_notify", "0", "7", "*", "Kasus terlambat: notifikasi (harian)"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for job, minute, hour, day, description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day, month_of_year="*",
            day_of_week="*", timezone="Asia/Makassar",
        )
        PeriodicTask.objects.get_or_create(
            name=job,
            defaults={"task": "core.tasks.run_job_task", "crontab": crontab,
                      "args": json.dumps([job]), "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_jobrun"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
