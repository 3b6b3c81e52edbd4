from django.db import migrations

# Validity per purpose is local practice, not a national rule [U]: defaults only,
# editable in the admin.
PURPOSES = [
    ("kesehatan", "Berobat / layanan kesehatan", 180, True),
    ("bpjs", "Pendaftaran BPJS Kesehatan PBPU Pemda", 180, True),
    ("pendidikan", "Pendidikan / keringanan biaya sekolah", 365, True),
    ("bantuan_sosial", "Permohonan bantuan sosial", 180, True),
    ("lainnya", "Keperluan lain", 90, False),
]


def load(apps, schema_editor):
    SktmPurpose = apps.get_model("registry", "SktmPurpose")
    for code, name, days, gakin in PURPOSES:
        SktmPurpose.objects.update_or_create(
            code=code,
            defaults={"name": name, "validity_days": days, "counts_for_gakin": gakin},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_unlogged_staging")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
