"""pg_trgm (the one extension we use) and Balikpapan's 6 kecamatan / 34 kelurahan."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.geography import load_geography


def load(apps, schema_editor):
    load_geography(apps.get_model("core", "Kecamatan"), apps.get_model("core", "Kelurahan"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
